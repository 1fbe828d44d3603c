package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// stagedRepo makes a repository with one commit and returns its directory.
func stagedRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := filepath.Join(t.TempDir(), "repo")
	gitIn(t, filepath.Dir(dir), "init", "-q", "-b", "main", dir)
	write(t, filepath.Join(dir, "a.txt"), "a\n")
	gitIn(t, dir, "add", "a.txt")
	gitIn(t, dir, "commit", "-q", "-m", "base")
	return dir
}

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(stagedEnviron(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// clearHookEnv makes the in-process commands see no outer git hook.
func clearHookEnv(t *testing.T) {
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"} {
		if v, ok := os.LookupEnv(k); ok {
			os.Unsetenv(k)
			t.Cleanup(func() { os.Setenv(k, v) })
		}
	}
}

func TestStagedCommand(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	tok := ghToken(t)

	// Clean: exit 0 and not a word.
	write(t, filepath.Join(dir, "b.txt"), "b\n")
	gitIn(t, dir, "add", "b.txt")
	if r := runCLI(t, dir, "", "staged"); r.code != exitClean || r.stdout != "" || r.stderr != "" {
		t.Errorf("clean: %+v", r)
	}

	// A key: the report and the advice on stderr, exit 1.
	write(t, filepath.Join(dir, "b.txt"), "b\ntoken: "+tok+"\n")
	gitIn(t, dir, "add", "b.txt")
	r := runCLI(t, dir, "", "staged")
	if r.code != exitFindings || r.stdout != "" {
		t.Fatalf("key: %+v", r)
	}
	for _, want := range []string{"b.txt:2:8", "github-classic-pat", "GitHub", "ghp_…", "secret manager", "rotate it", "keylint:allow", "git commit --no-verify"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, tok) {
		t.Errorf("the secret is shown whole:\n%s", r.stderr)
	}

	// Machine-readable formats go to stdout, the advice still to stderr.
	r = runCLI(t, dir, "", "staged", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, `"rule_id": "github-classic-pat"`) || !strings.Contains(r.stderr, "the commit is blocked") {
		t.Errorf("json: %+v", r)
	}
	// --verbose adds the summary.
	if r := runCLI(t, dir, "", "staged", "--verbose"); !strings.Contains(r.stderr, "1 finding") {
		t.Errorf("verbose: %+v", r)
	}

	if r := runCLI(t, dir, "", "staged", "extra"); r.code != exitUsage || !strings.Contains(r.stderr, "takes no arguments") {
		t.Errorf("extra argument: %+v", r)
	}
	if r := runCLI(t, t.TempDir(), "", "staged"); r.code != exitUsage || !strings.Contains(r.stderr, "inside a git repository") {
		t.Errorf("outside a repository: %+v", r)
	}
}

func TestHookCommandUsage(t *testing.T) {
	dir := stagedRepo(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"hook"}, exitUsage, "needs a subcommand"},
		{[]string{"hook", "bogus"}, exitUsage, "unknown hook subcommand"},
		{[]string{"hook", "help"}, exitClean, "keylint hook install"},
		{[]string{"hook", "run", "pre-commit"}, exitUsage, "usage: keylint hook run pre-push"},
		{[]string{"hook", "uninstall", "--force"}, exitUsage, "force"},
		{[]string{"hook", "install", "extra"}, exitUsage, "takes no arguments"},
	} {
		r := runCLI(t, dir, "", tc.args...)
		if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
			t.Errorf("%v: %+v, want code %d and %q", tc.args, r, tc.code, tc.want)
		}
	}
	if r := runCLI(t, t.TempDir(), "", "hook", "install"); r.code != exitUsage || !strings.Contains(r.stderr, "inside a git repository") {
		t.Errorf("outside a repository: %+v", r)
	}
}

func TestHookRunPrePush(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	zero := strings.Repeat("0", 40)
	head, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(string(head))
	// Deleting a remote branch publishes nothing.
	if r := runCLI(t, dir, "(delete) "+zero+" refs/heads/gone "+id+"\n", "hook", "run", "pre-push", "--", "origin", "/x"); r.code != exitClean || r.stderr != "" {
		t.Errorf("deletion: %+v", r)
	}
	// Nothing to push at all.
	if r := runCLI(t, dir, "", "hook", "run", "pre-push", "origin", "/x"); r.code != exitClean || r.stderr != "" {
		t.Errorf("no input: %+v", r)
	}
	// A new branch with a key.
	write(t, filepath.Join(dir, "k.txt"), "k "+ghToken(t)+"\n")
	gitIn(t, dir, "add", "k.txt")
	gitIn(t, dir, "commit", "-q", "-m", "key")
	head, err = exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	line := "refs/heads/main " + strings.TrimSpace(string(head)) + " refs/heads/main " + zero + "\n"
	r := runCLI(t, dir, line, "hook", "run", "pre-push", "--", "origin", "/x")
	if r.code != exitFindings || !strings.Contains(r.stderr, "k.txt:1:3") || !strings.Contains(r.stderr, "the push is blocked") {
		t.Errorf("key pushed: %+v", r)
	}
	// The same push against a remote that has it already.
	line = "refs/heads/main " + strings.TrimSpace(string(head)) + " refs/heads/main " + strings.TrimSpace(string(head)) + "\n"
	if r := runCLI(t, dir, line, "hook", "run", "pre-push"); r.code != exitClean {
		t.Errorf("nothing new: %+v", r)
	}
}

// stagedEnviron is the test process's environment without GIT_* variables: tests
// run from inside a git hook (GIT_DIR, GIT_INDEX_FILE ...) must not
// reach the outer repository.
func stagedEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			out = append(out, kv)
		}
	}
	return out
}
