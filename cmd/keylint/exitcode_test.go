package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrongPlaceExitCodes: "not a git repository" and a path that does not
// exist are usage errors (exit 2) for every command, and say which.
func TestWrongPlaceExitCodes(t *testing.T) {
	clearHookEnv(t)
	dir := t.TempDir()
	if exec.Command("git", "-C", dir, "rev-parse", "--git-dir").Run() == nil {
		t.Skip("the temporary directory is inside a git repository")
	}
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	missing := filepath.Join(dir, "nope")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"git", missing}, "does not exist"},
		{[]string{"git", dir}, "not a git repository"},
		{[]string{"git"}, "not a git repository"},
		{[]string{"staged"}, "not a git repository"},
		{[]string{"hook", "install"}, "not a git repository"},
		{[]string{"hook", "uninstall"}, "not a git repository"},
		{[]string{"scan", missing}, "does not exist"},
		{[]string{"baseline", missing}, "does not exist"},
		{[]string{"rules", "test", missing}, "cannot read"},
	} {
		r := runCLI(t, dir, "", tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

// TestPushAdvice: a blocked push is told how to rewrite the commits or
// baseline a false positive, not to add an inline allow that cannot change
// a commit already made.
func TestPushAdvice(t *testing.T) {
	for _, w := range []string{"git commit --amend", "git rebase -i", "keylint baseline", "would not change the commits"} {
		if !strings.Contains(helpText("push-advice"), w) {
			t.Errorf("the pre-push advice lacks %q", w)
		}
	}
	if strings.Contains(helpText("push-advice"), `Put "keylint:allow" on its line`) {
		t.Error("the pre-push advice suggests an inline allow")
	}
}

// TestGitleaksIgnoreUnmatched: after a full scan, the .gitleaksignore
// fingerprints that match no finding are named in a warning; the ones that
// match silence their finding.
func TestGitleaksIgnoreUnmatched(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "app.env"), "TOKEN="+ghToken(t)+"\n")
	write(t, filepath.Join(dir, ".gitleaksignore"), "app.env:github-pat:1\napp.env:github-pat:7\nold.env:generic-api-key:3\n")
	r := runCLI(t, dir, "", "scan", ".")
	if r.code != exitClean {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, w := range []string{"2 fingerprints match no finding", "line 2: app.env:github-pat:7", "line 3: old.env:generic-api-key:3"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "line 1:") {
		t.Errorf("the matching fingerprint is reported as unmatched:\n%s", r.stderr)
	}
}
