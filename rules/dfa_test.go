package rules

import (
	"regexp"
	"strings"
	"testing"
)

// dfaCases pair expressions with inputs chosen to exercise assertions,
// folding, UTF-8 and the unanchored start.
var dfaCases = []struct {
	expr   string
	inputs []string
}{
	{`abc`, []string{"", "abc", "xxabcxx", "ab", "ABC"}},
	{`(?i)abc`, []string{"ABC", "aBc", "xAbCx", "ab"}},
	{`(?i)k`, []string{"K", "k", "\u212a", "x"}},
	{`(?i)\x{212a}`, []string{"K", "k", "j"}},
	{`^abc$`, []string{"abc", "abc\n", "xabc", "\nabc"}},
	{`(?m)^abc$`, []string{"abc", "x\nabc\ny", "xabc", "abc\r\n"}},
	{`\bkey\b`, []string{"key", "a key", "akey", "key_", "key-", "é key"}},
	{`\Bkey`, []string{"key", "akey", " key"}},
	{`\Aabc`, []string{"abc", "xabc"}},
	{`abc\z`, []string{"abc", "abc\n"}},
	{`[^\s"']{5,}`, []string{"abcd", "abcde", "ab\"cde", "éééééé", "\xff\xfe\xfd\xfc\xfb"}},
	{`\x{fffd}`, []string{"\xff", "a", "\uFFFD"}},
	{`.`, []string{"", "\n", "a"}},
	{`(?s).`, []string{"\n"}},
	{`a|`, []string{"", "b"}},
	{`x*`, []string{""}},
	{`(?:^|[^A-Za-z])pass[=:]\s*"([^"]{6,})"`, []string{`pass="hunter22"`, `xpass="hunter22"`, ` pass: "abcdef"`, `pass="abc"`}},
}

func TestDFAMatchesRegexp(t *testing.T) {
	for _, tc := range dfaCases {
		d, err := newDFA(tc.expr)
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		re := regexp.MustCompile(tc.expr)
		for _, in := range tc.inputs {
			if got, want := d.match([]byte(in)), re.Match([]byte(in)); got != want {
				t.Errorf("%q on %q: dfa %v, regexp %v", tc.expr, in, got, want)
			}
		}
	}
}

// TestDFADefaultRules runs every default rule's DFA and regexp over the
// rule's own examples, one by one and joined, and over the examples of the
// next five rules joined (so each rule also meets other rules' inputs).
// The corpus tests and FuzzMatcher compare the two at scale.
func TestDFADefaultRules(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	list := rs.Rules()
	examples := func(r *Rule) []string { return append(append([]string{}, r.Matches...), r.NonMatches...) }
	for i, r := range list {
		if r.Regex == "" {
			continue
		}
		d, err := newDFA(r.Regex)
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		re, err := r.Compiled()
		if err != nil {
			t.Fatal(err)
		}
		inputs := examples(r)
		var others []string
		for k := 1; k <= 5; k++ {
			others = append(others, examples(list[(i+k)%len(list)])...)
		}
		inputs = append(inputs, strings.Join(inputs, "\n"), strings.Join(others, "\n"))
		for _, in := range inputs {
			if got, want := d.match([]byte(in)), re.Match([]byte(in)); got != want {
				t.Errorf("%s on %q: dfa %v, regexp %v", r.ID, in, got, want)
			}
		}
	}
}

// TestDFAFlush forces the state cache to flush mid-input.
func TestDFAFlush(t *testing.T) {
	d, err := newDFA(`[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}X`)
	if err != nil {
		t.Fatal(err)
	}
	in := []byte(strings.Repeat("abcdefghij", 501) + "X")
	for range 3 {
		if !d.match(in) {
			t.Fatal("no match after a flush")
		}
		if d.match(in[:len(in)-1]) {
			t.Fatal("match without the X")
		}
	}
	if len(d.free) != 1 {
		t.Fatalf("%d caches after sequential use, want 1", len(d.free))
	}
	if c := d.free[0]; len(c.states) > dfaMaxStates || len(c.pcs) > dfaMaxPCs {
		t.Errorf("cache holds %d states and %d instructions; bounds are %d and %d", len(c.states), len(c.pcs), dfaMaxStates, dfaMaxPCs)
	}
}

func FuzzDFA(f *testing.F) {
	for _, tc := range dfaCases {
		for _, in := range tc.inputs {
			f.Add(tc.expr, in)
		}
	}
	f.Fuzz(func(t *testing.T, expr, in string) {
		if len(expr) > 200 || len(in) > 4096 {
			return
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		d, err := newDFA(expr)
		if err != nil {
			t.Fatalf("regexp compiles %q, dfa: %v", expr, err)
		}
		if got, want := d.match([]byte(in)), re.Match([]byte(in)); got != want {
			t.Fatalf("%q on %q: dfa %v, regexp %v", expr, in, got, want)
		}
		// A second run goes through cached transitions.
		if got, want := d.match([]byte(in)), re.Match([]byte(in)); got != want {
			t.Fatalf("%q on %q (cached): dfa %v, regexp %v", expr, in, got, want)
		}
	})
}
