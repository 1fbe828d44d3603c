package rules

import "sync"

// Only returns a matcher of this matcher's rules whose ids are listed, for
// content known to hold matches of no other rule: a blob that an earlier
// scan with this very matcher matched with those rules only.
//
// On any input, for every listed rule the result finds exactly the
// matches this matcher keeps of it, provided the list names every rule of
// which this matcher keeps a match on that input (more is allowed). It
// shares this matcher's keyword automaton, so keyword hits arrive in the
// same order and each rule sees the same windows (an automaton built for
// fewer keywords may report two keywords ending at one offset in another
// order, which can merge windows differently). Matches of other rules are
// only ever dropped in favour of a listed rule's match: a generic rule's
// match overlapping a specific one, and the weaker of two specific matches
// of one secret. So dropping the unlisted rules drops no listed rule's
// match and keeps none that this matcher drops. TestMatcherOnly checks it.
// Rejection counts in [Stats] count only the listed rules' candidates.
func (m *Matcher) Only(ids []string) *Matcher {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	sub := *m // every field shared unless replaced below
	sub.rules, sub.pathRules = nil, nil
	newIdx := make([]int, len(m.rules)) // index in m.rules -> in sub.rules, or -1
	for i, r := range m.rules {
		newIdx[i] = -1
		if !want[r.ID] {
			continue
		}
		newIdx[i] = len(sub.rules)
		sub.rules = append(sub.rules, r)
		if r.IsPathRule() {
			sub.pathRules = append(sub.pathRules, r)
		}
	}
	// The same automaton: patterns no listed rule uses report hits that
	// nothing follows.
	sub.refs = make([][]keywordRef, len(m.refs))
	for id, refs := range m.refs {
		for _, ref := range refs {
			if n := newIdx[ref.rule]; n >= 0 {
				ref.rule = n
				sub.refs[id] = append(sub.refs[id], ref)
			}
		}
	}
	// m.anyPath stays: a path no path rule of m matches is matched by
	// none of the listed ones either. m.weak is keyed by rule, shared.
	sub.distinctive = sync.OnceValue(func() *Matcher {
		d := m.Distinctive()
		if d == m {
			return &sub
		}
		return d.Only(ids)
	})
	return &sub
}
