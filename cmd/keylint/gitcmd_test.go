package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/scanner"

	"github.com/keylint/keylint/internal/testsecret"
)

// gitTestToken builds a checksum-valid GitHub token at run time.
func gitTestToken(t testing.TB) string { return testsecret.GitHubToken(t) }

func runGit(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	e, out, errb := testEnv(nil, "")
	code = e.main(append([]string{"git"}, args...))
	return code, out.String(), errb.String()
}

func TestGitCommand(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	gone, kept := gitTestToken(t), gitTestToken(t)
	r.Write("README.md", "# demo\n")
	r.Commit("start")
	r.Write("deploy.env", "GH_TOKEN="+gone+"\n")
	added := r.Commit("add deploy config")
	r.Remove("deploy.env")
	r.Commit("remove the token")
	r.Write("ci.env", "TOKEN="+kept+"\n")
	r.Commit("ci")

	code, out, errs := runGit(t, r.Dir, "--no-config", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var doc struct {
		Findings []scanner.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 2 {
		t.Fatalf("findings: %s", out)
	}
	var history *scanner.Finding
	for i, f := range doc.Findings {
		if !f.InHead {
			history = &doc.Findings[i]
		}
	}
	if history == nil || history.Locations[0].Commit != added || history.Locations[0].Path != "deploy.env" ||
		!strings.Contains(history.Remediation, "deleting the file is not enough") {
		t.Errorf("history finding: %+v", history)
	}
	if strings.Contains(out, gone) || strings.Contains(out, kept) {
		t.Error("secrets must be redacted")
	}
	for _, want := range []string{"keylint: history: 4 commits", "1 secret is only in the history", "git filter-repo", "Revoke and rotate it first"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "\r") {
		t.Error("no progress when stderr is not a terminal")
	}

	// Text output says the secret left HEAD; --quiet drops the notes.
	code, out, errs = runGit(t, r.Dir, "--no-config", "--quiet", "--color", "never")
	if code != 1 || !strings.Contains(out, "(no longer in HEAD)") || errs != "" {
		t.Errorf("quiet text: %d\n%s\n%s", code, out, errs)
	}
	// A selection: only the last commit.
	if code, out, _ = runGit(t, r.Dir, "--no-config", "--format", "jsonl", "--max-commits", "1"); code != 1 || strings.Count(out, "\n") != 1 {
		t.Errorf("--max-commits 1: %d %s", code, out)
	}
	if code, _, errs = runGit(t, r.Dir, "--no-config", "--range", "HEAD~1..HEAD~1"); code != 0 {
		t.Errorf("empty range: %d %s", code, errs)
	}
}

func TestGitCommandErrors(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("a", "a\n")
	r.Commit("a")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{r.Dir, "--branch", "nope"}, exitUsage, "git branch -a"},
		{[]string{r.Dir, "--range", "main"}, exitUsage, "A..B"},
		{[]string{r.Dir, "--since", "someday"}, exitUsage, "--since"},
		{[]string{r.Dir, "--max-commits", "-1"}, exitUsage, "negative"},
		{[]string{t.TempDir()}, exitUsage, "inside a git repository"},
		{[]string{r.Dir, r.Dir, "--shard", "4/3"}, exitUsage, "shards count from 1"},
		{[]string{r.Dir, "--print-repos"}, exitUsage, "--print-repos needs"},
	} {
		code, _, errs := runGit(t, append(tc.args, "--no-config")...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", tc.args, code, tc.code, tc.want, errs)
		}
	}
	if code, out, _ := runGit(t, "--help"); code != 0 || !strings.Contains(out, "--max-commits") {
		t.Errorf("--help: %d %s", code, out)
	}
}
