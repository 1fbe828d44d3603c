// Package gitignore matches paths against the patterns of .gitignore and
// .git/info/exclude files, with git's semantics (see `man gitignore`):
// "#" comments, "!" negation, a trailing "/" for directories only, a
// leading or middle "/" anchoring a pattern to its file's directory, "*",
// "?", bracket expressions and "\" escapes, "**" across directories, and
// the last matching pattern deciding. Where git's matcher differs from its
// manual, the matcher is followed: a "**" that the first wildcard of a
// pattern is ("src**/x") also crosses directories. Matching is byte-wise and
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
	prog     []elem   // the pattern, compiled
	lit      string   // the pattern's literal start (all of it when it has no wildcard)
	fast     fastKind // a shape matched without prog
	negate   bool     // "!pattern": a path it matches is not ignored
	dirOnly  bool     // "pattern/": matches directories only
	anchored bool     // a "/" at its start or middle: matched against the path from domain, else against the name
	invalid  bool     // an unterminated bracket expression, an unknown class or a trailing "\\": never matches
}

// ParsePattern parses one line of an ignore file found in the directory
// domain (path components from the walk root; nil for the root). ok is
// false for a line that is no pattern: empty, blank or a comment.
func ParsePattern(line string, domain []string) (p Pattern, ok bool) {
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
	}
	p.prog, p.invalid = compile(line, p.anchored)
	p.lit, p.fast = shape(line, p.anchored)
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
	full := "" // path joined with "/", once an anchored pattern needs it
	for i := len(patterns) - 1; i >= 0; i-- {
		if patterns[i].matches(&full, path, isDir) {
			return !patterns[i].negate
		}
	}
	return false
}

// matches reports whether p matches path; *full is path joined with "/"
// or, until a pattern needs it, "".
func (p *Pattern) matches(full *string, path []string, isDir bool) bool {
	if p.invalid || (p.dirOnly && !isDir) || len(path) <= len(p.domain) {
		return false
	}
	off := 0
	for i, d := range p.domain {
		if path[i] != d {
			return false
		}
		off += len(d) + 1
	}
	if !p.anchored {
		name := path[len(path)-1]
		switch p.fast {
		case exact:
			return name == p.lit
		case suffix:
			return strings.HasSuffix(name, p.lit)
		}
		return run(p.prog, name)
	}
	// The literal start decides most paths before the path is joined.
	first, lit := path[len(p.domain)], p.lit
	if i := strings.IndexByte(lit, '/'); i >= 0 {
		if first != lit[:i] {
			return false
		}
	} else if !strings.HasPrefix(first, lit) {
		return false
	}
	if *full == "" {
		*full = strings.Join(path, "/")
	}
	rel := (*full)[off:]
	if p.fast == exact {
		return rel == p.lit
	}
	return strings.HasPrefix(rel, p.lit) && run(p.prog, rel)
}

// fastKind is a pattern shape matched by comparing strings.
type fastKind uint8

const (
	general fastKind = iota // run the compiled pattern
	exact                   // no wildcard: the name or path is lit
	suffix                  // a name pattern "*lit": the name ends in lit
)

// shape returns the literal start of pat (up to its first wildcard or
// "\") and whether pat is matched by comparing it.
func shape(pat string, anchored bool) (string, fastKind) {
	w := strings.IndexAny(pat, "*?[\\")
	switch {
	case w < 0:
		return pat, exact
	case !anchored && pat[0] == '*' && len(pat) > 1 && !strings.ContainsAny(pat[1:], "*?[\\"):
		return pat[1:], suffix
	}
	return pat[:w], general
}

// elemKind is what one element of a compiled pattern matches.
type elemKind uint8

const (
	litElem  elemKind = iota // the byte c
	oneElem                  // "?": one byte but "/"
	setElem                  // "[...]": one byte of set, never "/"
	starElem                 // "*": any bytes but "/"
	anyElem                  // "**" across directories, or "*" in a name pattern: any bytes
	dirsElem                 // "**/": nothing, or the loop after it (no byte of its own)
	loopElem                 // after dirsElem: any bytes, left by a "/"
)

// elem is one element of a compiled pattern.
type elem struct {
	kind elemKind
	c    byte
	set  *[4]uint64 // the bytes of a setElem
}

// compile turns a pattern (without its "!", leading "/" or trailing "/")
// into elements. As git's matcher: in a pattern matched against a path
// (anchored), a run of "*" that the first wildcard of the pattern or a
// "/" precedes and a "/" or the end follows is "**", matching across
// directories; every other run of "*" is one "*", which stops at "/". In
// a pattern matched against a name, every "*" matches any bytes (a name
// has no "/"). invalid is set for a bracket expression that does not end
// or names an unknown class, and for a trailing "\".
func compile(pat string, anchored bool) (prog []elem, invalid bool) {
	first := strings.IndexAny(pat, "*?[\\")
	for i := 0; i < len(pat); i++ {
		switch ch := pat[i]; ch {
		case '\\':
			if i+1 == len(pat) {
				return nil, true
			}
			i++
			prog = append(prog, elem{kind: litElem, c: pat[i]})
		case '?':
			prog = append(prog, elem{kind: oneElem})
		case '[':
			set, end, ok := parseBracket(pat, i)
			if !ok {
				return nil, true
			}
			prog = append(prog, elem{kind: setElem, set: set})
			i = end - 1
		case '*':
			j := i
			for j < len(pat) && pat[j] == '*' {
				j++
			}
			double := j-i >= 2 && anchored && (i == first || pat[i-1] == '/')
			switch {
			case !anchored:
				prog = append(prog, elem{kind: anyElem})
			case double && j == len(pat):
				prog = append(prog, elem{kind: anyElem})
			case double && pat[j] == '/':
				// "**/**/" is "**/": one loop, however many are written.
				if k := len(prog); k < 2 || prog[k-1].kind != loopElem {
					prog = append(prog, elem{kind: dirsElem}, elem{kind: loopElem})
				}
				j++
			case double && strings.HasPrefix(pat[j:], "\\/"):
				// As git: across directories, but not nothing ("\/" is
				// no "/" for the shortcut that lets "**/" match nothing).
				prog = append(prog, elem{kind: anyElem})
			default:
				prog = append(prog, elem{kind: starElem})
			}
			i = j - 1
		default:
			prog = append(prog, elem{kind: litElem, c: ch})
		}
	}
	return prog, false
}

// run reports whether prog matches all of text. The states of the
// pattern's automaton are followed together, and only those reached, so
// the time is at most the product of the two lengths, whatever the
// pattern.
func run(prog []elem, text string) bool {
	n := len(prog) + 1
	var setA, setB [32]bool
	var listA, listB, stackBuf [32]int
	curSet, nextSet := setA[:], setB[:]
	if n > len(setA) {
		curSet, nextSet = make([]bool, n), make([]bool, n)
	}
	stack := stackBuf[:0]
	cur, stack := add(prog, curSet, listA[:0], stack, 0)
	next := listB[:0]
	for i := 0; i < len(text) && len(cur) > 0; i++ {
		c := text[i]
		for _, s := range cur {
			if s == len(prog) {
				continue
			}
			switch e := &prog[s]; e.kind {
			case litElem:
				if e.c == c {
					next, stack = add(prog, nextSet, next, stack, s+1)
				}
			case oneElem:
				if c != '/' {
					next, stack = add(prog, nextSet, next, stack, s+1)
				}
			case setElem:
				if e.set[c>>6]&(1<<(c&63)) != 0 {
					next, stack = add(prog, nextSet, next, stack, s+1)
				}
			case starElem:
				if c != '/' {
					next, stack = add(prog, nextSet, next, stack, s)
				}
			case anyElem:
				next, stack = add(prog, nextSet, next, stack, s)
			case loopElem:
				next, stack = add(prog, nextSet, next, stack, s)
				if c == '/' {
					next, stack = add(prog, nextSet, next, stack, s+1)
				}
			}
		}
		for _, s := range cur {
			curSet[s] = false
		}
		next = prune(prog, nextSet, next)
		cur, next = next, cur[:0]
		curSet, nextSet = nextSet, curSet
	}
	return curSet[len(prog)]
}

// prune drops from list (and set) the states before the last "**" state
// in it: that state stays in every later set (it takes any byte), and a
// state before it reaches the states after it only through it (a "**/"
// entered later follows a "/", which the loop takes to the same state).
// Without this, a pattern of many "**/a/" would keep a state for each.
func prune(prog []elem, set []bool, list []int) []int {
	last := -1
	for _, s := range list {
		if s < len(prog) && s > last && (prog[s].kind == anyElem || prog[s].kind == loopElem) {
			last = s
		}
	}
	if last < 0 {
		return list
	}
	kept := list[:0]
	for _, s := range list {
		if s >= last {
			kept = append(kept, s)
		} else {
			set[s] = false
		}
	}
	return kept
}

// add puts state s and the states reached from it without a byte ("*"
// and "**" may match nothing, "**/" nothing or a loop) into set, and
// appends those not in it yet to list. stack is its work list, returned
// for the next call.
func add(prog []elem, set []bool, list, stack []int, s int) ([]int, []int) {
	if set[s] {
		return list, stack
	}
	if s == len(prog) || prog[s].kind < starElem || prog[s].kind == loopElem {
		set[s] = true // no state reached without a byte
		return append(list, s), stack
	}
	stack = append(stack[:0], s)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if set[s] {
			continue
		}
		set[s] = true
		list = append(list, s)
		if s == len(prog) {
			continue
		}
		switch prog[s].kind {
		case starElem, anyElem:
			stack = append(stack, s+1)
		case dirsElem:
			stack = append(stack, s+1, s+2)
		}
	}
	return list, stack
}

// parseBracket reads the bracket expression of pat at i: "!" or "^"
// first negates it; a "]" first is a member; "a-z" is a range;
// "[:alpha:]" and the other POSIX classes are classes; "\x" is x. It
// returns the bytes it matches ("/" never), the index just past it, and
// false if it does not end or names an unknown class (git's matcher then
// never matches the pattern).
func parseBracket(pat string, i int) (set *[4]uint64, end int, ok bool) {
	set = new([4]uint64)
	add := func(lo, hi byte) {
		for c := int(lo); c <= int(hi); c++ {
			set[c>>6] |= 1 << (c & 63)
		}
	}
	i++
	negate := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		negate = true
		i++
	}
	for first := true; i < len(pat); first = false {
		ch := pat[i]
		if ch == ']' && !first {
			if negate {
				for k := range set {
					set[k] = ^set[k]
				}
			}
			set['/'>>6] &^= 1 << ('/' & 63)
			return set, i + 1, true
		}
		if ch == '[' && i+1 < len(pat) && pat[i+1] == ':' {
			// As git: the class ends at the first "]"; without a ":"
			// before it, the "[" is a member like any other.
			close := strings.IndexByte(pat[i+2:], ']')
			if close < 0 {
				return nil, 0, false
			}
			if close > 0 && pat[i+2+close-1] == ':' {
				name := pat[i+2 : i+2+close-1]
				if !slices.Contains(posixClasses[:], name) {
					return nil, 0, false
				}
				for c := 0; c < 256; c++ {
					if inClass(name, byte(c)) {
						add(byte(c), byte(c))
					}
				}
				i += 2 + close + 1
				continue
			}
		}
		lo := ch
		if ch == '\\' {
			i++
			if i == len(pat) {
				return nil, 0, false
			}
			lo = pat[i]
		}
		i++
		hi := lo
		if i+1 < len(pat) && pat[i] == '-' && pat[i+1] != ']' {
			i++
			hi = pat[i]
			if hi == '\\' {
				i++
				if i == len(pat) {
					return nil, 0, false
				}
				hi = pat[i]
			}
			i++
		}
		add(lo, hi)
	}
	return nil, 0, false
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
