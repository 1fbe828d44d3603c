package codeowners

import (
	"strings"

	"github.com/keylint/keylint/internal/gitignore"
)

// pattern is a CODEOWNERS pattern: a .gitignore pattern, matched by
// internal/gitignore, against a path and every directory holding it.
type pattern struct {
	ignore []gitignore.Pattern // one pattern; nil for "/", the root, which holds everything
}

// compile turns a CODEOWNERS pattern into a pattern. ok is false for the
// forms GitHub does not support: "!" negation and "[ ]" ranges.
func compile(p string) (pattern, bool) {
	if p == "" || strings.HasPrefix(p, "!") || strings.ContainsAny(p, "[]") {
		return pattern{}, false
	}
	if strings.Trim(p, "/") == "" {
		return pattern{}, true
	}
	if strings.HasPrefix(p, "#") {
		p = `\` + p // a pattern, which splitLine unescaped, not a comment
	}
	gp, ok := gitignore.ParsePattern(p, nil)
	if !ok {
		return pattern{}, false
	}
	return pattern{ignore: []gitignore.Pattern{gp}}, true
}

// match reports whether the pattern matches path (its segments) or one of
// the directories holding it.
func (p pattern) match(path []string) bool {
	if p.ignore == nil {
		return true
	}
	for n := len(path); n > 0; n-- {
		if gitignore.Match(p.ignore, path[:n], n < len(path)) {
			return true
		}
	}
	return false
}
