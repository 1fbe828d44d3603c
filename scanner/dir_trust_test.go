package scanner

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestIgnoreFileFIFO: a .gitignore or .git/info/exclude that is a FIFO (or
// a link to a device) does not block or stall the walk: it is not read,
// the FIFO is counted as a skipped special file, and the rest is scanned.
func TestIgnoreFileFIFO(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T, root string)
		special int
	}{
		{name: ".gitignore FIFO", special: 1, setup: func(t *testing.T, root string) {
			if err := syscall.Mkfifo(filepath.Join(root, "sub", ".gitignore"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "info/exclude FIFO", setup: func(t *testing.T, root string) {
			if err := os.MkdirAll(filepath.Join(root, ".git", "info"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(filepath.Join(root, ".git", "info", "exclude"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "info/exclude link to a device", setup: func(t *testing.T, root string) {
			if err := os.MkdirAll(filepath.Join(root, ".git", "info"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("/dev/zero", filepath.Join(root, ".git", "info", "exclude")); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			writeFiles(t, root, map[string]string{"sub/a.txt": token(t)})
			tc.setup(t, root)
			res := scanDir(t, newTestScanner(t, Options{}), &Dir{Paths: []string{root}})
			if res.Summary.Findings != 1 || res.Summary.Skipped["special"] != tc.special {
				t.Fatalf("findings %d, skipped %v; want 1 finding, %d special", res.Summary.Findings, res.Summary.Skipped, tc.special)
			}
		})
	}
}
