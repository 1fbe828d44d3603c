package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const acmeRule = `
[[rules]]
id = "acme-key"
description = "Acme key"
provider = "Acme"
keywords = ["acme_"]
regex = '''\b(acme_[a-z0-9]{16})\b'''
secret_group = 1
remediation = "Revoke it in the Acme console."
`

func TestLoad(t *testing.T) {
	t.Parallel()
	def, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	nDefault := len(def.Rules())
	for _, tc := range []struct {
		name    string
		files   map[string]string
		start   string // relative to the temp dir
		path    string
		off     bool
		nRules  int // -1: nDefault + 1
		errLike string
	}{
		{name: "none", files: map[string]string{".git/HEAD": ""}, start: ".", nRules: nDefault},
		{name: "found at root from subdirectory", files: map[string]string{".git/HEAD": "", FileName: acmeRule, "a/b/x.txt": ""}, start: "a/b", nRules: -1},
		{name: "not above the repository root", files: map[string]string{FileName: acmeRule, "repo/.git/HEAD": ""}, start: "repo", nRules: nDefault},
		{name: "no-config", files: map[string]string{FileName: acmeRule}, start: ".", off: true, nRules: nDefault},
		{name: "explicit", files: map[string]string{"my.toml": acmeRule}, start: ".", path: "my.toml", nRules: -1},
		{name: "extends", files: map[string]string{"base.toml": acmeRule, "my.toml": "extends = \"base.toml\"\n"}, start: ".", path: "my.toml", nRules: -1},
		{name: "extends without defaults", files: map[string]string{"base.toml": "defaults = false\n" + acmeRule, "my.toml": "extends = \"base.toml\"\n"}, start: ".", path: "my.toml", nRules: 1},
		{name: "extends cycle", files: map[string]string{"a.toml": "extends = \"b.toml\"\n", "b.toml": "extends = \"a.toml\"\n"}, start: ".", path: "a.toml", errLike: "extends cycle"},
		{name: "extends self", files: map[string]string{"a.toml": "extends = \"a.toml\"\n"}, start: ".", path: "a.toml", errLike: "extends cycle"},
		{name: "extends missing", files: map[string]string{"a.toml": "extends = \"nope.toml\"\n"}, start: ".", path: "a.toml", errLike: "cannot read configuration"},
		{name: "disable unknown", files: map[string]string{"a.toml": "disable = [\"acme-kee\"]\n" + acmeRule}, start: ".", path: "a.toml", errLike: `unknown rule id "acme-kee"`},
		{name: "syntax error", files: map[string]string{"a.toml": "disable = [\n"}, start: ".", path: "a.toml", errLike: "a.toml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range tc.files {
				write(t, filepath.Join(dir, name), content)
			}
			path := tc.path
			if path != "" {
				path = filepath.Join(dir, path)
			}
			l, err := Load(Options{Path: path, Disabled: tc.off, Start: filepath.Join(dir, tc.start)})
			if tc.errLike != "" {
				var ce *rules.ConfigError
				if err == nil || !strings.Contains(err.Error(), tc.errLike) || !errors.As(err, &ce) {
					t.Fatalf("err = %v, want a *rules.ConfigError containing %q", err, tc.errLike)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tc.nRules
			if want == -1 {
				want = nDefault + 1
			}
			if got := len(l.Ruleset.Rules()); got != want {
				t.Fatalf("%d rules, want %d", got, want)
			}
		})
	}
}
