// Package gitignore matches paths against the patterns of .gitignore and
// .git/info/exclude files, with git's semantics (see `man gitignore`):
// "#" comments, "!" negation, a trailing "/" for directories only, a
// leading or middle "/" anchoring a pattern to its file's directory, "*",
// "?", bracket expressions and "\" escapes, "**" across directories, and
// the last matching pattern deciding. Matching is byte-wise and
// case-sensitive (core.ignoreCase is not read), as git does by default.
//
// The package reads no files and no configuration: its caller decides
// which ignore files count and in which order (git's order, lowest
// precedence first: .git/info/exclude, then each directory's .gitignore
// from the root down).
package gitignore

import (
	"bufio"
	"bytes"
	"io"
	"slices"
	"strings"
)

// MaxFileSize is the most of an ignore file [Parse] reads; the rest is
// left out.
const MaxFileSize = 1 << 20

// Pattern is one line of an ignore file, parsed.
type Pattern struct {
	domain   []string // the directory of its file, relative to the walk root
	segs     []string // the pattern split at "/" (anchored), or its one segment
	negate   bool     // "!pattern": a path it matches is not ignored
	dirOnly  bool     // "pattern/": matches directories only
	anchored bool     // a "/" at its start or middle: matched from domain
	invalid  bool     // an unterminated bracket expression or a trailing "\": never matches
}

// ParsePattern parses one line of an ignore file found in the directory
// domain (path components from the walk root; nil for the root). ok is
// false for a line that is no pattern: empty, blank or a comment.
func ParsePattern(line string, domain []string) (p Pattern, ok bool) {
	line = strings.TrimSuffix(line, "\r")
	if strings.HasPrefix(line, "#") {
		return p, false
	}
	line = trimTrailingSpaces(line)
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly = true
		line = line[:len(line)-1]
	}
	if line == "" {
		return p, false
	}
	if strings.Contains(line, "/") {
		p.anchored = true
		line = strings.TrimPrefix(line, "/")
		p.segs = splitSegments(line)
	} else {
		p.segs = []string{line}
	}
	for _, s := range p.segs {
		if !validSegment(s) {
			p.invalid = true
		}
	}
	p.domain = append([]string(nil), domain...)
	return p, true
}

// trimTrailingSpaces removes the spaces at the end of line, except one
// escaped with a backslash ("foo\ " keeps its space). Tabs stay, as in git.
func trimTrailingSpaces(line string) string {
	end := len(line)
	for end > 0 && line[end-1] == ' ' {
		// Count the backslashes before this space: an odd number escapes it.
		n := 0
		for i := end - 2; i >= 0 && line[i] == '\\'; i-- {
			n++
		}
		if n%2 == 1 {
			break
		}
		end--
	}
	return line[:end]
}

// splitSegments splits an anchored pattern at its slashes; an escaped
// slash ("\/") is a slash too, since a path's "/" only separates names.
func splitSegments(s string) []string {
	var segs []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '/':
			i++
			fallthrough
		case s[i] == '/':
			segs = append(segs, cur.String())
			cur.Reset()
		case s[i] == '\\' && i+1 < len(s):
			cur.WriteByte(s[i])
			cur.WriteByte(s[i+1])
			i++
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(segs, cur.String())
}

// Parse reads an ignore file (at most [MaxFileSize] bytes of it) found in
// the directory domain and returns dst with its patterns appended. A
// UTF-8 byte order mark at its start is skipped, as git does.
func Parse(dst []Pattern, r io.Reader, domain []string) []Pattern {
	sc := bufio.NewScanner(io.LimitReader(r, MaxFileSize))
	sc.Buffer(nil, MaxFileSize+1)
	first := true
	for sc.Scan() {
		line := sc.Bytes()
		if first {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			first = false
		}
		if p, ok := ParsePattern(string(line), domain); ok {
			dst = append(dst, p)
		}
	}
	return dst
}

// Match reports whether path (path components from the walk root; isDir
// when it names a directory) is ignored by patterns, the last of which
// that matches deciding. It looks at path itself only: the walk does not
// enter an ignored directory, which is how a path inside one is ignored.
func Match(patterns []Pattern, path []string, isDir bool) bool {
	for i := len(patterns) - 1; i >= 0; i-- {
		if patterns[i].matches(path, isDir) {
			return !patterns[i].negate
		}
	}
	return false
}

// matches reports whether p matches path.
func (p *Pattern) matches(path []string, isDir bool) bool {
	if p.invalid || (p.dirOnly && !isDir) || len(path) <= len(p.domain) {
		return false
	}
	for i, d := range p.domain {
		if path[i] != d {
			return false
		}
	}
	rel := path[len(p.domain):]
	if !p.anchored {
		return matchSegment(p.segs[0], rel[len(rel)-1])
	}
	return matchSegments(p.segs, rel)
}

// matchSegments matches an anchored pattern's segments against a path's
// names: a "**" segment matches any number of names (at least one at the
// end of the pattern: "dir/**" is what is inside dir, not dir), every
// other segment exactly one. The walk backtracks to the last "**" only,
// which is enough because every other segment takes exactly one name.
func matchSegments(segs, names []string) bool {
	si, ni := 0, 0
	star, starN := -1, 0
	for si < len(segs) || ni < len(names) {
		if si < len(segs) {
			if segs[si] == "**" {
				if si == len(segs)-1 && ni < len(names) {
					return true
				}
				if si < len(segs)-1 {
					star, starN = si, ni
					si++
					continue
				}
			} else if ni < len(names) && matchSegment(segs[si], names[ni]) {
				si++
				ni++
				continue
			}
		}
		if star >= 0 && starN < len(names) {
			starN++
			si, ni = star+1, starN
			continue
		}
		return false
	}
	return true
}

// matchSegment matches one segment of a pattern (no "/") against one
// name: "*" (or any run of them) is any bytes, "?" one byte, "[...]" one
// byte of a set, "\x" the byte x. Backtracking to the last "*" only is
// enough, as every other element takes exactly one byte.
func matchSegment(pat, name string) bool {
	pi, ni := 0, 0
	star, starN := -1, 0
	for pi < len(pat) || ni < len(name) {
		if pi < len(pat) {
			if pat[pi] == '*' {
				for pi < len(pat) && pat[pi] == '*' {
					pi++
				}
				if pi == len(pat) {
					return true
				}
				star, starN = pi, ni
				continue
			}
			if ni < len(name) {
				if ok, next := matchOne(pat, pi, name[ni]); ok {
					pi, ni = next, ni+1
					continue
				}
			}
		}
		if star >= 0 && starN < len(name) {
			starN++
			pi, ni = star, starN
			continue
		}
		return false
	}
	return true
}

// matchOne matches the element of pat at pi (not "*") against the byte c
// and returns where the next element starts. The segment is valid.
func matchOne(pat string, pi int, c byte) (bool, int) {
	switch pat[pi] {
	case '?':
		return true, pi + 1
	case '\\':
		return pat[pi+1] == c, pi + 2
	case '[':
		return matchBracket(pat, pi, c)
	}
	return pat[pi] == c, pi + 1
}

// matchBracket matches the bracket expression of pat at pi against c and
// returns where it ends. The segment is valid.
func matchBracket(pat string, pi int, c byte) (bool, int) {
	m, end, _ := scanBracket(pat, pi, c)
	return m, end
}

// scanBracket reads the bracket expression of seg at i, matching c: "!"
// or "^" first negates it; a "]" first is a member; "a-z" is a range;
// "[:alpha:]" and the other POSIX classes are classes; "\x" is x. It
// returns whether c matched, the index just past the expression, and
// false if the expression does not end or names an unknown class (git's
// matcher then never matches the pattern).
func scanBracket(seg string, i int, c byte) (matched bool, end int, ok bool) {
	i++
	negate := false
	if i < len(seg) && (seg[i] == '!' || seg[i] == '^') {
		negate = true
		i++
	}
	for first := true; i < len(seg); first = false {
		ch := seg[i]
		if ch == ']' && !first {
			return matched != negate, i + 1, true
		}
		if ch == '[' && i+1 < len(seg) && seg[i+1] == ':' {
			// As git: the class ends at the first "]"; without a ":"
			// before it, the "[" is a member like any other.
			close := strings.IndexByte(seg[i+2:], ']')
			if close < 0 {
				return false, 0, false
			}
			if close > 0 && seg[i+2+close-1] == ':' {
				name := seg[i+2 : i+2+close-1]
				if !slices.Contains(posixClasses[:], name) {
					return false, 0, false
				}
				matched = matched || inClass(name, c)
				i += 2 + close + 1
				continue
			}
		}
		lo := ch
		if ch == '\\' {
			i++
			if i == len(seg) {
				return false, 0, false
			}
			lo = seg[i]
		}
		i++
		hi := lo
		if i+1 < len(seg) && seg[i] == '-' && seg[i+1] != ']' {
			i++
			hi = seg[i]
			if hi == '\\' {
				i++
				if i == len(seg) {
					return false, 0, false
				}
				hi = seg[i]
			}
			i++
		}
		matched = matched || (lo <= c && c <= hi)
	}
	return false, 0, false
}

// posixClasses are the class names a bracket expression may hold.
var posixClasses = [...]string{"alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit"}

// inClass reports whether c is in the POSIX class name (ASCII only, as
// git's matcher).
func inClass(name string, c byte) bool {
	lower, upper, digit := 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9'
	graph := 0x21 <= c && c <= 0x7e
	switch name {
	case "alnum":
		return lower || upper || digit
	case "alpha":
		return lower || upper
	case "blank":
		return c == ' ' || c == '\t'
	case "cntrl":
		return c < 0x20 || c == 0x7f
	case "digit":
		return digit
	case "graph":
		return graph
	case "lower":
		return lower
	case "print":
		return graph || c == ' '
	case "punct":
		return graph && !lower && !upper && !digit
	case "space":
		return c == ' ' || ('\t' <= c && c <= '\r')
	case "upper":
		return upper
	case "xdigit":
		return digit || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
	}
	return false
}

// validSegment reports whether every bracket expression of seg ends and
// names only known classes, and seg does not end in a lone "\": git's
// matcher never matches a pattern that breaks these.
func validSegment(seg string) bool {
	for i := 0; i < len(seg); i++ {
		switch seg[i] {
		case '\\':
			if i+1 == len(seg) {
				return false
			}
			i++
		case '[':
			_, end, ok := scanBracket(seg, i, 0)
			if !ok {
				return false
			}
			i = end - 1
		}
	}
	return true
}
