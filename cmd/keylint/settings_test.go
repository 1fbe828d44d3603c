package main

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/scanner"
)

// acmeRule is a custom low-severity rule whose own example sits in the
// configuration file that defines it.
const acmeRule = `
[[rules]]
id = "acme-key"
description = "Acme API key"
provider = "Acme"
severity = "low"
keywords = ["acme_"]
regex = '''\b(acme_[a-z0-9]{16})\b'''
secret_group = 1
remediation = "Revoke it in the Acme console."
matches = ["ACME_KEY = acme_q8w7e6r5t4y3u2i1"]
non_matches = ["ACME_KEY = acme_short"]
`

// TestConfigFailOn: fail_on in .keylint.toml decides which findings fail
// every command unless --fail-on is given; a custom rule does not report
// its own example in the file that defines it.
func TestConfigFailOn(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	write(t, filepath.Join(dir, ".keylint.toml"), "fail_on = \"high\"\n"+acmeRule)
	write(t, filepath.Join(dir, "app.env"), "ACME_KEY=acme_h3k9x2m7q4w8z1v6\n")
	gitIn(t, dir, "add", ".")
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"scan", []string{"scan", "."}, exitClean},
		{"scan --fail-on low", []string{"scan", "--fail-on", "low", "."}, exitFindings},
		{"staged", []string{"staged"}, exitClean},
		{"staged --fail-on low", []string{"staged", "--fail-on", "low"}, exitFindings},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, dir, "", tc.args...)
			if r.code != tc.want {
				t.Fatalf("exit %d, want %d\n%s\n%s", r.code, tc.want, r.stdout, r.stderr)
			}
			all := r.stdout + r.stderr
			if !strings.Contains(all, "app.env") {
				t.Errorf("the low finding must still be reported:\n%s", all)
			}
			if strings.Contains(all, ".keylint.toml:") {
				t.Errorf("the rule's own example in .keylint.toml is reported:\n%s", all)
			}
		})
	}
	gitIn(t, dir, "commit", "-q", "-m", "acme")
	if r := runCLI(t, dir, "", "git", "."); r.code != exitClean || strings.Contains(r.stdout, ".keylint.toml") {
		t.Errorf("git: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The pre-push hook: a new branch, every commit of it.
	push := newBranchPush(t, dir)
	if r := runCLI(t, dir, push, "hook", "run", "pre-push", "origin", "/x"); r.code != exitClean || !strings.Contains(r.stderr, "app.env") {
		t.Errorf("pre-push: exit %d, want 0 with the low finding reported\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, dir, push, "hook", "run", "pre-push", "--fail-on", "low", "origin", "/x"); r.code != exitFindings {
		t.Errorf("pre-push --fail-on low: exit %d, want 1\n%s", r.code, r.stderr)
	}
}

// newBranchPush is what git feeds a pre-push hook for pushing HEAD of dir
// as a new branch main.
func newBranchPush(t *testing.T, dir string) string {
	t.Helper()
	head, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return "refs/heads/main " + strings.TrimSpace(string(head)) + " refs/heads/main " + strings.Repeat("0", 40) + "\n"
}

// TestConfigBaseline: the baseline named in .keylint.toml is where keylint
// baseline writes, and every command applies it without --baseline.
func TestConfigBaseline(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	write(t, filepath.Join(dir, ".keylint.toml"), "baseline = \".keylint-baseline\"\n")
	write(t, filepath.Join(dir, "app.env"), "TOKEN="+ghToken(t)+"\n")
	gitIn(t, dir, "add", ".")

	r := runCLI(t, dir, "", "scan", ".")
	if r.code != exitFindings || !strings.Contains(r.stderr, "does not exist") {
		t.Fatalf("before the baseline exists: exit %d, want 1 and a warning\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, dir, "", "baseline"); r.code != exitClean || strings.Contains(r.stderr, "hint: add `baseline") {
		t.Fatalf("baseline: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".keylint-baseline")); err != nil {
		t.Fatalf("keylint baseline must write the configured file: %v", err)
	}
	for _, args := range [][]string{{"scan", "."}, {"scan", "app.env"}, {"staged"}} {
		if r := runCLI(t, dir, "", args...); r.code != exitClean {
			t.Errorf("%q with the configured baseline: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-q", "-m", "accepted")
	if r := runCLI(t, dir, "", "git"); r.code != exitClean {
		t.Errorf("git with the configured baseline: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, dir, newBranchPush(t, dir), "hook", "run", "pre-push", "origin", "/x"); r.code != exitClean {
		t.Errorf("pre-push with the configured baseline: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// --baseline and --no-config still decide.
	if r := runCLI(t, dir, "", "scan", "--no-config", "."); r.code != exitFindings {
		t.Errorf("--no-config: exit %d", r.code)
	}
	if r := runCLI(t, dir, "", "scan", "--baseline", "missing", "."); r.code != exitUsage && r.code != exitScanError {
		t.Errorf("--baseline missing: exit %d", r.code)
	}
}

// TestBaselineHintWithoutConfig: keylint baseline says how to make every
// command use the file it wrote.
func TestBaselineHintWithoutConfig(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "app.env"), "TOKEN="+ghToken(t)+"\n")
	r := runCLI(t, dir, "", "baseline")
	if r.code != exitClean || !strings.Contains(r.stderr, "baseline = \".keylint-baseline\"") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}

// TestCIConfigSettingsFromBase: in a pull request, baseline and fail_on
// come from the base commit's configuration: the base's apply, and a pull
// request that adds its own cannot silence itself.
func TestCIConfigSettingsFromBase(t *testing.T) {
	s := newPRSecrets(t)
	accept := baselineOf(t, map[string]string{"app.env": s.appEnv()})
	for _, tc := range []struct {
		name       string
		base, head map[string]string
		want       int
	}{
		{"base baseline applies",
			map[string]string{".keylint.toml": "baseline = \"keylint.baseline\"\n", "keylint.baseline": accept},
			map[string]string{"app.env": s.appEnv()}, exitClean},
		{"base fail_on applies",
			map[string]string{".keylint.toml": "fail_on = \"high\"\n" + acmeRule},
			map[string]string{"app.env": "ACME_KEY=acme_h3k9x2m7q4w8z1v6\n"}, exitClean},
		{"head baseline ignored",
			map[string]string{"README.md": "# shop\n"},
			map[string]string{".keylint.toml": "baseline = \"keylint.baseline\"\n", "keylint.baseline": accept, "app.env": s.appEnv()}, exitFindings},
		{"head fail_on ignored",
			map[string]string{".keylint.toml": "fail_on = \"low\"\n" + acmeRule},
			map[string]string{".keylint.toml": "fail_on = \"critical\"\n" + acmeRule, "app.env": "ACME_KEY=acme_h3k9x2m7q4w8z1v6\n"}, exitFindings},
		{"head changes base baseline name",
			map[string]string{".keylint.toml": "baseline = \"keylint.baseline\"\n", "keylint.baseline": "# empty\n"},
			map[string]string{".keylint.toml": "baseline = \"other.baseline\"\n", "other.baseline": accept, "app.env": s.appEnv()}, exitFindings},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newGitRepo(t)
			base := r.commit("base", tc.base)
			r.git("checkout", "-q", "-b", "feature")
			head := r.commit("change", tc.head)
			res := runEvent(t, r.dir, "", "pull_request", base, head)
			if res.code != tc.want {
				t.Fatalf("exit %d, want %d\n%s\n%s", res.code, tc.want, res.stdout, res.stderr)
			}
		})
	}
}

// TestConfigErrorLine: a configuration error names the line of the key at
// fault, not the start of its table.
func TestConfigErrorLine(t *testing.T) {
	head := "[[rules]]\nid = \"acme-key\"\ndescription = \"Acme\"\nkeywords = [\"acme_\"]\n"
	for _, tc := range []struct {
		name, body string
		want       string
	}{
		{"bad regex", head + "severity = \"high\"\nregex = '''(acme_[a-z'''\n", ":6: "},
		{"bad severity", head + "regex = '''acme_[a-z]{8}'''\nseverity = \"urgent\"\n", ":6: "},
		{"bad entropy", head + "regex = '''acme_[a-z]{8}'''\n\nentropy = 9.0\n", ":7: "},
		{"secret group", head + "regex = '''acme_[a-z]{8}'''\nsecret_group = 2\n", ":6: "},
		{"second rule", head + "regex = '''acme_[a-z]{8}'''\n\n[[rules]]\nid = \"b-key\"\nkeywords = [\"bk_\"]\nregex = '''bk_('''\n", ":10: "},
		{"fail_on", "max_file_size = 1000\nfail_on = \"urgent\"\n", ":2: "},
		{"unknown key", head + "regex = '''acme_[a-z]{8}'''\nentrpy = 3.0\n", ":6: "},
		{"only_paths regex", head + "regex = '''acme_[a-z]{8}'''\n\nonly_paths = ['''(x''']\n", ":7: "},
		{"only_paths on a path rule", head + "path = '''\\.env$'''\nonly_paths = ['''x''']\n", ":6: "},
		{"override id", "fail_on = \"low\"\n\n[[override]]\nseverity = \"low\"\nid = \"jwtt\"\n", ":5: "},
		{"override severity", "[[override]]\nid = \"jwt\"\n\nseverity = \"urgent\"\n", ":4: "},
		{"second allow path", "[[allow]]\npaths = ['''ok/''']\n\n[[allow]]\ndescription = \"x\"\npaths = ['''(x''']\n", ":6: "},
		{"allow regex", "[[allow]]\ndescription = \"x\"\nregexes = ['''(x''']\n", ":3: "},
		{"rule allow path", head + "regex = '''acme_[a-z]{8}'''\n\n[[rules.allow]]\ndescription = \"x\"\npaths = ['''(x''']\n", ":9: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, ".keylint.toml"), tc.body)
			r := runCLI(t, dir, "", "scan", ".")
			if r.code != exitUsage || !strings.Contains(r.stderr, ".keylint.toml"+tc.want) {
				t.Errorf("exit %d, want 2 and %q in\n%s", r.code, tc.want, r.stderr)
			}
		})
	}
}

// TestConfigShowsBuiltinAllowlists: keylint config, even without a
// configuration file, says which files the built-in rules skip, and shows
// baseline and fail_on.
func TestConfigShowsBuiltinAllowlists(t *testing.T) {
	dir := t.TempDir()
	r := runCLI(t, dir, "", "config")
	for _, w := range []string{"configuration files: none", "Built-in path allowlists", "allowlist-path", "yarn.lock", "generic-"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("keylint config lacks %q:\n%s", w, r.stdout)
		}
	}
	// What a user reads names no tracker issue of keylint's own.
	show := runCLI(t, dir, "", "rules", "show", "generic-password-assignment")
	if m := regexp.MustCompile(`issue [0-9]+`).FindString(r.stdout + show.stdout); m != "" {
		t.Errorf("keylint config or rules show mentions %q", m)
	}
	write(t, filepath.Join(dir, ".keylint.toml"), "baseline = \"b\"\nfail_on = \"high\"\n")
	r = runCLI(t, dir, "", "config")
	if r.code != 0 || !strings.Contains(r.stdout, "fail_on = ") || !strings.Contains(r.stdout, "baseline applied by every command") {
		t.Errorf("keylint config with baseline and fail_on: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPartialSilenceCounted: a location dropped by .gitleaksignore or as a
// rule's own example is counted as silenced, also when the finding keeps
// other locations and is still reported.
func TestPartialSilenceCounted(t *testing.T) {
	dir := t.TempDir()
	tok := ghToken(t)
	write(t, filepath.Join(dir, "a.env"), "G="+tok+"\n")
	write(t, filepath.Join(dir, "b.env"), "G="+tok+"\n")
	write(t, filepath.Join(dir, ".gitleaksignore"), "b.env:github-pat:1\n")
	r := runCLI(t, dir, "", "scan", "-f", "jsonl", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "a.env") || strings.Contains(r.stdout, "b.env") {
		t.Fatalf("exit %d, want a.env reported and b.env silenced\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "gitleaksignore 1") {
		t.Errorf("the silenced location is not counted:\n%s", r.stderr)
	}

	dir = t.TempDir()
	write(t, filepath.Join(dir, ".keylint.toml"), acmeRule)
	write(t, filepath.Join(dir, "app.env"), "ACME_KEY = acme_q8w7e6r5t4y3u2i1\n")
	r = runCLI(t, dir, "", "scan", "-f", "jsonl", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "app.env") || strings.Contains(r.stdout, ".keylint.toml") {
		t.Fatalf("exit %d, want app.env reported and the example silenced\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "rule-definition 1") {
		t.Errorf("the rule's own example is not counted:\n%s", r.stderr)
	}
}

// TestCSVRepository: keylint git's csv report names the repository on
// every row; keylint scan's leaves the column empty.
func TestCSVRepository(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	write(t, filepath.Join(dir, "app.env"), "TOKEN="+ghToken(t)+"\n")
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-q", "-m", "token")
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"git", "-f", "csv", "."}, abs},
		{[]string{"scan", "-f", "csv", "."}, ""},
	} {
		r := runCLI(t, dir, "", tc.args...)
		rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil || r.code != exitFindings || len(rows) != 2 {
			t.Errorf("%q: exit %d, %v, want 1 and two csv rows\n%s%s", tc.args, r.code, err, r.stdout, r.stderr)
			continue
		}
		col := slices.Index(rows[0], "repository")
		if col < 0 || rows[1][col] != tc.want || rows[1][col-1] != "true" {
			t.Errorf("%q: repository column %d of %q, want %q after in_head", tc.args, col, rows[1], tc.want)
		}
	}
}

// TestDefaultMaxFileSizeIsTheScanners: settings resolves the size limit
// to the scanner's own default, so an unset limit behaves as before.
func TestDefaultMaxFileSizeIsTheScanners(t *testing.T) {
	if settings.DefaultMaxFileSize != scanner.DefaultMaxFileSize {
		t.Fatalf("settings.DefaultMaxFileSize %d, scanner.DefaultMaxFileSize %d", settings.DefaultMaxFileSize, scanner.DefaultMaxFileSize)
	}
}
