package gitleaks

import (
	"bytes"
	"encoding/json"
	"errors"
	mrand "math/rand/v2"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

// glToken builds a fake credential at run time: a prefix and n random
// alphanumerics (deterministic per seed), so no secret-looking literal sits
// in this file.
func glToken(prefix string, n int, seed uint64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	r := mrand.New(mrand.NewPCG(seed, 0x91e1))
	b := []byte(prefix)
	for range n {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b)
}

// glParse converts a gitleaks config: the rule file and the notes on
// what was not converted.
func glParse(t *testing.T, config string) (*rules.File, []string) {
	t.Helper()
	f, notes, err := Parse(".gitleaks.toml", []byte(config))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f, notes
}

// builtIn returns keylint's built-in rules.
func builtIn(t *testing.T) *rules.Ruleset {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// needBuiltIn returns the built-in rule id, and skips the test when the
// built-in rules no longer have it.
func needBuiltIn(t *testing.T, id string) *rules.Rule {
	t.Helper()
	r := builtIn(t).Rule(id)
	if r == nil {
		t.Skipf("built-in rule %s is gone", id)
	}
	return r
}

// glRuleset parses a gitleaks config and builds the rule set keylint would
// run: the built-in rules first unless the file says defaults = false.
func glRuleset(t *testing.T, config string) (*rules.File, []string, *rules.Ruleset) {
	t.Helper()
	f, notes := glParse(t, config)
	rs := &rules.Ruleset{}
	if f.Defaults == nil || *f.Defaults {
		rs = builtIn(t)
	}
	if err := rs.Apply(f); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return f, notes, rs
}

// glFind returns "rule-id=secret" for every match in content at path.
func glFind(rs *rules.Ruleset, path, content string) []string {
	var out []string
	for _, m := range rules.NewMatcher(rs).FindPath(path, []byte(content), nil) {
		out = append(out, m.Rule.ID+"="+m.Secret)
	}
	return out
}

func ruleByID(f *rules.File, id string) *rules.Rule {
	for _, r := range f.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// hasNote reports whether a note starts with field+":" and mentions want.
func hasNote(notes []string, field, want string) bool {
	for _, n := range notes {
		if strings.HasPrefix(n, field+": ") && strings.Contains(n, want) {
			return true
		}
	}
	return false
}

func TestGitleaksRuleConversion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		config string
		check  func(t *testing.T, f *rules.File, notes []string)
	}{
		{
			name: "fields",
			config: `
title = "acme"
[[rules]]
id = "acme-api-token"
description = "ACME API token"
regex = '''(?i)acme[_-]token\s*=\s*['"]?(acme_[a-z0-9]{32})'''
secretGroup = 1
entropy = 3.5
keywords = ["acme_token", "acme-token"]
tags = ["ACME", "api"]
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				r := ruleByID(f, "acme-api-token")
				if r == nil {
					t.Fatalf("rule missing; notes %q", notes)
				}
				if r.Description != "ACME API token" || r.Provider != "ACME" || r.Severity != rules.High ||
					r.SecretGroup != 1 || r.Entropy != 3.5 || r.Remediation != Remediation ||
					!slices.Equal(r.Keywords, []string{"acme_token", "acme-token"}) {
					t.Errorf("rule = %+v", *r)
				}
				if len(notes) != 0 {
					t.Errorf("notes = %q, want none", notes)
				}
				if f.Defaults == nil || *f.Defaults {
					t.Errorf("Defaults = %v, want false without [extend] useDefault", f.Defaults)
				}
			},
		},
		{
			name: "keywords derived from the regex",
			config: `
[[rules]]
id = "widget-key"
regex = '''\b((?:WIDGET|GADGET)_[A-Z0-9]{24})\b'''
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				r := ruleByID(f, "widget-key")
				if r == nil {
					t.Fatalf("rule missing; notes %q", notes)
				}
				if want := []string{"gadget_", "widget_"}; !slices.Equal(r.Keywords, want) {
					t.Errorf("keywords = %q, want %q", r.Keywords, want)
				}
				if r.Provider != "Custom" || r.Description != "widget-key" || r.SecretGroup != 1 {
					t.Errorf("rule = %+v", *r)
				}
			},
		},
		{
			name: "a too short keyword is replaced by derived ones",
			config: `
[[rules]]
id = "short"
regex = '''zq9_[a-f0-9]{40}'''
keywords = ["z"]
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				if r := ruleByID(f, "short"); r == nil || !slices.Equal(r.Keywords, []string{"zq9_"}) {
					t.Errorf("rule = %+v", r)
				}
				if !hasNote(notes, "rules[0].keywords", `"z" is shorter than 2 bytes`) {
					t.Errorf("notes = %q", notes)
				}
			},
		},
		{
			name: "no keyword and no literal: reported, not converted",
			config: `
[[rules]]
id = "hex40"
regex = '''\b[a-f0-9]{40}\b'''
[[rules]]
id = "kept"
regex = '''kept_[a-z]{20}'''
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				if ruleByID(f, "hex40") != nil {
					t.Error("hex40 converted")
				}
				if ruleByID(f, "kept") == nil {
					t.Error("kept missing")
				}
				if !hasNote(notes, "rules[0].keywords", "not converted") {
					t.Errorf("notes = %q", notes)
				}
			},
		},
		{
			name: "path-only rule converts, path with regex limits the rule",
			config: `
[[rules]]
id = "pkcs12-file"
description = "PKCS #12 file"
path = '''(?i)\.p(?:12|fx)$'''
[[rules]]
id = "tf-password"
regex = '''password\s*=\s*"([a-z0-9]{8,20})"'''
path = '''\.tf$'''
keywords = ["password"]
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				if r := ruleByID(f, "pkcs12-file"); r == nil || r.Path != `(?i)\.p(?:12|fx)$` || r.Regex != "" || r.Keywords != nil {
					t.Errorf("path rule = %+v", r)
				}
				if r := ruleByID(f, "tf-password"); r == nil || r.Path != "" || !slices.Equal(r.OnlyPaths, []string{`\.tf$`}) {
					t.Errorf("tf-password = %+v", r)
				}
				if len(notes) != 0 {
					t.Errorf("notes = %q", notes)
				}
			},
		},
		{
			name: "secretGroup unset",
			config: `
[[rules]]
id = "one-group"
regex = '''tok=(tk_[a-z0-9]{20})'''
keywords = ["tok="]
[[rules]]
id = "alternate-groups"
regex = '''lbl_key=([a-z0-9]{24})|\b(LBL9[A-Z0-9]{30})'''
keywords = ["lbl_key", "lbl9"]
[[rules]]
id = "no-group"
regex = '''nog_[a-z0-9]{20}'''
keywords = ["nog_"]
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				for id, want := range map[string]int{"one-group": 1, "alternate-groups": 0, "no-group": 0} {
					if r := ruleByID(f, id); r == nil || r.SecretGroup != want {
						t.Errorf("%s: rule %+v, want secret group %d", id, r, want)
					}
				}
				if !hasNote(notes, "rules[1].secretGroup", "whole match") || len(notes) != 1 {
					t.Errorf("notes = %q", notes)
				}
			},
		},
		{
			name: "ids, duplicates, composite rules",
			config: `
[[rules]]
id = "My_Rule"
regex = '''myr_[a-z]{20}'''
[[rules]]
id = "dup"
regex = '''first_[a-z]{20}'''
[[rules]]
id = "dup"
regex = '''second_[a-z]{20}'''
[[rules]]
id = "helper"
regex = '''helper_[a-z]{20}'''
skipReport = true
[[rules]]
id = "primary"
regex = '''primary_[a-z]{20}'''
[[rules.required]]
id = "helper"
withinLines = 3
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				if ruleByID(f, "my-rule") == nil || ruleByID(f, "primary") == nil || ruleByID(f, "helper") != nil {
					t.Errorf("rules = %v", ruleIDs(f))
				}
				if r := ruleByID(f, "dup"); r == nil || !strings.HasPrefix(r.Regex, "second_") || len(f.Rules) != 3 {
					t.Errorf("dup = %+v, rules %v", r, ruleIDs(f))
				}
				for _, field := range []string{"rules[0].id", "rules[2].id", "rules[3].skipReport", "rules[4].required"} {
					if !hasNote(notes, field, "") {
						t.Errorf("no note for %s in %q", field, notes)
					}
				}
			},
		},
		{
			name: "unknown keys are reported by name",
			config: `
tittle = "typo"
[extend]
usedefault = true
foo = 1
[[rules]]
id = "a-rule"
regex = '''arule_[a-z]{20}'''
secretgroup = 0
entropie = 3
[[rules.allowlists]]
paths = ['''x''']
colour = "red"
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				for _, field := range []string{"tittle", "extend.foo", "rules[0].entropie", "rules[0].allowlists[0].colour"} {
					if !hasNote(notes, field, "not a gitleaks setting") {
						t.Errorf("no note for %s in %q", field, notes)
					}
				}
				if len(notes) != 4 {
					t.Errorf("notes = %q", notes)
				}
				if f.Defaults != nil {
					t.Errorf("usedefault (any case) not honoured: Defaults = %v", *f.Defaults)
				}
			},
		},
		{
			name: "minVersion is a gitleaks setting keylint does not use",
			config: `
minVersion = "v8.25.0"
[[rules]]
id = "a-rule"
regex = '''arule_[a-z]{20}'''
`,
			check: func(t *testing.T, f *rules.File, notes []string) {
				if hasNote(notes, "minVersion", "not a gitleaks setting") || !hasNote(notes, "minVersion", "keylint does not check it") {
					t.Errorf("notes = %q", notes)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, notes := glParse(t, tt.config)
			tt.check(t, f, notes)
		})
	}
}

func ruleIDs(f *rules.File) []string {
	var ids []string
	for _, r := range f.Rules {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestGitleaksUseDefault(t *testing.T) {
	t.Parallel()
	needBuiltIn(t, "github-classic-pat")
	ghp := "ghp_" + glToken("", 30, 7)
	ghp += rules.Base62CRC32(ghp[4:])
	custom := glToken("cst_", 24, 8)

	t.Run("without useDefault only the file's rules run", func(t *testing.T) {
		t.Parallel()
		f, _, rs := glRuleset(t, `
[[rules]]
id = "custom"
regex = '''cst_[A-Za-z0-9]{24}'''
keywords = ["cst_"]
`)
		if f.Defaults == nil || *f.Defaults {
			t.Fatalf("Defaults = %v, want false", f.Defaults)
		}
		got := glFind(rs, "a.txt", "x = "+ghp+"\ny = "+custom+"\n")
		if want := []string{"custom=" + custom}; !slices.Equal(got, want) {
			t.Errorf("found %q, want %q", got, want)
		}
	})

	t.Run("useDefault keeps the built-in rules", func(t *testing.T) {
		t.Parallel()
		f, notes, rs := glRuleset(t, `
[extend]
useDefault = true

[[rules]]
id = "custom"
regex = '''cst_[A-Za-z0-9]{24}'''
keywords = ["cst_"]
`)
		if f.Defaults != nil || len(notes) != 0 {
			t.Fatalf("Defaults = %v, notes %q", f.Defaults, notes)
		}
		got := glFind(rs, "a.txt", "x = "+ghp+"\ny = "+custom+"\n")
		if want := []string{"github-classic-pat=" + ghp, "custom=" + custom}; !slices.Equal(got, want) {
			t.Errorf("found %q, want %q", got, want)
		}
	})

	t.Run("disabledRules map to keylint ids", func(t *testing.T) {
		t.Parallel()
		f, notes, rs := glRuleset(t, `
[extend]
useDefault = true
disabledRules = ["github-pat", "adafruit-api-key"]
`)
		if !slices.Contains(f.Disable, "github-classic-pat") {
			t.Errorf("Disable = %q", f.Disable)
		}
		if !hasNote(notes, "extend.disabledRules[1]", `"adafruit-api-key"`) || len(notes) != 1 {
			t.Errorf("notes = %q", notes)
		}
		if got := glFind(rs, "a.txt", "x = "+ghp+"\n"); len(got) != 0 {
			t.Errorf("disabled rule still found %q", got)
		}
	})

	t.Run("a rule with a default id extends keylint's rule", func(t *testing.T) {
		t.Parallel()
		f, notes, rs := glRuleset(t, `
[extend]
useDefault = true

[[rules]]
id = "github-pat"
description = "GitHub token (ours)"
    [[rules.allowlists]]
    paths = ['''^fixtures/''']
`)
		r := ruleByID(f, "github-classic-pat")
		if r == nil || len(notes) != 0 {
			t.Fatalf("rules %v, notes %q", ruleIDs(f), notes)
		}
		base := needBuiltIn(t, "github-classic-pat")
		if r.Regex != base.Regex || r.Description != "GitHub token (ours)" || r.Remediation != base.Remediation ||
			len(r.Allow) != len(base.Allow)+1 || r.Matches != nil || r.NonMatches != nil {
			t.Errorf("rule = %+v", *r)
		}
		if got := glFind(rs, "fixtures/a.txt", ghp); len(got) != 0 {
			t.Errorf("allowlisted path still found %q", got)
		}
		if got := glFind(rs, "src/a.txt", ghp); len(got) != 1 {
			t.Errorf("found %q, want the token", got)
		}
	})
}

func TestGitleaksReplaceBuiltInRegex(t *testing.T) {
	t.Parallel()
	base := needBuiltIn(t, "github-classic-pat")
	// A GitHub Enterprise instance with its own token prefix.
	f, notes, rs := glRuleset(t, `
[extend]
useDefault = true
[[rules]]
id = "github-pat"
regex = '''\b(ghe_[A-Za-z0-9]{36})\b'''
entropy = 3
`)
	r := ruleByID(f, "github-classic-pat")
	if r == nil || len(notes) != 0 || len(f.Rules) != 1 {
		t.Fatalf("rules %v, notes %q", ruleIDs(f), notes)
	}
	if r.Check != "" || r.SecretGroup != 1 || r.Entropy != 3 || !slices.Equal(r.Keywords, []string{"ghe_"}) ||
		r.Provider != base.Provider || r.Remediation != base.Remediation {
		t.Errorf("rule = %+v", *r)
	}
	tok := glToken("ghe_", 36, 41)
	if got := glFind(rs, "a.env", "GH="+tok+"\n"); !slices.Equal(got, []string{"github-classic-pat=" + tok}) {
		t.Errorf("found %q", got)
	}
}

func TestGitleaksAllowlists(t *testing.T) {
	t.Parallel()
	const rule = `
[[rules]]
id = "acme"
regex = '''acme_key\s*=\s*"(acme_[A-Za-z0-9]{24})"'''
keywords = ["acme_"]
`
	const other = `
[[rules]]
id = "beta"
regex = '''beta_key\s*=\s*"(beta_[A-Za-z0-9]{24})"'''
keywords = ["beta_"]
`
	acme := glToken("acme_", 24, 1)
	beta := glToken("beta_", 24, 2)
	acmeLine := `acme_key = "` + acme + `"`
	betaLine := `beta_key = "` + beta + `"`
	stop := "acme_" + glToken("", 10, 3) + "Fixture" + glToken("", 7, 4)
	stopLine := `acme_key = "` + stop + `"`

	type probe struct {
		path, content string
		found         bool
	}
	tests := []struct {
		name   string
		config string
		probes []probe
		note   string // a field expected among the notes
	}{
		{
			name: "condition AND needs every criterion",
			config: rule + `
[[rules.allowlists]]
condition = "AND"
paths = ['''^testdata/''']
regexes = ['''^acme_''']
`,
			probes: []probe{{"testdata/a.env", acmeLine, false}, {"src/a.env", acmeLine, true}},
		},
		{
			name: "condition OR needs one criterion",
			config: rule + `
[[rules.allowlists]]
paths = ['''^testdata/''']
regexes = ['''^nomatch$''']
`,
			probes: []probe{{"testdata/a.env", acmeLine, false}, {"src/a.env", acmeLine, true}},
		},
		{
			name: "stopwords match the secret ignoring case",
			config: rule + `
[rules.allowlist]
stopwords = ["fixture"]
`,
			probes: []probe{{"a.env", stopLine, false}, {"a.env", acmeLine, true}},
		},
		{
			name: "regexTarget secret (default) does not see the key name",
			config: rule + `
[[rules.allowlists]]
regexes = ['''acme_key''']
`,
			probes: []probe{{"a.env", acmeLine, true}},
		},
		{
			name: "regexTarget match",
			config: rule + `
[[rules.allowlists]]
regexTarget = "match"
regexes = ['''^acme_key\s*=''']
`,
			probes: []probe{{"a.env", acmeLine, false}},
		},
		{
			name: "regexTarget line",
			config: rule + `
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''#\s*test value''']
`,
			probes: []probe{{"a.env", acmeLine + " # test value", false}, {"a.env", acmeLine, true}},
		},
		{
			name: "global [allowlist] applies to every rule",
			config: rule + other + `
[allowlist]
description = "vendored"
paths = ['''(^|/)vendor/''']
`,
			probes: []probe{{"vendor/a.env", acmeLine, false}, {"vendor/a.env", betaLine, false}, {"a.env", betaLine, true}},
		},
		{
			name: "[[allowlists]] with targetRules applies to its targets only",
			config: rule + other + `
[[allowlists]]
targetRules = ["acme"]
paths = ['''^testdata/''']

[[allowlists]]
regexes = ['''^nothing$''']
`,
			probes: []probe{{"testdata/a.env", acmeLine, false}, {"testdata/b.env", betaLine, true}},
		},
		{
			name: "commits with OR are kept, the rest applies while matching",
			config: rule + `
[[rules.allowlists]]
commits = ["0123456789abcdef0123456789abcdef01234567"]
paths = ['''^testdata/''']
`,
			probes: []probe{{"testdata/a.env", acmeLine, false}, {"src/a.env", acmeLine, true}},
		},
		{
			name: "commits with AND and paths: nothing silenced without a commit",
			config: rule + `
[[rules.allowlists]]
condition = "&&"
commits = ["0123456789abcdef0123456789abcdef01234567"]
paths = ['''^testdata/''']
`,
			probes: []probe{{"testdata/a.env", acmeLine, true}},
		},
		{
			name: "commits with AND and regexes: not converted",
			config: rule + `
[[rules.allowlists]]
condition = "AND"
commits = ["0123456789abcdef0123456789abcdef01234567"]
regexes = ['''acme''']
`,
			probes: []probe{{"a.env", acmeLine, true}},
			note:   "rules[0].allowlists[0].commits",
		},
		{
			name: "global commits only: kept, nothing silenced without a commit",
			config: rule + `
[allowlist]
commits = ["0123456789abcdef0123456789abcdef01234567"]
`,
			probes: []probe{{"a.env", acmeLine, true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, notes, rs := glRuleset(t, tt.config)
			for _, p := range tt.probes {
				got := glFind(rs, p.path, p.content)
				if (len(got) > 0) != p.found {
					t.Errorf("%s %q: found %q, want found=%v", p.path, p.content, got, p.found)
				}
			}
			if tt.note == "" && len(notes) > 0 || tt.note != "" && !hasNote(notes, tt.note, "") {
				t.Errorf("notes = %q, want a note for %q", notes, tt.note)
			}
		})
	}
}

func TestGitleaksEntropyAndSecretGroup(t *testing.T) {
	t.Parallel()
	_, _, rs := glRuleset(t, `
[[rules]]
id = "pair"
regex = '''pair\s+([a-z]+)\s+(pk_[A-Za-z0-9]{20})'''
secretGroup = 2
entropy = 3.0
keywords = ["pair"]
`)
	high := glToken("pk_", 20, 11)
	low := "pk_" + strings.Repeat("ab", 10)
	if got := glFind(rs, "a", "pair name "+high); !slices.Equal(got, []string{"pair=" + high}) {
		t.Errorf("found %q, want the second group", got)
	}
	if got := glFind(rs, "a", "pair name "+low); len(got) != 0 {
		t.Errorf("low-entropy secret found: %q", got)
	}
}

func TestGitleaksLongMatches(t *testing.T) {
	t.Parallel()
	f, _, rs := glRuleset(t, `
[[rules]]
id = "acme-private-key"
regex = '''-----BEGIN ACME PRIVATE KEY-----[\s\S]{64,}?-----END ACME PRIVATE KEY-----'''
keywords = ["-----begin acme"]
[[rules]]
id = "short"
regex = '''\bshort_[a-z]{20}\b'''
`)
	if r := ruleByID(f, "acme-private-key"); r == nil || r.Window != rules.MaxWindow {
		t.Fatalf("rule = %+v, want the largest window", r)
	}
	if r := ruleByID(f, "short"); r == nil || r.Window != 0 {
		t.Fatalf("rule = %+v, want the default window", r)
	}
	var body strings.Builder
	for i := range 20 {
		body.WriteString(glToken("", 64, uint64(100+i)) + "\n")
	}
	key := "-----BEGIN ACME PRIVATE KEY-----\n" + body.String() + "-----END ACME PRIVATE KEY-----"
	got := glFind(rs, "id_acme", "# a key\n"+key+"\n")
	if len(got) != 1 || got[0] != "acme-private-key="+key {
		t.Errorf("found %d matches, want the whole %d-byte key", len(got), len(key))
	}
}

func TestGitleaksPathRule(t *testing.T) {
	t.Parallel()
	_, notes, rs := glRuleset(t, `
[[rules]]
id = "acme-keystore"
description = "ACME keystore file"
path = '''(?i)\.acmeks$'''
tags = ["ACME"]
[[rules.allowlists]]
paths = ['''^testdata/''']
`)
	if len(notes) != 0 {
		t.Errorf("notes = %q", notes)
	}
	if got := glFind(rs, "deploy/prod.ACMEKS", "\x00binary"); !slices.Equal(got, []string{"acme-keystore=deploy/prod.ACMEKS"}) {
		t.Errorf("found %q, want the file", got)
	}
	if got := glFind(rs, "testdata/fake.acmeks", "x"); len(got) != 0 {
		t.Errorf("allowlisted file found: %q", got)
	}

	if builtIn(t).Rule("sensitive-file-pkcs12") == nil {
		return
	}
	f, notes, _ := glRuleset(t, "[extend]\nuseDefault = true\ndisabledRules = [\"pkcs12-file\"]\n")
	if !slices.Equal(f.Disable, []string{"sensitive-file-pkcs12"}) || len(notes) != 0 {
		t.Errorf("Disable = %q, notes %q", f.Disable, notes)
	}
}

func TestGitleaksKeywordOutsideRegex(t *testing.T) {
	t.Parallel()
	// As gitleaks' facebook-access-token: the keyword only says the file
	// is worth scanning, the match itself never holds it.
	f, _, rs := glRuleset(t, `
[[rules]]
id = "acmebook-token"
regex = '''\b(\d{15}\|[a-z0-9]{30})\b'''
keywords = ["acmebook"]
`)
	if r := ruleByID(f, "acmebook-token"); r == nil || r.Window != rules.MaxWindow {
		t.Fatalf("rule = %+v, want the largest window", r)
	}
	tok := "730918264501937|" + strings.ToLower(glToken("", 30, 31))
	content := "# acmebook settings\n" + strings.Repeat("filler line\n", 200) + "token: " + tok + "\n"
	if got := glFind(rs, "a.yml", content); !slices.Equal(got, []string{"acmebook-token=" + tok}) {
		t.Errorf("found %q, want the token far from its keyword", got)
	}
}

func TestGitleaksTargetRulesOnBuiltIn(t *testing.T) {
	t.Parallel()
	needBuiltIn(t, "github-classic-pat")
	ghp := "ghp_" + glToken("", 30, 21)
	ghp += rules.Base62CRC32(ghp[4:])
	f, notes, rs := glRuleset(t, `
[extend]
useDefault = true
[[allowlists]]
description = "docs show tokens"
targetRules = ["github-pat", "no-such-rule"]
paths = ['''^docs/''']
`)
	if len(f.Rules) != 1 || f.Rules[0].ID != "github-classic-pat" || len(f.Allow) != 0 {
		t.Errorf("rules %v, global allowlists %d", ruleIDs(f), len(f.Allow))
	}
	if !hasNote(notes, "allowlists[0].targetRules", `"no-such-rule"`) || len(notes) != 1 {
		t.Errorf("notes = %q", notes)
	}
	if got := glFind(rs, "docs/a.md", ghp); len(got) != 0 {
		t.Errorf("targeted path still found %q", got)
	}
	if got := glFind(rs, "src/a.go", ghp); len(got) != 1 {
		t.Errorf("found %q, want the token", got)
	}
}

func TestGitleaksErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, config string
		line         int
		want         string
	}{
		{"not toml", "[[rules]]\nid = \n", 2, ""},
		{"bad regex", "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n", 1, "invalid regex"},
		{"secretGroup too large", "[[rules]]\nid = \"x\"\nregex = '''a(b)c'''\nsecretGroup = 2\n", 1, "secretGroup 2"},
		{"missing id", "[[rules]]\nregex = '''abc'''\n", 1, "id is missing"},
		{"no regex nor path", "[[rules]]\nid = \"x\"\n", 1, "both regex and path are empty"},
		{"bad condition", "[[rules]]\nid = \"x\"\nregex = '''abcd'''\n[[rules.allowlists]]\ncondition = \"XOR\"\npaths = ['''a''']\n", 1, `unknown condition "XOR"`},
		{"bad regexTarget", "[[allowlists]]\nregexTarget = \"secrets\"\nregexes = ['''a''']\n", 1, `unknown regexTarget "secrets"`},
		{"empty allowlist", "[[allowlists]]\ndescription = \"nothing\"\n", 1, "must contain at least one check"},
		{"useDefault and path", "[extend]\nuseDefault = true\npath = \"base.toml\"\n", 1, "cannot both be set"},
		{"bad allowlist regex", "[allowlist]\nregexes = ['''(''']\n", 0, "allowlist regex"},
		{"wrong type", "[[rules]]\nid = \"x\"\nkeywords = \"abc\"\n", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := Parse("g.toml", []byte(tt.config))
			var ce *rules.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *rules.ConfigError", err)
			}
			if ce.File != "g.toml" || tt.line > 0 && ce.Line != tt.line || !strings.Contains(ce.Error(), tt.want) {
				t.Errorf("err = %q (line %d), want line %d and %q", ce, ce.Line, tt.line, tt.want)
			}
		})
	}
}

func TestGitleaksUnsupportedExtend(t *testing.T) {
	t.Parallel()
	f, notes, err := Parse("g.toml", []byte(`
[extend]
path = "common.toml"
url = "https://example.invalid/gitleaks.toml"
disabledRules = ["aws-access-token"]

[[rules]]
id = "aws-access-token"
[[rules.allowlists]]
paths = ['''x''']
`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Defaults == nil || *f.Defaults || len(f.Rules) != 0 || len(f.Disable) != 0 {
		t.Errorf("file = %+v", *f)
	}
	for _, field := range []string{"extend.path", "extend.url", "extend.disabledRules[0]", "rules[0]"} {
		if !hasNote(notes, field, "") {
			t.Errorf("no note for %s in %q", field, notes)
		}
	}
}

func TestGitleaksRuleID(t *testing.T) {
	t.Parallel()
	def := builtIn(t)
	tests := []struct{ gitleaks, keylint string }{
		{"github-pat", "github-classic-pat"},
		{"My_Custom Rule", "my-custom-rule"},
		{"already-kebab", "already-kebab"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := RuleID(tt.gitleaks); got != tt.keylint {
			t.Errorf("RuleID(%q) = %q, want %q", tt.gitleaks, got, tt.keylint)
		}
	}
	// Every mapped id that keylint ships must name a built-in rule.
	for g := range gitleaksEquivalents {
		ids := RuleIDs(g)
		if len(ids) == 0 {
			t.Errorf("RuleIDs(%q) is empty", g)
		}
		for _, id := range ids {
			if def.Rule(id) == nil && id != kebabID(g) {
				t.Errorf("RuleIDs(%q) has %q, not a built-in rule", g, id)
			}
		}
	}
}

func TestGitleaksRequiredLiterals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		regex string
		want  []string
	}{
		{`\b(ghp_[A-Za-z0-9]{36})\b`, []string{"ghp_"}},
		{`\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b`, []string{"a3t", "abia", "acca", "akia", "asia"}},
		{`(?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=)`,
			[]string{"access", "api", "auth", "credential", "creds", "key", "passwd", "password", "secret", "token"}},
		{`(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----`, []string{"private key block-----", "private key-----"}},
		{`xox[baprs]-[0-9]{10,13}`, []string{"xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"}},
		{`sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}`, []string{"t3blbkfj"}},
		{`https://hooks\.slack\.com/services/[A-Z0-9]+`, []string{"https://hooks.slack.com/services/"}},
		{`(?:tok){2}_[a-z]+`, []string{"toktok_"}},
		{`\b[a-f0-9]{40}\b`, nil},
		{`ab(?:cd)?`, nil},
		{`(?i)éclair_[a-z]{10}`, []string{"clair_"}},
		{`a+bc`, []string{"abc"}},
		{`x*`, nil},
	}
	for _, tt := range tests {
		re, err := syntax.Parse(tt.regex, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := requiredLiterals(re, 3); !slices.Equal(got, tt.want) {
			t.Errorf("requiredLiterals(%s) = %q, want %q", tt.regex, got, tt.want)
		}
	}
}

// TestGitleaksRoundTrip converts gitleaks files and checks that
// rules.Parse(rules.EncodeFile(f)) gives the converted File back.
func TestGitleaksRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, config string }{
		{"empty rule set", `
[[rules]]
id = "acme"
description = "ACME key"
regex = '''acme_key\s*=\s*['"](acme_[A-Za-z0-9]{24})['"]'''
secretGroup = 1
entropy = 3.25
keywords = ["acme_"]
tags = ["ACME"]
[[rules.allowlists]]
condition = "AND"
regexTarget = "line"
regexes = ['''#\s*fake''']
paths = ['''^test/''']
[[rules]]
id = "long-pem"
regex = '''-----BEGIN ACME KEY-----[\s\S]{64,}?-----END ACME KEY-----'''
[allowlist]
paths = ['''(^|/)node_modules/''']
stopwords = ["example"]
`},
		{"extends the defaults", `
[extend]
useDefault = true
disabledRules = ["openai-api-key"]
[[rules]]
id = "github-pat"
[[rules.allowlists]]
stopwords = ["fixture"]
[[allowlists]]
targetRules = ["aws-access-token"]
paths = ['''^docs/''']
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := glParse(t, tt.config)
			roundTrip(t, f)
		})
	}
}

func FuzzParseGitleaks(f *testing.F) {
	f.Add([]byte(`title = "t"
[extend]
useDefault = true
disabledRules = ["github-pat"]
[[rules]]
id = "x"
regex = '''x_([a-z]{8})'''
[[rules.allowlists]]
condition = "AND"
regexTarget = "line"
regexes = ['''y''']
paths = ['''z''']
[[allowlists]]
targetRules = ["x", "github-pat"]
stopwords = ["w"]
`))
	f.Add([]byte("[[rules]]\nid = \"a\"\nregex = '''(?:ab|cd)+e{2,3}'''\nkeywords = [\"\"]\n"))
	f.Add([]byte("[allowlist]\ncommits = [\"c\"]\n[[rules]]\nid = \"b\"\npath = '''p'''\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, _, err := Parse("fuzz.toml", data)
		if err != nil {
			return
		}
		// A converted file must load, and survive a round trip.
		var b strings.Builder
		if err := rules.EncodeFile(&b, file); err != nil {
			t.Fatalf("EncodeFile: %v", err)
		}
		if _, err := rules.Parse("fuzz.keylint.toml", []byte(b.String())); err != nil {
			t.Fatalf("rules.Parse(rules.EncodeFile(Parse(...))): %v\n%s", err, b.String())
		}
	})
}

// TestGitleaksGenericAPIKey: gitleaks' generic-api-key maps to keylint's
// generic rules, in disabledRules and in .gitleaksignore fingerprints.
func TestGitleaksGenericAPIKey(t *testing.T) {
	ids := RuleIDs("generic-api-key")
	if len(ids) < 2 {
		t.Fatalf("generic-api-key maps to %q", ids)
	}
	def := builtIn(t)
	for _, id := range ids {
		if r := def.Rule(id); r == nil || !r.Generic || !strings.HasPrefix(id, "generic-") {
			t.Errorf("%q is not a built-in generic rule", id)
		}
	}
	f, _ := glParse(t, "[extend]\nuseDefault = true\ndisabledRules = [\"generic-api-key\"]\n")
	if len(f.Disable) != len(ids) {
		t.Errorf("disabledRules generic-api-key disables %q, want %q", f.Disable, ids)
	}
}

// roundTrip checks rules.Parse(rules.EncodeFile(f)) against f: the
// exported fields (the unexported ones are loader state) must come back,
// empty and nil slices being the same to the loader.
func roundTrip(t *testing.T, f *rules.File) {
	t.Helper()
	var b bytes.Buffer
	if err := rules.EncodeFile(&b, f); err != nil {
		t.Fatalf("EncodeFile: %v", err)
	}
	back, err := rules.Parse("roundtrip.toml", b.Bytes())
	if err != nil {
		t.Fatalf("Parse(EncodeFile(f)): %v\n%s", err, b.String())
	}
	render := func(f *rules.File) string {
		j, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(string(j), "[]", "null")
	}
	if got, want := render(back), render(f); got != want {
		t.Fatalf("round trip changed the file\ngot  %s\nwant %s\nencoded:\n%s", got, want, b.String())
	}
}

// TestGitleaksCommitsAndOnlyPaths: allowlist commits are kept (and bad
// ones are an error naming the line); a rule with path and regex reports
// its matches only in files under that path.
func TestGitleaksCommitsAndOnlyPaths(t *testing.T) {
	t.Parallel()
	f, notes, rs := glRuleset(t, `
[[rules]]
id = "tf-password"
regex = '''password\s*=\s*"([a-z0-9]{12,20})"'''
secretGroup = 1
path = '''\.tf$'''
keywords = ["password"]

[allowlist]
commits = ["ABCDEF0123456", "0123456789abcdef0123456789abcdef01234567"]
`)
	if len(notes) != 0 {
		t.Errorf("notes = %q", notes)
	}
	if len(f.Allow) != 1 || !slices.Equal(f.Allow[0].Commits, []string{"ABCDEF0123456", "0123456789abcdef0123456789abcdef01234567"}) {
		t.Errorf("allowlists = %+v", f.Allow)
	}
	if !rs.AllowsCommit("tf-password", "abcdef0123456789abcdef0123456789abcdef01", "main.tf") || rs.AllowsCommit("tf-password", "bbcdef0123456789abcdef0123456789abcdef01", "main.tf") {
		t.Errorf("AllowsCommit: the abbreviated id must match its commit only")
	}
	line := `password = "q8w7e6r5t4y3u2"`
	if got := glFind(rs, "infra/main.tf", line); len(got) != 1 {
		t.Errorf("main.tf: %q, want one finding", got)
	}
	if got := glFind(rs, "infra/main.go", line); len(got) != 0 {
		t.Errorf("main.go: %q, want none (the rule's path is .tf)", got)
	}

	_, _, err := Parse(".gitleaks.toml", []byte("title = \"x\"\n[allowlist]\ncommits = [\"nothex!\"]\n"))
	if err == nil || !strings.Contains(err.Error(), "nothex!") || !strings.Contains(err.Error(), ":2") {
		t.Errorf("a bad commit id: error %v, want one naming it and line 2", err)
	}
}
