package rules

// The windows the matcher hands a rule's regex: around keyword hits, on
// the hit's line for catch-all rules, cut into pieces when long, widened
// when a match touches an edge.

import (
	"bytes"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// lineCursor finds the line around each keyword hit of one part of the
// automaton's scan. Hits come in order, so it remembers how far it has
// looked: every byte is searched for a newline a bounded number of times,
// even on a long line dense with keywords, where searching each hit's
// window afresh costs the window's size per hit.
type lineCursor struct {
	scanned   int // data[:scanned] was searched backwards for a newline
	lineStart int // just past the last newline in data[:scanned]
	nlFrom    int // nextNL is the first newline at or after nlFrom
	nextNL    int // or len(data)
	valid     bool
}

// bounds returns the start of the line holding data[start], or lo if that
// is later, and the offset of the newline that ends the line holding
// data[end-1] (or len(data)).
func (c *lineCursor) bounds(data []byte, lo, start, end int) (int, int) {
	if !c.valid {
		*c = lineCursor{valid: true, nlFrom: -1}
	}
	ls := lo
	if start >= c.scanned {
		if i := bytes.LastIndexByte(data[c.scanned:start], '\n'); i >= 0 {
			c.lineStart = c.scanned + i + 1
		}
		c.scanned = start
		ls = max(lo, c.lineStart)
	} else if i := bytes.LastIndexByte(data[lo:start], '\n'); i >= 0 {
		// Out of order (a longer keyword ending later): search only
		// what the caller needs.
		ls = lo + i + 1
	}
	if c.nlFrom < 0 || end < c.nlFrom || end > c.nextNL {
		c.nlFrom, c.nextNL = end, len(data)
		if i := bytes.IndexByte(data[end:], '\n'); i >= 0 {
			c.nextNL = end + i
		}
	}
	return ls, c.nextNL
}

// mergeWindow appends w to windows that arrive in order of their keyword
// hits, merging it into the last when they overlap.
func mergeWindow(ws []span, w span) []span {
	if n := len(ws); n > 0 && w.start <= ws[n-1].end {
		ws[n-1].end = max(ws[n-1].end, w.end)
		ws[n-1].start = min(ws[n-1].start, w.start)
		return ws
	}
	return append(ws, w)
}

// pieceLen and pieceOverlap size the pieces a long region is cut into
// (see runRule): long enough that the overlap costs little, short enough
// that one regex call stays cheap.
const (
	pieceLen     = 16 << 10
	pieceOverlap = 2 << 10
)

// pieces returns the length of the pieces of a long region for the rule
// and their overlap, which exceeds any window a keyword hit asks for.
func (r *Rule) pieces() (length, overlap int) {
	ov := max(pieceOverlap, 2*r.window()+512)
	return max(pieceLen, 4*ov), ov
}

// findWindow runs re over data[win], widening the window when a match
// touches an edge that is not the edge of data (the match may continue
// beyond it, or a boundary assertion may be wrong there), on the sides
// allowed. anyMatch, when given, is asked first. Offsets returned are
// absolute.
func findWindow(re interface {
	FindAllSubmatchIndex([]byte, int) [][]int
}, anyMatch func([]byte) bool, data []byte, win span, st *Stats, lineEdges, widenLeft, widenRight bool) [][]int {
	for grow := 0; ; grow++ {
		if st != nil {
			st.RegexCalls++
			st.RegexBytes += int64(win.end - win.start)
		}
		// Most windows around a keyword hold no match. Asking whether
		// there is one is far cheaper than extracting submatches (a DFA
		// once the rule is busy, see dfa.go), so ask that first.
		if grow == 0 && anyMatch != nil && !anyMatch(data[win.start:win.end]) {
			return nil
		}
		if st != nil {
			st.SubmatchBytes += int64(win.end - win.start)
		}
		locs := re.FindAllSubmatchIndex(data[win.start:win.end], -1)
		widen := false
		ns, ne := win.start, win.end
		for _, loc := range locs {
			if widenLeft && loc[0] == 0 && win.start > 0 && !(lineEdges && data[win.start-1] == '\n') {
				ns = max(0, win.start-(win.end-win.start))
				widen = true
			}
			if widenRight && loc[1] == win.end-win.start && win.end < len(data) && !(lineEdges && (data[win.end] == '\n' || data[win.end] == '\r')) {
				ne = min(len(data), win.end+(win.end-win.start))
				widen = true
			}
		}
		if !widen || grow == 4 {
			for _, loc := range locs {
				for i := range loc {
					if loc[i] >= 0 {
						loc[i] += win.start
					}
				}
			}
			return locs
		}
		win = span{ns, ne}
	}
}

// lineMemo keeps the last line an allowlist asked for: the candidates of
// one long line share one copy of it, rather than each copying the line
// (which made a long line of candidates cost its length squared).
type lineMemo struct {
	start, end int // data[start:end] is the line, without its newline
	text       string
	ok         bool
}

// line returns the line(s) holding data[start:end].
func (lm *lineMemo) line(data []byte, start, end int) string {
	if lm.ok && lm.start <= start && end <= lm.end {
		return lm.text
	}
	ls := bytes.LastIndexByte(data[:start], '\n') + 1
	le := bytes.IndexByte(data[end:], '\n')
	if le < 0 {
		le = len(data)
	} else {
		le += end
	}
	text := string(data[ls:le])
	// A match across lines gets all of them; only a single line is kept
	// for the next candidate, which may lie on one of them alone.
	if !strings.Contains(text, "\n") {
		*lm = lineMemo{start: ls, end: le, text: text, ok: true}
	}
	return text
}

// A keyword hit asks for the rule's window on both sides, because a
// keyword may sit anywhere near a match. For most provider rules it sits
// at the match's start: the regex opens with a boundary guard and then
// the keyword itself ("(?:^|[^a-z0-9])toggl…", "\b(00D…"), and no match
// is longer than the window. The window before such a hit can hold
// nothing the rule reports, so the matcher leaves it out (see keywordLead):
// the DFA and the regexes then examine about half the bytes.

// lead returns the rule's keywordLead once its regex has examined pfAfter
// bytes of windows or has its DFA (reading the regex costs tens of
// microseconds, which a pre-commit hook's small change does without);
// noLead before, and for a rule built by hand. It is the rule's own, so
// every matcher holding the rule shares it.
func (r *Rule) lead() (lead, maxLen int) {
	if r.re == nil || r.re.src != r.Regex || r.re.seen.Load() <= pfAfter && r.re.dfa.Load() == nil {
		return noLead, 0
	}
	return r.readLead()
}

// readLead returns the rule's keywordLead, reading it on first use.
func (r *Rule) readLead() (lead, maxLen int) {
	r.re.leadOnce.Do(func() { r.re.lead, r.re.leadMax = keywordLead(r) })
	return r.re.lead, r.re.leadMax
}

// noLead marks a rule whose matches may begin far from its keywords.
const noLead = -1

// keywordLead returns, for a rule whose every match contains one of its
// keywords at most lead bytes after the match's start, that lead and the
// most bytes a match can have (at most twice the rule's window);
// otherwise noLead. It is conservative: any expression it cannot read is
// noLead.
func keywordLead(r *Rule) (lead, maxLen int) {
	if r.Regex == "" || r.IsPathRule() || len(r.Keywords) == 0 {
		return noLead, 0
	}
	re, err := syntax.Parse(r.Regex, syntax.Perl)
	if err != nil {
		return noLead, 0
	}
	n, ok := maxBytes(re)
	if !ok || n > 2*r.window() {
		return noLead, 0
	}
	kws := r.Keywords
	if !r.CaseSensitive {
		kws = nil
		for _, k := range r.Keywords {
			kws = append(kws, foldASCII(k))
		}
	}
	if lead = leadOf(re, r.CaseSensitive, kws); lead == noLead {
		return noLead, 0
	}
	return lead, n
}

// leadOf is keywordLead's reading of re: the most bytes a match of re can
// have before the keyword it must start with, or noLead. kws are folded
// to lower case unless caseSensitive.
func leadOf(re *syntax.Regexp, caseSensitive bool, kws []string) int {
	switch re.Op {
	case syntax.OpCapture:
		return leadOf(re.Sub[0], caseSensitive, kws)
	case syntax.OpLiteral:
		if startsWithKeyword(re, caseSensitive, kws) {
			return 0
		}
	case syntax.OpAlternate:
		lead := 0
		for _, s := range re.Sub {
			l := leadOf(s, caseSensitive, kws)
			if l == noLead {
				return noLead
			}
			lead = max(lead, l)
		}
		return lead
	case syntax.OpConcat:
		// Guards of bounded width, then a keyword.
		width := 0
		for _, s := range re.Sub {
			if l := leadOf(s, caseSensitive, kws); l != noLead {
				return width + l
			}
			if !isGuard(s) {
				return noLead
			}
			n, _ := maxBytes(s)
			width += n
		}
	}
	return noLead
}

// isGuard reports whether re is a boundary guard: empty-width assertions,
// one character of a class, or a choice among those.
func isGuard(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpCharClass:
		return true
	case syntax.OpCapture:
		return isGuard(re.Sub[0])
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !isGuard(s) {
				return false
			}
		}
		return true
	}
	return false
}

// startsWithKeyword reports whether every text the literal matches starts
// with one of the keywords as the automaton finds them. A literal that
// ignores case also matches U+017F for s and U+212A for k, which the
// automaton does not fold: a keyword with either letter does not count.
func startsWithKeyword(re *syntax.Regexp, caseSensitive bool, kws []string) bool {
	fold := re.Flags&syntax.FoldCase != 0
	if fold && caseSensitive {
		return false
	}
	lit := string(re.Rune)
	for _, r := range re.Rune {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	folded := foldASCII(lit)
	for _, k := range kws {
		if fold && strings.ContainsAny(k, "sk") {
			continue
		}
		if caseSensitive {
			if strings.HasPrefix(lit, k) {
				return true
			}
			continue
		}
		if strings.HasPrefix(folded, k) {
			return true
		}
	}
	return false
}

// maxBytes returns the most bytes a match of re can have, or false when
// there is no bound.
func maxBytes(re *syntax.Regexp) (int, bool) {
	const limit = 1 << 20
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0, true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return len(re.Rune) * utf8.UTFMax, true
		}
		n := 0
		for _, r := range re.Rune {
			n += utf8.RuneLen(r)
		}
		return n, true
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0, true
		}
		return utf8.RuneLen(re.Rune[len(re.Rune)-1]), true
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return utf8.UTFMax, true
	case syntax.OpCapture, syntax.OpQuest:
		return maxBytes(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			m, ok := maxBytes(s)
			if !ok || n+m > limit {
				return 0, false
			}
			n += m
		}
		return n, true
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			m, ok := maxBytes(s)
			if !ok {
				return 0, false
			}
			n = max(n, m)
		}
		return n, true
	case syntax.OpRepeat:
		if re.Max < 0 {
			return 0, false
		}
		m, ok := maxBytes(re.Sub[0])
		if !ok || m*re.Max > limit {
			return 0, false
		}
		return m * re.Max, true
	}
	return 0, false
}
