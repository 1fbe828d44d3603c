package rules

import (
	"sort"
	"testing"
)

// sharedSecretPairs are the pairs of specific rules allowed to report the
// same secret in one of their examples. The matcher keeps one match per
// secret (dropSameSecret), so none is expected today; a pair listed here
// that no longer collides fails the test.
var sharedSecretPairs = map[[2]string]bool{}

// TestSameSecretKeepsTheBetterEvidence: where two specific rules match the
// same secret, the one whose match rests on more of the surrounding text
// is kept: a provider's rule that needs its name next to an sk_live_ key
// wins over Stripe's prefix-only rule, and Stripe's rule still reports a
// key with no other provider's name near it.
func TestSameSecretKeepsTheBetterEvidence(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	byID := map[string]*Rule{}
	for _, r := range rs.Rules() {
		byID[r.ID] = r
	}
	for _, tc := range []struct{ from, want string }{
		{"clerk-secret-key", "clerk-secret-key"},
		{"knock-secret-key", "knock-secret-key"},
		{"workos-api-key", "workos-api-key"},
		{"stripe-secret-key", "stripe-secret-key"},
		{"stripe-test-secret-key", "stripe-test-secret-key"},
	} {
		r := byID[tc.from]
		if r == nil {
			t.Fatalf("no rule %s", tc.from)
		}
		for i, ex := range r.Matches {
			var got []string
			var st Stats
			for _, mt := range m.Find([]byte(ex), &st) {
				if !mt.Rule.Generic {
					got = append(got, mt.Rule.ID)
				}
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("%s example %d: specific rules %v, want only %s", tc.from, i, got, tc.want)
			}
		}
	}
}

// TestNoTwoSpecificRulesOnOneSecret runs the whole default rule set over
// every rule's matches and fails when two specific (non-generic) rules
// report overlapping secrets, unless the pair is a known one above.
func TestNoTwoSpecificRulesOnOneSecret(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	seen := map[[2]string]bool{}
	for _, r := range rs.Rules() {
		for i, ex := range r.Matches {
			ms := m.Find([]byte(ex), nil)
			for a := range ms {
				for b := a + 1; b < len(ms); b++ {
					x, y := ms[a], ms[b]
					if x.File || y.File || x.Rule.Generic || y.Rule.Generic || x.Rule.ID == y.Rule.ID {
						continue
					}
					if x.SecretStart >= y.SecretEnd || y.SecretStart >= x.SecretEnd {
						continue
					}
					ids := []string{x.Rule.ID, y.Rule.ID}
					sort.Strings(ids)
					pair := [2]string{ids[0], ids[1]}
					seen[pair] = true
					if !sharedSecretPairs[pair] {
						t.Errorf("%s and %s both report the secret of %s's match example %d", ids[0], ids[1], r.ID, i)
					}
				}
			}
		}
	}
	for pair := range sharedSecretPairs {
		if !seen[pair] {
			t.Errorf("%s and %s no longer share a secret: remove the pair from sharedSecretPairs", pair[0], pair[1])
		}
	}
}
