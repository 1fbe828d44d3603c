package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ExampleFailure is a rule example that does not behave as its rule says,
// or a rule that breaks a rule-writing convention.
type ExampleFailure struct {
	RuleID string
	// Kind is "match", "non_match" or "lint".
	Kind    string
	Example string
	Reason  string
}

func (f ExampleFailure) Error() string {
	if f.Example == "" {
		return fmt.Sprintf("rule %q: %s", f.RuleID, f.Reason)
	}
	return fmt.Sprintf("rule %q: %s example %q: %s", f.RuleID, f.Kind, f.Example, f.Reason)
}

// CheckExamples runs every rule's matches and non_matches through a matcher
// holding only that rule (plus the set's global allowlists), and checks the
// conventions every rule must follow: at least minExamples of each kind, a
// description, a provider, a remediation, a keyword in every match example.
func CheckExamples(rs *Ruleset, minExamples int) []ExampleFailure {
	var fails []ExampleFailure
	for _, r := range rs.rules {
		fail := func(kind, ex, format string, args ...any) {
			fails = append(fails, ExampleFailure{RuleID: r.ID, Kind: kind, Example: ex, Reason: fmt.Sprintf(format, args...)})
		}
		if _, err := r.Compiled(); err != nil {
			fail("lint", "", "invalid regex: %v", err)
			continue
		}
		if len(r.Matches) < minExamples {
			fail("lint", "", "has %d matches, needs at least %d", len(r.Matches), minExamples)
		}
		if len(r.NonMatches) < minExamples {
			fail("lint", "", "has %d non_matches, needs at least %d", len(r.NonMatches), minExamples)
		}
		if strings.TrimSpace(r.Description) == "" {
			fail("lint", "", "has no description")
		}
		if strings.TrimSpace(r.Provider) == "" {
			fail("lint", "", "has no provider")
		}
		if strings.TrimSpace(r.Remediation) == "" {
			fail("lint", "", "has no remediation")
		}
		m := NewMatcher(rs.Only(r.ID))
		// A path rule's example is a path, optionally followed by a newline
		// and the file's content; so is that of a rule with only_paths.
		withPath := r.IsPathRule() || len(r.OnlyPaths) > 0
		find := func(ex string, st *Stats) []Match {
			if withPath {
				path, content, _ := strings.Cut(ex, "\n")
				return m.FindPath(path, []byte(content), st)
			}
			return m.Find([]byte(ex), st)
		}
		for _, ex := range r.Matches {
			if !r.IsPathRule() && !containsKeyword(r, ex) { // a path line holds no keyword: the content must
				fail("match", ex, "contains none of the keywords %q", r.Keywords)
				continue
			}
			var st Stats
			if len(find(ex, &st)) == 0 {
				fail("match", ex, "not found (%s)", explain(st))
			}
		}
		for _, ex := range r.NonMatches {
			if ms := find(ex, nil); len(ms) > 0 {
				fail("non_match", ex, "found %q", ms[0].Secret)
			}
		}
	}
	return fails
}

func containsKeyword(r *Rule, ex string) bool {
	for _, k := range r.Keywords {
		if r.CaseSensitive && strings.Contains(ex, k) || !r.CaseSensitive && strings.Contains(strings.ToLower(ex), strings.ToLower(k)) {
			return true
		}
	}
	return false
}

func explain(st Stats) string {
	if len(st.Rejected) == 0 {
		return "the regex did not match near a keyword"
	}
	var parts []string
	for _, k := range sortedKeys(st.Rejected) {
		parts = append(parts, fmt.Sprintf("rejected by %s", k))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string {
	return slices.Sorted(maps.Keys(m))
}
