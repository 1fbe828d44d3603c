package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	t.Parallel()
	if !bytes.Equal(Mixed(7, 64<<10, 4<<10), Mixed(7, 64<<10, 4<<10)) {
		t.Error("Mixed differs between two calls with the same seed")
	}
	if bytes.Equal(Mixed(7, 64<<10, 0), Mixed(8, 64<<10, 0)) {
		t.Error("Mixed ignores its seed")
	}
	if !bytes.Equal(MinifiedJS(3, 50<<10), MinifiedJS(3, 50<<10)) {
		t.Error("MinifiedJS differs between two calls with the same seed")
	}
	if a, b := FakeSecret(42), FakeSecret(42); a != b {
		t.Error("FakeSecret differs between two calls with the same seed")
	}
}

func TestSizes(t *testing.T) {
	t.Parallel()
	if n := len(Mixed(1, 100<<10, 0)); n < 100<<10 || n > 140<<10 {
		t.Errorf("Mixed(100 KiB) returned %d bytes", n)
	}
	if n := len(MinifiedJS(1, 50<<10)); n < 50<<10 || n > 60<<10 {
		t.Errorf("MinifiedJS(50 KiB) returned %d bytes", n)
	}
}

// planted are the fixed parts of every FakeSecret format.
var planted = []string{"gh" + "p_", "AK" + "IA", "xox" + "b-", "T3Blbk" + "FJ", "sk_" + "live_", "postgres" + "://app_", `{"alg":"HS256"`, "PRIVATE " + "KEY"}

func TestSecretsOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	clean := Mixed(5, 512<<10, 0)
	for _, p := range planted {
		if bytes.Contains(clean, []byte(p)) {
			t.Errorf("Mixed without secrets contains %q", p)
		}
	}
	dirty := string(Mixed(5, 512<<10, 16<<10))
	n := 0
	for _, p := range planted {
		n += strings.Count(dirty, p)
	}
	if n < 16 {
		t.Errorf("Mixed with a secret every 16 KiB planted %d recognisable secrets in 512 KiB", n)
	}
}

func TestFakeSecretChecksum(t *testing.T) {
	t.Parallel()
	for seed := range uint64(200) {
		s := FakeSecret(seed)
		if strings.HasPrefix(s, "gh"+"p_") && checksum(s[4:34]) != s[34:] {
			t.Errorf("FakeSecret(%d): GitHub token with a wrong checksum", seed)
		}
	}
}

func TestGoFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i, name := range []string{"a/a.go", "a/b.txt", "b/c.go", "c/d.go", "c/e/f.go"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, bytes.Repeat([]byte{'a' + byte(i)}, 100), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	all, err := GoFiles(dir, 1<<20)
	if err != nil || len(all) != 4 {
		t.Fatalf("GoFiles: %d files, %v; want the 4 .go files", len(all), err)
	}
	some, err := GoFiles(dir, 200)
	if err != nil || len(some) != 2 || some[0][0] != 'a' || some[1][0] != 'd' {
		t.Errorf("GoFiles with a 200-byte limit: %d files; want 2, sampled across the tree", len(some))
	}
}

func TestUTF16(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s       string
		be, bom bool
		want    string
	}{
		{"a€", false, false, "a\x00\xac\x20"},
		{"a€", true, false, "\x00a\x20\xac"},
		{"a", false, true, "\xff\xfea\x00"},
		{"a", true, true, "\xfe\xff\x00a"},
		{"😀", true, false, "\xd8\x3d\xde\x00"},
		{"", false, false, ""},
	}
	for _, tt := range tests {
		if got := string(UTF16(tt.s, tt.be, tt.bom)); got != tt.want {
			t.Errorf("UTF16(%q, %v, %v) = %q, want %q", tt.s, tt.be, tt.bom, got, tt.want)
		}
	}
}
