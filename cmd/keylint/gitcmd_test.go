package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/gitobj/gittest"
	"github.com/keylint/keylint/scanner"

	"github.com/keylint/keylint/internal/testsecret"
	"github.com/keylint/keylint/scanner/history"
)

// gitTestToken builds a checksum-valid GitHub token at run time.
func gitTestToken(t testing.TB) string { return testsecret.GitHubToken(t) }

func runGit(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }}
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

func TestParseGitDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 5, 10, 12, 0, 0, 0, time.Local)
	for _, tc := range []struct {
		in   string
		end  bool
		want time.Time
	}{
		{"2024-01-31", false, time.Date(2024, 1, 31, 0, 0, 0, 0, time.Local)},
		{"2024-01-31", true, time.Date(2024, 1, 31, 23, 59, 59, 999999999, time.Local)},
		{"2024-01-31T10:00:00Z", false, time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC)},
		{"2024-01-31 10:30", false, time.Date(2024, 1, 31, 10, 30, 0, 0, time.Local)},
		{"2 weeks ago", false, now.AddDate(0, 0, -14)},
		{"1 day ago", false, now.AddDate(0, 0, -1)},
		{"3 hours ago", false, now.Add(-3 * time.Hour)},
	} {
		got, err := parseGitDate(tc.in, now, tc.end)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: %v %v, want %v", tc.in, got, err, tc.want)
		}
	}
	if _, err := parseGitDate("tomorrow-ish", now, false); err == nil {
		t.Error("bad date accepted")
	}
}

func TestProgressLine(t *testing.T) {
	t.Parallel()
	var p history.Progress
	p.Phase.Store(history.PhaseBlobs)
	p.BlobsTotal.Store(100)
	p.Blobs.Store(25)
	p.Bytes.Store(3 << 20)
	p.Findings.Store(2)
	got := progressLine(&p, 20*time.Second, 10*time.Second)
	for _, want := range []string{"25/100 objects", "3.0 MiB", "2 findings", "20s", "about 30s left"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}
