package rules

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Allowlist silences candidates by path, by a regex over the secret (or the
// whole match, or its line), or by a stopword contained in the secret. A
// rule's own allowlists apply to that rule only; a [Ruleset]'s global
// allowlists apply to every rule.
//
// With Condition "OR" (the default) any one criterion silences a candidate;
// with "AND" every criterion the allowlist sets must hold.
type Allowlist struct {
	// Description says why the allowlist exists.
	Description string `toml:"description"`
	// Condition is "OR" (default) or "AND".
	Condition string `toml:"condition"`
	// Paths are regexes matched against slash-separated paths.
	Paths []string `toml:"paths"`
	// Globs are glob patterns over slash-separated paths: "*" matches
	// within one path segment, "**" across segments, "?" one character; a
	// pattern without "/" matches the base name in any directory.
	Globs []string `toml:"globs"`
	// Regexes are matched against the RegexTarget ("secret" by default,
	// "match" or "line").
	Regexes     []string `toml:"regexes"`
	RegexTarget string   `toml:"regex_target"`
	// Stopwords are case-insensitive substrings of the secret.
	Stopwords []string `toml:"stopwords"`
	// Commits are commit ids (full, or abbreviated to at least 7 hex
	// digits; any case). A history location (keylint git, keylint ci,
	// the pre-push hook) in one of them is silenced; a working-tree scan
	// has no commits, so there they never apply. With condition AND they
	// combine only with paths: both must hold.
	Commits []string `toml:"commits"`

	c *allowCompiled
}

// allowCompiled is an allowlist's compiled form, built once: eagerly for
// user files (so errors surface at load), lazily for the embedded defaults
// (so start-up does not pay for regexes a scan may never need).
type allowCompiled struct {
	once    sync.Once
	err     error
	and     bool
	paths   *dfaProg // every path pattern and glob at once
	regexes []*regexp.Regexp
	lower   []string
	commits []string // lower-case hex
}

// compile builds the allowlist now and reports what is wrong with it.
func (a *Allowlist) compile() error {
	a.c = &allowCompiled{}
	return a.get().err
}

// compileLater arranges for the allowlist to be built on first use.
func (a *Allowlist) compileLater() { a.c = &allowCompiled{} }

// allowShare hands allowlists with the same content one compiled form:
// in the default rules one list of 35 globs sits on 17 rules, and shared
// it is built once and its path DFA warms once. Lists are grouped by a
// shape that costs nothing to form, on the start-up path of every hook,
// and compared in full only within a group.
type allowShare map[allowShape][]*Allowlist

// allowShape tells most different allowlists apart without copying.
type allowShape struct {
	condition, target                string
	paths, globs, regexes, stopwords int
	commits                          int
	first                            string // the first pattern or word
}

func (a *Allowlist) shape() allowShape {
	k := allowShape{condition: a.Condition, target: a.RegexTarget,
		paths: len(a.Paths), globs: len(a.Globs), regexes: len(a.Regexes), stopwords: len(a.Stopwords),
		commits: len(a.Commits)}
	for _, l := range [][]string{a.Paths, a.Globs, a.Regexes, a.Stopwords} {
		if len(l) > 0 {
			k.first = l[0]
			break
		}
	}
	return k
}

// sameAs reports whether a silences exactly what b does.
func (a *Allowlist) sameAs(b *Allowlist) bool {
	return a.Condition == b.Condition && a.RegexTarget == b.RegexTarget &&
		slices.Equal(a.Paths, b.Paths) && slices.Equal(a.Globs, b.Globs) &&
		slices.Equal(a.Regexes, b.Regexes) && slices.Equal(a.Stopwords, b.Stopwords) &&
		slices.Equal(a.Commits, b.Commits)
}

// prepare compiles a, now or on first use, or gives it the compiled form
// of an allowlist with the same content seen before.
func (s allowShare) prepare(a *Allowlist, lazy bool) error {
	k := a.shape()
	for _, b := range s[k] {
		if a.sameAs(b) {
			a.c = b.c
			return nil
		}
	}
	var err error
	if lazy {
		a.compileLater()
	} else {
		err = a.compile()
	}
	s[k] = append(s[k], a)
	return err
}

// get returns the compiled allowlist, building it on first use. An
// allowlist that does not compile (possible only for lazily built ones,
// which the test suite compiles) matches nothing.
func (a *Allowlist) get() *allowCompiled {
	c := a.c
	if c == nil {
		c = &allowCompiled{} // built by hand: compile without caching
	}
	c.once.Do(func() { c.err = c.build(a) })
	return c
}

func (ac *allowCompiled) build(a *Allowlist) error {
	switch strings.ToUpper(a.Condition) {
	case "", "OR":
		ac.and = false
	case "AND":
		ac.and = true
	default:
		return fmt.Errorf("allowlist condition %q is not OR or AND", a.Condition)
	}
	switch a.RegexTarget {
	case "", "secret", "match", "line":
	default:
		return fmt.Errorf("allowlist regex_target %q is not secret, match or line", a.RegexTarget)
	}
	// Every path of every blob meets these patterns: one DFA for all of
	// them reads a path once. Its parse also validates them.
	paths := slices.Clone(a.Paths)
	for _, g := range a.Globs {
		paths = append(paths, GlobRegexp(g))
	}
	if len(paths) > 0 {
		d, err := newUnionDFA(paths)
		var ue *unionError
		switch {
		case errors.As(err, &ue) && ue.index < len(a.Paths):
			return fmt.Errorf("allowlist path %q: %w", a.Paths[ue.index], ue.err)
		case errors.As(err, &ue):
			return fmt.Errorf("allowlist glob %q: %w", a.Globs[ue.index-len(a.Paths)], ue.err)
		case err != nil:
			return fmt.Errorf("allowlist paths: %w", err)
		}
		ac.paths = d
	}
	for _, p := range a.Regexes {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Errorf("allowlist regex %q: %w", p, err)
		}
		ac.regexes = append(ac.regexes, re)
	}
	for _, s := range a.Stopwords {
		if s != "" {
			ac.lower = append(ac.lower, strings.ToLower(s))
		}
	}
	for _, c := range a.Commits {
		if !IsCommitID(c) {
			return fmt.Errorf("allowlist commit %q is not a commit id (7 to 64 hexadecimal digits)", c)
		}
		ac.commits = append(ac.commits, strings.ToLower(c))
	}
	if ac.and && len(ac.commits) > 0 && (len(ac.regexes) > 0 || len(ac.lower) > 0) {
		return errors.New("allowlist commits with condition AND combine only with paths, not regexes or stopwords (split it into two allowlists, or use condition OR)")
	}
	return nil
}

// IsCommitID reports whether s is a full or abbreviated commit id: 7 to 64
// hexadecimal digits (SHA-1 ids have 40, SHA-256 ones 64).
func IsCommitID(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // lower-case letters; digits are unchanged
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// hasCommits reports whether the allowlist names commits.
func (a *Allowlist) hasCommits() bool { return len(a.Commits) > 0 }

// allowsCommit reports whether the allowlist silences a location of path
// in commit (a full id): the commit is listed (an abbreviated id matches
// the commits it abbreviates) and, with condition AND, the path matches
// too. Its other checks are applied while matching, by [Allowlist.allows].
func (a *Allowlist) allowsCommit(commit, path string) bool {
	ac := a.get()
	if len(ac.commits) == 0 || commit == "" {
		return false
	}
	commit = strings.ToLower(commit)
	listed := false
	for _, c := range ac.commits {
		if strings.HasPrefix(commit, c) {
			listed = true
			break
		}
	}
	if !listed {
		return false
	}
	if ac.and && ac.paths != nil {
		return path != "" && ac.matchPath(path)
	}
	return true
}

// GlobRegexp translates a path glob into an anchored regular expression.
func GlobRegexp(glob string) string {
	var b strings.Builder
	g := strings.TrimPrefix(glob, "./")
	if !strings.Contains(strings.TrimSuffix(g, "/"), "/") {
		b.WriteString(`(^|/)`) // a bare name matches in any directory
	} else {
		g = strings.TrimPrefix(g, "/")
		b.WriteString(`^`)
	}
	dirOnly := strings.HasSuffix(g, "/")
	g = strings.TrimSuffix(g, "/")
	for i := 0; i < len(g); i++ {
		switch c := g[i]; c {
		case '*':
			if i+1 < len(g) && g[i+1] == '*' {
				i++
				if i+1 < len(g) && g[i+1] == '/' {
					i++
					b.WriteString(`(?:.*/)?`)
				} else {
					b.WriteString(`.*`)
				}
			} else {
				b.WriteString(`[^/]*`)
			}
		case '?':
			b.WriteString(`[^/]`)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if dirOnly {
		b.WriteString(`/`)
	} else {
		b.WriteString(`(/|$)`) // a directory pattern covers what is below it
	}
	return b.String()
}

// pathOnly reports whether the allowlist silences everything under the
// path regardless of content, so a rule can be skipped for the file.
func (a *Allowlist) pathOnly(path string) bool {
	ac := a.get()
	if ac.paths == nil || ac.and && len(ac.commits) > 0 || !ac.matchPath(path) {
		return false
	}
	return !ac.and || len(ac.regexes) == 0 && len(ac.lower) == 0
}

func (ac *allowCompiled) matchPath(path string) bool {
	return ac.paths.matchString(path)
}

// candidate is what an allowlist looks at.
type candidate struct {
	path, secret, lower string
	match, line         func() string
}

// allows reports whether the allowlist silences a candidate.
func (a *Allowlist) allows(c *candidate) bool {
	ac := a.get()
	if ac.and && len(ac.commits) > 0 {
		return false // the commit is known only later: see allowsCommit
	}
	type crit struct {
		set bool
		ok  func() bool
	}
	crits := [...]crit{
		{ac.paths != nil, func() bool { return c.path != "" && ac.matchPath(c.path) }},
		{len(ac.regexes) > 0, func() bool {
			target := c.secret
			switch a.RegexTarget {
			case "match":
				target = c.match()
			case "line":
				target = c.line()
			}
			for _, re := range ac.regexes {
				if re.MatchString(target) {
					return true
				}
			}
			return false
		}},
		{len(ac.lower) > 0, func() bool {
			for _, w := range ac.lower {
				if strings.Contains(c.lower, w) {
					return true
				}
			}
			return false
		}},
	}
	any := false
	for _, cr := range crits {
		if !cr.set {
			continue
		}
		any = true
		ok := cr.ok()
		if ac.and && !ok {
			return false
		}
		if !ac.and && ok {
			return true
		}
	}
	return ac.and && any
}
