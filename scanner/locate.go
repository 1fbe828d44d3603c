package scanner

import (
	"bytes"
	"slices"
	"sort"
	"strings"
)

// locator turns byte offsets into 1-based lines and columns. Offsets are
// asked for in increasing order, so it counts newlines incrementally. It
// also remembers the last line it was asked about (its bounds, its inline
// allows, its browser-exposed variables), so that many secrets on one
// long line cost the line's length once, not once per secret.
type locator struct {
	data      []byte
	line      int // line number of lineStart
	lineStart int
	// org, when set, places data in its file (a window of a large file,
	// the printable strings of a binary file).
	org     *origin
	scanned int // data[lineStart:scanned] holds no newline

	// The last two lines lineBounds returned (a secret's line and the one
	// before it, for allow-next-line), the older one replaced first.
	bounds  [2]lineSpan
	older   int
	allows  map[allowKey]bool // inline allows asked of recent lines
	envs    [][]int           // browser-exposed assignments on the line at envLine
	envLine int
	envOK   bool

	work int64 // bytes searched, for tests: linear in the input
}

// lineSpan is a line: data[s:e], e before any CR, n the offset of its
// newline (or len(data)).
type lineSpan struct {
	s, e, n int
	ok      bool
}

// allowKey is one question asked of a line: does it allow the rule (next:
// on the line after it)?
type allowKey struct {
	line int // the line's start offset
	rule string
	next bool
}

func newLocator(data []byte) *locator { return &locator{data: data, line: 1} }

// position returns the line, column and line start of offset.
func (l *locator) position(off int) (line, col, start int) {
	if off < l.lineStart {
		// Out of order: step back over the newlines in between.
		l.line -= bytes.Count(l.data[off:l.lineStart], []byte{'\n'})
		l.lineStart = bytes.LastIndexByte(l.data[:off], '\n') + 1
		l.scanned = off
		l.work += int64(l.scanned - l.lineStart)
	}
	if from := max(l.scanned, l.lineStart); off > from {
		l.work += int64(off - from)
		for {
			i := bytes.IndexByte(l.data[from:off], '\n')
			if i < 0 {
				break
			}
			l.lineStart = from + i + 1
			l.line++
			from = l.lineStart
		}
		l.scanned = off
	}
	return l.line, off - l.lineStart + 1, l.lineStart
}

// lineBounds returns the start and end (without CR LF) of the line holding off.
func (l *locator) lineBounds(off int) (int, int) {
	ls := l.lineOf(off)
	return ls.s, ls.e
}

// lineOf returns the line holding off.
func (l *locator) lineOf(off int) lineSpan {
	for _, b := range l.bounds {
		if b.ok && b.s <= off && off <= b.n {
			return b
		}
	}
	start := bytes.LastIndexByte(l.data[:off], '\n') + 1
	end := bytes.IndexByte(l.data[off:], '\n')
	if end < 0 {
		end = len(l.data)
	} else {
		end += off
	}
	l.work += int64(end - start)
	b := lineSpan{s: start, e: end, n: end, ok: true}
	if end > start && l.data[end-1] == '\r' {
		b.e--
	}
	l.bounds[l.older] = b
	l.older = 1 - l.older
	return b
}

// lineAllows answers allowedBy (or, for next, nextLineAllowed) for the
// line data[s:e], remembering the answers for the lines around the
// current one.
func (l *locator) lineAllows(s, e int, ruleID string, next bool) bool {
	k := allowKey{s, ruleID, next}
	if ok, found := l.allows[k]; found {
		return ok
	}
	if len(l.allows) >= 1024 || l.allows == nil {
		l.allows = make(map[allowKey]bool)
	}
	l.work += int64(e - s)
	var ok bool
	if next {
		ok = nextLineAllowed(l.data[s:e], ruleID)
	} else {
		ok = allowedBy(l.data[s:e], ruleID)
	}
	l.allows[k] = ok
	return ok
}

// publicEnvBefore returns the first assignment to a browser-exposed
// variable on the line of off that ends at or before off, or nil. The
// line is searched once for all the secrets on it.
func (l *locator) publicEnvBefore(off int) []byte {
	ls := l.lineOf(off)
	s := ls.s
	if !l.envOK || l.envLine != s {
		l.envLine, l.envOK = s, true
		l.envs = publicEnv().FindAllIndex(l.data[s:ls.n], -1)
		l.work += int64(ls.n - s)
	}
	for _, m := range l.envs {
		if s+m[1] <= off {
			return l.data[s+m[0] : s+m[1]]
		}
	}
	return nil
}

// locate returns the location of the secret [start, end).
func (l *locator) locate(start, end int) Location {
	if l.org != nil && l.org.runs != nil {
		return l.org.locateRun(start, end)
	}
	line, col, _ := l.position(start)
	last := max(start, end-1)
	eline, ecol, _ := l.position(last)
	// Re-anchor for the next call, which starts at or after start.
	l.line, l.lineStart, l.scanned = line, start-col+1, start
	if l.org != nil {
		line, col = l.org.shift(line, col)
		eline, ecol = l.org.shift(eline, ecol)
	}
	return Location{Line: line, Column: col, EndLine: eline, EndColumn: ecol + 1}
}

// inlineAllow reports why a match whose secret spans [start, end) is
// silenced by a comment, or "". "keylint:allow" on the first or last line
// of the secret silences it, "keylint:allow-next-line" on the line before
// does too; "keylint:allow RULE-ID" silences only that rule.
func inlineAllow(l *locator, start, end int, ruleID string) string {
	s, e := l.lineBounds(start)
	if l.lineAllows(s, e, ruleID, false) {
		return "inline-allow"
	}
	if end-1 > e {
		s2, e2 := l.lineBounds(end - 1)
		if l.lineAllows(s2, e2, ruleID, false) {
			return "inline-allow"
		}
	}
	if s > 0 {
		ps, pe := l.lineBounds(s - 1)
		if l.lineAllows(ps, pe, ruleID, true) {
			return "inline-allow"
		}
	}
	return ""
}

var nextLineMarker = []byte("keylint:allow-next-line")

// Markers of other tools, honoured for teams moving to keylint.
var (
	foreignMarkers = [][]byte{[]byte("gitleaks:allow"), []byte("pragma: allowlist secret")}
	foreignNext    = []byte("pragma: allowlist nextline secret")
)

func nextLineAllowed(line []byte, ruleID string) bool {
	if bytes.Contains(line, foreignNext) {
		return true
	}
	i := bytes.Index(line, nextLineMarker)
	if i < 0 {
		return false
	}
	f := bytes.Fields(line[i+len(nextLineMarker):])
	return len(f) == 0 || !looksLikeID(f[0]) || string(f[0]) == ruleID
}

var allowMarker = []byte("keylint:allow")

func allowedBy(line []byte, ruleID string) bool {
	for _, m := range foreignMarkers {
		if bytes.Contains(line, m) {
			return true
		}
	}
	for {
		i := bytes.Index(line, allowMarker)
		if i < 0 {
			return false
		}
		rest := line[i+len(allowMarker):]
		// A bare marker allows every rule; "keylint:allow id" only that id.
		if len(rest) == 0 || rest[0] != ' ' && rest[0] != '\t' {
			if len(rest) == 0 || !isIDByte(rest[0]) {
				return true
			}
		} else {
			f := bytes.Fields(rest)
			if len(f) == 0 || !looksLikeID(f[0]) || string(f[0]) == ruleID {
				return true
			}
		}
		line = rest
	}
}

func isIDByte(c byte) bool { return c == '-' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

func looksLikeID(b []byte) bool {
	if len(b) < 3 || bytes.IndexByte(b, '-') < 0 {
		return false
	}
	for _, c := range b {
		if !isIDByte(c) {
			return false
		}
	}
	return true
}

const excerptMax = 160

// span is a byte range [start, end).
type span struct{ start, end int }

// secretSpans are the secrets of one item sorted by start, with reach[i]
// the largest end among spans[:i+1], so that an excerpt finds the secrets
// on its line by binary search: a file with many secrets costs
// O(n log n), not O(n²).
type secretSpans struct {
	spans []span
	reach []int
	// texts are the distinct secrets of the item (see [secretTexts]): an
	// excerpt redacts them wherever they occur, also where no rule
	// matched them (the same password twice on a line).
	texts [][]byte
}

// maxSecretTexts bounds how many distinct secrets an excerpt looks for
// across the whole item; an item with more looks only for those of the
// spans on the excerpt's own line, so a file of thousands of secrets costs
// no more than its spans.
const maxSecretTexts = 64

// minSecretText is the shortest secret looked for elsewhere: shorter
// strings occur by chance.
const minSecretText = 6

// secretTexts returns the distinct secrets of spans in data, longest
// first, at most maxSecretTexts of them (nil when there are more).
func secretTexts(data []byte, spans []span) [][]byte {
	seen := map[string]bool{}
	var out [][]byte
	for _, sp := range spans {
		if sp.end-sp.start < minSecretText || seen[string(data[sp.start:sp.end])] {
			continue
		}
		seen[string(data[sp.start:sp.end])] = true
		if len(out) == maxSecretTexts {
			return nil
		}
		out = append(out, data[sp.start:sp.end])
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// occurrences returns the spans of every occurrence of the texts (or,
// when texts is nil, of the secrets of near) that overlaps [from, to)
// within the line [ls, le), sorted by start.
func occurrences(data []byte, texts [][]byte, near []span, from, to, ls, le int) []span {
	if texts == nil {
		for _, sp := range near {
			if sp.end-sp.start >= minSecretText {
				texts = append(texts, data[sp.start:sp.end])
			}
		}
	}
	var out []span
	for _, t := range texts {
		lo, hi := max(ls, from-len(t)+1), min(le, to+len(t)-1)
		for i := lo; i < hi; {
			k := bytes.Index(data[i:hi], t)
			if k < 0 {
				break
			}
			out = append(out, span{i + k, i + k + len(t)})
			i += k + 1
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

func newSecretSpans(spans []span) secretSpans {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	reach := make([]int, len(spans))
	for i, sp := range spans {
		reach[i] = sp.end
		if i > 0 {
			reach[i] = max(reach[i], reach[i-1])
		}
	}
	return secretSpans{spans: spans, reach: reach}
}

// near returns the spans that may overlap [from, to): every span before
// them ends at or before from, every one after starts at or after to.
func (ss secretSpans) near(from, to int) []span {
	lo := sort.Search(len(ss.reach), func(i int) bool { return ss.reach[i] > from })
	hi := sort.Search(len(ss.spans), func(i int) bool { return ss.spans[i].start >= to })
	return ss.spans[lo:max(lo, hi)]
}

// excerpt returns the line holding the secret start, trimmed around the
// secret for long lines, with every secret span on it redacted unless show
// is set (so an excerpt never leaks a neighbouring secret).
func excerpt(data []byte, l *locator, sStart, sEnd int, secrets secretSpans, show bool) string {
	ls, le := l.lineBounds(sStart)
	secEnd := min(sEnd, le)
	from, to := ls, le
	if le-ls > excerptMax {
		from = max(ls, sStart-60)
		to = min(le, max(secEnd, sStart+40)+60)
	}
	var b strings.Builder
	if from > ls {
		b.WriteString("…")
	}
	pos := from
	if !show {
		near := secrets.near(pos, to)
		if extra := occurrences(data, secrets.texts, near, from, to, ls, le); len(extra) > 0 {
			all := append(slices.Clone(near), extra...)
			sort.SliceStable(all, func(i, j int) bool { return all[i].start < all[j].start })
			near = all
		}
		for _, sp := range near {
			if sp.end <= pos || sp.start >= to {
				continue
			}
			if sp.start < pos { // overlaps what was already written or cut
				pos = min(sp.end, to)
				continue
			}
			b.Write(data[pos:sp.start])
			b.WriteString(Redact(string(data[sp.start:sp.end])))
			pos = min(sp.end, to)
		}
	}
	b.Write(data[pos:to])
	if to < le {
		b.WriteString("…")
	}
	return strings.TrimSpace(strings.ToValidUTF8(b.String(), "\uFFFD"))
}
