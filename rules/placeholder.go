package rules

import (
	"math"
	"strings"
)

// Entropy returns the Shannon entropy of s in bits per byte.
func Entropy(s string) float64 {
	if len(s) == 0 {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	var h float64
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// placeholderWords are substrings (lower case) that mark a value as a
// placeholder rather than a credential.
var placeholderWords = []string{
	"example", "sample", "dummy", "placeholder", "changeme", "change_me", "change-me",
	"redacted", "your_", "your-", "yourapi", "yourtoken", "yoursecret", "yourkey", "yourpass",
	"xxxx", "lorem", "insert", "replace", "****", "....", "…",
}

// templateMarkers are substrings that show a value is computed or templated
// (a variable reference, not a literal).
var templateMarkers = []string{
	"${", "{{", "}}", "#{", "%(", "<%", "%>", "$(", "process.env", "getenv", "environ",
	"env[", "env(", "secrets.", "vault(", "os.env", "import.meta.env",
}

// IsPlaceholder reports whether a candidate secret looks like a
// placeholder, a template or a variable reference rather than a literal
// credential, and why.
func IsPlaceholder(s string) (bool, string) {
	lower := strings.ToLower(s)
	for _, w := range placeholderWords {
		if strings.Contains(lower, w) {
			return true, "placeholder"
		}
	}
	for _, w := range templateMarkers {
		if strings.Contains(lower, w) {
			return true, "template"
		}
	}
	if len(s) >= 2 && (s[0] == '<' && s[len(s)-1] == '>' || s[0] == '[' && s[len(s)-1] == ']') {
		return true, "placeholder"
	}
	if len(s) >= 2 && s[0] == '$' && isIdent(s[1:]) {
		return true, "template" // $VAR
	}
	if placeholderRun(s) {
		return true, "repeated-or-sequential"
	}
	return false, ""
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

// hasRun reports whether s has n or more consecutive alphanumerics that are
// all the same character, or each one more (or one less) than the last,
// such as "aaaaaa", "123456" or "fedcba".
func hasRun(s string, n int) bool {
	same, up, down := 1, 1, 1
	for i := 1; i < len(s); i++ {
		a, b := s[i-1], s[i]
		if !isAlnum(a) || !isAlnum(b) {
			same, up, down = 1, 1, 1
			continue
		}
		if b == a {
			same++
		} else {
			same = 1
		}
		if b == a+1 {
			up++
		} else {
			up = 1
		}
		if b+1 == a {
			down++
		} else {
			down = 1
		}
		if same >= n || up >= n || down >= n {
			return true
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
