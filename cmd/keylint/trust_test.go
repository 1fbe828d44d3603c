package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestTrustFilesBounded: every command refuses a configuration, extended
// file, baseline, ignore file or rule file that is a device, a FIFO, a
// directory or over 16 MiB, with exit 2 and a hint, instead of reading it
// forever.
func TestTrustFilesBounded(t *testing.T) {
	type fix struct{ repo, other string }
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, f fix)
		args  func(f fix) []string
		want  string // in stderr
	}{
		{name: "config link to /dev/zero", want: "outside the repository", setup: func(t *testing.T, f fix) {
			link(t, "/dev/zero", filepath.Join(f.repo, ".keylint.toml"))
		}, args: func(f fix) []string { return []string{"scan", f.repo} }},
		{name: "config FIFO", want: "not a regular file", setup: func(t *testing.T, f fix) {
			fifo(t, filepath.Join(f.repo, ".keylint.toml"))
		}, args: func(f fix) []string { return []string{"scan", f.repo} }},
		{name: "config 17 MiB, keylint git", want: "larger than 16 MiB", setup: func(t *testing.T, f fix) {
			sparseFile(t, filepath.Join(f.repo, ".keylint.toml"), 17<<20)
		}, args: func(f fix) []string { return []string{"git", f.repo} }},
		{name: "config 17 MiB, keylint config", want: "larger than 16 MiB", setup: func(t *testing.T, f fix) {
			sparseFile(t, filepath.Join(f.repo, ".keylint.toml"), 17<<20)
		}, args: func(f fix) []string { return []string{"config", f.repo} }},
		{name: "--config /dev/urandom", want: "not a regular file", args: func(f fix) []string { return []string{"scan", "--config", "/dev/urandom", f.repo} }},
		{name: "--config FIFO", want: "not a regular file", setup: func(t *testing.T, f fix) {
			fifo(t, filepath.Join(f.other, "k.toml"))
		}, args: func(f fix) []string { return []string{"scan", "--config", filepath.Join(f.other, "k.toml"), f.repo} }},
		{name: "extends /dev/urandom", want: "outside the repository", setup: func(t *testing.T, f fix) {
			write(t, filepath.Join(f.repo, ".keylint.toml"), "extends = \"/dev/urandom\"\n")
		}, args: func(f fix) []string { return []string{"scan", f.repo} }},
		{name: "extends a FIFO", want: "not a regular file", setup: func(t *testing.T, f fix) {
			write(t, filepath.Join(f.repo, ".keylint.toml"), "extends = \"base.toml\"\n")
			fifo(t, filepath.Join(f.repo, "base.toml"))
		}, args: func(f fix) []string { return []string{"scan", f.repo} }},
		{name: "--baseline /dev/zero", want: "not a regular file", args: func(f fix) []string { return []string{"scan", "--baseline", "/dev/zero", f.repo} }},
		{name: "--baseline FIFO", want: "not a regular file", setup: func(t *testing.T, f fix) {
			fifo(t, filepath.Join(f.other, "baseline"))
		}, args: func(f fix) []string {
			return []string{"scan", "--baseline", filepath.Join(f.other, "baseline"), f.repo}
		}},
		{name: "--baseline 17 MiB", want: "larger than 16 MiB", setup: func(t *testing.T, f fix) {
			sparseFile(t, filepath.Join(f.other, "baseline"), 17<<20)
		}, args: func(f fix) []string {
			return []string{"scan", "--baseline", filepath.Join(f.other, "baseline"), f.repo}
		}},
		{name: "baseline --prune of a FIFO", want: "not a regular file", setup: func(t *testing.T, f fix) {
			fifo(t, filepath.Join(f.other, "baseline"))
		}, args: func(f fix) []string {
			return []string{"baseline", "--prune", "--output", filepath.Join(f.other, "baseline"), f.repo}
		}},
		{name: ".gitleaksignore link to /dev/zero", want: "outside the repository", setup: func(t *testing.T, f fix) {
			link(t, "/dev/zero", filepath.Join(f.repo, ".gitleaksignore"))
		}, args: func(f fix) []string { return []string{"scan", f.repo} }},
		{name: ".gitleaksignore FIFO", want: "not a regular file", setup: func(t *testing.T, f fix) {
			fifo(t, filepath.Join(f.repo, ".gitleaksignore"))
		}, args: func(f fix) []string { return []string{"scan", f.repo} }},
		{name: ".gitleaksignore 17 MiB", want: "larger than 16 MiB", setup: func(t *testing.T, f fix) {
			sparseFile(t, filepath.Join(f.repo, ".gitleaksignore"), 17<<20)
		}, args: func(f fix) []string { return []string{"scan", f.repo} }},
		{name: "rules test /dev/zero", want: "not a regular file", args: func(fix) []string { return []string{"rules", "test", "/dev/zero"} }},
		{name: "config convert of a FIFO", want: "not a regular file", setup: func(t *testing.T, f fix) {
			fifo(t, filepath.Join(f.other, ".gitleaks.toml"))
		}, args: func(f fix) []string { return []string{"config", "convert", filepath.Join(f.other, ".gitleaks.toml")} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newGitRepo(t)
			r.commit("one", map[string]string{"a.txt": "hello\n"})
			f := fix{repo: r.dir, other: t.TempDir()}
			if tc.setup != nil {
				tc.setup(t, f)
			}
			res := runCLI(t, "", "", tc.args(f)...)
			if res.code != exitUsage || !strings.Contains(res.stderr, tc.want) || !strings.Contains(res.stderr, "keylint: hint:") {
				t.Fatalf("code %d, want 2 with %q and a hint:\n%s", res.code, tc.want, res.stderr)
			}
		})
	}
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// fifo makes a named pipe. Nothing ever writes to it: a reader that opens
// it without checking its kind first would wait for ever.
func fifo(t *testing.T, name string) {
	t.Helper()
	if err := syscall.Mkfifo(name, 0o600); err != nil {
		t.Fatal(err)
	}
}

// sparseFile makes a file of n bytes without using disk space.
func sparseFile(t *testing.T, name string, n int64) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
