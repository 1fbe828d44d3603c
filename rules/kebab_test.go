package rules

import (
	"regexp"
	"testing"
)

// kebabPattern is what isKebab implements by hand.
var kebabPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// FuzzIsKebab checks the hand-written rule id check against the regex it
// replaced.
func FuzzIsKebab(f *testing.F) {
	for _, s := range []string{"", "-", "a", "a-b", "a--b", "-a", "a-", "aws-access-key", "A", "a_b", "a\n", "é", "0-9-z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isKebab(s), kebabPattern.MatchString(s); got != want {
			t.Fatalf("isKebab(%q) = %v, the regex says %v", s, got, want)
		}
	})
}
