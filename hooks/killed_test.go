package hooks_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/testsecret"

	"github.com/keylint/keylint/internal/gittest"
)

// TestStagedKilledLeavesNothingBehind kills `keylint staged` at several
// moments of its run on a large staged change: the index, the working tree
// and the repository's lock files are exactly as before every time, because
// keylint never writes to the repository and never takes a lock.
func TestStagedKilledLeavesNothingBehind(t *testing.T) {
	r := newE2ERepo(t)
	files := map[string]string{}
	for i := 0; i < 400; i++ {
		files[filepath.Join("pkg", strings.Repeat("d", i%7+1), "f"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26))+".go")] =
			strings.Repeat("package p // filler line of ordinary code\n", 200) + "const token = \"" + testsecret.GitHubToken(t) + "\"\n"
	}
	r.write(files)
	r.git("add", ".")
	before := r.tree(r.dir)
	for _, after := range []time.Duration{0, 2 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond} {
		cmd := exec.Command(keylintBin, "staged")
		cmd.Dir = r.dir
		cmd.Env = append(gittest.Environ(), r.env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if got := r.tree(r.dir); !equalTrees(got, before) {
			t.Fatalf("killed after %v: the index or working tree changed", after)
		}
		if _, err := os.Stat(filepath.Join(r.dir, ".git", "index.lock")); err == nil {
			t.Fatalf("killed after %v: index.lock left behind", after)
		}
	}
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestStagedTruncatedIndex: a damaged index is a scan error (exit 3) that
// names the index, never a silent pass.
func TestStagedTruncatedIndex(t *testing.T) {
	r := newE2ERepo(t)
	r.write(map[string]string{"a.txt": "hello\n"})
	r.git("add", ".")
	index := filepath.Join(r.dir, ".git", "index")
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(index, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := r.tryIn(r.dir, keylintBin, "staged")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || !strings.Contains(out, "index") {
		t.Fatalf("want exit 3 naming the index, got %v:\n%s", err, out)
	}
}
