package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestSensitiveFiles: committing certain files is the leak, whatever their
// content; templates stay quiet, and binary key stores are still reported.
func TestSensitiveFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".env":                        "DEBUG=1\n",
		".env.production":             "X=1\n",
		".env.example":                "DB_PASSWORD=changeme\n",
		"infra/terraform.tfstate":     "{}\n",
		"keys/id_ed25519":             "not really a key\n",
		"keys/id_ed25519.pub":         "ssh-ed25519 AAAA\n",
		"signing/release.p12":         "\x30\x82\x00\x00binary",
		"web/.npmrc":                  "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
		"api/.npmrc":                  "_auth=dXNlcjpzM2NyM3Q=\n",
		"src/credentials.ts":          "export {}\n",
		"deploy/service-account.json": "{}\n",
	}
	for name, content := range files {
		write(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	r := runCLI(t, dir, "", "scan", "--no-config", "--format", "jsonl", ".")
	if r.code != 1 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var f struct {
			RuleID    string `json:"rule_id"`
			Secret    string `json:"secret"`
			Locations []struct {
				Path string `json:"path"`
			} `json:"locations"`
		}
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(f.RuleID, "sensitive-file-") {
			continue // content rules (the .npmrc credential itself) report separately
		}
		if f.Secret != f.Locations[0].Path {
			t.Errorf("a sensitive-file finding's secret is its path: %q vs %q", f.Secret, f.Locations[0].Path)
		}
		got = append(got, f.RuleID+" "+f.Locations[0].Path)
	}
	sort.Strings(got)
	want := []string{
		"sensitive-file-cloud-credentials deploy/service-account.json",
		"sensitive-file-dotenv .env",
		"sensitive-file-dotenv .env.production",
		"sensitive-file-npmrc-auth api/.npmrc",
		"sensitive-file-pkcs12 signing/release.p12",
		"sensitive-file-ssh-private-key keys/id_ed25519",
		"sensitive-file-terraform-state infra/terraform.tfstate",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(r.stdout, "dXNlcjpzM2NyM3Q=") {
		t.Error("the .npmrc credential leaked into the report")
	}
	// Disabled like any rule.
	cfg := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(cfg, []byte("disable = [\"sensitive-file-dotenv\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, dir, "", "scan", "--config", cfg, "--format", "jsonl", ".")
	if strings.Contains(r.stdout, "sensitive-file-dotenv") {
		t.Error("disable must turn a sensitive-file rule off")
	}
}
