package codeowners

import "strings"

// pattern is a compiled gitignore-style pattern: slash-separated segments,
// "**" segments matching any number of directories.
type pattern struct {
	segs []string
	// anchored patterns match from the root; others at any depth.
	anchored bool
	// dirOnly patterns (a trailing "/") match only directories, so only
	// the paths beneath them.
	dirOnly bool
	// stars counts the "**" segments.
	stars int
}

// compile turns a CODEOWNERS pattern into a pattern. ok is false for the
// forms GitHub does not support: "!" negation and "[ ]" ranges.
func compile(p string) (pattern, bool) {
	if p == "" || strings.HasPrefix(p, "!") || strings.ContainsAny(p, "[]") {
		return pattern{}, false
	}
	var pt pattern
	if strings.HasSuffix(p, "/") {
		pt.dirOnly = true
		p = strings.TrimRight(p, "/")
	}
	if strings.HasPrefix(p, "/") {
		pt.anchored = true
		p = strings.TrimLeft(p, "/")
	}
	if strings.Contains(p, "/") {
		pt.anchored = true
	}
	if p == "" {
		// "/" alone: the root, which holds everything.
		pt.segs = []string{"**"}
		pt.dirOnly = false
		return pt, true
	}
	for _, s := range strings.Split(p, "/") {
		if s == "" {
			continue
		}
		if s == "**" && len(pt.segs) > 0 && pt.segs[len(pt.segs)-1] == "**" {
			continue
		}
		pt.segs = append(pt.segs, s)
	}
	if !pt.anchored {
		pt.segs = append([]string{"**"}, pt.segs...)
	}
	for _, sg := range pt.segs {
		if sg == "**" {
			pt.stars++
		}
	}
	return pt, true
}

// match reports whether the pattern matches path (its segments) or one of
// the directories holding it.
func (p pattern) match(path []string) bool {
	var failed [][]bool
	if p.stars > 1 {
		// Several "**" could retry the same positions exponentially
		// often; remember the ones that failed. With one, each position
		// is tried once anyway, and nothing is allocated.
		failed = make([][]bool, len(p.segs)+1)
		for i := range failed {
			failed[i] = make([]bool, len(path)+1)
		}
	}
	return p.rec(0, 0, path, failed)
}

// rec matches segs[i:] against path[j:]; failed, when not nil, memoises
// the pairs that did not match.
func (p pattern) rec(i, j int, path []string, failed [][]bool) bool {
	if failed != nil && failed[i][j] {
		return false
	}
	ok := false
	switch {
	case i == len(p.segs):
		// The pattern matched path[:j]: the file itself (j == len), or
		// a directory holding it.
		ok = (j == len(path) && !p.dirOnly) || (j > 0 && j < len(path))
	case p.segs[i] == "**":
		if i == len(p.segs)-1 {
			// A trailing "**" matches everything inside.
			return j < len(path)
		}
		// Zero or more whole segments.
		for k := j; k <= len(path) && !ok; k++ {
			ok = p.rec(i+1, k, path, failed)
		}
	default:
		ok = j < len(path) && globSegment(p.segs[i], path[j]) && p.rec(i+1, j+1, path, failed)
	}
	if !ok && failed != nil {
		failed[i][j] = true
	}
	return ok
}

// globSegment matches one path segment against a glob of "*" (any run of
// characters), "?" (one character) and "\x" (a literal x). It runs in
// O(len(glob)*len(name)) at worst.
func globSegment(glob, name string) bool {
	gi, ni := 0, 0
	starG, starN := -1, -1
	for ni < len(name) {
		if gi < len(glob) {
			switch c := glob[gi]; {
			case c == '*':
				starG, starN = gi, ni
				gi++
				continue
			case c == '?':
				gi++
				ni++
				continue
			case c == '\\' && gi+1 < len(glob):
				if glob[gi+1] == name[ni] {
					gi += 2
					ni++
					continue
				}
			case c == name[ni]:
				gi++
				ni++
				continue
			}
		}
		if starG < 0 {
			return false
		}
		starN++
		gi, ni = starG+1, starN
	}
	for gi < len(glob) && glob[gi] == '*' {
		gi++
	}
	return gi == len(glob)
}
