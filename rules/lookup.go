package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/suggest"
)

// ParseSeverity reads a severity as a user writes it (in any case); an
// unknown one is an error that lists the valid ones.
func ParseSeverity(v string) (Severity, error) {
	s := Severity(strings.ToLower(v))
	if s.Rank() == 0 {
		return "", fmt.Errorf("invalid severity %q (critical, high, medium or low)", v)
	}
	return s, nil
}

// Lookup returns the active rule with the id; for an id that is not
// active, a usage error that names the closest active ids.
func (rs *Ruleset) Lookup(id string) (*Rule, error) {
	if r := rs.Rule(id); r != nil {
		return r, nil
	}
	ids := make([]string, 0, len(rs.rules))
	for _, r := range rs.rules {
		ids = append(ids, r.ID)
	}
	msg := fmt.Sprintf("no active rule %q", id)
	if s := suggest.Closest(id, ids); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %s?", strings.Join(s, ", "))
	}
	return nil, clierr.Usagef("run `keylint rules list` to see the ids", "%s", msg)
}

// DefinedIDs returns the ids of the rules the file defines and of the
// rules it overrides, in the order the file gives them, each once:
// the rules whose examples `keylint rules test` checks.
func (f *File) DefinedIDs() []string {
	var ids []string
	for _, r := range f.Rules {
		ids = append(ids, r.ID)
	}
	for _, o := range f.Override {
		if !slices.Contains(ids, o.ID) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}
