package rules

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Window bounds, in bytes: DefaultWindow is a rule's window when it sets
// none, MaxWindow the largest a rule may set.
const (
	DefaultWindow = 256
	MaxWindow     = 1 << 16
)

// MaxFindingsPerRule is how many matches one rule reports in one input.
// Only accepted matches count: candidates rejected by a check, entropy,
// placeholder detection or an allowlist never do, so decoys cannot use it
// up. It bounds memory, not work (the matcher's work is linear in the
// input whatever it holds): every accepted match becomes a finding of
// about a kilobyte (location, excerpt, fingerprint), so one capped rule
// holds at most about 64 MB per input. An input with more genuine
// findings of one rule than this is generated data, not leaks to revoke
// one by one. Reaching the limit is never silent: it is counted in
// [Stats.Capped], for the caller to report by file and rule.
const MaxFindingsPerRule = 1 << 16

// Stats counts candidates dropped by checks, by reason ("entropy",
// "placeholder", "allowlist", "check:github", ...). The zero value is ready
// to use. A Stats is not safe for concurrent use: give each worker its own
// and [Stats.Merge] them.
type Stats struct {
	Rejected map[string]int
	// RegexCalls and RegexBytes count regex invocations and the bytes they
	// examined: the matcher's work, which must stay linear in the input.
	RegexCalls int
	RegexBytes int64
	// SubmatchBytes counts the bytes handed to submatch extraction (Go's
	// regexp, hundreds of nanoseconds a byte on dense input): the costly
	// part of RegexBytes, which must stay a small multiple of the input.
	SubmatchBytes int64
	// Capped counts, by rule id, the inputs in which the rule reached
	// [MaxFindingsPerRule] accepted matches: its further matches in those
	// inputs were not reported. Callers must say so (file and rule).
	Capped map[string]int
}

func (s *Stats) capped(rule string) {
	if s == nil {
		return
	}
	if s.Capped == nil {
		s.Capped = map[string]int{}
	}
	s.Capped[rule]++
}

func (s *Stats) reject(reason string) {
	if s == nil {
		return
	}
	if s.Rejected == nil {
		s.Rejected = map[string]int{}
	}
	s.Rejected[reason]++
}

// Merge adds o's counts to s.
func (s *Stats) Merge(o Stats) {
	s.RegexCalls += o.RegexCalls
	s.RegexBytes += o.RegexBytes
	s.SubmatchBytes += o.SubmatchBytes
	for k, v := range o.Rejected {
		if s.Rejected == nil {
			s.Rejected = map[string]int{}
		}
		s.Rejected[k] += v
	}
	for k, v := range o.Capped {
		if s.Capped == nil {
			s.Capped = map[string]int{}
		}
		s.Capped[k] += v
	}
}

// keywordRef ties an automaton pattern to a rule that uses it.
type keywordRef struct {
	rule          int
	caseSensitive bool
	literal       string
}

// Matcher finds matches of every active rule in a byte slice. It is built
// once from a [Ruleset] and is safe for concurrent use.
type Matcher struct {
	rules     []*Rule
	pathRules []*Rule
	allow     []Allowlist
	ac        *acMachine
	refs      [][]keywordRef // pattern id -> users
	// anyPath answers whether any path rule's pattern matches a path,
	// built on first use; nil when a pattern does not compile.
	anyPath func() *dfaProg
	// distinctive is the matcher of the distinctive rules alone, built on
	// first use (see [Matcher.Distinctive]).
	distinctive func() *Matcher
	// weak holds, for each rule with a check in weakChecks, the rule as
	// it reports a plausible candidate that failed the check (weak.go).
	weak map[*Rule]*Rule
	// windows lends each FindPath the per-rule window lists of one part
	// of the automaton's walk (*ruleWindows), reused from call to call.
	windows *sync.Pool
	// fullWindows turns keyword leads off (see Rule.lead): every hit
	// asks for the rule's whole window. For tests.
	fullWindows bool
}

// NewMatcher compiles the ruleset's keywords into one automaton. Regexes are
// compiled lazily, on a rule's first keyword hit.
func NewMatcher(rs *Ruleset) *Matcher {
	m := &Matcher{rules: rs.rules, allow: rs.allow}
	m.windows = &sync.Pool{New: func() any { return &ruleWindows{wins: make([][]span, len(m.rules))} }}
	for _, r := range rs.rules {
		if r.IsPathRule() {
			m.pathRules = append(m.pathRules, r)
		}
		if _, ok := weakChecks[r.Check]; ok {
			if m.weak == nil {
				m.weak = map[*Rule]*Rule{}
			}
			m.weak[r] = weakRule(r)
		}
	}
	pats, refs := keywordPatterns(rs.rules)
	m.ac, m.refs = pickAC(pats, refs)
	m.anyPath = sync.OnceValue(func() *dfaProg {
		var exprs []string
		for _, r := range m.pathRules {
			exprs = append(exprs, r.Path)
		}
		d, _ := newUnionDFA(exprs)
		return d
	})
	m.distinctive = sync.OnceValue(func() *Matcher {
		sub := &Ruleset{allow: rs.allow, MaxFileSize: rs.MaxFileSize, rules: stringsRules(rs.rules)}
		return NewMatcher(sub)
	})
	return m
}

// Distinctive returns a matcher of this matcher's distinctive rules only
// (see [Rule.Distinctive]), each reduced to its secret's expression (see
// [Rule.ForStrings]), for text where generic rules would report noise
// and neighbours touch: the printable strings of a binary file. It is
// built once.
func (m *Matcher) Distinctive() *Matcher {
	if m.distinctive == nil {
		return m
	}
	return m.distinctive()
}

// MaxExtent is the longest span of input one match of a keyword window
// covers: the regex of a rule sees its window on each side of a keyword
// hit. A scan that cuts a large input into pieces overlapping by this much
// sees every such match whole in some piece. (findWindow may widen a
// window when a match runs into its edge; a match longer than MaxExtent,
// which no default rule allows, can be cut at a piece boundary.)
func (m *Matcher) MaxExtent() int {
	ext := 0
	for _, r := range m.rules {
		if r.IsPathRule() {
			continue
		}
		kw := 0
		for _, k := range r.Keywords {
			kw = max(kw, len(k))
		}
		ext = max(ext, 2*r.window()+kw)
	}
	return ext
}

// PathAllowed reports whether a global allowlist silences every rule for
// the path, so the content need not be read at all.
func (m *Matcher) PathAllowed(path string) bool {
	for i := range m.allow {
		if m.allow[i].pathOnly(path) {
			return true
		}
	}
	return false
}

// keywordPatterns returns the automaton's patterns for the rules'
// keywords (folded to ASCII lower case, each once, in order of first use)
// and, for each pattern, the rules that use it. Path rules have none. The
// patterns must not be changed: for the default rules they are defaultAC's.
func keywordPatterns(rules []*Rule) ([]string, [][]keywordRef) {
	if refs, ok := defaultKeywordRefs(rules); ok {
		return defaultAC.pats, refs
	}
	return buildKeywordPatterns(rules)
}

// buildKeywordPatterns is keywordPatterns for any rules.
func buildKeywordPatterns(rules []*Rule) ([]string, [][]keywordRef) {
	ids := map[string]int{}
	var pats []string
	var refs [][]keywordRef
	for ri, r := range rules {
		if r.IsPathRule() {
			continue
		}
		for _, k := range r.Keywords {
			key := foldASCII(k) // the automaton folds ASCII only; lengths must not change
			id, ok := ids[key]
			if !ok {
				id = len(pats)
				ids[key] = id
				pats = append(pats, key)
				refs = append(refs, nil)
			}
			refs[id] = append(refs[id], keywordRef{rule: ri, caseSensitive: r.CaseSensitive, literal: k})
		}
	}
	return pats, refs
}

// defaultKeywordRefs is keywordPatterns for rules whose keywords, in
// order, are the default rules' (defaultAC.kws): the patterns are then
// defaultAC's, and each keyword's pattern id is known (defaultAC.kwIDs),
// so no map is built at start-up. It reports false for other rules.
func defaultKeywordRefs(rules []*Rule) ([][]keywordRef, bool) {
	kws, kwIDs := defaultAC.kws, defaultAC.kwIDs
	j := 0
	for _, r := range rules {
		if r.IsPathRule() {
			continue
		}
		for _, k := range r.Keywords {
			if j == len(kws) || k != kws[j] {
				return nil, false
			}
			j++
		}
	}
	if j != len(kws) {
		return nil, false
	}
	// Each pattern's users, in order, cut from one array.
	start := make([]int32, len(defaultAC.pats)+1)
	for _, id := range kwIDs {
		start[id+1]++
	}
	for i := range len(defaultAC.pats) {
		start[i+1] += start[i]
	}
	all := make([]keywordRef, len(kws))
	refs := make([][]keywordRef, len(defaultAC.pats))
	for id := range refs {
		refs[id] = all[start[id]:start[id]:start[id+1]]
	}
	j = 0
	for ri, r := range rules {
		if r.IsPathRule() {
			continue
		}
		for _, k := range r.Keywords {
			id := kwIDs[j]
			refs[id] = append(refs[id], keywordRef{rule: ri, caseSensitive: r.CaseSensitive, literal: k})
			j++
		}
	}
	return refs, true
}

// pickAC returns the automaton for pats and the rules that use each of
// its patterns. For the default rules that is the compiled-in automaton
// (see defaultAC). It also is when most of the default rules remain (a
// configuration disabled a few) and every pattern is one of theirs: the
// patterns no rule uses then report hits that nothing follows. Otherwise
// the automaton is built.
func pickAC(pats []string, refs [][]keywordRef) (*acMachine, [][]keywordRef) {
	if slices.Equal(pats, defaultAC.pats) {
		return &defaultAC.m, refs
	}
	if len(pats) < len(defaultAC.pats)*3/4 {
		// A small set scans faster with an automaton of its own, and
		// builds it quickly.
		return newAC(pats), refs
	}
	ids := defaultACIDs()
	for _, p := range pats {
		if _, ok := ids[p]; !ok {
			return newAC(pats), refs
		}
	}
	mapped := make([][]keywordRef, len(defaultAC.pats))
	for i, p := range pats {
		mapped[ids[p]] = refs[i]
	}
	return &defaultAC.m, mapped
}

// defaultACIDs maps each pattern of the compiled-in automaton to its id.
var defaultACIDs = sync.OnceValue(func() map[string]int {
	ids := make(map[string]int, len(defaultAC.pats))
	for i, p := range defaultAC.pats {
		ids[p] = i
	}
	return ids
})

// acTables is a keyword automaton with the patterns it was built from
// and, for the rules it was built for, their keywords in order and each
// one's pattern id (see keywordPatterns).
type acTables struct {
	pats  []string
	kws   []string
	kwIDs []int32
	m     acMachine
}

func foldASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = fold(c)
	}
	return string(b)
}

// Rules returns the rules the matcher runs, sorted by id.
func (m *Matcher) Rules() []*Rule { return m.rules }

type span struct{ start, end int }

// Find returns every match in data, ordered by offset then rule id. st may
// be nil.
func (m *Matcher) Find(data []byte, st *Stats) []Match {
	return m.FindPath("", data, st)
}

// FindPath is [Matcher.Find] for content that came from path: rules whose
// allowlists name the path are skipped (and counted as "allowlist-path").
func (m *Matcher) FindPath(path string, data []byte, st *Stats) []Match {
	var out []Match
	if path != "" && len(m.pathRules) > 0 {
		out = m.findFiles(path, data, false, st)
	}
	if len(data) == 0 || len(m.rules) == len(m.pathRules) {
		return out
	}
	// Windows around keyword hits, merged as they arrive: memory stays
	// proportional to the number of disjoint windows, not of hits, even on
	// input made of nothing but keywords.
	var parts [acStreams]*ruleWindows // by the automaton's part, see scan
	defer func() {
		for _, p := range parts {
			if p != nil {
				p.reset()
				m.windows.Put(p)
			}
		}
	}()
	part := func(i int) *ruleWindows {
		if parts[i] == nil {
			rw := m.windows.Get().(*ruleWindows)
			if len(rw.wins) < len(m.rules) {
				// A pool shared with a matcher of fewer rules.
				rw.wins = make([][]span, len(m.rules))
			}
			parts[i] = rw
		}
		return parts[i]
	}
	var lines [acStreams]lineCursor
	m.ac.scan(data, func(pi int, id int32, end int) {
		into := part(pi)
		lineStart, lineEnd := -1, -1
		for _, ref := range m.refs[id] {
			start := end - len(ref.literal)
			if ref.caseSensitive && !bytes.Equal(data[start:end], []byte(ref.literal)) {
				continue
			}
			r := m.rules[ref.rule]
			w := r.window()
			s, e := max(start-w, 0), min(end+w, len(data))
			if lead, maxLen := r.lead(); lead != noLead && !m.fullWindows {
				// Every match starts at most lead bytes before one of
				// the rule's keywords: the window before that holds none.
				s = max(s, start-lead)
				e = min(max(e, start+maxLen), len(data))
			}
			if r.Generic && r.Window == 0 {
				// Catch-all rules match an assignment on one line: their
				// regex sees the keyword's line only, which is most of the
				// matcher's speed on ordinary code.
				if lineStart < 0 {
					lineStart, lineEnd = lines[pi].bounds(data, max(start-DefaultWindow, 0), start, end)
				}
				s, e = max(s, lineStart), min(e, lineEnd)
			}
			into.add(ref.rule, span{s, e})
		}
	})
	// Each part's windows follow those of the parts before, as if one
	// pass had found them.
	hits := part(0)
	for _, p := range parts[1:] {
		if p == nil {
			continue
		}
		for _, ri := range p.touched {
			for _, w := range p.wins[ri] {
				hits.add(ri, w)
			}
		}
	}
	if len(hits.touched) == 0 {
		return out
	}
	ruleIdx := hits.touched
	sort.Ints(ruleIdx)
	for _, ri := range ruleIdx {
		r := m.rules[ri]
		if path != "" && m.pathAllowed(r, path) {
			st.reject("allowlist-path")
			continue
		}
		if r.onlyRe != nil && !r.inOnlyPaths(path) {
			continue
		}
		out = m.runRule(r, path, data, hits.wins[ri], out, st)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].Rule.ID < out[j].Rule.ID
	})
	return dropSameSecret(dropSuperseded(out, st), st)
}

// ruleWindows holds the windows each rule's keyword hits asked for, in
// one part of the automaton's walk: a slice indexed by rule rather than a
// map, reused by the next FindPath (a map cost about a tenth of a
// microsecond a hit).
type ruleWindows struct {
	wins    [][]span // by rule index, merged as they arrive
	touched []int    // the rules with windows
}

// add merges w into the rule's windows.
func (rw *ruleWindows) add(ri int, w span) {
	ws := rw.wins[ri]
	if len(ws) == 0 {
		rw.touched = append(rw.touched, ri)
	}
	rw.wins[ri] = mergeWindow(ws, w)
}

// reset empties rw, keeping its memory for the next call (but not the
// long lists of an input dense with keywords).
func (rw *ruleWindows) reset() {
	for _, ri := range rw.touched {
		if cap(rw.wins[ri]) > 1024 {
			rw.wins[ri] = nil
		} else {
			rw.wins[ri] = rw.wins[ri][:0]
		}
	}
	rw.touched = rw.touched[:0]
}

// dropSuperseded removes matches of generic rules whose secret overlaps
// the secret of a specific rule's match, in O(n log n).
func dropSuperseded(out []Match, st *Stats) []Match {
	var specific []span
	hasGeneric := false
	for _, mt := range out {
		switch {
		case mt.File:
		case mt.Rule.Generic:
			hasGeneric = true
		default:
			specific = append(specific, span{mt.SecretStart, mt.SecretEnd})
		}
	}
	if !hasGeneric || len(specific) == 0 {
		return out
	}
	sort.Slice(specific, func(i, j int) bool { return specific[i].start < specific[j].start })
	maxEnd := make([]int, len(specific)) // maxEnd[i]: largest end among specific[:i+1]
	for i, sp := range specific {
		maxEnd[i] = sp.end
		if i > 0 {
			maxEnd[i] = max(maxEnd[i], maxEnd[i-1])
		}
	}
	kept := out[:0]
	for _, mt := range out {
		if mt.Rule.Generic && !mt.File {
			// Specific spans starting before this secret ends; any of them
			// ending after it starts overlaps it.
			n := sort.Search(len(specific), func(i int) bool { return specific[i].start >= mt.SecretEnd })
			if n > 0 && maxEnd[n-1] > mt.SecretStart {
				st.reject("superseded")
				continue
			}
		}
		kept = append(kept, mt)
	}
	return kept
}

// dropSameSecret keeps one match per secret among specific rules: when two
// specific rules report exactly the same secret (an sk_live_ key that a
// provider's rule claims because its name is next to it, and that
// Stripe's rule claims by its prefix alone; a config-file rule and the
// token rule for the token inside it), the match that consumed more of the
// text around the secret wins, since it rests on more evidence; on a tie,
// the rule listed first. One secret is then one finding.
func dropSameSecret(out []Match, st *Stats) []Match {
	if len(out) < 2 {
		return out
	}
	type key struct{ start, end int }
	best := map[key]int{} // secret span -> index in out of the match kept
	dup := false
	for i, mt := range out {
		if mt.File || mt.Rule.Generic {
			continue
		}
		k := key{mt.SecretStart, mt.SecretEnd}
		j, ok := best[k]
		if !ok {
			best[k] = i
			continue
		}
		dup = true
		if mt.End-mt.Start > out[j].End-out[j].Start {
			best[k] = i
		}
	}
	if !dup {
		return out
	}
	kept := out[:0]
	for i, mt := range out {
		if !mt.File && !mt.Rule.Generic && best[key{mt.SecretStart, mt.SecretEnd}] != i {
			st.reject("same-secret")
			continue
		}
		kept = append(kept, mt)
	}
	return kept
}

// inOnlyPaths reports whether path is one the rule's only_paths allow (a
// rule whose regexes do not compile matches nowhere).
func (r *Rule) inOnlyPaths(path string) bool {
	if path == "" {
		return false
	}
	re, err := r.onlyRe.get()
	return err == nil && re.MatchString(path)
}

func (m *Matcher) pathAllowed(r *Rule, path string) bool {
	for i := range r.Allow {
		if r.Allow[i].pathOnly(path) {
			return true
		}
	}
	for i := range m.allow {
		if m.allow[i].pathOnly(path) {
			return true
		}
	}
	return false
}

// FindFile runs only the path rules that need no content (for files that
// are not scanned, such as binary or oversized ones).
func (m *Matcher) FindFile(path string, st *Stats) []Match {
	if path == "" || len(m.pathRules) == 0 {
		return nil
	}
	return m.findFiles(path, nil, true, st)
}

// findFiles runs the path rules against path; when pathOnly is set, rules
// with a content condition are skipped.
func (m *Matcher) findFiles(path string, data []byte, pathOnly bool, st *Stats) []Match {
	if d := m.anyPath(); d != nil && !d.matchString(path) {
		return nil // the usual case: no path rule is about this file
	}
	var out []Match
	for _, r := range m.pathRules {
		if r.re != nil && pathOnly {
			continue
		}
		pre, err := r.pathRe.get()
		if err != nil {
			st.reject("bad-regex")
			continue
		}
		if !pre.MatchString(path) {
			continue
		}
		mt := Match{Rule: r, File: true, Secret: path}
		if r.re != nil {
			re, err := r.re.get()
			if err != nil {
				st.reject("bad-regex")
				continue
			}
			loc := re.FindSubmatchIndex(data)
			if loc == nil {
				continue
			}
			g := 2 * r.SecretGroup
			if g+1 >= len(loc) || loc[g] < 0 {
				g = 0
			}
			mt.Start, mt.End, mt.SecretStart, mt.SecretEnd = loc[0], loc[1], loc[g], loc[g+1]
		}
		c := candidate{path: path, secret: path, lower: strings.ToLower(path),
			match: func() string { return path }, line: func() string { return path }}
		if m.allowed(r, &c) {
			st.reject("allowlist")
			continue
		}
		mt.Entropy = Entropy(path)
		out = append(out, mt)
	}
	return out
}

func (m *Matcher) allowed(r *Rule, c *candidate) bool {
	for i := range r.Allow {
		if r.Allow[i].allows(c) {
			return true
		}
	}
	for i := range m.allow {
		if m.allow[i].allows(c) {
			return true
		}
	}
	return false
}

func (r *Rule) window() int {
	if r.Window == 0 {
		return DefaultWindow
	}
	return r.Window
}

// runRule runs one rule's regex over merged windows around its keyword hits.
func (m *Matcher) runRule(r *Rule, path string, data []byte, wins []span, out []Match, st *Stats) []Match {
	re, err := r.Compiled()
	if err != nil {
		// Rules are validated at load; an embedded rule that does not
		// compile is a bug caught by the test suite. Count, don't crash.
		st.reject("bad-regex")
		return out
	}
	anyMatch := re.Match
	// A DFA cache held for the whole rule: a rule may ask about hundreds
	// of thousands of small windows (one keyword per short line).
	var cache *dfaCache
	defer func() {
		if cache != nil {
			cache.d.release(cache)
		}
	}()
	if r.re != nil && r.re.src == r.Regex {
		anyMatch = func(b []byte) bool {
			if cache == nil {
				d := r.re.dfa.Load()
				if d == nil {
					// Go's regexp, until the rule has looked at enough
					// windows to get its DFA (see dfaAfter).
					return r.re.matchAny(re, b)
				}
				cache = d.acquire()
			}
			return cache.match(b)
		}
	}
	seen := map[span]bool{}
	accepted := 0
	var memo lineMemo
	var nameGroups []int // the "name" groups a context-aware check sees
	if _, ok := contextChecks[r.Check]; ok {
		for i, n := range re.SubexpNames() {
			if n == "name" {
				nameGroups = append(nameGroups, i)
			}
		}
	}
	lineEdges := r.Generic && r.Window == 0
	// The prefilter costs a parse of the regex: a rule that has looked at
	// little (a pre-commit hook's small change) does without.
	var pf prefilter
	if r.re != nil && (r.re.seen.Load() > pfAfter || r.re.dfa.Load() != nil) {
		pf = r.prefilter()
	}
	plen, ov := r.pieces()
	pruneAt := 1 << 12
	// take verifies the candidates one regex call found; false once the
	// rule has reached its limit.
	take := func(locs [][]int) bool {
		for _, loc := range locs {
			ms := span{loc[0], loc[1]}
			if seen[ms] {
				continue
			}
			seen[ms] = true
			g := 2 * r.SecretGroup
			if g+1 >= len(loc) || loc[g] < 0 || loc[g] == loc[g+1] {
				continue
			}
			mt := Match{Rule: r, Start: loc[0], End: loc[1], SecretStart: loc[g], SecretEnd: loc[g+1]}
			name := span{-1, -1}
			for _, i := range nameGroups {
				if n := 2 * i; n+1 < len(loc) && loc[n] >= 0 {
					name = span{loc[n], loc[n+1]}
					break
				}
			}
			if reason := m.verify(r, path, data, &mt, name, &memo); reason != "" {
				st.reject(reason)
				continue
			}
			if accepted == MaxFindingsPerRule {
				// Said loudly by the caller; the rest of the input is not
				// examined for this rule, so the work stays bounded.
				st.capped(r.ID)
				return false
			}
			accepted++
			out = append(out, mt)
		}
		return true
	}
	for _, win := range wins {
		if len(seen) > pruneAt {
			// Only a window's widening (at most 81 times its length, and
			// no window is longer than plen) can find a match again.
			for ms := range seen {
				if ms.end < win.start-41*plen {
					delete(seen, ms)
				}
			}
			pruneAt = 2*len(seen) + 1<<12
		}
		if win.end-win.start <= plen {
			if !pf.admits(data[win.start:win.end]) {
				continue
			}
			if !take(findWindow(re, anyMatch, data, win, st, lineEdges, true, true)) {
				return out
			}
			continue
		}
		// A long region: input dense with keywords. One regex call over
		// all of it would let a match run for megabytes and costs Go's
		// regexp hundreds of nanoseconds a byte wherever the DFA sees a
		// match. Cut it into pieces of plen bytes, each overlapping the
		// next by ov (more than any keyword's own window, so every window
		// the keywords asked for lies whole in some piece), and ask the
		// DFA first whether a match lies inside the piece given what
		// really surrounds it: a piece cut out of a long line holds no
		// "^" and no "$", so line-anchored rules skip it at DFA speed.
		if cache == nil && r.re != nil && r.re.src == r.Regex {
			if d := r.re.eagerDFA(); d != nil {
				cache = d.acquire()
			}
		}
		for a := win.start; ; a += plen - ov {
			b := min(a+plen, win.end)
			first, last := a == win.start, b == win.end
			if !pf.admits(data[a:b]) {
				if last {
					break
				}
				continue
			}
			if cache != nil {
				if st != nil {
					st.RegexCalls++
					st.RegexBytes += int64(b - a)
				}
				if !cache.matchIn(data, a, b) {
					if last {
						break
					}
					continue
				}
			}
			locs := findWindow(re, nil, data, span{a, b}, st, lineEdges, first, last)
			// A match at a cut inside the region, shorter than the
			// overlap, lies whole in the neighbouring piece, which finds
			// it with its true surroundings: here it may be cut short or
			// an artefact of the cut ("^" or "\b" at the piece's start).
			kept := locs[:0]
			for _, loc := range locs {
				if loc[1]-loc[0] < ov && (!first && loc[0] == a || !last && loc[1] == b) {
					continue
				}
				kept = append(kept, loc)
			}
			if !take(kept) {
				return out
			}
			if last {
				break
			}
		}
	}
	return out
}

// verify applies allowlists, placeholder detection, entropy and the rule's
// structural check. It fills in the match's secret and entropy and returns
// the rejection reason, or "" to keep the match.
func (m *Matcher) verify(r *Rule, path string, data []byte, mt *Match, name span, memo *lineMemo) string {
	s := string(data[mt.SecretStart:mt.SecretEnd])
	c := candidate{path: path, secret: s, lower: strings.ToLower(s),
		match: func() string { return string(data[mt.Start:mt.End]) },
		line:  func() string { return memo.line(data, mt.Start, mt.End) }}
	if m.allowed(r, &c) {
		return "allowlist"
	}
	if r.Placeholders == nil || *r.Placeholders {
		if ok, why := IsPlaceholder(s); ok {
			return why
		}
	}
	mt.Entropy = Entropy(s)
	if mt.Entropy < r.Entropy {
		return "entropy"
	}
	if r.Check != "" {
		in := CheckInput{Secret: s}
		if _, ok := contextChecks[r.Check]; ok {
			in.Match = string(data[mt.Start:mt.End])
			if name.start >= 0 {
				in.Name = string(data[name.start:name.end])
			}
		}
		if !RunCheckInput(r.Check, in) {
			w := m.weak[r]
			if w == nil || !weakChecks[r.Check](s) {
				return "check:" + r.Check
			}
			mt.Rule = w // plausible: reported one severity lower
		}
	}
	if why := defaultValueReason(r, path, s); why != "" {
		return why
	}
	mt.Secret = s
	return ""
}

// String describes a match without revealing the secret.
func (mt Match) String() string {
	return fmt.Sprintf("%s@%d-%d", mt.Rule.ID, mt.Start, mt.End)
}
