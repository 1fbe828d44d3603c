//go:build unix

package gitexec

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
)

// TestFind finds the repository of a directory the way git does: from a
// working tree, a subdirectory, a file, a linked worktree, a bare
// repository and GIT_DIR; past a .git directory that is not a repository;
// and not at all (ErrNotRepository) outside one or where .git is a FIFO,
// which is never opened.
func TestFind(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("sub/dir/file.txt", "x\n")
	r.Commit("base")
	top := r.Dir
	dotgit := filepath.Join(top, ".git")
	wt := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", "-b", "side", wt)
	bare := gittest.NewBare(t).Dir
	// A .git directory that is not a repository, inside the work tree.
	fake := filepath.Join(top, "sub", "fake")
	if err := os.MkdirAll(filepath.Join(fake, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	fifoDir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(fifoDir, ".git"), 0o644); err != nil {
		t.Skip("cannot make a FIFO here:", err)
	}

	tests := []struct {
		name, path string
		env        []string
		want       Repository
		notRepo    bool
	}{
		{name: "top of the work tree", path: top, want: Repository{GitDir: dotgit, Root: top}},
		{name: "subdirectory", path: filepath.Join(top, "sub", "dir"), want: Repository{GitDir: dotgit, Root: top}},
		{name: "file", path: filepath.Join(top, "sub", "dir", "file.txt"), want: Repository{GitDir: dotgit, Root: top}},
		{name: "linked worktree", path: wt, want: Repository{GitDir: filepath.Join(dotgit, "worktrees", "wt"), Root: wt}},
		{name: "bare repository", path: bare, want: Repository{GitDir: bare}},
		{name: "inside the git directory", path: filepath.Join(dotgit, "refs"), want: Repository{GitDir: dotgit}},
		{name: "GIT_DIR", path: outside, env: []string{"GIT_DIR=" + bare}, want: Repository{GitDir: bare}},
		{name: "relative GIT_DIR", path: top, env: []string{"GIT_DIR=.git"}, want: Repository{GitDir: dotgit}},
		{name: ".git that is not a repository", path: fake, want: Repository{GitDir: dotgit, Root: top}},
		{name: "outside any repository", path: outside, notRepo: true},
		{name: "missing directory", path: filepath.Join(outside, "none"), notRepo: true},
		{name: ".git is a FIFO", path: fifoDir, notRepo: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Find(tc.path, tc.env)
			if tc.notRepo {
				if !errors.Is(err, ErrNotRepository) {
					t.Fatalf("Find = %+v, %v; want ErrNotRepository", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Find = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// FuzzParseGitFile: whatever a ".git" file holds, reading it never panics,
// and a git directory it names is absolute and clean.
func FuzzParseGitFile(f *testing.F) {
	f.Add([]byte("gitdir: /repo/.git/worktrees/wt\n"))
	f.Add([]byte("gitdir: ../main/.git/modules/sub"))
	f.Add([]byte("gitdir:"))
	f.Add([]byte("\x00gitdir: x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		gd, ok := parseGitFile("/work/tree", data)
		if ok && (!filepath.IsAbs(gd) || filepath.Clean(gd) != gd) {
			t.Fatalf("parseGitFile(%q) = %q: not absolute and clean", data, gd)
		}
		if !ok && gd != "" {
			t.Fatalf("parseGitFile(%q) = %q without a git directory", data, gd)
		}
	})
}
