package triage

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/keylint/keylint/rules/gitleaks"
	"github.com/keylint/keylint/scanner"
)

func TestGitleaksIgnore(t *testing.T) {
	t.Parallel()
	const commit = "6e6ee6596d337bb656496425fb98644eb62b4a82"
	const other = "0123456789abcdef0123456789abcdef01234567"
	// gitleaks' own format, as its README and .gitleaksignore show it, with
	// Windows line endings on some lines.
	file := "\ufeff# findings we have judged\r\n" +
		"\n" +
		"   # an indented comment\n" +
		commit + ":config/settings.py:generic-api-key:12\r\n" +
		"docs/setup.md:My_Custom Rule:3\n" +
		`src\win\config.ini:aws-access-token:7` + "\r\n" +
		"./tests/fixtures.env:github-pat:5\n" +
		"C:/work/app.env:stripe-access-token:9\n" +
		"not a fingerprint\n" +
		"file.txt:rule:notanumber\n" +
		"file.txt::4\n" +
		":rule:4\n" +
		"docs/setup.md:My_Custom Rule:3" // a duplicate, no final newline
	g, err := ParseGitleaksIgnore(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 5 {
		t.Errorf("Len() = %d, want 5", g.Len())
	}
	if len(g.Invalid) != 4 || !strings.HasPrefix(g.Invalid[0], "line 9: ") {
		t.Errorf("Invalid = %q", g.Invalid)
	}

	tests := []struct {
		name   string
		rule   string
		loc    scanner.Location
		ignore bool
	}{
		{"commit form, same commit", "generic-api-key", scanner.Location{Path: "config/settings.py", Line: 12, Commit: commit}, true},
		{"commit form, other commit", "generic-api-key", scanner.Location{Path: "config/settings.py", Line: 12, Commit: other}, false},
		{"commit form, no commit", "generic-api-key", scanner.Location{Path: "config/settings.py", Line: 12}, false},
		{"commit form, other line", "generic-api-key", scanner.Location{Path: "config/settings.py", Line: 13, Commit: commit}, false},
		{"commit form, other rule", "jwt", scanner.Location{Path: "config/settings.py", Line: 12, Commit: commit}, false},
		{"global form, file scan", "my-custom-rule", scanner.Location{Path: "docs/setup.md", Line: 3}, true},
		{"global form, any commit", "my-custom-rule", scanner.Location{Path: "docs/setup.md", Line: 3, Commit: other}, true},
		{"global form, gitleaks id as is", "My_Custom Rule", scanner.Location{Path: "docs/setup.md", Line: 3}, true},
		{"global form, other path", "my-custom-rule", scanner.Location{Path: "docs/other.md", Line: 3}, false},
		{"backslashes read as slashes", "aws-access-token", scanner.Location{Path: "src/win/config.ini", Line: 7}, true},
		{"gitleaks id mapped to keylint's", gitleaks.RuleID("github-pat"), scanner.Location{Path: "tests/fixtures.env", Line: 5}, true},
		{"leading ./ ignored", "github-pat", scanner.Location{Path: "./tests/fixtures.env", Line: 5}, true},
		{"drive letter stays in the path", gitleaks.RuleID("stripe-access-token"), scanner.Location{Path: "C:/work/app.env", Line: 9}, true},
	}
	for _, tt := range tests {
		if got := g.Ignores(tt.rule, tt.loc); got != tt.ignore {
			t.Errorf("%s: Ignores(%q, %+v) = %v, want %v", tt.name, tt.rule, tt.loc, got, tt.ignore)
		}
	}
}

func TestGitleaksIgnoreMapsOneToMany(t *testing.T) {
	t.Parallel()
	ids := gitleaks.RuleIDs("openai-api-key")
	g, err := ParseGitleaksIgnore(strings.NewReader("app/.env:openai-api-key:1\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if !g.Ignores(id, scanner.Location{Path: "app/.env", Line: 1}) {
			t.Errorf("%q not ignored (ids %q)", id, ids)
		}
	}
}

func TestGitleaksIgnoreEmptyAndNil(t *testing.T) {
	t.Parallel()
	var nilIgnore *GitleaksIgnore
	if nilIgnore.Ignores("x", scanner.Location{Path: "a", Line: 1}) || nilIgnore.Len() != 0 {
		t.Error("nil GitleaksIgnore ignores something")
	}
	g, err := ParseGitleaksIgnore(strings.NewReader(""))
	if err != nil || g.Len() != 0 || g.Ignores("x", scanner.Location{}) {
		t.Errorf("empty file: %v, %d entries", err, g.Len())
	}
	if _, err := ParseGitleaksIgnore(iotest.ErrReader(errors.New("disk on fire"))); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("read error: err = %v", err)
	}
}

func FuzzParseGitleaksIgnore(f *testing.F) {
	f.Add("a.txt:rule:1\n", "a.txt", 1, "", "rule")
	f.Add("6e6ee6596d337bb656496425fb98644eb62b4a82:b/c.go:github-pat:10\r\n# x\n", "b/c.go", 10, "6e6ee6596d337bb656496425fb98644eb62b4a82", "github-classic-pat")
	f.Add(":::\n::1\n\ufeff\\\\:x:99999999999999999999\n", `\`, 0, ":", "")
	f.Fuzz(func(t *testing.T, file, path string, line int, commit, rule string) {
		g, err := ParseGitleaksIgnore(strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		g.Ignores(rule, scanner.Location{Path: path, Line: line, Commit: commit})
		// Every fingerprint written back in the global form must match.
		if !strings.ContainsAny(path, "\r\n") && path != "" && rule != "" && !strings.ContainsAny(rule, ":\r\n\\") &&
			strings.TrimSpace(path) == path && !strings.HasPrefix(path, "#") && !strings.HasPrefix(path, "\ufeff") && line >= 0 && !strings.Contains(path, `\`) {
			fp := path + ":" + rule + ":" + itoa(line)
			g2, err := ParseGitleaksIgnore(strings.NewReader(fp))
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(rule) == rule && !g2.Ignores(rule, scanner.Location{Path: path, Line: line}) {
				t.Errorf("fingerprint %q does not ignore its own finding (invalid: %q)", fp, g2.Invalid)
			}
		}
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
