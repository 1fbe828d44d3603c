package rules

import (
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
)

// stringsForm is what [Rule.Distinctive] and [Rule.ForStrings] decide for
// a rule: whether it is distinctive and, if so, the regex it runs with on
// printable strings ("" when it runs with its own).
type stringsForm struct {
	distinctive bool
	regex       string
}

// stringsRules returns the distinctive rules among rules, each in the
// form it runs on printable strings (see [Matcher.Distinctive]). Deciding
// parses every rule's regex and compiles the distinctive ones (a fifth of
// a second of CPU with the default rules), so for a rule that is one of
// the default rules as compiled in, the decision is read from
// defaultStrings, computed when default_rules.go was generated.
func stringsRules(rules []*Rule) []*Rule {
	byID := defaultRuleIndex()
	var out []*Rule
	for _, r := range rules {
		if i, ok := byID[r.ID]; ok && i < len(defaultStrings) && sameStringsInputs(r, defaultRules.Rules[i]) {
			switch sf := defaultStrings[i]; {
			case !sf.distinctive:
			case sf.regex == "":
				out = append(out, r)
			default:
				out = append(out, r.withStringsRegex(sf.regex))
			}
			continue
		}
		if r.Distinctive() {
			out = append(out, r.ForStrings())
		}
	}
	return out
}

// defaultRuleIndex maps each default rule's id to its index in
// defaultRules.Rules (and defaultStrings).
var defaultRuleIndex = sync.OnceValue(func() map[string]int {
	m := make(map[string]int, len(defaultRules.Rules))
	for i, r := range defaultRules.Rules {
		m[r.ID] = i
	}
	return m
})

// sameStringsInputs reports whether r has every field that Distinctive
// and ForStrings read as d has it.
func sameStringsInputs(r, d *Rule) bool {
	return r.Regex == d.Regex && r.SecretGroup == d.SecretGroup && r.Generic == d.Generic &&
		r.Path == d.Path && r.Check == d.Check &&
		slices.Equal(r.Keywords, d.Keywords) && slices.Equal(r.Matches, d.Matches)
}

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

// ForStrings returns the rule as it runs on the printable strings of
// binary content: its regex reduced to the secret's own expression, with
// none of the context around it. Compilers and databases store strings
// back to back (Go and Rust string data, SQLite records, length-prefixed
// constants), so the character before or after a secret is often a
// letter of its neighbour, which a boundary guard of the full regex would
// reject. Distinctive rules do not need that context: their fixed literal
// or structural check is what tells a secret. It returns the rule itself
// when the secret's expression cannot be isolated, or when its keywords
// are not part of the secret (the prefilter then needs the context that
// holds them).
func (r *Rule) ForStrings() *Rule {
	re, err := syntax.Parse(r.Regex, syntax.Perl)
	if err != nil || !r.keywordInSecret() {
		return r
	}
	sub := re
	if r.SecretGroup > 0 {
		if sub = findCapture(re, r.SecretGroup); sub == nil {
			return r
		}
		sub = sub.Sub[0]
	}
	return r.withStringsRegex("(" + sub.String() + ")")
}

// withStringsRegex returns a copy of r whose regex is regex, its secret
// the first group.
func (r *Rule) withStringsRegex(regex string) *Rule {
	rr := *r
	rr.Regex = regex
	rr.SecretGroup = 1
	rr.re = &lazyRegex{src: rr.Regex}
	return &rr
}

// keywordInSecret reports whether a keyword of the rule is part of every
// secret it finds in its examples (or, without examples, of the secret's
// expression as written).
func (r *Rule) keywordInSecret() bool {
	has := func(s string) bool {
		for _, k := range r.Keywords {
			if strings.Contains(strings.ToLower(s), strings.ToLower(k)) {
				return true
			}
		}
		return false
	}
	if len(r.Matches) == 0 {
		return has(r.Regex)
	}
	re, err := r.Compiled()
	if err != nil {
		return false
	}
	for _, ex := range r.Matches {
		for _, m := range re.FindAllStringSubmatch(ex, -1) {
			if r.SecretGroup >= len(m) || !has(m[r.SecretGroup]) {
				return false
			}
		}
	}
	return true
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
