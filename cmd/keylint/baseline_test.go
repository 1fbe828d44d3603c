package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestBaselineWorkflow(t *testing.T) {
	dir := t.TempDir()
	a, b := ghToken(t), ghToken(t)
	write(t, filepath.Join(dir, "app.env"), "A="+a+"\n")
	base := filepath.Join(t.TempDir(), "baseline")

	r := runCLI(t, "", "", "baseline", "--no-config", "--output", base, dir)
	if r.code != 0 {
		t.Fatalf("baseline: %d %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(base)
	if strings.Contains(string(data), a) || strings.Count(string(data), "github-classic-pat") != 1 {
		t.Fatalf("baseline content:\n%s", data)
	}

	// Move the secret to another line of the same file: still baselined.
	write(t, filepath.Join(dir, "app.env"), "# moved\n\n\nX=1\nA="+a+"\n")
	r = runCLI(t, "", "", "scan", "--no-config", "--baseline", base, dir)
	if r.code != 0 || !strings.Contains(r.stderr, "baseline 1") {
		t.Fatalf("moved secret must stay silenced: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	// A different secret on the same line: reported.
	write(t, filepath.Join(dir, "app.env"), "# moved\n\n\nX=1\nA="+a+" B="+b+"\n")
	r = runCLI(t, "", "", "scan", "--no-config", "--format", "jsonl", "--baseline", base, dir)
	if r.code != 1 || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("a new secret on a baselined line must be reported: %d\n%s", r.code, r.stdout)
	}

	// Remove the baselined secret: the entry is stale, and --prune drops it.
	write(t, filepath.Join(dir, "app.env"), "X=1\n")
	r = runCLI(t, "", "", "scan", "--no-config", "--baseline", base, dir)
	if r.code != 0 || !strings.Contains(r.stderr, "1 stale entry") || !strings.Contains(r.stderr, "--prune") {
		t.Fatalf("stale entry not listed: %d\n%s", r.code, r.stderr)
	}
	r = runCLI(t, "", "", "baseline", "--no-config", "--prune", "--output", base, dir)
	if r.code != 0 || !strings.Contains(r.stderr, "dropped 1 stale entry") {
		t.Fatalf("prune: %d %s", r.code, r.stderr)
	}
	data, _ = os.ReadFile(base)
	if strings.Contains(string(data), "github-classic-pat") {
		t.Fatalf("pruned baseline still has the entry:\n%s", data)
	}

	// A broken baseline is a clear error.
	write(t, base, "not a baseline\n")
	if r = runCLI(t, "", "", "scan", "--no-config", "--baseline", base, dir); r.code != 3 || !strings.Contains(r.stderr, "line 1") {
		t.Fatalf("broken baseline: %d %s", r.code, r.stderr)
	}
}

func TestFailOn(t *testing.T) {
	tok := ghToken(t)
	for _, tc := range []struct {
		failOn string
		code   int
	}{{"low", 1}, {"critical", 1}, {"", 1}} {
		args := []string{"scan", "--no-config", "-"}
		if tc.failOn != "" {
			args = append(args, "--fail-on", tc.failOn)
		}
		if r := runCLI(t, "", "t="+tok, args...); r.code != tc.code {
			t.Errorf("--fail-on %q: code %d, want %d", tc.failOn, r.code, tc.code)
		}
	}
	// A medium-severity rule below a high gate is reported but does not fail.
	cfg := filepath.Join(t.TempDir(), "c.toml")
	write(t, cfg, "[[override]]\nid = \"github-classic-pat\"\nseverity = \"medium\"\n")
	r := runCLI(t, "", "t="+tok, "scan", "--config", cfg, "--fail-on", "high", "--format", "jsonl", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "github-classic-pat") || !strings.Contains(r.stderr, "below-fail-on 1") {
		t.Fatalf("gate: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "", "", "scan", "--fail-on", "urgent", "-"); r.code != 2 {
		t.Fatalf("bad --fail-on: %d", r.code)
	}
}

// TestBaselineMergesCleanly: two branches that each add entries merge with
// the real git binary without conflict.
func TestBaselineMergesCleanly(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is required")
	}
	repo := t.TempDir()
	gitRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_NOSYSTEM=1", "HOME="+repo)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	scanInto := func() {
		t.Helper()
		if r := runCLI(t, "", "", "baseline", "--no-config", "--output", filepath.Join(repo, ".keylint-baseline"), filepath.Join(repo, "src")); r.code != 0 {
			t.Fatalf("baseline: %s", r.stderr)
		}
	}
	gitRun("init", "-q", "-b", "main")
	write(t, filepath.Join(repo, "src", "m.env"), "M="+ghToken(t)+"\n")
	scanInto()
	gitRun("add", ".")
	gitRun("commit", "-qm", "base")
	gitRun("checkout", "-qb", "one")
	write(t, filepath.Join(repo, "src", "a.env"), "A="+ghToken(t)+"\n")
	scanInto()
	gitRun("add", ".")
	gitRun("commit", "-qm", "one")
	gitRun("checkout", "-q", "main")
	gitRun("checkout", "-qb", "two")
	write(t, filepath.Join(repo, "src", "z.env"), "Z="+ghToken(t)+"\n")
	scanInto()
	gitRun("add", ".")
	gitRun("commit", "-qm", "two")
	gitRun("merge", "-q", "--no-edit", "one")
	data, _ := os.ReadFile(filepath.Join(repo, ".keylint-baseline"))
	if strings.Count(string(data), "github-classic-pat") != 3 || strings.Contains(string(data), "<<<<") {
		t.Fatalf("merged baseline:\n%s", data)
	}
}
