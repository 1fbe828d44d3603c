package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// commitAllowRepo makes a repository whose commit "old" adds a GitHub
// token in old.env and whose next commit, "new", adds another in new.env;
// .keylint.toml (committed before both) holds cfg, with %OLD% replaced by
// the id of "old" as abbrev makes it. It returns the directory.
func commitAllowRepo(t *testing.T, cfg string, abbrev func(string) string) string {
	t.Helper()
	clearHookEnv(t)
	dir := stagedRepo(t)
	write(t, filepath.Join(dir, "old.env"), "G="+ghToken(t)+"\n")
	gitIn(t, dir, "add", "old.env")
	gitIn(t, dir, "commit", "-q", "-m", "old")
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	old := strings.TrimSpace(string(out))
	write(t, filepath.Join(dir, "new.env"), "G="+ghToken(t)+"\n")
	gitIn(t, dir, "add", "new.env")
	gitIn(t, dir, "commit", "-q", "-m", "new")
	write(t, filepath.Join(dir, ".keylint.toml"), strings.ReplaceAll(cfg, "%OLD%", abbrev(old)))
	return dir
}

// TestCommitAllowlists: an allowlist's commits silence, in history scans
// (keylint git, the pre-push hook), the locations that commit introduced,
// counted as allowlist silences; full and abbreviated ids in any case
// work, globally and per rule; a working-tree scan is not affected.
func TestCommitAllowlists(t *testing.T) {
	full := func(s string) string { return s }
	short := func(s string) string { return strings.ToUpper(s[:7]) }
	for _, tc := range []struct {
		name   string
		cfg    string
		abbrev func(string) string
		silent bool // old.env is silenced in history scans
	}{
		{"global full id", "[[allow]]\ndescription = \"audited\"\ncommits = [\"%OLD%\"]\n", full, true},
		{"global abbreviated upper case", "[[allow]]\ncommits = [\"%OLD%\"]\n", short, true},
		{"other commit", "[[allow]]\ncommits = [\"0123456789abcdef\"]\n", full, false},
		{"AND with matching path", "[[allow]]\ncondition = \"AND\"\ncommits = [\"%OLD%\"]\npaths = ['''^old\\.env$''']\n", full, true},
		{"AND with other path", "[[allow]]\ncondition = \"AND\"\ncommits = [\"%OLD%\"]\npaths = ['''^vendor/''']\n", full, false},
		{"OR with other path", "[[allow]]\ncommits = [\"%OLD%\"]\npaths = ['''^vendor/''']\n", full, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := commitAllowRepo(t, tc.cfg, tc.abbrev)
			r := runCLI(t, dir, "", "git", "-f", "jsonl", ".")
			if r.code != exitFindings || !strings.Contains(r.stdout, "new.env") {
				t.Fatalf("git: exit %d, want 1 with new.env\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := strings.Contains(r.stdout, "old.env"); got == tc.silent {
				t.Errorf("git: old.env reported = %v, want %v\n%s", got, !tc.silent, r.stdout)
			}
			if tc.silent && !strings.Contains(r.stderr, "allowlist 1") {
				t.Errorf("git: the silenced location is not counted:\n%s", r.stderr)
			}
			push := newBranchPush(t, dir)
			r = runCLI(t, dir, push, "hook", "run", "pre-push", "origin", "/x")
			if got := strings.Contains(r.stderr, "old.env"); got == tc.silent || r.code != exitFindings {
				t.Errorf("pre-push: exit %d, old.env reported = %v, want %v\n%s", r.code, got, !tc.silent, r.stderr)
			}
			// A working-tree scan has no commits: both files are reported.
			r = runCLI(t, dir, "", "scan", "-f", "jsonl", ".")
			if r.code != exitFindings || !strings.Contains(r.stdout, "old.env") || !strings.Contains(r.stdout, "new.env") {
				t.Errorf("scan: exit %d, want both files\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// TestCommitAllowlistPerRule: a rule's own allowlist commits silence only
// that rule's findings in those commits.
func TestCommitAllowlistPerRule(t *testing.T) {
	cfg := acmeRule + "\n[[rules.allow]]\ncommits = [\"%OLD%\"]\n"
	dir := commitAllowRepo(t, cfg, func(s string) string { return s[:12] })
	write(t, filepath.Join(dir, "acme.env"), "ACME_KEY=acme_h3k9x2m7q4w8z1v6\n")
	gitIn(t, dir, "add", "acme.env")
	gitIn(t, dir, "commit", "-q", "-m", "acme")
	r := runCLI(t, dir, "", "git", "-f", "jsonl", ".")
	for _, want := range []string{"old.env", "new.env", "acme.env"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("%s is not reported: the rule's allowlist must not silence other rules or commits\n%s%s", want, r.stdout, r.stderr)
		}
	}

	dir = commitAllowRepo(t, "", func(s string) string { return s })
	write(t, filepath.Join(dir, "acme.env"), "ACME_KEY=acme_h3k9x2m7q4w8z1v6\n")
	gitIn(t, dir, "add", "acme.env")
	gitIn(t, dir, "commit", "-q", "-m", "acme")
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, ".keylint.toml"), acmeRule+"\n[[rules.allow]]\ncommits = [\""+strings.TrimSpace(string(out))+"\"]\n")
	r = runCLI(t, dir, "", "git", "-f", "jsonl", ".")
	if strings.Contains(r.stdout, "acme.env") || !strings.Contains(r.stdout, "new.env") || !strings.Contains(r.stderr, "allowlist 1") {
		t.Errorf("the acme rule's commit allowlist: want acme.env silenced and counted, the rest reported\n%s%s", r.stdout, r.stderr)
	}
}

// TestCommitAllowlistErrors: an id that is not one, or commits combined
// with regexes under AND, is a configuration error naming the line.
func TestCommitAllowlistErrors(t *testing.T) {
	for _, tc := range []struct{ name, cfg, want string }{
		{"too short", "[[allow]]\ndescription = \"x\"\ncommits = [\"abc12\"]\n", ".keylint.toml:3: allowlist commit \"abc12\" is not a commit id"},
		{"not hex", "fail_on = \"low\"\n[[allow]]\ncommits = [\"main\"]\n", ".keylint.toml:3: allowlist commit \"main\""},
		{"rule allowlist", acmeRule + "\n[[rules.allow]]\ncommits = [\"zzzzzzzz\"]\n", "allowlist commit \"zzzzzzzz\""},
		{"AND with regexes", "[[allow]]\ncondition = \"AND\"\ncommits = [\"abcdef1\"]\nregexes = ['''x''']\n", "combine only with paths"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, ".keylint.toml"), tc.cfg)
			r := runCLI(t, dir, "", "scan", ".")
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want 2 and %q\n%s", r.code, tc.want, r.stderr)
			}
		})
	}
}

// TestOnlyPaths: a content rule with only_paths reports matches only in
// files whose path matches.
func TestOnlyPaths(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".keylint.toml"), strings.Replace(acmeRule, "secret_group = 1\n", "secret_group = 1\nonly_paths = ['''\\.env$''']\n", 1))
	write(t, filepath.Join(dir, "app.env"), "ACME_KEY=acme_h3k9x2m7q4w8z1v6\n")
	write(t, filepath.Join(dir, "app.go"), "const label = \"acme_h3k9x2m7q4w8z1v6\"\n") // a name no generic rule reads: only the acme rule could report it
	r := runCLI(t, dir, "", "scan", "-f", "jsonl", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "app.env") || strings.Contains(r.stdout, "app.go") {
		t.Errorf("exit %d, want app.env reported and app.go not\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, dir, "ACME_KEY=acme_h3k9x2m7q4w8z1v6\n", "scan", "-"); r.code != exitClean {
		t.Errorf("stdin has no path: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Its examples name a path on their first line.
	cfg := strings.Replace(acmeRule, "secret_group = 1\n", "secret_group = 1\nonly_paths = ['''\\.env$''']\n", 1)
	cfg = strings.Replace(cfg, `matches = ["ACME_KEY = acme_q8w7e6r5t4y3u2i1"]`, `matches = ["deploy/app.env\nACME_KEY = acme_q8w7e6r5t4y3u2i1"]`, 1)
	cfg = strings.Replace(cfg, `non_matches = ["ACME_KEY = acme_short"]`, `non_matches = ["ACME_KEY = acme_short", "app.go\nACME_KEY = acme_q8w7e6r5t4y3u2i1"]`, 1)
	write(t, filepath.Join(dir, "rules.toml"), cfg)
	if r := runCLI(t, dir, "", "rules", "test", "rules.toml"); r.code != exitClean || !strings.Contains(r.stdout, "1 rule tested, 0 failures") {
		t.Errorf("rules test: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHistoryOnlyNoteAfterTriage: the note on secrets that are only in the
// history counts the findings reported, not those an allowlist silenced.
func TestHistoryOnlyNoteAfterTriage(t *testing.T) {
	for _, tc := range []struct {
		name, cfg string
		note      bool
	}{
		{"silenced", "[[allow]]\ncommits = [\"%OLD%\"]\n", false},
		{"reported", "[[allow]]\ncommits = [\"0123456789abcdef\"]\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := commitAllowRepo(t, tc.cfg, func(s string) string { return s })
			gitIn(t, dir, "rm", "-q", "old.env")
			gitIn(t, dir, "commit", "-q", "-m", "drop old.env")
			r := runCLI(t, dir, "", "git", "-f", "jsonl", ".")
			if r.code != exitFindings {
				t.Fatalf("git: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := strings.Contains(r.stderr, "1 secret is only in the history"); got != tc.note {
				t.Errorf("history-only note shown = %v, want %v\n%s", got, tc.note, r.stderr)
			}
		})
	}
}
