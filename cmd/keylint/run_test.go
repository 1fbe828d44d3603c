package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/iostreams"
	"github.com/keylint/keylint/internal/testsecret"
)

// ghToken builds a checksum-valid GitHub token at run time, so that no file
// in the repository holds one.
func ghToken(t testing.TB) string { return testsecret.GitHubToken(t) }

type result struct {
	code           int
	stdout, stderr string
}

// testEnv is an in-process environment with in-memory streams (neither a
// terminal), the environment variables vars and stdin.
func testEnv(vars map[string]string, stdin string) (e *env, out, errb *iostreams.Buffer) {
	ios, in, out, errb := iostreams.Test(vars)
	in.WriteString(stdin)
	return &env{ctx: context.Background(), IOStreams: ios}, out, errb
}

// runCLI runs keylint in-process in dir ("" for the current directory).
func runCLI(t testing.TB, dir string, stdin string, args ...string) result {
	t.Helper()
	return runTerminal(t, dir, nil, false, false, stdin, args...)
}

// runTerminal is runCLI with the environment variables vars, and stdout,
// stderr or both passing for a terminal.
func runTerminal(t testing.TB, dir string, vars map[string]string, outTTY, errTTY bool, stdin string, args ...string) result {
	t.Helper()
	e, out, errb := testEnv(vars, stdin)
	out.Terminal, errb.Terminal = outTTY, errTTY
	if dir != "" {
		// Commands resolve relative paths against the working directory;
		// the test's own relative paths hold again after the call.
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		defer t.Chdir(wd)
	}
	code := e.main(args)
	return result{code, out.String(), errb.String()}
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScanExitCodes(t *testing.T) {
	tok := ghToken(t)
	dirty := t.TempDir()
	write(t, filepath.Join(dirty, "config.env"), "GITHUB_TOKEN="+tok+"\n")
	clean := t.TempDir()
	write(t, filepath.Join(clean, "main.go"), "package main\n")
	badConfig := t.TempDir()
	write(t, filepath.Join(badConfig, ".keylint.toml"), "disable = [\"no-such-rule\"]\n")
	write(t, filepath.Join(badConfig, ".git", "HEAD"), "ref: refs/heads/main\n")

	for _, tc := range []struct {
		name     string
		args     []string
		stdin    string
		code     int
		inStdout string
		inStderr string
	}{
		{"findings", []string{"scan", dirty}, "", 1, "github-classic-pat", "1 finding"},
		{"clean", []string{"scan", clean}, "", 0, "", "no findings"},
		{"exit-code", []string{"scan", "--exit-code", "42", dirty}, "", 42, "", ""},
		{"flags after paths", []string{"scan", dirty, "--format", "jsonl"}, "", 1, `"rule_id":"github-classic-pat"`, ""},
		{"stdin", []string{"scan", "-"}, "x = " + tok, 1, "stdin:1:5", ""},
		{"quiet", []string{"scan", "--quiet", clean}, "", 0, "", ""},
		{"unknown command", []string{"scna"}, "", 2, "", `keylint: error: unknown command "scna"`},
		{"unknown flag", []string{"scan", "--formt", "json"}, "", 2, "", "keylint: hint:"},
		{"bad format", []string{"scan", "--format", "xml", clean}, "", 2, "", `unknown format "xml"`},
		{"missing path", []string{"scan", filepath.Join(clean, "nope")}, "", 2, "", "does not exist"},
		{"bad jobs", []string{"scan", "--jobs", "0", clean}, "", 2, "", "--jobs must be at least 1"},
		{"bad size", []string{"scan", "--max-file-size", "ten", clean}, "", 2, "", "invalid size"},
		{"bad color", []string{"scan", "--color", "pink", clean}, "", 2, "", "--color"},
		{"bad config", []string{"scan", badConfig}, "", 2, "", `unknown rule id "no-such-rule"`},
		{"no-config", []string{"scan", "--no-config", badConfig}, "", 0, "", ""},
		{"version", []string{"version"}, "", 0, "keylint ", ""},
		{"no args", nil, "", 2, "", "Usage:"},
		{"help", []string{"help"}, "", 0, "Usage:", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", tc.stdin, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.inStdout) {
				t.Errorf("stdout %q does not contain %q", r.stdout, tc.inStdout)
			}
			if !strings.Contains(r.stderr, tc.inStderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tc.inStderr)
			}
			if strings.Contains(r.stdout+r.stderr, tok) {
				t.Errorf("output contains the whole secret without --show-secrets")
			}
			if tc.name == "quiet" && r.stderr != "" {
				t.Errorf("--quiet printed %q", r.stderr)
			}
		})
	}
}

func TestShowSecrets(t *testing.T) {
	tok := ghToken(t)
	r := runCLI(t, "", "x = "+tok, "scan", "--show-secrets", "--format", "json", "-")
	if r.code != 1 || !strings.Contains(r.stdout, tok) {
		t.Fatalf("--show-secrets must print the secret: code %d, %s", r.code, r.stdout)
	}
}

func TestOutputFileMode(t *testing.T) {
	tok := ghToken(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	// An existing, world-readable file is tightened too.
	write(t, out, "old")
	if err := os.Chmod(out, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "k="+tok, "scan", "--format", "json", "--output", out, "-")
	if r.code != 1 || r.stdout != "" {
		t.Fatalf("code %d stdout %q", r.code, r.stdout)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", fi.Mode().Perm())
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Summary  map[string]any   `json:"summary"`
	}
	data, _ := os.ReadFile(out)
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Findings) != 1 {
		t.Fatalf("report: %v %s", err, data)
	}
}

// TestJobsDeterministic: different worker counts, byte-identical reports.
func TestJobsDeterministic(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 60; i++ {
		write(t, filepath.Join(dir, "d"+string(rune('a'+i%6)), "f"+string(rune('a'+i%26))+string(rune('a'+i/26))+".env"),
			strings.Repeat("# filler\n", i%7)+"TOKEN="+ghToken(t)+"\n")
	}
	for _, format := range []string{"text", "json", "jsonl", "sarif", "csv"} {
		var first string
		for _, jobs := range []string{"1", "2", "7"} {
			r := runCLI(t, "", "", "scan", "--no-config", "--format", format, "--jobs", jobs, dir)
			if r.code != 1 {
				t.Fatalf("code %d: %s", r.code, r.stderr)
			}
			if first == "" {
				first = r.stdout
			} else if r.stdout != first {
				t.Fatalf("%s: --jobs %s output differs", format, jobs)
			}
		}
	}
}

func TestConfigFoundFromSubdirectory(t *testing.T) {
	tok := ghToken(t)
	repo := t.TempDir()
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(repo, ".keylint.toml"), "[[allow]]\npaths = ['''fixtures/''']\n")
	write(t, filepath.Join(repo, "sub", "fixtures", "a.env"), "T="+tok+"\n")
	write(t, filepath.Join(repo, "sub", "real.env"), "T="+tok+"\n")
	r := runCLI(t, filepath.Join(repo, "sub"), "", "scan", "--format", "jsonl", ".")
	if r.code != 1 || strings.Count(r.stdout, "\n") != 1 || strings.Contains(r.stdout, "fixtures") {
		t.Fatalf("config at the repository root must apply: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestConfigErrorNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.toml")
	write(t, cfg, "[[rules]]\nid = \"my-rule\"\nkeywords = [\"abc\"]\nregex = '''abc('''\n")
	r := runCLI(t, "", "", "scan", "--config", cfg, dir)
	if r.code != 2 || !strings.Contains(r.stderr, "bad.toml:4") || !strings.Contains(r.stderr, `rule "my-rule"`) || !strings.Contains(r.stderr, "invalid regex") {
		t.Fatalf("code %d stderr %q", r.code, r.stderr)
	}
	write(t, cfg, "[[rules]]\nid = \"my-rule\"\nkeywrds = [\"abc\"]\n")
	r = runCLI(t, "", "", "scan", "--config", cfg, dir)
	if r.code != 2 || !strings.Contains(r.stderr, "bad.toml:3") || !strings.Contains(r.stderr, `did you mean "keywords"`) {
		t.Fatalf("code %d stderr %q", r.code, r.stderr)
	}
}

func TestRulesCommand(t *testing.T) {
	r := runCLI(t, "", "", "rules", "--no-config")
	if r.code != 0 || !strings.Contains(r.stdout, "github-classic-pat") || !strings.Contains(r.stdout, "PROVIDER") {
		t.Fatalf("rules list: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", "", "rules", "show", "github-classic-pat", "--no-config")
	if r.code != 0 || !strings.Contains(r.stdout, `id = "github-classic-pat"`) {
		t.Fatalf("rules show: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", "", "rules", "show", "nope", "--no-config")
	if r.code != 2 {
		t.Fatalf("rules show nope: %d", r.code)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	write(t, good, `[[rules]]
id = "acme-key"
description = "Acme key"
provider = "Acme"
keywords = ["acme_"]
regex = '''\b(acme_[a-z0-9]{16})\b'''
secret_group = 1
remediation = "Revoke it in the Acme console."
matches = ["k = acme_q8w7e6r5t4y3u2i1"]
non_matches = ["k = acme_short"]
`)
	if r := runCLI(t, "", "", "rules", "test", good); r.code != 0 || !strings.Contains(r.stdout, "1 rule tested, 0 failures") {
		t.Fatalf("rules test good: %d %s", r.code, r.stdout)
	}
	bad := filepath.Join(dir, "bad.toml")
	data, _ := os.ReadFile(good)
	write(t, bad, strings.Replace(string(data), `non_matches = ["k = acme_short"]`, `non_matches = ["k = acme_a1b2c3d4e5f6g7h8"]`, 1))
	if r := runCLI(t, "", "", "rules", "test", bad); r.code != 1 || !strings.Contains(r.stdout, "FAIL") {
		t.Fatalf("rules test bad: %d %s", r.code, r.stdout)
	}
	// A built-in rule the file overrides is tested with the override: an
	// entropy no real JWT reaches makes its own examples fail.
	ovr := filepath.Join(dir, "override.toml")
	write(t, ovr, "[[override]]\nid = \"jwt\"\nseverity = \"low\"\n")
	if r := runCLI(t, "", "", "rules", "test", ovr); r.code != 0 || !strings.Contains(r.stdout, "1 rule tested, 0 failures") {
		t.Fatalf("rules test override: %d %s", r.code, r.stdout)
	}
	write(t, ovr, "[[override]]\nid = \"jwt\"\nentropy = 7.9\n")
	if r := runCLI(t, "", "", "rules", "test", ovr); r.code != 1 || !strings.Contains(r.stdout, "FAIL") || !strings.Contains(r.stdout, "jwt") {
		t.Fatalf("rules test override with entropy 7.9: %d %s", r.code, r.stdout)
	}
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), "x")
	if code := run(ctx, []string{"scan", dir}, strings.NewReader(""), &out, &errb); code != 130 {
		t.Fatalf("code %d, want 130; stderr %s", code, errb.String())
	}
}
