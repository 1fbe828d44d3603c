//go:build unix

package scanner

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// deepTree builds root/d/d/.../d (depth levels) with openat-style calls,
// since paths past PATH_MAX cannot be created by name, calls at(level, fd)
// in each directory on the way down, and removes the whole chain the same
// way when the test ends (os.RemoveAll may fail on it).
func deepTree(t *testing.T, root string, depth int, at func(level, fd int)) {
	t.Helper()
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeDeep(t, root, depth) })
	for level := 1; level <= depth; level++ {
		if err := unix.Mkdirat(fd, "d", 0o755); err != nil {
			t.Fatalf("level %d: %v", level, err)
		}
		next, err := unix.Openat(fd, "d", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0)
		unix.Close(fd)
		if err != nil {
			t.Fatalf("level %d: %v", level, err)
		}
		fd = next
		at(level, fd)
	}
	unix.Close(fd)
}

// writeAt writes a file in the directory fd.
func writeAt(t *testing.T, dir int, name, content string) {
	t.Helper()
	fd, err := unix.Openat(dir, name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := unix.Write(fd, []byte(content)); err != nil {
		t.Fatal(err)
	}
	unix.Close(fd)
}

// removeDeep removes root/d/... from the bottom up, through "..", and
// checks that it is gone.
func removeDeep(t *testing.T, root string, depth int) {
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Error(err)
		return
	}
	level := 0
	for ; level < depth; level++ {
		next, err := unix.Openat(fd, "d", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0)
		if err != nil {
			break
		}
		unix.Close(fd)
		fd = next
	}
	for ; level > 0; level-- {
		// Empty this directory (files and links; its "d" is gone already).
		f := os.NewFile(uintptr(fd), "deep")
		names, _ := f.Readdirnames(-1)
		for _, n := range names {
			if err := unix.Unlinkat(fd, n, 0); err != nil {
				t.Errorf("level %d: unlink %s: %v", level, n, err)
			}
		}
		up, err := unix.Openat(fd, "..", unix.O_RDONLY|unix.O_DIRECTORY, 0)
		f.Close()
		if err != nil {
			t.Errorf("level %d: %v", level, err)
			return
		}
		fd = up
		if err := unix.Unlinkat(fd, "d", unix.AT_REMOVEDIR); err != nil {
			t.Errorf("level %d: rmdir: %v", level, err)
		}
	}
	unix.Close(fd)
	if _, err := os.Lstat(filepath.Join(root, "d")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the deep tree is still there: %v", err)
	}
}

// TestDirDeepTree: a secret at the bottom of a tree 10,000 directories deep
// (paths of 20,000 bytes, past PATH_MAX) is found, with no warning; so are
// files next to the deep chain, and ignore files and symlinks down there
// behave as anywhere else.
func TestDirDeepTree(t *testing.T) {
	t.Parallel()
	const depth = 10000
	root := t.TempDir()
	outside := t.TempDir()
	bottom, ignored, linked, after, mid := token(t), token(t), token(t), token(t), token(t)
	writeFiles(t, outside, map[string]string{"secret.txt": linked})
	writeFiles(t, root, map[string]string{"z/after.txt": after})
	deepTree(t, root, depth, func(level, fd int) {
		switch level {
		case 5000:
			writeAt(t, fd, ".gitignore", "ignored.txt\n")
			writeAt(t, fd, "ignored.txt", ignored)
			writeAt(t, fd, "mid.txt", mid)
			if err := unix.Symlinkat(filepath.Join(outside, "secret.txt"), fd, "link.txt"); err != nil {
				t.Fatal(err)
			}
		case depth - 1:
			writeAt(t, fd, "deeper.txt", "nothing\n")
		case depth:
			writeAt(t, fd, "secret.env", "TOKEN="+bottom+"\n")
		}
	})
	res := scanDir(t, newTestScanner(t, Options{Workers: 2}), &Dir{Paths: []string{root}})
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %.300v", res.Warnings)
	}
	deepPath := filepath.ToSlash(root) + strings.Repeat("/d", depth) + "/secret.env"
	midPath := filepath.ToSlash(root) + strings.Repeat("/d", 5000) + "/mid.txt"
	for _, w := range []struct{ secret, path string }{
		{bottom, deepPath},
		{mid, midPath},
		{after, filepath.ToSlash(filepath.Join(root, "z", "after.txt"))},
	} {
		f := findingFor(res, w.secret)
		if f == nil {
			t.Errorf("secret at %.80s… not found", w.path)
			continue
		}
		if got := f.Locations[0].Path; got != w.path {
			t.Errorf("path %.80s…%s, want …%s", got, got[max(0, len(got)-40):], w.path[max(0, len(w.path)-40):])
		}
	}
	for _, s := range []string{ignored, linked} {
		if findingFor(res, s) != nil {
			t.Error("an ignored file or a symlink deep down was scanned")
		}
	}
	if res.Summary.Skipped["symlink"] != 1 || res.Summary.Skipped["ignored"] != 1 {
		t.Errorf("skipped: %v", res.Summary.Skipped)
	}
}

func findingFor(res *Result, secret string) *Finding {
	for i, f := range res.Findings {
		if f.Fingerprint == Fingerprint(f.RuleID, secret) {
			return &res.Findings[i]
		}
	}
	return nil
}

// hookSource passes a Dir's items on, calling before(path) first, so a test
// can change the tree between the listing and the reading.
type hookSource struct {
	d      *Dir
	before func(path string)
}

func (h *hookSource) Items(ctx context.Context, yield func(Item) error) error {
	return h.d.Items(ctx, func(it Item) error {
		h.before(it.Path)
		return yield(it)
	})
}

// TestDirChangesDuringScan: entries replaced between the listing and the
// reading are never followed out of the tree, never block the scan (a
// FIFO), and are warnings that make the scan incomplete, while the rest of
// the tree is still scanned.
func TestDirChangesDuringScan(t *testing.T) {
	t.Parallel()
	outTok := token(t)
	for _, tc := range []struct {
		name    string
		trigger string // the item whose arrival triggers the change
		change  func(t *testing.T, root, outside string)
		want    string // a warning's path ends with it
	}{
		{"file replaced by a FIFO", "a.txt", func(t *testing.T, root, _ string) {
			p := filepath.Join(root, "victim.txt")
			os.Remove(p)
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "victim.txt"},
		{"file replaced by a symlink out of the tree", "a.txt", func(t *testing.T, root, outside string) {
			p := filepath.Join(root, "victim.txt")
			os.Remove(p)
			if err := os.Symlink(filepath.Join(outside, "secret.txt"), p); err != nil {
				t.Fatal(err)
			}
		}, "victim.txt"},
		{"file removed", "a.txt", func(t *testing.T, root, _ string) {
			os.Remove(filepath.Join(root, "victim.txt"))
		}, "victim.txt"},
		{"directory replaced by a symlink out of the tree", "a.txt", func(t *testing.T, root, outside string) {
			os.Rename(filepath.Join(root, "b"), filepath.Join(outside, "b-moved"))
			if err := os.Symlink(outside, filepath.Join(root, "b")); err != nil {
				t.Fatal(err)
			}
		}, "/b"},
		{"directory replaced by another", "a.txt", func(t *testing.T, root, outside string) {
			os.Rename(filepath.Join(root, "b"), filepath.Join(outside, "b-moved"))
			writeFiles(t, filepath.Join(root, "b"), map[string]string{"new.txt": "x"})
		}, "/b"},
		{"directory moved away while inside it", "c.txt", func(t *testing.T, root, outside string) {
			// The walk is in b/in; b/in moves elsewhere and b is replaced:
			// neither ".." nor the path from the root lead back to b.
			os.MkdirAll(filepath.Join(outside, "elsewhere"), 0o755)
			os.Rename(filepath.Join(root, "b", "in"), filepath.Join(outside, "elsewhere", "in"))
			os.Rename(filepath.Join(root, "b"), filepath.Join(outside, "b-moved"))
			writeFiles(t, filepath.Join(root, "b"), map[string]string{"other.txt": "x"})
		}, "/b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, outside := t.TempDir(), t.TempDir()
			keep := token(t)
			writeFiles(t, outside, map[string]string{"secret.txt": outTok})
			writeFiles(t, root, map[string]string{
				"a.txt":        "a\n",
				"b/in/c.txt":   "c\n",
				"b/zz.txt":     "after\n",
				"victim.txt":   "v\n",
				"zzz/keep.txt": keep,
			})
			done := false
			src := &hookSource{d: &Dir{Paths: []string{root}}, before: func(p string) {
				if !done && strings.HasSuffix(p, "/"+tc.trigger) {
					done = true
					tc.change(t, root, outside)
				}
			}}
			res, err := newTestScanner(t, Options{Workers: 1}).Scan(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range res.Warnings {
				t.Logf("warning: %v", w)
			}
			inc := res.Incomplete()
			found := false
			for _, w := range inc {
				found = found || strings.HasSuffix(w.Path, tc.want)
			}
			if !found {
				t.Errorf("no warning for %s: %v", tc.want, res.Warnings)
			}
			if findingFor(res, outTok) != nil {
				t.Error("a secret outside the tree was read")
			}
			if findingFor(res, keep) == nil {
				t.Error("the rest of the tree was not scanned")
			}
		})
	}
}

// TestDirUnreadable: a file or directory the scan may not read is a
// warning that makes the scan incomplete. Root reads anything, so as root
// the scan runs in a child process as nobody.
func TestDirUnreadable(t *testing.T) {
	if dir := os.Getenv("KEYLINT_TEST_UNREADABLE"); dir != "" {
		res := scanDir(t, newTestScanner(t, Options{}), &Dir{Paths: []string{dir}})
		var paths []string
		for _, w := range res.Incomplete() {
			paths = append(paths, filepath.Base(w.Path))
		}
		for _, w := range res.Warnings {
			t.Logf("warning: %v", w)
		}
		if strings.Join(paths, ",") != "locked,unreadable.txt" {
			t.Errorf("incomplete: %v", res.Warnings)
		}
		if res.Summary.Findings != 1 {
			t.Errorf("findings = %d, want 1 (the scan goes on)", res.Summary.Findings)
		}
		return
	}
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "tree")
	writeFiles(t, root, map[string]string{
		"readable.txt":    token(t),
		"unreadable.txt":  token(t),
		"locked/in.txt":   token(t),
		"zzz/visible.txt": "nothing\n",
	})
	if err := os.Chmod(filepath.Join(root, "unreadable.txt"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "locked"), 0o755) })
	cmd := exec.Command(os.Args[0], "-test.run=^TestDirUnreadable$", "-test.v")
	cmd.Env = append(os.Environ(), "KEYLINT_TEST_UNREADABLE="+root)
	if os.Geteuid() == 0 {
		// The child runs as nobody: it needs to reach the tree and the
		// test binary.
		bin := filepath.Join(base, "scanner.test")
		data, err := os.ReadFile(os.Args[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{filepath.Dir(base), base, root, filepath.Join(root, "zzz")} {
			os.Chmod(d, 0o755)
		}
		cmd.Path, cmd.Args[0] = bin, bin
		cmd.Dir = base
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	out, err := cmd.CombinedOutput()
	// A binary just written may fail to start with ETXTBSY while a
	// concurrently forked process still holds it open for writing
	// (go.dev/issue/22315): retry.
	for attempt := 0; errors.Is(err, syscall.ETXTBSY) && attempt < 20; attempt++ {
		time.Sleep(50 * time.Millisecond)
		retry := exec.Command(cmd.Path, cmd.Args[1:]...)
		retry.Args[0] = cmd.Args[0]
		retry.Env, retry.Dir, retry.SysProcAttr = cmd.Env, cmd.Dir, cmd.SysProcAttr
		out, err = retry.CombinedOutput()
	}
	t.Logf("child:\n%s", out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestDirUnreadable") {
		t.Errorf("child: %v\n%s", err, out)
	}
}
