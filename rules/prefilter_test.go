package rules

import (
	"bytes"
	"regexp"
	"slices"
	"testing"
	"unicode/utf8"
)

// TestNewPrefilter checks the literal sets found for hand-written
// expressions: required literals through concatenation, alternation and
// case folding; nothing from optional parts; nothing a keyword already
// guarantees; nothing too short or too many.
func TestNewPrefilter(t *testing.T) {
	for _, c := range []struct {
		expr     string
		keywords []string
		want     prefilter
	}{
		{`(?i)branch[\w.]{0,30}?key\s*=\s*(secret_(?:live|test)_[A-Za-z0-9]{32})`, []string{"branch"}, prefilter{"secret_live_", "secret_test_"}},
		{`(?i)toggl[\w.]{0,30}?token\s*=\s*([a-f0-9]{32})`, []string{"toggl"}, prefilter{"token"}},
		{`(?i)toggl[\w.]{0,30}?token\s*=\s*([a-f0-9]{32})`, []string{"toggl", "token"}, nil},
		{`\b(nk-[A-Za-z0-9_\-]{40,50})`, []string{"nomic"}, prefilter{"nk-"}},
		{`(?:key|secret|password)=([a-z0-9]{16})`, nil, prefilter{"key=", "secret=", "password="}},
		// Optional parts require nothing.
		{`(?:git\+)?https://[a-z]+:([^@]+)@`, []string{"https://"}, nil},
		{`x(?:longliteral)*y`, nil, nil},
		// Too short to select anything.
		{`a!b?[0-9]+`, nil, nil},
		// Too many alternatives.
		{`(?:aaa|bbb|ccc|ddd|eee|fff|ggg|hhh|iii)[0-9]+`, nil, nil},
		// Case folding: literals are kept lower case.
		{`(?i)SECRET_KEY=[0-9]+`, nil, prefilter{"secret_key="}},
		{`not a regex (`, nil, nil},
	} {
		if got := newPrefilter(c.expr, c.keywords); !slices.Equal(got, c.want) {
			t.Errorf("newPrefilter(%q, %q) = %q, want %q", c.expr, c.keywords, got, c.want)
		}
	}
}

// TestPrefilterAdmits checks the window test: literals found ignoring
// ASCII case, anchored on a non-letter byte or not, at either end;
// windows without one rejected unless they hold a byte that may start a
// rune (?i) folds to s or k.
func TestPrefilterAdmits(t *testing.T) {
	p := prefilter{"secret_live_", "token"}
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"x = SECRET_LIVE_abc", true},
		{"secret_live_", true},
		{"secret_live", false},
		{"TOKEN", true},
		{"a_toke n_", false},
		{"xxxxxxxxxxxxxxxx_live_", false},
		{"secret-live_ x", false},
		{"\u017Fecret_live_", true}, // (?i) folds U+017F to s
		{"\u212Aey", true},
		{"", false},
	} {
		if got := p.admits([]byte(c.in)); got != c.want {
			t.Errorf("admits(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	if !prefilter(nil).admits([]byte("anything")) {
		t.Error("a nil prefilter rejects a window")
	}
}

// TestPrefilterDefaultRules checks, for every default rule, that each
// match of its regex in its own examples passes its prefilter: the
// prefilter never hides a match the rule's examples show.
func TestPrefilterDefaultRules(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	with := 0
	for _, r := range rs.Rules() {
		if r.IsPathRule() && r.Regex == "" {
			continue
		}
		pf := r.prefilter()
		if pf == nil {
			continue
		}
		with++
		re, err := r.Compiled()
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range r.Matches {
			for _, loc := range re.FindAllStringIndex(ex, -1) {
				if !pf.admits([]byte(ex[loc[0]:loc[1]])) {
					t.Errorf("%s: prefilter %q rejects the match %q", r.ID, pf, ex[loc[0]:loc[1]])
				}
			}
		}
	}
	if with < len(rs.Rules())/3 {
		t.Errorf("only %d of %d rules have a prefilter", with, len(rs.Rules()))
	}
}

// FuzzPrefilter checks the prefilter against Go's regexp: every match of
// an expression in an input passes the expression's prefilter.
func FuzzPrefilter(f *testing.F) {
	for _, s := range []struct{ expr, in string }{
		{`(?i)secret[_-]?key\s*=\s*([a-z0-9]{8})`, "SECRET-KEY = abcdefgh"},
		{`(?:key|token)=(\w+)`, "token=abc"},
		{`(?i)sk_(?:live|test)_[a-z]{4}`, "\u017Fk_live_abcd"},
		{`(?i)\bkey\b`, "\u212Aey"},
		{`a(?:bcd|bce)f{2,3}`, "abceff"},
	} {
		f.Add(s.expr, []byte(s.in))
	}
	f.Fuzz(func(t *testing.T, expr string, in []byte) {
		if len(expr) > 200 || len(in) > 4096 {
			return
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		pf := newPrefilter(expr, nil)
		for _, loc := range re.FindAllIndex(in, -1) {
			if !pf.admits(in[loc[0]:loc[1]]) {
				t.Fatalf("prefilter %q of %q rejects the match %q", pf, expr, in[loc[0]:loc[1]])
			}
		}
	})
}

// FuzzContainsFold checks containsFold against lower-casing both sides
// (ASCII only) and bytes.Contains.
func FuzzContainsFold(f *testing.F) {
	f.Add([]byte("x = SECRET_live_abc"), "secret_live_")
	f.Add([]byte("tokeToKeN"), "token")
	f.Add([]byte("kkkk"), "kk")
	f.Fuzz(func(t *testing.T, hay []byte, lit string) {
		if lit == "" || len(lit) > 64 {
			return
		}
		low := []byte(lit)
		for i, c := range low {
			if c >= utf8.RuneSelf {
				return
			}
			low[i] = fold(c)
		}
		lowHay := bytes.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + ('a' - 'A')
			}
			return r
		}, hay)
		want := bytes.Contains(lowHay, low)
		if !utf8.Valid(hay) {
			// bytes.Map rewrites invalid bytes: compare byte-wise.
			want = false
			for i := 0; i+len(low) <= len(hay); i++ {
				if equalFoldLower(hay[i:i+len(low)], string(low)) {
					want = true
					break
				}
			}
		}
		if got := containsFold(hay, string(low)); got != want {
			t.Fatalf("containsFold(%q, %q) = %v, want %v", hay, low, got, want)
		}
	})
}
