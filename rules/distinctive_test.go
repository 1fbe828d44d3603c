package rules

import (
	"slices"
	"testing"
)

func TestDistinctive(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rule Rule
		want bool
	}{
		{"fixed prefix", Rule{Regex: `\b(ghp_[A-Za-z0-9]{36})\b`, SecretGroup: 1}, true},
		{"prefix alternatives", Rule{Regex: `((?:A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{16})`, SecretGroup: 1}, true},
		{"literal inside", Rule{Regex: `((?:https?://)?hooks\.slack\.com/services/T[A-Z0-9]{8})`, SecretGroup: 1}, true},
		{"case-folded prefix", Rule{Regex: `(?i)(xoxb-[0-9]{10})`}, true},
		{"keyword outside the secret", Rule{Regex: `api_key\s*=\s*"([A-Za-z0-9]{32})"`, SecretGroup: 1}, false},
		{"short prefix", Rule{Regex: `\b(SK[0-9a-f]{32})\b`, SecretGroup: 1}, false},
		{"optional prefix", Rule{Regex: `((?:tok_)?[A-Za-z0-9]{32})`, SecretGroup: 1}, false},
		{"one short branch", Rule{Regex: `((?:abcd|x)[0-9]{20})`, SecretGroup: 1}, false},
		{"structural check", Rule{Regex: `([A-Za-z0-9_-]{20,})`, SecretGroup: 1, Check: "jwt"}, true},
		{"context check", Rule{Regex: `([A-Za-z0-9_-]{20,})`, SecretGroup: 1, Check: "password"}, false},
		{"unknown check", Rule{Regex: `([A-Za-z0-9_-]{20,})`, SecretGroup: 1, Check: "nope"}, false},
		{"generic", Rule{Regex: `(ghp_[A-Za-z0-9]{36})`, Generic: true}, false},
		{"path rule", Rule{Regex: `(ghp_[A-Za-z0-9]{36})`, Path: `\.npmrc$`}, false},
		{"bad regex", Rule{Regex: `(ghp_`}, false},
		{"missing group", Rule{Regex: `ghp_[a-z]+`, SecretGroup: 3}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.rule.Distinctive(); got != tc.want {
				t.Errorf("Distinctive() = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestDistinctiveDefaults pins the split of the default rules: provider
// formats scan binary strings, catch-all rules never do.
func TestDistinctiveDefaults(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"aws-access-key-id", "github-classic-pat", "slack-bot-token", "slack-webhook-url", "private-key-rsa", "openai-project-api-key"} {
		if r := rs.Rule(id); r == nil || !r.Distinctive() {
			t.Errorf("%s: want a distinctive rule", id)
		}
	}
	n := 0
	for _, r := range rs.Rules() {
		if r.Distinctive() {
			n++
		}
		if r.Generic && r.Distinctive() {
			t.Errorf("%s: generic rule counted distinctive", r.ID)
		}
		if r.Check == "password" || r.Check == "credential" {
			if r.Distinctive() {
				t.Errorf("%s: password-shaped rule counted distinctive", r.ID)
			}
		}
	}
	m := NewMatcher(rs).Distinctive()
	if len(m.Rules()) != n || n < 100 {
		t.Errorf("distinctive matcher has %d rules, want %d (>= 100)", len(m.Rules()), n)
	}
	if m.Distinctive() == nil || NewMatcher(rs).MaxExtent() < 2*DefaultWindow {
		t.Error("MaxExtent must cover a default window on both sides")
	}
}

// TestForStringsFindsExamples runs every distinctive default rule, reduced
// to its secret's expression, over its own examples, alone and glued
// after letters as string data of a compiled program has them: each
// must find the secret the full rule finds. (Glued on the right, a
// secret of variable length cannot be told from its neighbour; fixed
// lengths and checksums still find it, see TestBinaryDefaultRules.)
func TestForStringsFindsExamples(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	full := NewMatcher(rs)
	bin := full.Distinctive()
	for _, r := range rs.Rules() {
		if !r.Distinctive() {
			continue
		}
		for _, ex := range r.Matches {
			var want []string
			for _, mt := range full.Find([]byte(ex), nil) {
				if mt.Rule.ID == r.ID {
					want = append(want, mt.Secret)
				}
			}
			for _, secret := range want {
				ins := []string{"abc\n" + ex}
				if r.ForStrings() != r {
					// Reduced to the secret: found alone and after letters.
					ins = append(ins, secret, "xQ"+secret)
				}
				for i, in := range ins {
					found := false
					for _, mt := range bin.Find([]byte(in), nil) {
						found = found || mt.Rule.ID == r.ID && mt.Secret == secret
					}
					if !found {
						t.Errorf("%s: the strings rule misses the secret of an example (input %d)", r.ID, i)
					}
				}
			}
		}
	}
}

// TestStringsRulesCompiledIn checks that the decisions compiled into
// default_rules.go (defaultStrings) are what Distinctive and ForStrings
// decide now for each default rule, and that a rule that differs from its
// compiled-in form in a field they read is decided afresh.
func TestStringsRulesCompiledIn(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(defaultStrings) != len(defaultRules.Rules) {
		t.Fatalf("defaultStrings has %d entries for %d rules: run\n\tgo test ./rules -run TestDefaultRulesGenerated -update", len(defaultStrings), len(defaultRules.Rules))
	}
	type form struct {
		id, regex string
		group     int
	}
	forms := func(rules []*Rule) []form {
		var out []form
		for _, r := range rules {
			out = append(out, form{r.ID, r.Regex, r.SecretGroup})
		}
		return out
	}
	var want []*Rule
	for _, r := range rs.Rules() {
		if r.Distinctive() {
			want = append(want, r.ForStrings())
		}
	}
	got := stringsRules(rs.Rules())
	if !slices.Equal(forms(got), forms(want)) {
		t.Fatal("the compiled-in strings forms differ from Distinctive and ForStrings: run\n\tgo test ./rules -run TestDefaultRulesGenerated -update")
	}
	// The same rules, each changed in one field that decides: each is
	// decided afresh, as its changed self.
	byID := map[string]*Rule{}
	for _, r := range rs.Rules() {
		byID[r.ID] = r
	}
	changes := []struct {
		id     string
		change func(*Rule)
	}{
		{"github-classic-pat", func(r *Rule) { r.Regex = `api_key\s*=\s*"([A-Za-z0-9]{32})"` }},
		{"github-classic-pat", func(r *Rule) { r.Generic = true }},
		{"github-classic-pat", func(r *Rule) { r.SecretGroup = 7 }},
		{"github-classic-pat", func(r *Rule) { r.Path = `\.npmrc$` }},
		{"github-classic-pat", func(r *Rule) { r.Keywords = []string{"elsewhere"} }},
		{"jwt", func(r *Rule) { r.Check = "" }},
		{"jwt", func(r *Rule) { r.Matches = append(slices.Clone(r.Matches), "x") }},
	}
	for _, c := range changes {
		orig := byID[c.id]
		if orig == nil {
			t.Fatalf("no default rule %s", c.id)
		}
		r := *orig
		c.change(&r)
		var want []form
		if r.Distinctive() {
			want = forms([]*Rule{r.ForStrings()})
		}
		if got := forms(stringsRules([]*Rule{&r})); !slices.Equal(got, want) {
			t.Errorf("%s changed: stringsRules gives %v, want %v", c.id, got, want)
		}
	}
}
