package gitleaks

// The analysis of gitleaks regexes: how long a match can be, whether a
// group always takes part, which literals every match holds (the keywords
// keylint derives when a rule has none it can use).

import (
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/keylint/keylint/rules"
)

// windowFor returns the window a converted rule needs so that keylint,
// which runs a regex only near keyword hits, finds what gitleaks finds by
// running it over the whole file once a keyword occurs anywhere in it. That
// is 0 (the default) when every match holds a keyword and no match is
// longer than the default window; the longest match when it is longer; and
// the largest window when matches are unbounded or when no keyword appears
// in the regex at all (the keyword then only says the file is worth
// scanning, as in gitleaks' facebook-access-token).
func windowFor(src string, re *syntax.Regexp, keywords []string) int {
	if !keywordsInRegex(src, re, keywords) {
		return rules.MaxWindow
	}
	n := maxMatchLen(re)
	switch {
	case n >= 0 && n <= rules.DefaultWindow:
		return 0
	case n < 0 || n > rules.MaxWindow:
		return rules.MaxWindow
	}
	return n
}

// keywordsInRegex reports whether some keyword is spelled out in the regex,
// ignoring ASCII case and backslash escapes, or is one of the literals the
// regex requires.
func keywordsInRegex(src string, re *syntax.Regexp, keywords []string) bool {
	src = litLower(strings.ReplaceAll(src, `\`, ""))
	required := requiredLiterals(re, 1)
	for _, k := range keywords {
		k = litLower(k)
		if strings.Contains(src, k) || slices.Contains(required, k) {
			return true
		}
	}
	return false
}

// maxMatchLen returns the length in bytes of the longest match of re, or -1
// when matches are unbounded (or too long to count).
func maxMatchLen(re *syntax.Regexp) int {
	const unbounded = -1
	const limit = 1 << 30
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return len(re.Rune) * utf8.UTFMax // k also matches the Kelvin sign
		}
		return len(string(re.Rune))
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return max(1, utf8.RuneLen(re.Rune[len(re.Rune)-1]))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture:
		return maxMatchLen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return unbounded
	case syntax.OpQuest:
		return maxMatchLen(re.Sub[0])
	case syntax.OpRepeat:
		n := maxMatchLen(re.Sub[0])
		if re.Max < 0 || n < 0 {
			return unbounded
		}
		if n > 0 && re.Max > limit/n {
			return unbounded
		}
		return n * re.Max
	case syntax.OpConcat:
		total := 0
		for _, s := range re.Sub {
			n := maxMatchLen(s)
			if n < 0 || total+n > limit {
				return unbounded
			}
			total += n
		}
		return total
	case syntax.OpAlternate:
		m := 0
		for _, s := range re.Sub {
			n := maxMatchLen(s)
			if n < 0 {
				return unbounded
			}
			m = max(m, n)
		}
		return m
	}
	return 0 // empty-width assertions, empty match, no match
}

// groupAlwaysSet reports whether capture group k takes part, non-empty, in
// every match of re.
func groupAlwaysSet(re *syntax.Regexp, k int, mandatory bool) bool {
	switch re.Op {
	case syntax.OpCapture:
		if re.Cap == k {
			return mandatory && !canBeEmpty(re.Sub[0])
		}
		return groupAlwaysSet(re.Sub[0], k, mandatory)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if groupAlwaysSet(s, k, mandatory) {
				return true
			}
		}
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if groupAlwaysSet(s, k, mandatory && len(re.Sub) == 1) {
				return true
			}
		}
	case syntax.OpPlus:
		return groupAlwaysSet(re.Sub[0], k, mandatory)
	case syntax.OpRepeat:
		return groupAlwaysSet(re.Sub[0], k, mandatory && re.Min >= 1)
	}
	return false
}

// canBeEmpty reports whether re can match the empty string.
func canBeEmpty(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpNoMatch, syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return false
	case syntax.OpLiteral:
		return len(re.Rune) == 0
	case syntax.OpCapture, syntax.OpPlus:
		return canBeEmpty(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min == 0 || canBeEmpty(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !canBeEmpty(s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if canBeEmpty(s) {
				return true
			}
		}
		return false
	}
	return true // empty-width assertions, empty match, star, quest
}

// maxLiterals bounds the size of literal sets during regex analysis, and
// maxClass the size of a character class expanded into literals.
const (
	maxLiterals = 32
	maxClass    = 8
)

// litInfo describes the literals of a regex node. Each set holds strings,
// lower-cased ASCII-wise, one of which occurs in every match; {""} means
// nothing is known.
type litInfo struct {
	exact  []string // every string the node can match; nil if unknown or too many
	prefix []string // one of these starts every match
	suffix []string // one of these ends every match
	inner  []string // one of these occurs in every match
}

var unknownLits = []string{""}

// requiredLiterals returns literals, one of which occurs (ignoring ASCII
// case) in every match of re, each at least minLen bytes long, or nil when
// the regex requires no such set of literals. Literals containing another
// one of the set are dropped as redundant.
func requiredLiterals(re *syntax.Regexp, minLen int) []string {
	if re == nil {
		return nil
	}
	in := analyzeLits(re)
	set := bestLits(in.exact, in.inner, in.prefix, in.suffix)
	if set == nil || litMinLen(set) < minLen {
		return nil
	}
	var out []string
	for _, s := range set {
		redundant := false
		for _, t := range set {
			if t != s && strings.Contains(s, t) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func analyzeLits(re *syntax.Regexp) litInfo {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return foldedLiteral(re.Rune)
		}
		return exactInfo([]string{litLower(string(re.Rune))})
	case syntax.OpCharClass:
		set := []string{}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] >= maxClass {
				return unknownInfo()
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				set = litUnion(set, []string{litLower(string(r))})
				if set == nil || len(set) > maxClass {
					return unknownInfo()
				}
			}
		}
		if len(set) == 0 {
			return unknownInfo()
		}
		return exactInfo(set)
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return exactInfo([]string{""})
	case syntax.OpCapture:
		return analyzeLits(re.Sub[0])
	case syntax.OpQuest:
		if in := analyzeLits(re.Sub[0]); in.exact != nil {
			if u := litUnion(in.exact, []string{""}); u != nil {
				return exactInfo(u)
			}
		}
		return unknownInfo()
	case syntax.OpPlus:
		return atLeastOnce(analyzeLits(re.Sub[0]))
	case syntax.OpRepeat:
		in := analyzeLits(re.Sub[0])
		switch {
		case re.Min == 0 && re.Max == 1 && in.exact != nil:
			if u := litUnion(in.exact, []string{""}); u != nil {
				return exactInfo(u)
			}
		case re.Min == 0:
		case re.Min == re.Max && re.Min <= 8 && in.exact != nil:
			set := []string{""}
			for range re.Min {
				if set = litProduct(set, in.exact); set == nil {
					return atLeastOnce(in)
				}
			}
			return exactInfo(set)
		default:
			return atLeastOnce(in)
		}
		return unknownInfo()
	case syntax.OpConcat:
		if len(re.Sub) == 0 {
			return exactInfo([]string{""})
		}
		acc := analyzeLits(re.Sub[0])
		for _, s := range re.Sub[1:] {
			acc = concatLits(acc, analyzeLits(s))
		}
		return acc
	case syntax.OpAlternate:
		var exact, prefix, suffix, inner []string
		allExact := true
		for i, s := range re.Sub {
			in := analyzeLits(s)
			if in.exact == nil {
				allExact = false
			}
			if i == 0 {
				exact, prefix, suffix, inner = in.exact, in.pre(), in.suf(), in.best()
				continue
			}
			exact = litUnion(exact, in.exact)
			prefix = litUnion(prefix, in.pre())
			suffix = litUnion(suffix, in.suf())
			inner = litUnion(inner, in.best())
		}
		if allExact && exact != nil {
			return exactInfo(exact)
		}
		return litInfo{prefix: orUnknown(prefix), suffix: orUnknown(suffix), inner: orUnknown(inner)}
	}
	return unknownInfo()
}

// foldedLiteral is the info of a case-insensitive literal. Runes that fold
// beyond ASCII (é and É) escape an ASCII-insensitive prefilter, so the
// literal only yields the runs of runes between them.
func foldedLiteral(runes []rune) litInfo {
	var segs []string
	start := 0
	for i, r := range runes {
		if r >= 0x80 && unicode.SimpleFold(r) != r {
			segs = append(segs, string(runes[start:i]))
			start = i + 1
		}
	}
	if segs == nil {
		return exactInfo([]string{litLower(string(runes))})
	}
	segs = append(segs, string(runes[start:]))
	in := unknownInfo()
	in.prefix = []string{litLower(segs[0])}
	in.suffix = []string{litLower(segs[len(segs)-1])}
	for _, s := range segs {
		if len(s) > len(in.inner[0]) {
			in.inner = []string{litLower(s)}
		}
	}
	return in
}

func exactInfo(set []string) litInfo {
	return litInfo{exact: set, prefix: set, suffix: set, inner: set}
}

func unknownInfo() litInfo {
	return litInfo{prefix: unknownLits, suffix: unknownLits, inner: unknownLits}
}

func orUnknown(set []string) []string {
	if set == nil {
		return unknownLits
	}
	return set
}

func (in litInfo) pre() []string {
	if in.exact != nil {
		return in.exact
	}
	return in.prefix
}

func (in litInfo) suf() []string {
	if in.exact != nil {
		return in.exact
	}
	return in.suffix
}

func (in litInfo) best() []string { return bestLits(in.exact, in.inner, in.prefix, in.suffix) }

// atLeastOnce is the info of one or more repetitions of a node.
func atLeastOnce(in litInfo) litInfo {
	return litInfo{prefix: in.pre(), suffix: in.suf(), inner: in.best()}
}

// concatLits is the info of a followed by b.
func concatLits(a, b litInfo) litInfo {
	if a.exact != nil && b.exact != nil {
		if p := litProduct(a.exact, b.exact); p != nil {
			return exactInfo(p)
		}
	}
	out := litInfo{prefix: a.prefix, suffix: b.suffix}
	if a.exact != nil {
		if out.prefix = litProduct(a.exact, b.pre()); out.prefix == nil {
			out.prefix = a.exact
		}
	}
	if b.exact != nil {
		if out.suffix = litProduct(a.suf(), b.exact); out.suffix == nil {
			out.suffix = b.exact
		}
	}
	out.inner = bestLits(a.best(), b.best(), litProduct(a.suf(), b.pre()), out.prefix, out.suffix)
	return out
}

// bestLits picks the set whose shortest string is longest, then the
// smallest set. nil sets are skipped.
func bestLits(sets ...[]string) []string {
	var best []string
	for _, s := range sets {
		if s == nil {
			continue
		}
		if best == nil {
			best = s
			continue
		}
		if m, bm := litMinLen(s), litMinLen(best); m > bm || m == bm && len(s) < len(best) {
			best = s
		}
	}
	return best
}

func litMinLen(set []string) int {
	m := -1
	for _, s := range set {
		if m < 0 || len(s) < m {
			m = len(s)
		}
	}
	return max(m, 0)
}

// litUnion returns the sorted union of two sets, nil if either is nil or
// the union is too large.
func litUnion(a, b []string) []string {
	if a == nil || b == nil {
		return nil
	}
	u := append(slices.Clone(a), b...)
	slices.Sort(u)
	u = slices.Compact(u)
	if len(u) > maxLiterals {
		return nil
	}
	return u
}

// litProduct returns every concatenation of a string of a with one of b,
// nil if either is nil or the product is too large.
func litProduct(a, b []string) []string {
	if a == nil || b == nil || len(a)*len(b) > maxLiterals {
		return nil
	}
	var p []string
	for _, x := range a {
		for _, y := range b {
			p = append(p, x+y)
		}
	}
	slices.Sort(p)
	return slices.Compact(p)
}

func litLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
