package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigCommand(t *testing.T) {
	repo := t.TempDir()
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(repo, ".keylint.toml"), `disable = ["jwt"]
max_file_size = 1048576

[[override]]
id = "github-classic-pat"
severity = "low"

[[allow]]
globs = ["**/fixtures/**"]
`)
	r := runCLI(t, "", "", "config", repo)
	if r.code != 0 {
		t.Fatalf("config: %d %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"# configuration files applied, in order:",
		".keylint.toml",
		`disable = ["jwt"]`,
		"max_file_size = 1048576",
		`id = "github-classic-pat"`,
		`severity = "low"`,
		`globs = ["**/fixtures/**"]`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("effective configuration lacks %q:\n%s", want, r.stdout)
		}
	}
	// The printed configuration is itself a valid configuration that gives
	// the same rules.
	out := filepath.Join(t.TempDir(), "effective.toml")
	write(t, out, r.stdout)
	r2 := runCLI(t, "", "", "config", "--config", out, repo)
	if r2.code != 0 || !strings.Contains(r2.stdout, `severity = "low"`) {
		t.Fatalf("effective configuration does not load back: %d %s", r2.code, r2.stderr)
	}
}

// TestGitleaksMigration: a repository with only a gitleaks configuration
// and a .gitleaksignore works as it did with gitleaks, with a notice.
func TestGitleaksMigration(t *testing.T) {
	repo := t.TempDir()
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(repo, ".gitleaks.toml"), `title = "ours"

[extend]
useDefault = true

[[rules]]
id = "acme-key"
description = "Acme key"
regex = '''acme_[a-z0-9]{16}'''
keywords = ["acme_"]

[allowlist]
paths = ['''(^|/)vendor/''']
`)
	tok, tok2 := ghToken(t), ghToken(t)
	write(t, filepath.Join(repo, "app.env"), "A=acme_q8w7e6r5t4y3u2i1\nG="+tok+"\n")
	write(t, filepath.Join(repo, "vendor", "x.env"), "G="+tok+"\n")
	write(t, filepath.Join(repo, "old.env"), "G="+tok2+"\n")
	// gitleaks' fingerprint for the old finding: file:rule-id:line.
	write(t, filepath.Join(repo, ".gitleaksignore"), "old.env:github-pat:1\n")

	r := runCLI(t, repo, "", "scan", "--format", "jsonl", ".")
	before := r.stdout
	if r.code != 1 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "using the gitleaks configuration") {
		t.Errorf("no notice about the gitleaks configuration:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, `"rule_id":"acme-key"`) || !strings.Contains(r.stdout, `"rule_id":"github-classic-pat"`) {
		t.Errorf("gitleaks rules plus defaults expected:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "vendor/") || strings.Contains(r.stdout, "old.env") {
		t.Errorf("gitleaks allowlist and .gitleaksignore must apply:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "gitleaksignore 1") {
		t.Errorf("the .gitleaksignore silencing must be counted:\n%s", r.stderr)
	}

	// keylint config convert writes the equivalent .keylint.toml.
	out := filepath.Join(repo, ".keylint.toml")
	r = runCLI(t, repo, "", "config", "convert", ".gitleaks.toml", "--output", out)
	if r.code != 0 {
		t.Fatalf("convert: %d %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), `id = "acme-key"`) {
		t.Fatalf("converted file:\n%s", data)
	}
	// With the converted .keylint.toml the scan finds the same.
	r2 := runCLI(t, repo, "", "scan", "--format", "jsonl", ".")
	if r2.stdout != before || strings.Count(before, "\n") != 2 {
		t.Errorf("before conversion:\n%s\nafter conversion:\n%s", before, r2.stdout)
	}
	if strings.Contains(r2.stderr, "using the gitleaks configuration") {
		t.Errorf("a .keylint.toml takes precedence over .gitleaks.toml")
	}
}
