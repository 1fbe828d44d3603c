package rules

import (
	"bytes"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// A keyword hit only says where to look: most windows around one hold no
// match, and asking the regex (a DFA, or before that Go's regexp) costs a
// few nanoseconds a byte. Most rules' regexes also require a literal that
// is not their keyword: "secret_live_" after "adapty", "token" after
// "toggl", "nk-" near "nomic". A window that contains none
// of a required set cannot hold a match, and looking for a literal costs
// about a byte a cycle. The prefilter is exact: it only skips windows the
// regex would reject (literals are compared ignoring ASCII case, which
// covers (?i); a window holding the lead bytes of U+017F or U+212A, which
// (?i) also folds to s and k, is always asked).

// prefilter is a set of ASCII literals, lower case, every match of a
// regex contains at least one of (ignoring ASCII case). Nil when none is
// known or worth checking.
type prefilter []string

// pfAfter is how many bytes of windows a rule's regex examines before
// the rule gets its prefilter (see dfaAfter).
const pfAfter = 8 << 10

// Limits on the sets the analysis carries: larger sets are not worth a
// pass each, and shorter literals select too little.
const (
	pfMaxSet    = 8
	pfMaxExact  = 16
	pfMinLitLen = 3
)

// newPrefilter returns the prefilter of expr, skipping sets that every
// window around one of keywords satisfies anyway (a literal that is a
// keyword or part of one).
func newPrefilter(expr string, keywords []string) prefilter {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	var kws []string
	for _, k := range keywords {
		kws = append(kws, strings.ToLower(k))
	}
	useful := func(set []string) bool {
		for _, l := range set {
			for _, k := range kws {
				if strings.Contains(k, l) || strings.Contains(l, k) {
					return false
				}
			}
		}
		return true
	}
	ok := func(set []string) bool { return usable(set) && useful(set) }
	if req := pfAnalyse(re.Simplify(), ok).req; ok(req) {
		return prefilter(req)
	}
	return nil
}

// pfScore ranks a set: longer shortest literal first, then fewer of them.
func pfScore(set []string) int {
	short := len(set[0])
	for _, l := range set {
		short = min(short, len(l))
	}
	return min(short, 12)*pfMaxSet*2 - len(set)
}

// pfInfo describes what every match of an expression contains: exact is
// every string it can match (nil when too many or unknown), req a set one
// of which every match contains (nil when unknown).
type pfInfo struct {
	exact []string
	req   []string
}

// pfAnalyse computes re's pfInfo. Of the sets a concatenation requires,
// it keeps the best that ok accepts.
func pfAnalyse(re *syntax.Regexp, ok func([]string) bool) pfInfo {
	switch re.Op {
	case syntax.OpLiteral:
		var b strings.Builder
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return pfInfo{}
			}
			b.WriteByte(fold(byte(r)))
		}
		s := b.String()
		return pfInfo{exact: []string{s}, req: []string{s}}
	case syntax.OpCharClass:
		var set []string
		seen := map[byte]bool{}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi >= utf8.RuneSelf || hi-lo > pfMaxExact {
				return pfInfo{}
			}
			for r := lo; r <= hi; r++ {
				if c := fold(byte(r)); !seen[c] {
					seen[c] = true
					set = append(set, string(c))
				}
			}
		}
		if len(set) == 0 || len(set) > pfMaxExact/2 {
			return pfInfo{}
		}
		return pfInfo{exact: set}
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return pfInfo{exact: []string{""}}
	case syntax.OpCapture:
		return pfAnalyse(re.Sub[0], ok)
	case syntax.OpPlus:
		in := pfAnalyse(re.Sub[0], ok)
		return pfInfo{req: in.req}
	case syntax.OpRepeat:
		in := pfAnalyse(re.Sub[0], ok)
		if re.Min == 0 {
			return pfInfo{}
		}
		if re.Min == 1 && re.Max == 1 {
			return in
		}
		return pfInfo{req: in.req}
	case syntax.OpConcat:
		cur := []string{""}
		exact := true
		var req []string
		pick := func(set []string) {
			if ok(set) && (req == nil || pfScore(set) > pfScore(req)) {
				req = set
			}
		}
		for _, sub := range re.Sub {
			in := pfAnalyse(sub, ok)
			if in.exact != nil && len(cur)*len(in.exact) <= pfMaxExact {
				cur = cross(cur, in.exact)
				continue
			}
			exact = false
			pick(cur)
			pick(in.req)
			cur = []string{""}
			if in.exact != nil {
				cur = in.exact
			}
		}
		if exact {
			return pfInfo{exact: cur, req: cur}
		}
		pick(cur)
		return pfInfo{req: req}
	case syntax.OpAlternate:
		var exact, req []string
		allExact, allReq := true, true
		for _, sub := range re.Sub {
			in := pfAnalyse(sub, ok)
			if in.exact == nil {
				allExact = false
			} else {
				exact = append(exact, in.exact...)
			}
			r := in.req
			if !usable(r) {
				r = in.exact
			}
			if !usable(r) {
				allReq = false
			} else {
				req = append(req, r...)
			}
		}
		out := pfInfo{}
		if allExact && len(exact) <= pfMaxExact {
			out.exact = exact
		}
		if allReq && len(req) <= pfMaxSet {
			out.req = req
		}
		return out
	}
	return pfInfo{}
}

// usable reports whether set can serve as a requirement: not empty, not
// too large, and no literal too short.
func usable(set []string) bool {
	if len(set) == 0 || len(set) > pfMaxSet {
		return false
	}
	for _, l := range set {
		if len(l) < pfMinLitLen {
			return false
		}
	}
	return true
}

// cross returns every a followed by every b.
func cross(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// admits reports whether b may hold a match: it contains one of the
// literals (ignoring ASCII case), or a byte that may start a rune that
// (?i) folds to an ASCII letter. A nil prefilter admits everything.
func (p prefilter) admits(b []byte) bool {
	if p == nil {
		return true
	}
	for _, l := range p {
		if containsFold(b, l) {
			return true
		}
	}
	// U+017F (C5 BF) folds to s, U+212A (E2 84 AA) to k.
	return bytes.IndexByte(b, 0xC5) >= 0 || bytes.IndexByte(b, 0xE2) >= 0
}

// containsFold reports whether b contains lit, a lower-case ASCII
// literal, ignoring ASCII case. It jumps with IndexByte between the
// occurrences of lit's rarest byte (in both cases for a letter) and
// compares lit around each.
func containsFold(b []byte, lit string) bool {
	n := len(lit)
	anchor := 0
	for i := 1; i < n; i++ {
		if byteRank(lit[i]) < byteRank(lit[anchor]) {
			anchor = i
		}
	}
	lo := lit[anchor]
	up := lo
	if 'a' <= lo && lo <= 'z' {
		up = lo - ('a' - 'A')
	}
	// nextLo and nextUp are the next occurrences at or after from, or
	// len(b); found afresh only once passed.
	nextLo, nextUp := -1, -1
	for from := anchor; from < len(b); {
		if nextLo < from {
			nextLo = len(b)
			if i := bytes.IndexByte(b[from:], lo); i >= 0 {
				nextLo = from + i
			}
		}
		if nextUp < from {
			nextUp = nextLo
			if up != lo {
				nextUp = len(b)
				if i := bytes.IndexByte(b[from:], up); i >= 0 {
					nextUp = from + i
				}
			}
		}
		i := min(nextLo, nextUp)
		if i == len(b) {
			return false
		}
		if at := i - anchor; at+n <= len(b) && equalFoldLower(b[at:at+n], lit) {
			return true
		}
		from = i + 1
	}
	return false
}

// byteRank orders bytes by how rarely they occur in source code and
// configuration: common letters and punctuation last. Only the order
// matters.
func byteRank(c byte) int {
	const common = "etaoinsrlcdu_hpmfgbyw.-=\"' ,:/()"
	if i := strings.IndexByte(common, fold(c)); i >= 0 {
		return 1 + i
	}
	return 0
}

// equalFoldLower reports whether b equals lit, a lower-case ASCII
// literal, ignoring ASCII case.
func equalFoldLower(b []byte, lit string) bool {
	for i := 0; i < len(lit); i++ {
		if fold(b[i]) != lit[i] {
			return false
		}
	}
	return true
}
