package scanner

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// This file parses the unified diffs git prints for `git diff -p` and
// `git diff-tree -p --stdin`, as far as keylint needs them: for every file,
// its new path, mode and blob id, the lines the change adds, and (with a
// context large enough to cover the whole file) the new content itself.
//
// The parser never trusts a line to be a header by its look alone: hunk
// bodies are consumed by the line counts of their header, as `git apply`
// does, so a content line reading "+++ b/x" or "diff --git" is content.

// fileDiff is what one file section of a diff says about the new side.
type fileDiff struct {
	// Path is the new path, slash-separated and unquoted.
	Path string
	// Mode is the new mode ("100644", "100755", "120000", "160000"), or ""
	// when the section does not say.
	Mode string
	// Blob is the full id of the new blob when the section has an index
	// line (git diff --full-index), else "".
	Blob string
	// Deleted marks the deletion half of a change (the new side is gone).
	Deleted bool
	// Binary marks a section git printed as "Binary files ... differ".
	Binary bool
	// Unmerged marks a "* Unmerged path" entry of an index with conflicts.
	Unmerged bool
	// Added lists the added lines of the new side, sorted and merged.
	Added []LineRange
	// Content is the new side as the hunks show it, when kept.
	Content []byte
	// Size counts the bytes of the new side the hunks show, kept or not.
	Size int64
	// Hunks counts the hunks; NewStart is the first hunk's new start line.
	Hunks    int
	NewStart int
	// TooLarge is set when the content outgrew the limit and was dropped.
	TooLarge bool
}

// whole reports whether Content is the entire new blob: one hunk that
// starts at the first line (a diff with unbounded context).
func (f *fileDiff) whole() bool {
	return f.Hunks == 1 && f.NewStart <= 1 && !f.TooLarge
}

// addLine records line n of the new side as added.
func (f *fileDiff) addLine(n int) {
	if k := len(f.Added); k > 0 && f.Added[k-1].End+1 >= n {
		if n > f.Added[k-1].End {
			f.Added[k-1].End = n
		}
		return
	}
	f.Added = append(f.Added, LineRange{n, n})
}

// diffParser reads a stream of git diff output.
type diffParser struct {
	r *bufio.Reader
	// keep reconstructs each file's new content, up to limit bytes.
	keep  bool
	limit int64
	// onCommit is called for the commit id lines of git diff-tree --stdin;
	// nil treats them as noise between sections.
	onCommit func(id string) error
	// onFile is called for every complete file section.
	onFile func(*fileDiff) error

	scratch []byte
}

// errMalformed reports diff output the parser cannot follow.
var errMalformed = errors.New("malformed diff output")

// maxHeaderLine bounds the length of a line outside hunk bodies.
const maxHeaderLine = 1 << 20

// parseDiff parses r and calls p's callbacks in order.
func (p *diffParser) parse(r io.Reader) error {
	p.r = bufio.NewReaderSize(r, 64<<10)
	var cur *fileDiff
	flush := func() error {
		if cur == nil {
			return nil
		}
		f := cur
		cur = nil
		return p.onFile(f)
	}
	for {
		line, err := p.header()
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return err
		}
		switch {
		case bytes.HasPrefix(line, []byte("diff --git ")):
			if err := flush(); err != nil {
				return err
			}
			cur = &fileDiff{Path: gitHeaderName(string(line[len("diff --git "):]))}
		case bytes.HasPrefix(line, []byte("* Unmerged path ")):
			if err := flush(); err != nil {
				return err
			}
			name := string(line[len("* Unmerged path "):])
			if err := p.onFile(&fileDiff{Path: unquoteName(name), Unmerged: true}); err != nil {
				return err
			}
		case commitLine(line) != "":
			if err := flush(); err != nil {
				return err
			}
			if p.onCommit != nil {
				if err := p.onCommit(commitLine(line)); err != nil {
					return err
				}
			}
		case cur == nil:
			// Noise outside a section (a blank separator line).
		case bytes.HasPrefix(line, []byte("@@ ")):
			h, ok := parseHunkHeader(line)
			if !ok {
				return fmt.Errorf("%w: bad hunk header %q", errMalformed, truncate(line))
			}
			if err := p.hunk(cur, h); err != nil {
				return err
			}
		default:
			cur.extendedHeader(string(line))
		}
	}
}

// extendedHeader applies one line between "diff --git" and the first hunk.
func (f *fileDiff) extendedHeader(line string) {
	switch {
	case strings.HasPrefix(line, "new file mode "):
		f.Mode = line[len("new file mode "):]
	case strings.HasPrefix(line, "new mode "):
		f.Mode = line[len("new mode "):]
	case strings.HasPrefix(line, "deleted file mode "):
		f.Deleted = true
	case strings.HasPrefix(line, "rename to "):
		f.Path = unquoteName(line[len("rename to "):])
	case strings.HasPrefix(line, "copy to "):
		f.Path = unquoteName(line[len("copy to "):])
	case strings.HasPrefix(line, "index "):
		ids, mode, _ := strings.Cut(line[len("index "):], " ")
		if _, blob, ok := strings.Cut(ids, ".."); ok {
			f.Blob = blob
		}
		if mode != "" {
			f.Mode = mode
		}
	case strings.HasPrefix(line, "Binary files "), line == "GIT binary patch":
		f.Binary = true
	case strings.HasPrefix(line, "+++ "):
		name := line[len("+++ "):]
		if name == "/dev/null" {
			f.Deleted = true
			return
		}
		if name != "" && name[0] != '"' {
			// git ends a name holding a space with a tab (for GNU patch).
			name = strings.TrimSuffix(name, "\t")
		}
		if n := unquoteName(name); strings.HasPrefix(n, "b/") {
			f.Path = n[2:]
		}
	}
}

// hunkHeader is "@@ -OldStart,OldLines +NewStart,NewLines @@".
type hunkHeader struct {
	OldStart, OldLines, NewStart, NewLines int
}

// parseHunkHeader parses a unified diff hunk header; a count left out is 1.
// Text after the closing "@@" (the function name) is ignored.
func parseHunkHeader(line []byte) (hunkHeader, bool) {
	var h hunkHeader
	s, ok := strings.CutPrefix(string(line), "@@ -")
	if !ok {
		return h, false
	}
	oldPart, s, ok := strings.Cut(s, " +")
	if !ok {
		return h, false
	}
	newPart, _, ok := strings.Cut(s, " @@")
	if !ok {
		return h, false
	}
	if h.OldStart, h.OldLines, ok = parseRange(oldPart); !ok {
		return h, false
	}
	if h.NewStart, h.NewLines, ok = parseRange(newPart); !ok {
		return h, false
	}
	// Line numbers start at 1; 0 only names the place before an empty side.
	if h.OldStart == 0 && h.OldLines > 0 || h.NewStart == 0 && h.NewLines > 0 {
		return h, false
	}
	return h, true
}

// parseRange parses "start" or "start,count".
func parseRange(s string) (start, count int, ok bool) {
	a, b, hasCount := strings.Cut(s, ",")
	start, ok = atoi(a)
	if !ok {
		return 0, 0, false
	}
	count = 1
	if hasCount {
		if count, ok = atoi(b); !ok {
			return 0, 0, false
		}
	}
	return start, count, true
}

// atoi accepts only plain decimal digits, below a billion lines.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// hunk consumes the body of a hunk: exactly OldLines lines of the old side
// and NewLines of the new, with "\ No newline at end of file" markers.
func (p *diffParser) hunk(f *fileDiff, h hunkHeader) error {
	f.Hunks++
	if f.Hunks == 1 {
		f.NewStart = h.NewStart
	}
	oldLeft, newLeft := h.OldLines, h.NewLines
	n := h.NewStart
	last := byte(0) // kind of the previous body line
	for {
		b, err := p.r.Peek(1)
		if err != nil && err != io.EOF {
			return err
		}
		if len(b) == 0 {
			if oldLeft > 0 || newLeft > 0 {
				return fmt.Errorf("%w: hunk cut short", errMalformed)
			}
			return nil
		}
		kind := b[0]
		if kind == '\\' {
			// The previous line has no final newline.
			if _, err := p.header(); err != nil && err != io.EOF {
				return err
			}
			if (last == ' ' || last == '+') && p.keep && f.Content != nil && len(f.Content) > 0 && f.Content[len(f.Content)-1] == '\n' {
				f.Content = f.Content[:len(f.Content)-1]
			}
			if last == ' ' || last == '+' {
				f.Size--
			}
			last = kind
			continue
		}
		if oldLeft == 0 && newLeft == 0 {
			return nil
		}
		switch kind {
		case ' ', '\n': // "\n" alone: an empty context line (diff.suppressBlankEmpty)
			if oldLeft == 0 || newLeft == 0 {
				return fmt.Errorf("%w: hunk longer than its header says", errMalformed)
			}
			oldLeft--
			newLeft--
			if err := p.bodyLine(f, kind == ' '); err != nil {
				return err
			}
			n++
			kind = ' '
		case '+':
			if newLeft == 0 {
				return fmt.Errorf("%w: hunk longer than its header says", errMalformed)
			}
			newLeft--
			f.addLine(n)
			if err := p.bodyLine(f, true); err != nil {
				return err
			}
			n++
		case '-':
			if oldLeft == 0 {
				return fmt.Errorf("%w: hunk longer than its header says", errMalformed)
			}
			oldLeft--
			if err := p.skipLine(); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: unexpected line in hunk", errMalformed)
		}
		last = kind
	}
}

// bodyLine reads one line of the new side, dropping its one-byte prefix
// when prefixed, and appends it to the content while under the limit.
func (p *diffParser) bodyLine(f *fileDiff, prefixed bool) error {
	first := true
	for {
		chunk, err := p.r.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull && !(err == io.EOF && len(chunk) > 0) {
			if err == io.EOF {
				return fmt.Errorf("%w: hunk cut short", errMalformed)
			}
			return err
		}
		if first && prefixed {
			chunk = chunk[1:]
		}
		first = false
		f.Size += int64(len(chunk))
		if p.keep && !f.TooLarge {
			if f.Size > p.limit {
				f.TooLarge, f.Content = true, nil
			} else {
				f.Content = append(f.Content, chunk...)
			}
		}
		if err != bufio.ErrBufferFull {
			return nil
		}
	}
}

// skipLine discards the rest of the current line.
func (p *diffParser) skipLine() error {
	for {
		_, err := p.r.ReadSlice('\n')
		switch err {
		case nil:
			return nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			return nil
		default:
			return err
		}
	}
}

// header reads one line outside a hunk body, without its newline. The
// slice is valid until the next read.
func (p *diffParser) header() ([]byte, error) {
	line, err := p.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		p.scratch = append(p.scratch[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = p.r.ReadSlice('\n')
			p.scratch = append(p.scratch, line...)
			if len(p.scratch) > maxHeaderLine {
				return nil, fmt.Errorf("%w: header line too long", errMalformed)
			}
		}
		line = p.scratch
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(line, []byte("\n")), nil
}

// commitLine returns the commit id of a git diff-tree --stdin header line
// ("<id>" or "<id> (from <id>)"), or "".
func commitLine(line []byte) string {
	id, rest, _ := bytes.Cut(line, []byte(" "))
	if !isObjectID(id) {
		return ""
	}
	if len(rest) > 0 {
		from, ok := bytes.CutPrefix(rest, []byte("(from "))
		if !ok || !bytes.HasSuffix(from, []byte(")")) || !isObjectID(from[:len(from)-1]) {
			return ""
		}
	}
	return string(id)
}

// isObjectID reports whether b is a full SHA-1 or SHA-256 id in lower-case hex.
func isObjectID(b []byte) bool {
	if len(b) != 40 && len(b) != 64 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// gitHeaderName returns the new name from the rest of a "diff --git" line,
// or "" when it cannot be told apart (then a later header names it).
func gitHeaderName(s string) string {
	if strings.HasPrefix(s, `"`) {
		_, rest, ok := cutQuoted(s)
		if !ok || !strings.HasPrefix(rest, " ") {
			return ""
		}
		return trimPrefixB(unquoteName(rest[1:]))
	}
	if i := strings.Index(s, ` "`); i >= 0 {
		if name, rest, ok := cutQuoted(s[i+1:]); ok && rest == "" {
			return trimPrefixB(name)
		}
	}
	// Unquoted "a/NAME b/NAME": the same name twice (renames and copies
	// name the new path in their own headers).
	if len(s) < 5 || (len(s)-5)%2 != 0 || !strings.HasPrefix(s, "a/") {
		return ""
	}
	l := (len(s) - 5) / 2
	if s[2+l:5+l] != " b/" || s[2:2+l] != s[5+l:] {
		return ""
	}
	return s[5+l:]
}

func trimPrefixB(name string) string {
	if n, ok := strings.CutPrefix(name, "b/"); ok {
		return n
	}
	return ""
}

// unquoteName undoes git's C-style quoting of a path ("a\tb", octal
// escapes for bytes outside ASCII) when s is quoted, and returns s as is
// otherwise.
func unquoteName(s string) string {
	if !strings.HasPrefix(s, `"`) {
		return s
	}
	name, rest, ok := cutQuoted(s)
	if !ok || rest != "" {
		return s
	}
	return name
}

// cutQuoted unquotes the C-style quoted string at the start of s and
// returns it with the rest of s.
func cutQuoted(s string) (name, rest string, ok bool) {
	if !strings.HasPrefix(s, `"`) {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return b.String(), s[i+1:], true
		case '\\':
			i++
			if i >= len(s) {
				return "", s, false
			}
			switch e := s[i]; e {
			case 'a':
				b.WriteByte('\a')
			case 'b':
				b.WriteByte('\b')
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'v':
				b.WriteByte('\v')
			case 'f':
				b.WriteByte('\f')
			case 'r':
				b.WriteByte('\r')
			case '"', '\\':
				b.WriteByte(e)
			default:
				if i+2 >= len(s) || !isOctal(e) || e > '3' || !isOctal(s[i+1]) || !isOctal(s[i+2]) {
					return "", s, false
				}
				b.WriteByte((e-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0'))
				i += 2
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", s, false
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }

func truncate(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// intersect returns the lines present in both sorted, merged range lists.
func intersect(a, b []LineRange) []LineRange {
	var out []LineRange
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := max(a[i].Start, b[j].Start), min(a[i].End, b[j].End)
		if lo <= hi {
			out = append(out, LineRange{lo, hi})
		}
		if a[i].End < b[j].End {
			i++
		} else {
			j++
		}
	}
	return out
}
