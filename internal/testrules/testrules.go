// Package testrules builds rule sets from a rule file's text, for tests
// and benchmarks of the packages that run rules (scanner, history): each
// test states the few rules it exercises instead of depending on the
// built-in ones.
package testrules

import (
	"testing"

	"github.com/keylint/keylint/rules"
)

// Ruleset parses text, a keylint rule file named name, and returns its
// rules alone; the test fails on an error.
func Ruleset(t testing.TB, name, text string) *rules.Ruleset {
	t.Helper()
	f, err := rules.Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.New(f)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// WithDefaults returns the built-in rules with the rule file text applied
// over them.
func WithDefaults(t testing.TB, name, text string) *rules.Ruleset {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, err := rules.Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Apply(f); err != nil {
		t.Fatal(err)
	}
	return rs
}

// Matcher returns the matcher of [Ruleset]'s rules.
func Matcher(t testing.TB, name, text string) *rules.Matcher {
	t.Helper()
	return rules.NewMatcher(Ruleset(t, name, text))
}
