package rules

import (
	"sort"
	"testing"
)

// sharedSecretPairs are the pairs of specific rules that still report the
// same secret in one of their examples: formats that no regex or check can
// tell apart without the words around the key (a provider rule that needs
// its provider's name near an sk_live_/sk_test_ key against Stripe's rule
// that needs none), or a container rule (a config-file rule) over a token
// rule. Each needs an engine-level tie-break rather than a narrower regex.
// A new pair fails TestNoTwoSpecificRulesOnOneSecret.
var sharedSecretPairs = map[[2]string]bool{
	{"clerk-secret-key", "stripe-secret-key"}:               true,
	{"clerk-secret-key", "stripe-test-secret-key"}:          true,
	{"knock-secret-key", "stripe-test-secret-key"}:          true,
	{"stripe-test-secret-key", "workos-api-key"}:            true,
	{"npm-access-token", "npmrc-auth-token"}:                true,
	{"pypi-api-token", "pypirc-password"}:                   true,
	{"htpasswd-entry", "password-hash-ldap"}:                true,
	{"azure-sas-token", "microsoft-teams-workflow-webhook"}: true,
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
