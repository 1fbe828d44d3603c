package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/internal/version"
)

// TestCommandHelp: every command has its own help, through COMMAND --help,
// COMMAND -h and help COMMAND, with its synopsis, every flag, defaults and
// examples.
func TestCommandHelp(t *testing.T) {
	for _, tc := range []struct {
		cmd  string
		want []string
	}{
		{"scan", []string{"keylint scan [flags] [PATH...]", "-f, --format FORMAT", "-o, --output FILE", "-q, --quiet", "--fail-on-skipped", "(default text)", "(default 1)", "Examples:"}},
		{"baseline", []string{"keylint baseline [flags]", "--prune", ".keylint-baseline", "Examples:"}},
		{"git", []string{"keylint git [flags] [REPO]", "--branch NAME", "--range A..B", "--since DATE", "--max-commits N", "Examples:"}},
		{"staged", []string{"keylint staged [flags]", "--fail-on SEVERITY", "Examples:"}},
		{"hook", []string{"keylint hook install [--pre-push] [--force]", "--pre-push", "--force", "Examples:"}},
		{"ci", []string{"keylint ci [flags]", "--sarif FILE", "(default keylint.sarif)", "--repo DIR", "base commit", "Examples:"}},
		{"config", []string{"keylint config convert [flags] FILE", "--no-config", "Examples:"}},
		{"rules", []string{"keylint rules [list] [--format text|json]", "keylint rules test FILE", "Examples:"}},
		{"version", []string{"keylint version"}},
	} {
		for _, args := range [][]string{{tc.cmd, "--help"}, {tc.cmd, "-h"}, {"help", tc.cmd}} {
			r := runCLI(t, "", "", args...)
			if r.code != 0 {
				t.Errorf("%q: exit %d, stderr %s", args, r.code, r.stderr)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("%q: help lacks %q:\n%s", args, w, r.stdout)
				}
			}
		}
	}
	if r := runCLI(t, "", "", "rules", "help"); r.code != 0 || !strings.Contains(r.stdout, "keylint rules show ID") {
		t.Errorf("rules help: %d %s %s", r.code, r.stdout, r.stderr)
	}
}

// TestDidYouMean: a typo in a command, flag, subcommand or rule id names
// the closest one, and a flag is echoed as typed.
func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sacn", "."}, "did you mean `keylint scan`?"},
		{[]string{"help", "stagd"}, "did you mean `keylint staged`?"},
		{[]string{"scan", "--formt", "json", "."}, "unknown flag --formt (did you mean --format?)"},
		{[]string{"scan", "-formt", "json", "."}, "unknown flag -formt (did you mean --format?)"},
		{[]string{"scan", "--formt=json", "."}, "unknown flag --formt (did you mean --format?)"},
		{[]string{"git", "--brnch", "main"}, "did you mean --branch?"},
		{[]string{"scan", "--format"}, "flag --format needs a value"},
		{[]string{"scan", "--fail-on", "urgent", "."}, `--fail-on "urgent": invalid severity`},
		{[]string{"rules", "show", "github-pat", "--no-config"}, "github-classic-pat"},
		{[]string{"rules", "lsit"}, "did you mean `keylint rules list`?"},
		{[]string{"hook", "instal"}, "did you mean `keylint hook install`?"},
		{[]string{"rules", "show", "aws-acess-key", "--no-config"}, "aws-access-key-id"},
		{[]string{"config", "convrt", "x.toml"}, "did you mean `keylint config convert`?"},
		{[]string{"config", "does-not-exist"}, "does-not-exist does not exist"},
	} {
		r := runCLI(t, "", "", tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

// TestShortFlags: -q, -o and -f are --quiet, --output and --format.
func TestShortFlags(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "app.env"), "GITHUB_TOKEN="+ghToken(t)+"\n")
	out := filepath.Join(dir, "out.json")
	r := runCLI(t, dir, "", "scan", "-q", "-f", "json", "-o", out, "--no-config", "app.env")
	if r.code != 1 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var v any
	if err := json.Unmarshal([]byte(readFile(t, out)), &v); err != nil {
		t.Fatalf("-o -f json: %v", err)
	}
}

// TestRulesListFormat: rules list writes text or JSON, and refuses other
// formats instead of printing the table.
func TestRulesListFormat(t *testing.T) {
	r := runCLI(t, "", "", "rules", "list", "--format", "json", "--no-config")
	var list []console.RuleInfo
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list) < 800 {
		t.Fatalf("rules list --format json: %d, %d rules, %s", r.code, len(list), r.stderr)
	}
	if r := runCLI(t, "", "", "rules", "list", "-f", "sarif", "--no-config"); r.code != exitUsage {
		t.Errorf("rules list -f sarif: exit %d", r.code)
	}
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestBuildVersion: keylint version names the module version and the
// commit from the build info.
func TestBuildVersion(t *testing.T) {
	for _, tc := range []struct {
		name          string
		bi            *debug.BuildInfo
		ok            bool
		wantV, wantRv string
	}{
		{"no build info", nil, false, "dev", ""},
		{"go install @version", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, true, "v1.2.3", ""},
		{"go build in a clone", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-07T10:00:00Z"}, {Key: "vcs.modified", Value: "false"}}},
			true, "dev", "commit 0123456789ab, 2026-12-07T10:00:00Z"},
		{"dirty tree", &debug.BuildInfo{Main: debug.Module{Version: "v1.0.1-0.20261207100000-0123456789ab+dirty"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789ab"}, {Key: "vcs.modified", Value: "true"}}},
			true, "v1.0.1-0.20261207100000-0123456789ab+dirty", "commit 0123456789ab+dirty"},
	} {
		v, rev := version.FromBuildInfo(tc.bi, tc.ok)
		if v != tc.wantV || rev != tc.wantRv {
			t.Errorf("%s: got %q %q, want %q %q", tc.name, v, rev, tc.wantV, tc.wantRv)
		}
	}
	if r := runCLI(t, "", "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "keylint ") {
		t.Errorf("keylint version: %d %q", r.code, r.stdout)
	}
}

// TestCompactFormat: --format compact prints one line per location.
func TestCompactFormat(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "app.env"), "A=1\nGITHUB_TOKEN="+ghToken(t)+"\n")
	r := runCLI(t, dir, "", "scan", "-q", "-f", "compact", "--no-config", "app.env")
	if r.code != 1 || !strings.HasPrefix(r.stdout, "app.env:2:14: github-classic-pat critical ") || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("exit %d\n%q", r.code, r.stdout)
	}
}
