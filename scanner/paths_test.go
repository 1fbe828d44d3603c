package scanner

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
)

func TestPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(a, []byte("a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "b.txt"), []byte("b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		paths     []string
		start     string
		items     []string // item paths, in order
		wantErr   string
		wantUsage bool
	}{
		{name: "stdin only", paths: []string{"-"}, start: ".", items: []string{"stdin"}},
		{name: "a file", paths: []string{a}, start: a, items: []string{filepath.ToSlash(a)}},
		{name: "files first, then stdin", paths: []string{"-", sub, a}, start: sub,
			items: []string{filepath.ToSlash(filepath.Join(sub, "b.txt")), filepath.ToSlash(a), "stdin"}},
		{name: "missing", paths: []string{a, filepath.Join(dir, "nope")}, wantErr: filepath.Join(dir, "nope") + " does not exist", wantUsage: true},
		{name: "not a directory", paths: []string{filepath.Join(a, "x")}, wantErr: "cannot scan " + `"` + filepath.Join(a, "x") + `": not a directory`, wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, src, err := Paths(tt.paths, strings.NewReader("stdin text\n"), false)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || clierr.IsUsage(err) != tt.wantUsage {
					t.Fatalf("err = %v, want %q (usage %v)", err, tt.wantErr, tt.wantUsage)
				}
				if h := clierr.Hint(err); h != `check the path, or use "-" to read stdin` {
					t.Errorf("hint = %q", h)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if start != tt.start {
				t.Errorf("start = %q, want %q", start, tt.start)
			}
			var got []string
			if err := src.Items(context.Background(), func(it Item) error { got = append(got, it.Path); return nil }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.items) {
				t.Errorf("items = %q, want %q", got, tt.items)
			}
		})
	}
	// No path is the current directory.
	if start, _, err := Paths(nil, nil, false); err != nil || start != "." {
		t.Errorf("Paths(nil) = %q, %v; want \".\"", start, err)
	}
}
