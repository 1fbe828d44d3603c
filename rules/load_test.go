package rules_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

// A valid rule used as a neighbour in the error cases, so that errors must
// name the right rule and line, not just the first one.
const okRule = `[[rules]]
id = "zq-ok"
keywords = ["zqok_"]
regex = '''\b(zqok_[A-Za-z0-9]{16})\b'''
secret_group = 1
`

type loadErrorCase struct {
	name string
	src  string
	// Where and what: the error must be a *rules.ConfigError with these
	// fields, and its message must contain every string in msg.
	line, col int // line -1, col 0: not checked
	ruleID    string
	msg       []string
	apply     bool // the error comes from applying the file, not parsing it
}

var loadErrorCases = []loadErrorCase{
	{
		name: "unknown-rule-key",
		src:  okRule + "\n[[rules]]\nid = \"zq-typo\"\nkeywords = [\"zqt_\"]\nregx = 'zqt_[a-z]{8}'\n",
		line: 10, ruleID: "zq-typo", msg: []string{`unknown key`, `regx`, `did you mean "regex"`},
	},
	{
		name: "unknown-rule-key-secret-group",
		src:  okRule + "\n[[rules]]\nid = \"zq-typo\"\nkeywords = [\"zqt_\"]\nregex = '(zqt_[a-z]{8})'\nsecretgroup = 1\n",
		line: 11, ruleID: "zq-typo", msg: []string{`secretgroup`, `did you mean "secret_group"`},
	},
	{
		name: "unknown-top-level-key",
		src:  "disabled = [\"zq-ok\"]\n" + okRule,
		line: 1, msg: []string{`unknown key`, `disabled`, `did you mean "disable"`},
	},
	{
		name: "unknown-allow-key",
		src:  okRule + "\n[[allow]]\npathz = ['^vendor/']\n",
		line: 8, msg: []string{`pathz`, `did you mean "paths"`},
	},
	{
		name: "unknown-rule-allow-key",
		src:  okRule + "[[rules.allow]]\nstopword = ['kitten']\n",
		line: 7, ruleID: "zq-ok", msg: []string{`stopword`, `did you mean "stopwords"`},
	},
	{
		name: "invalid-regex",
		src:  okRule + "\n[[rules]]\nid = \"zq-bad-regex\"\nkeywords = [\"zqb_\"]\nregex = '(zqb_[a-z]{8}'\n",
		line: 10, ruleID: "zq-bad-regex", msg: []string{"invalid regex", "missing closing )"},
	},
	{
		name: "lookahead-regex",
		src:  "[[rules]]\nid = \"zq-perl\"\nkeywords = [\"zqp_\"]\nregex = '(?=zqp_)zqp_[a-z]{8}'\n",
		line: 4, ruleID: "zq-perl", msg: []string{"invalid regex"},
	},
	{
		name: "bad-severity",
		src:  okRule + "\n[[rules]]\nid = \"zq-sev\"\nseverity = \"urgent\"\nkeywords = [\"zqs_\"]\nregex = 'zqs_[a-z]{8}'\n",
		line: 9, ruleID: "zq-sev", msg: []string{`severity "urgent"`, "critical, high, medium, low"},
	},
	{
		// BurntSushi/toml reports type errors as text with the line.
		name: "severity-wrong-type",
		src:  okRule + "severity = 3\n",
		line: -1, msg: []string{"line 6", "severity"},
	},
	{
		name: "id-not-kebab-case",
		src:  "[[rules]]\nid = \"Zq_Bad\"\nkeywords = [\"zqb_\"]\nregex = 'zqb_[a-z]{8}'\n",
		line: 2, ruleID: "Zq_Bad", msg: []string{"kebab-case"},
	},
	{
		name: "id-double-dash",
		src:  okRule + "\n[[rules]]\nid = \"zq--bad\"\nkeywords = [\"zqb_\"]\nregex = 'zqb_[a-z]{8}'\n",
		line: 8, ruleID: "zq--bad", msg: []string{"kebab-case"},
	},
	{
		name: "id-missing",
		src:  okRule + "\n[[rules]]\nkeywords = [\"zqb_\"]\nregex = 'zqb_[a-z]{8}'\n",
		line: 7, msg: []string{"no id"},
	},
	{
		name: "regex-missing",
		src:  "[[rules]]\nid = \"zq-no-regex\"\nkeywords = [\"zqb_\"]\n",
		line: 1, ruleID: "zq-no-regex", msg: []string{"no regex"},
	},
	{
		name: "keywords-missing",
		src:  okRule + "\n[[rules]]\nid = \"zq-no-keywords\"\nregex = 'zqb_[a-z]{8}'\n",
		line: 7, ruleID: "zq-no-keywords", msg: []string{"no keywords"},
	},
	{
		name: "keyword-too-short",
		src:  "[[rules]]\nid = \"zq-short\"\nkeywords = [\"z\"]\nregex = 'z[a-z]{8}'\n",
		line: 3, ruleID: "zq-short", msg: []string{`keyword "z"`, "too short"},
	},
	{
		name: "unknown-check",
		src:  okRule + "check = \"githib\"\n",
		line: 6, ruleID: "zq-ok", msg: []string{`unknown check "githib"`, "github", "pem"},
	},
	{
		name: "secret-group-out-of-range",
		src:  okRule + "\n[[rules]]\nid = \"zq-group\"\nkeywords = [\"zqg_\"]\nregex = 'zqg_([a-z]{8})'\nsecret_group = 2\n",
		line: 11, ruleID: "zq-group", msg: []string{"secret_group 2", "1 groups"},
	},
	{
		name: "secret-group-negative",
		src:  "[[rules]]\nid = \"zq-group\"\nkeywords = [\"zqg_\"]\nregex = 'zqg_([a-z]{8})'\nsecret_group = -1\n",
		line: 5, ruleID: "zq-group", msg: []string{"secret_group -1"},
	},
	{
		name: "window-out-of-range",
		src:  okRule + "window = 70000\n",
		line: 6, ruleID: "zq-ok", msg: []string{"window 70000"},
	},
	{
		name: "entropy-out-of-range",
		src:  okRule + "entropy = 9.5\n",
		line: 6, ruleID: "zq-ok", msg: []string{"entropy 9.5"},
	},
	{
		name: "rule-allowlist-bad-regex",
		src:  okRule + "\n[[rules]]\nid = \"zq-allow\"\nkeywords = [\"zqa_\"]\nregex = 'zqa_[a-z]{8}'\n[[rules.allow]]\nregexes = ['(unclosed']\n",
		line: 12, ruleID: "zq-allow", msg: []string{"allowlist regex", "(unclosed"},
	},
	{
		name: "global-allowlist-bad-path",
		src:  okRule + "\n[[allow]]\npaths = ['[z-a]']\n",
		line: 8, msg: []string{"allowlist path", "[z-a]"},
	},
	{
		name: "global-allowlist-bad-second-path-with-globs",
		src:  okRule + "\n[[allow]]\npaths = ['^docs/', '[y-b]']\nglobs = ['*.lock']\n",
		line: 8, msg: []string{"allowlist path", "[y-b]"},
	},
	{
		name: "max-file-size-negative",
		src:  "max_file_size = -1\n" + okRule,
		line: 1, msg: []string{"max_file_size"},
	},
	{
		name: "override-bad-severity",
		src:  okRule + "\n[[override]]\nid = \"zq-ok\"\nseverity = \"severe\"\n",
		line: 9, ruleID: "zq-ok", msg: []string{`severity "severe"`},
	},
	{
		name: "toml-syntax-unterminated-string",
		src:  okRule + "description = \"no end\n",
		line: 6, col: 22, msg: []string{"newlines"},
	},
	{
		name: "toml-syntax-bad-float",
		src:  okRule + "entropy = 3..5\n",
		line: 6, col: 11, msg: []string{"3..5"},
	},
	{
		name: "toml-syntax-missing-comma",
		src:  okRule + "keywords = [\"zqa_\" \"zqb_\"]\n",
		line: 6, col: 20, msg: []string{"comma"},
	},
	{
		name: "toml-duplicate-key",
		src:  okRule + "id = \"zq-again\"\n",
		line: 6, msg: []string{"id"},
	},
	{
		name: "duplicate-id",
		src:  okRule + "\n" + okRule,
		line: 7, ruleID: "zq-ok", msg: []string{"duplicate rule id"}, apply: true,
	},
	{
		name: "disable-unknown-id",
		src:  "disable = [\"zq-okk\"]\n" + okRule,
		line: 1, ruleID: "zq-okk", msg: []string{`unknown rule id "zq-okk"`, `did you mean "zq-ok"`}, apply: true,
	},
	{
		// Every part of the unknown id is a part of the suggestion.
		name: "disable-unknown-id-by-parts",
		src:  "disable = [\"zq-ok-long\"]\n" + okRule + "\n[[rules]]\nid = \"zq-very-ok-long-id\"\nkeywords = [\"zqv_\"]\nregex = 'zqv_[a-z]{8}'\n",
		line: 1, ruleID: "zq-ok-long", msg: []string{`did you mean "zq-very-ok-long-id"`}, apply: true,
	},
	{
		name: "override-unknown-id",
		src:  okRule + "\n[[override]]\nid = \"zq-ko\"\nseverity = \"low\"\n",
		line: 8, ruleID: "zq-ko", msg: []string{`unknown rule id "zq-ko"`, `did you mean "zq-ok"`}, apply: true,
	},
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	for _, c := range loadErrorCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			const name = "config/.keylint.toml"
			f, err := rules.Parse(name, []byte(c.src))
			if c.apply {
				if err != nil {
					t.Fatalf("Parse: %v, want the error when applying", err)
				}
				_, err = rules.New(f)
			}
			if err == nil {
				t.Fatal("no error")
			}
			var ce *rules.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T) is not a *rules.ConfigError", err, err)
			}
			if ce.File != name {
				t.Errorf("File = %q, want %q (error: %v)", ce.File, name, err)
			}
			if c.line >= 0 && ce.Line != c.line {
				t.Errorf("Line = %d, want %d (error: %v)", ce.Line, c.line, err)
			}
			if c.col != 0 && ce.Col != c.col {
				t.Errorf("Col = %d, want %d (error: %v)", ce.Col, c.col, err)
			}
			if ce.RuleID != c.ruleID {
				t.Errorf("RuleID = %q, want %q (error: %v)", ce.RuleID, c.ruleID, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, name+":") {
				t.Errorf("message %q does not start with the file name", msg)
			}
			for _, want := range c.msg {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not contain %q", msg, want)
				}
			}
			if ce.Unwrap() == nil {
				t.Error("Unwrap() = nil")
			}
		})
	}
}

func TestConfigErrorString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		e    rules.ConfigError
		want string
	}{
		{rules.ConfigError{File: "a.toml", Err: errors.New("boom")}, "a.toml: boom"},
		{rules.ConfigError{File: "a.toml", Line: 3, Err: errors.New("boom")}, "a.toml:3: boom"},
		{rules.ConfigError{File: "a.toml", Line: 3, Col: 7, Err: errors.New("boom")}, "a.toml:3:7: boom"},
		{rules.ConfigError{File: "a.toml", Line: 3, RuleID: "zq-ok", Err: errors.New("boom")}, `a.toml:3: rule "zq-ok": boom`},
	}
	for _, c := range cases {
		if got := c.e.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
}

func TestParseValid(t *testing.T) {
	t.Parallel()
	src := "# comment\n\n" + okRule + `
description = "zq token"
provider = "ZQ"
severity = "medium"
entropy = 3.5
window = 512
check = "github"
placeholders = false
remediation = "Revoke it."
matches = ["a", "b"]
non_matches = ["c", "d"]

[[rules]]
id = "zq-default-severity"
keywords = ["zqd_"]
regex = 'zqd_[a-z]{8}'
`
	f, err := rules.Parse("ok.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rules) != 2 {
		t.Fatalf("%d rules, want 2", len(f.Rules))
	}
	r := f.Rules[0]
	if r.Severity != rules.Medium || r.Entropy != 3.5 || r.Window != 512 || r.Check != "github" ||
		r.Placeholders == nil || *r.Placeholders || r.Provider != "ZQ" || len(r.Matches) != 2 || len(r.NonMatches) != 2 {
		t.Errorf("rule fields not decoded: %+v", r)
	}
	if file, line := r.Source(); file != "ok.toml" || line != 3 {
		t.Errorf("Source() = %q, %d, want ok.toml, 3", file, line)
	}
	if _, line := f.Rules[1].Source(); line != 20 {
		t.Errorf("second rule Source() line = %d, want 20", line)
	}
	if f.Rules[1].Severity != rules.High {
		t.Errorf("default severity = %q, want high", f.Rules[1].Severity)
	}
	if re, err := r.Compiled(); err != nil || re.String() != r.Regex {
		t.Errorf("Compiled() = %v, %v", re, err)
	}
	for s, want := range map[rules.Severity]int{rules.Critical: 4, rules.High: 3, rules.Medium: 2, rules.Low: 1, "urgent": 0, "": 0} {
		if got := s.Rank(); got != want {
			t.Errorf("Severity(%q).Rank() = %d, want %d", s, got, want)
		}
	}
}

// TestLoadFixtures parses every rule and configuration file under
// testdata/config: valid ones must apply on top of the default set.
func TestLoadFixtures(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob(filepath.Join("testdata", "config", "*.toml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			f, err := rules.Parse(p, data)
			if err != nil {
				t.Fatal(err)
			}
			rs, err := rules.Default()
			if err != nil {
				t.Fatal(err)
			}
			if err := rs.Apply(f); err != nil {
				t.Fatal(err)
			}
			for _, fl := range rules.CheckExamples(rs.Only(ruleIDsOf(f)...), 0) {
				t.Error(fl)
			}
		})
	}
}

func ruleIDsOf(f *rules.File) []string {
	var ids []string
	for _, r := range f.Rules {
		ids = append(ids, r.ID)
	}
	return ids
}

// defaultRule returns a default rule with at least one match example, so
// the Apply tests do not depend on a particular rule id.
func defaultRule(t *testing.T) *rules.Rule {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs.Rules() {
		if len(r.Matches) > 0 {
			return r
		}
	}
	t.Fatal("no default rule has a match example")
	return nil
}

func foundBy(m *rules.Matcher, id, text string) bool {
	for _, mt := range m.Find([]byte(text), nil) {
		if mt.Rule.ID == id {
			return true
		}
	}
	return false
}

func TestApplyReplaceByID(t *testing.T) {
	t.Parallel()
	orig := defaultRule(t)
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	n := len(rs.Rules())
	src := `[[rules]]
id = "` + orig.ID + `"
description = "replaced"
keywords = ["zqrep_"]
regex = '''\b(zqrep_[A-Za-z0-9]{12})\b'''
secret_group = 1
severity = "low"
`
	f, err := rules.Parse("user.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Apply(f); err != nil {
		t.Fatal(err)
	}
	if len(rs.Rules()) != n {
		t.Errorf("%d rules after replacing one, want %d", len(rs.Rules()), n)
	}
	got := rs.Rule(orig.ID)
	if got == nil || got.Description != "replaced" || got.Severity != rules.Low {
		t.Fatalf("Rule(%q) = %+v, want the replacement", orig.ID, got)
	}
	if file, _ := got.Source(); file != "user.toml" {
		t.Errorf("replacement Source() = %q, want user.toml", file)
	}
	m := rules.NewMatcher(rs)
	if !foundBy(m, orig.ID, "v = zqrep_"+body(20, 12)) {
		t.Error("the replacement rule does not match its own format")
	}
	if foundBy(m, orig.ID, orig.Matches[0]) {
		t.Error("the replaced rule still matches its old example")
	}
	// The default set is untouched.
	again, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	if r := again.Rule(orig.ID); r == nil || r.Regex != orig.Regex || r.Description != orig.Description {
		t.Errorf("a fresh Default() sees the replacement: %+v", r)
	}
	if !slices.IsSortedFunc(rs.Rules(), func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("rules not sorted by id after Apply")
	}
}

func TestApplyOverride(t *testing.T) {
	t.Parallel()
	orig := defaultRule(t)
	origSeverity, origEntropy := orig.Severity, orig.Entropy
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, err := rules.Parse("user.toml", []byte("[[override]]\nid = \""+orig.ID+"\"\nseverity = \"low\"\nentropy = 7.9\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Apply(f); err != nil {
		t.Fatal(err)
	}
	got := rs.Rule(orig.ID)
	if got.Severity != rules.Low || got.Entropy != 7.9 {
		t.Errorf("after override: severity %q entropy %v, want low 7.9", got.Severity, got.Entropy)
	}
	if got.Regex != orig.Regex || !slices.Equal(got.Keywords, orig.Keywords) {
		t.Error("override changed fields it does not name")
	}
	// An entropy of 7.9 bits per byte is out of reach for any short
	// secret: the overridden rule no longer finds its example.
	if foundBy(rules.NewMatcher(rs), orig.ID, orig.Matches[0]) {
		t.Error("the override's entropy threshold is not applied")
	}
	// Neither the rule value nor a fresh default set is mutated.
	if orig.Severity != origSeverity || orig.Entropy != origEntropy {
		t.Errorf("override mutated the shared default rule: severity %q entropy %v", orig.Severity, orig.Entropy)
	}
	again, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	if r := again.Rule(orig.ID); r.Severity != origSeverity || r.Entropy != origEntropy {
		t.Errorf("a fresh Default() sees the override: severity %q entropy %v", r.Severity, r.Entropy)
	}
	if !foundBy(rules.NewMatcher(again), orig.ID, orig.Matches[0]) {
		t.Error("a fresh Default() no longer finds the rule's example")
	}

	// Overriding only the severity keeps the entropy, and vice versa.
	rs2, _ := rules.Default()
	f2, err := rules.Parse("user.toml", []byte("[[override]]\nid = \""+orig.ID+"\"\nentropy = 1.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := rs2.Apply(f2); err != nil {
		t.Fatal(err)
	}
	if r := rs2.Rule(orig.ID); r.Severity != origSeverity || r.Entropy != 1.5 {
		t.Errorf("entropy-only override: severity %q entropy %v", r.Severity, r.Entropy)
	}
}

func TestApplyDisable(t *testing.T) {
	t.Parallel()
	orig := defaultRule(t)
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	n := len(rs.Rules())
	f, err := rules.Parse("user.toml", []byte("disable = [\""+orig.ID+"\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Apply(f); err != nil {
		t.Fatal(err)
	}
	if rs.Rule(orig.ID) != nil || len(rs.Rules()) != n-1 {
		t.Errorf("after disable: Rule(%q) = %v, %d rules, want nil and %d", orig.ID, rs.Rule(orig.ID), len(rs.Rules()), n-1)
	}
	if foundBy(rules.NewMatcher(rs), orig.ID, orig.Matches[0]) {
		t.Error("a disabled rule still matches")
	}
	again, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	if again.Rule(orig.ID) == nil || len(again.Rules()) != n {
		t.Error("disabling in one set disabled the rule in a fresh Default()")
	}
}

func TestNewAppliesFilesInOrder(t *testing.T) {
	t.Parallel()
	base, err := rules.Parse("base.toml", []byte(okRule+"severity = \"low\"\n\n[[allow]]\nstopwords = [\"kitten\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	user, err := rules.Parse("user.toml", []byte(okRule+"severity = \"critical\"\n\n[[rules]]\nid = \"zq-aaa\"\nkeywords = [\"zqaaa\"]\nregex = 'zqaaa_[a-z0-9]{12}'\n\n[[allow]]\nstopwords = [\"puppy\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.New(base, user)
	if err != nil {
		t.Fatal(err)
	}
	if ids := ruleIDs(rs.Rules()); !slices.Equal(ids, []string{"zq-aaa", "zq-ok"}) {
		t.Errorf("rules %q, want [zq-aaa zq-ok]", ids)
	}
	if r := rs.Rule("zq-ok"); r.Severity != rules.Critical {
		t.Errorf("later file did not win: severity %q", r.Severity)
	}
	if rs.Rule("zq-missing") != nil {
		t.Error("Rule of an unknown id is not nil")
	}
	m := rules.NewMatcher(rs)
	for _, stop := range []string{"kitten", "puppy"} {
		tok := "zqok_" + stop + body(21, 16-len(stop))
		if ms := m.Find([]byte(tok), nil); len(ms) != 0 {
			t.Errorf("global allowlist %q from one of the files not applied", stop)
		}
	}
	only := rs.Only("zq-ok")
	if ids := ruleIDs(only.Rules()); !slices.Equal(ids, []string{"zq-ok"}) {
		t.Errorf("Only: %q", ids)
	}
	if ms := rules.NewMatcher(only).Find([]byte("zqok_kitten"+body(21, 10)), nil); len(ms) != 0 {
		t.Error("Only dropped the global allowlists")
	}
}

func TestMaxFileSize(t *testing.T) {
	t.Parallel()
	f, err := rules.Parse("user.toml", []byte("max_file_size = 2048\n"+okRule))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.New(f)
	if err != nil {
		t.Fatal(err)
	}
	if rs.MaxFileSize != 2048 {
		t.Errorf("MaxFileSize = %d, want 2048", rs.MaxFileSize)
	}
	g, _ := rules.Parse("later.toml", []byte("disable = []\n"))
	if err := rs.Apply(g); err != nil || rs.MaxFileSize != 2048 {
		t.Errorf("a file without max_file_size reset it: %d, %v", rs.MaxFileSize, err)
	}
}

func TestRulesetPathAllowed(t *testing.T) {
	t.Parallel()
	f, err := rules.Parse("user.toml", []byte(okRule+"[[rules.allow]]\npaths = ['^docs/']\n\n[[allow]]\npaths = ['(^|/)node_modules/']\n"))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.New(f)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"web/node_modules/x.js": true, "node_modules/y": true, "docs/a.md": false, "src/a.go": false} {
		if got := rs.PathAllowed(path); got != want {
			t.Errorf("PathAllowed(%q) = %v, want %v", path, got, want)
		}
	}
}
