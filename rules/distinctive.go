package rules

import (
	"regexp/syntax"
	"strings"
)

// minDistinctiveLiteral is how many fixed characters every secret of a
// rule must contain for the rule to count as distinctive: "ghp_", "AKIA",
// "xoxb-", "hooks.slack.com/services/T" and "-----BEGIN" qualify; a bare
// "=" or a quote does not.
const minDistinctiveLiteral = 3

// Distinctive reports whether the rule recognises a provider's own format
// rather than a shape any text may have: it is not generic, not a path
// rule, and either every secret it reports contains a fixed literal of at
// least three characters (a token prefix that is part of the secret) or
// an offline structural check (a checksum, a JWT header, a PEM body)
// confirms each candidate. Only such rules run on the printable strings of
// binary files, where assignments and words are noise. The property is
// computed from the regex, so rule files need no extra field.
func (r *Rule) Distinctive() bool {
	if r.Generic || r.IsPathRule() || r.Regex == "" {
		return false
	}
	if r.Check != "" {
		if _, ctx := contextChecks[r.Check]; !ctx {
			if _, ok := checks[r.Check]; ok {
				return true
			}
		}
	}
	return secretLiteralLen(r.Regex, r.SecretGroup) >= minDistinctiveLiteral
}

// secretLiteralLen returns the length of the longest fixed literal (up
// to ASCII case) that every match of capture group group (0: the whole
// regex) contains, or 0 when it cannot tell.
func secretLiteralLen(expr string, group int) int {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return 0
	}
	re = re.Simplify()
	if group > 0 {
		re = findCapture(re, group)
		if re == nil {
			return 0
		}
	}
	return requiredLiteral(re)
}

func findCapture(re *syntax.Regexp, group int) *syntax.Regexp {
	if re.Op == syntax.OpCapture && re.Cap == group {
		return re
	}
	for _, s := range re.Sub {
		if c := findCapture(s, group); c != nil {
			return c
		}
	}
	return nil
}

// fixed describes the fixed characters (up to ASCII case) every match of
// an expression has: how many it starts with (pre), ends with (suf) and
// the longest run anywhere (best); exact when it matches exactly pre
// characters.
type fixed struct {
	pre, suf, best int
	exact          bool
}

// requiredLiteral returns the length of the longest run of fixed
// characters every match of re contains.
func requiredLiteral(re *syntax.Regexp) int { return fixedOf(re).best }

func fixedOf(re *syntax.Regexp) fixed {
	switch re.Op {
	case syntax.OpLiteral:
		n := len(re.Rune)
		return fixed{n, n, n, true}
	case syntax.OpCharClass:
		if oneLetter(re.Rune) {
			return fixed{1, 1, 1, true}
		}
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return fixed{exact: true}
	case syntax.OpCapture:
		return fixedOf(re.Sub[0])
	case syntax.OpConcat:
		acc := fixed{exact: true}
		for _, s := range re.Sub {
			acc = concatFixed(acc, fixedOf(s))
		}
		return acc
	case syntax.OpAlternate:
		var acc fixed
		for i, s := range re.Sub {
			f := fixedOf(s)
			if i == 0 {
				acc = f
				continue
			}
			acc.exact = acc.exact && f.exact && f.pre == acc.pre
			acc.pre, acc.suf, acc.best = min(acc.pre, f.pre), min(acc.suf, f.suf), min(acc.best, f.best)
		}
		return acc
	case syntax.OpPlus:
		f := fixedOf(re.Sub[0])
		f.exact = false
		return f
	case syntax.OpRepeat:
		if re.Min >= 1 {
			f := fixedOf(re.Sub[0])
			f.exact = f.exact && re.Min == 1 && re.Max == 1
			return f
		}
	}
	return fixed{}
}

// concatFixed is the fixed description of a match of a followed by b.
func concatFixed(a, b fixed) fixed {
	if a.exact && b.exact {
		n := a.pre + b.pre
		return fixed{n, n, n, true}
	}
	out := fixed{pre: a.pre, suf: b.suf, best: max(a.best, b.best, a.suf+b.pre)}
	if a.exact {
		out.pre = a.pre + b.pre
	}
	if b.exact {
		out.suf = a.suf + b.suf
	}
	return out
}

// oneLetter reports whether a character class is one character, perhaps
// in both ASCII cases ([Aa]).
func oneLetter(ranges []rune) bool {
	var rs []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] != ranges[i+1] {
			return false
		}
		rs = append(rs, ranges[i])
	}
	switch len(rs) {
	case 1:
		return true
	case 2:
		return strings.EqualFold(string(rs[0]), string(rs[1]))
	}
	return false
}
