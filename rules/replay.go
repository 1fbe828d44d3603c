package rules

import (
	"fmt"
	"sort"
)

// MatchRecord is a match reduced to what places it in its content: the
// rule's id and byte offsets, never the secret. [Matcher.Replay] turns it
// back into the match, given the same content.
type MatchRecord struct {
	// Rule is the id of the rule that matched.
	Rule string
	// Weak is set when the match failed the rule's structural check but
	// was kept one severity lower (see weakChecks).
	Weak bool
	// File is set for a path rule's match.
	File bool
	// Start, End, SecretStart and SecretEnd are the match's offsets.
	Start, End, SecretStart, SecretEnd int
}

// Record reduces a match this matcher found to its record.
func (m *Matcher) Record(mt Match) MatchRecord {
	rec := MatchRecord{Rule: mt.Rule.ID, File: mt.File, Start: mt.Start, End: mt.End, SecretStart: mt.SecretStart, SecretEnd: mt.SecretEnd}
	if r := m.rule(mt.Rule.ID); r != nil && r != mt.Rule && m.weak[r] == mt.Rule {
		rec.Weak = true
	}
	return rec
}

// Replay turns records of matches this matcher found in data at path back
// into the matches: the same rule (or its weaker form), offsets, secret
// and entropy. It is an error when a record names no rule of the matcher,
// a weak form the rule does not have, or offsets outside data.
func (m *Matcher) Replay(path string, data []byte, recs []MatchRecord) ([]Match, error) {
	out := make([]Match, 0, len(recs))
	for _, rec := range recs {
		r := m.rule(rec.Rule)
		if r == nil {
			return nil, fmt.Errorf("no rule %q", rec.Rule)
		}
		if rec.Weak {
			if r = m.weak[r]; r == nil {
				return nil, fmt.Errorf("rule %q has no weaker form", rec.Rule)
			}
		}
		if rec.File != r.IsPathRule() {
			return nil, fmt.Errorf("rule %q: a path match of a content rule, or the reverse", rec.Rule)
		}
		if rec.Start < 0 || rec.Start > rec.SecretStart || rec.SecretStart > rec.SecretEnd || rec.SecretEnd > rec.End || rec.End > len(data) {
			return nil, fmt.Errorf("rule %q: offsets %d-%d (secret %d-%d) outside %d bytes", rec.Rule, rec.Start, rec.End, rec.SecretStart, rec.SecretEnd, len(data))
		}
		mt := Match{Rule: r, Start: rec.Start, End: rec.End, SecretStart: rec.SecretStart, SecretEnd: rec.SecretEnd, File: rec.File}
		if rec.File {
			mt.Secret = path
		} else {
			mt.Secret = string(data[rec.SecretStart:rec.SecretEnd])
		}
		mt.Entropy = Entropy(mt.Secret)
		out = append(out, mt)
	}
	return out, nil
}

// rule returns the matcher's rule with the id, or nil. m.rules is sorted
// by id.
func (m *Matcher) rule(id string) *Rule {
	i := sort.Search(len(m.rules), func(i int) bool { return m.rules[i].ID >= id })
	if i < len(m.rules) && m.rules[i].ID == id {
		return m.rules[i]
	}
	return nil
}
