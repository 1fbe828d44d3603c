package rules

// The windows the matcher hands a rule's regex: around keyword hits, on
// the hit's line for catch-all rules, cut into pieces when long, widened
// when a match touches an edge.

import (
	"bytes"
	"strings"
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
