package gitexec

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestNothingFromTheRepositoryRuns builds a repository whose configuration
// would run a marker script from every hook point git offers to a read
// command (fsmonitor, pager, external diff, textconv, hooks), runs the
// commands keylint uses, and checks the marker never appears.
func TestNothingFromTheRepositoryRuns(t *testing.T) {
	repo := t.TempDir()
	marker := filepath.Join(t.TempDir(), "ran")
	script := filepath.Join(t.TempDir(), "evil.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho ran >> "+marker+"\ncat\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_NOSYSTEM=1", "HOME="+repo)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	if err := os.WriteFile(filepath.Join(repo, "a.txt"), []byte("one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, ".gitattributes"), []byte("*.txt diff=evil\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", ".")
	git("commit", "-qm", "one")
	if err := os.WriteFile(filepath.Join(repo, "a.txt"), []byte("two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{
		{"core.fsmonitor", script},
		{"core.pager", script},
		{"pager.log", script},
		{"diff.external", script},
		{"diff.evil.textconv", script},
		{"diff.evil.command", script},
		{"core.sshCommand", script},
		{"credential.helper", "!" + script},
	} {
		git("config", kv[0], kv[1])
	}
	hooks := filepath.Join(repo, ".git", "hooks")
	for _, h := range []string{"post-checkout", "post-index-change", "reference-transaction", "fsmonitor-watchman"} {
		if err := os.WriteFile(filepath.Join(hooks, h), []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A GIT_DIR in the environment must not redirect keylint either.
	t.Setenv("GIT_DIR", filepath.Join(t.TempDir(), "elsewhere"))
	ctx := context.Background()
	for _, args := range [][]string{
		{"status", "--porcelain"},
		{"diff", "--no-ext-diff", "--no-textconv"},
		{"diff", "--cached", "--no-ext-diff", "--no-textconv"},
		{"log", "-p", "--no-ext-diff", "--no-textconv", "-1"},
		{"show", "--no-ext-diff", "--no-textconv", "HEAD"},
		{"rev-parse", "HEAD"},
	} {
		if _, err := Output(ctx, repo, args...); err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
	}
	if data, err := os.ReadFile(marker); err == nil {
		t.Fatalf("a program from the scanned repository ran: %q", data)
	}
}

func TestErrorCarriesStderr(t *testing.T) {
	_, err := Output(context.Background(), t.TempDir(), "rev-parse", "HEAD")
	if err == nil {
		t.Fatal("want an error outside a repository")
	}
	var ge *Error
	if !asError(err, &ge) || ge.Stderr == "" {
		t.Fatalf("err = %#v", err)
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}
