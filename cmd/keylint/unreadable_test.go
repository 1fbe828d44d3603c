//go:build unix

package main

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

// TestScanIncompleteExit: keylint scan exits 3, after the report, when a
// file or directory could not be read, and says what to do; a tree deeper
// than PATH_MAX is scanned whole. Root reads anything, so as root the
// unreadable cases run in a child process as nobody.
func TestScanIncompleteExit(t *testing.T) {
	if args := os.Getenv("KEYLINT_TEST_CHILD_ARGS"); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), strings.NewReader(""), os.Stdout, os.Stderr))
	}
	t.Parallel()
	base := t.TempDir()
	tok := ghToken(t)
	for name, content := range map[string]string{
		"unreadable/a.env":       "x\n",
		"unreadable/b.env":       "GITHUB_TOKEN=" + tok + "\n",
		"locked-dir/in/x.env":    "x\n",
		"locked-dir/z.env":       "GITHUB_TOKEN=" + tok + "\n",
		"readable/config.env":    "GITHUB_TOKEN=" + tok + "\n",
		"readable/sub/clean.txt": "nothing\n",
	} {
		write(t, filepath.Join(base, filepath.FromSlash(name)), content)
	}
	lock := []string{filepath.Join(base, "unreadable", "a.env"), filepath.Join(base, "locked-dir", "in")}
	for _, p := range lock {
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.Chmod(lock[1], 0o755) })

	// A tree 6,000 directories deep (12,000-byte paths) with a key at the
	// bottom.
	deep := filepath.Join(base, "deep")
	os.Mkdir(deep, 0o755)
	fd, err := unix.Open(deep, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	const depth = 6000
	for range depth {
		if err := unix.Mkdirat(fd, "d", 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := unix.Openat(fd, "d", unix.O_RDONLY|unix.O_DIRECTORY, 0)
		unix.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd = next
	}
	kf, err := unix.Openat(fd, "k.env", unix.O_WRONLY|unix.O_CREAT, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	unix.Write(kf, []byte("GITHUB_TOKEN="+tok+"\n"))
	unix.Close(kf)
	unix.Close(fd)
	t.Cleanup(func() { removeChain(t, deep, depth) })

	root := os.Geteuid() == 0
	var bin string
	if root {
		// The child runs as nobody: it needs to reach the files and the
		// test binary.
		bin = filepath.Join(base, "keylint.test")
		data, err := os.ReadFile(os.Args[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{filepath.Dir(base), base} {
			os.Chmod(d, 0o755)
		}
	}
	outDir := filepath.Join(base, "out")
	os.Mkdir(outDir, 0o777)
	os.Chmod(outDir, 0o777)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		want   []string
		report bool // the report on stdout has the key of the readable file
	}{
		{"unreadable file", []string{"scan", "--no-config", "--format", "json", "unreadable"}, exitScanError,
			[]string{"unreadable/a.env", "the scan is incomplete: 1 item could not be read", "keylint: hint: make the files"}, true},
		{"unreadable directory", []string{"scan", "--no-config", "--format", "json", "locked-dir"}, exitScanError,
			[]string{"locked-dir/in: cannot read directory", "the scan is incomplete"}, true},
		{"all readable", []string{"scan", "--no-config", "--format", "json", "readable"}, exitFindings, nil, true},
		{"deep tree", []string{"scan", "--no-config", "--format", "json", "deep"}, exitFindings, []string{"1 finding"}, true},
		{"baseline", []string{"baseline", "--no-config", "--output", "out/b", "unreadable"}, exitScanError,
			[]string{"recorded 1 entry", "the scan is incomplete"}, false},
		{"baseline --prune", []string{"baseline", "--prune", "--no-config", "--output", "out/b", "unreadable"}, exitScanError,
			[]string{"the baseline was not pruned"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			var cmd *exec.Cmd
			var err error
			// A binary just written may fail to start with ETXTBSY while a
			// concurrently forked process still holds it open for writing
			// (go.dev/issue/22315): retry.
			for attempt := 0; ; attempt++ {
				cmd = exec.Command(os.Args[0], "-test.run=^TestScanIncompleteExit$")
				cmd.Dir = base
				cmd.Env = append(os.Environ(), "KEYLINT_TEST_CHILD_ARGS="+strings.Join(tc.args, "\x1f"))
				if root {
					cmd.Path, cmd.Args[0] = bin, bin
					cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
				}
				stdout.Reset()
				stderr.Reset()
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err = cmd.Run()
				if errors.Is(err, syscall.ETXTBSY) && attempt < 20 {
					time.Sleep(50 * time.Millisecond)
					continue
				}
				break
			}
			code := cmd.ProcessState.ExitCode()
			if code != tc.code {
				t.Errorf("exit %d (%v), want %d\n%s", code, err, tc.code, stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			// The findings of what could be read are reported all the same.
			if tc.report && !strings.Contains(stdout.String(), `"fingerprint"`) {
				t.Errorf("the key of a readable file is not in the report:\n%.500s", stdout.String())
			}
			if strings.Contains(stdout.String()+stderr.String(), tok) {
				t.Error("secret printed whole")
			}
		})
	}
}

// removeChain removes dir/d/d/... (depth levels) bottom up through "..".
func removeChain(t *testing.T, dir string, depth int) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0)
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
	unix.Unlinkat(fd, "k.env", 0)
	for ; level > 0; level-- {
		up, err := unix.Openat(fd, "..", unix.O_RDONLY|unix.O_DIRECTORY, 0)
		unix.Close(fd)
		if err != nil {
			t.Error(err)
			return
		}
		fd = up
		if err := unix.Unlinkat(fd, "d", unix.AT_REMOVEDIR); err != nil {
			t.Errorf("rmdir at level %d: %v", level, err)
		}
	}
	unix.Close(fd)
}
