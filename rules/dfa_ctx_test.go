package rules

import (
	"regexp"
	"testing"
)

// TestDFAMatchIn: a range's assertions see what surrounds it.
func TestDFAMatchIn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		expr, data string
		start, end int
		want       bool
	}{
		{`(?m)^abc`, "xabcx", 1, 4, false},
		{`(?m)^abc`, "\nabcx", 1, 4, true},
		{`^abc`, "\nabc", 1, 4, false},
		{`abc$`, "abcx", 0, 3, false},
		{`(?m)abc$`, "abc\nx", 0, 3, true},
		{`abc$`, "xabc", 1, 4, true},
		{`\bkey\b`, "akeyb", 1, 4, false},
		{`\bkey\b`, " key ", 1, 4, true},
		{`\bkey\b`, "akey ", 1, 4, false},
		{`\Bkey`, "akey", 1, 4, true},
		{`\Bkey`, " key", 1, 4, false},
		{`\Aabc`, "xabc", 1, 4, false},
		{`\Aabc`, "abcx", 0, 3, true},
		{`abc\z`, "abcx", 0, 3, false},
		{`abc\z`, "xabc", 1, 4, true},
		{`\bé`, "aé", 1, 3, true}, // é is not a word character
		{`[a-z]{3}`, "abcdef", 2, 4, false},
		{`[a-z]{3}`, "abcdef", 2, 5, true},
		{`(?m)^[ \t]*password=(\S{4,})(?:$|\s)`, "password=password=password=", 9, 27, false},
		{`(?m)^[ \t]*password=(\S{4,})(?:$|\s)`, "password=password=password=", 0, 18, false},
		{`(?m)^[ \t]*password=(\S{4,})(?:$|\s)`, "password=password=password=", 0, 27, true},
	} {
		d, err := newDFA(c.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.matchIn([]byte(c.data), c.start, c.end); got != c.want {
			t.Errorf("%q in %q[%d:%d]: %v, want %v", c.expr, c.data, c.start, c.end, got, c.want)
		}
		// The same state cache again, now for the whole input.
		if got, want := d.matchIn([]byte(c.data), 0, len(c.data)), regexp.MustCompile(c.expr).MatchString(c.data); got != want {
			t.Errorf("%q on all of %q: %v, regexp %v", c.expr, c.data, got, want)
		}
	}
}

// FuzzDFAMatchIn: every match regexp finds in the whole input is found by
// matchIn in its own span; a range that matches means the whole input
// does; the whole range is regexp.Match.
func FuzzDFAMatchIn(f *testing.F) {
	for _, c := range dfaCases {
		for _, in := range c.inputs {
			f.Add(uint8(0), in, uint16(0), uint16(len(in)))
		}
	}
	f.Add(uint8(3), "password=password=\npassword=hunter22 x", uint16(3), uint16(30))
	exprs := []string{`(?m)^abc$`, `\bkey\b`, `\Bkey`, `(?m)^[ \t]*password=(\S{4,})(?:$|\s)`, `[^\s"']{5,}`, `\Aab|cd\z`, `(?i)k\w+`}
	dfas := make([]*dfaProg, len(exprs))
	res := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		d, err := newDFA(e)
		if err != nil {
			f.Fatal(err)
		}
		dfas[i], res[i] = d, regexp.MustCompile(e)
	}
	f.Fuzz(func(t *testing.T, which uint8, in string, s, e uint16) {
		i := int(which) % len(exprs)
		data := []byte(in)
		start, end := min(int(s), len(data)), min(int(e), len(data))
		if start > end {
			start, end = end, start
		}
		d, re := dfas[i], res[i]
		whole := re.Match(data)
		if got := d.matchIn(data, 0, len(data)); got != whole {
			t.Fatalf("%q on %q: matchIn %v, regexp %v", exprs[i], in, got, whole)
		}
		if d.matchIn(data, start, end) && !whole {
			t.Fatalf("%q on %q[%d:%d]: the range matches, the input does not", exprs[i], in, start, end)
		}
		for _, loc := range re.FindAllIndex(data, 8) {
			if !d.matchIn(data, loc[0], loc[1]) {
				t.Fatalf("%q on %q: regexp matches [%d:%d], matchIn does not", exprs[i], in, loc[0], loc[1])
			}
		}
	})
}
