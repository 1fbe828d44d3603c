package rules

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestKeywordLead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		rule   Rule
		lead   int
		maxLen int
	}{
		{"keyword first", Rule{Keywords: []string{"ghp_"}, Regex: `(ghp_[A-Za-z0-9]{36})`}, 0, 40},
		{"ascii guard", Rule{Keywords: []string{"ion_"}, Regex: `(?:^|[^A-Za-z0-9_\-])(ion_[A-Za-z0-9]{42})`}, 4, 4 + 46},
		{"word boundary", Rule{Keywords: []string{"00D"}, Regex: `\b(00D[A-Za-z0-9]{12})\b`}, 0, 15},
		{"alternation of keywords", Rule{Keywords: []string{"abcd", "wxyz"}, Regex: `((?:abcd|wxyz)[0-9]{10})`}, 0, 14},
		{"one branch without keyword", Rule{Keywords: []string{"abcd"}, Regex: `((?:abcd|wxyz)[0-9]{10})`}, noLead, 0},
		{"keyword across nodes", Rule{Keywords: []string{"xoxb-"}, Regex: `(xox[bp]-[0-9]{10})`}, noLead, 0},
		{"keyword after a name", Rule{Keywords: []string{"token"}, Regex: `api[_-]?token=([a-z0-9]{32})`}, noLead, 0},
		{"unbounded", Rule{Keywords: []string{"ghp_"}, Regex: `ghp_[A-Za-z0-9]+`}, noLead, 0},
		{"longer than twice the window", Rule{Keywords: []string{"ghp_"}, Regex: `ghp_[A-Za-z0-9]{600}`}, noLead, 0},
		{"folded s or k", Rule{Keywords: []string{"sk_"}, Regex: `(?i)(sk_[a-z0-9]{20})`}, noLead, 0},
		{"folded without s or k", Rule{Keywords: []string{"toggl"}, Regex: `(?i)toggl_([a-f0-9]{8})`}, 0, 6*4 + 8},
		{"case-sensitive keyword", Rule{Keywords: []string{"AKIA"}, CaseSensitive: true, Regex: `(AKIA[A-Z0-9]{16})`}, 0, 20},
		{"case-sensitive rule, folded regex", Rule{Keywords: []string{"AKIA"}, CaseSensitive: true, Regex: `(?i)(AKIA[A-Z0-9]{16})`}, noLead, 0},
		{"case-sensitive, keyword case differs", Rule{Keywords: []string{"akia"}, CaseSensitive: true, Regex: `(AKIA[A-Z0-9]{16})`}, noLead, 0},
		{"guard of two characters", Rule{Keywords: []string{"ghp_"}, Regex: `["'](ghp_[A-Za-z0-9]{36})`}, 1, 41},
		{"optional text before", Rule{Keywords: []string{"ghp_"}, Regex: `(?:token=)?(ghp_[A-Za-z0-9]{36})`}, noLead, 0},
		{"no keywords", Rule{Regex: `(ghp_[A-Za-z0-9]{36})`}, noLead, 0},
		{"path rule", Rule{Keywords: []string{"ghp_"}, Path: `\.npmrc$`, Regex: `(ghp_[A-Za-z0-9]{36})`}, noLead, 0},
		{"bad regex", Rule{Keywords: []string{"ghp_"}, Regex: `(ghp_`}, noLead, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lead, maxLen := keywordLead(&tc.rule)
			if lead != tc.lead || maxLen != tc.maxLen {
				t.Errorf("keywordLead = %d, %d; want %d, %d", lead, maxLen, tc.lead, tc.maxLen)
			}
		})
	}
}

// leadMatchers returns the default rules' matcher twice: with windows cut
// to each rule's keyword lead, and with full windows.
var leadMatchers = sync.OnceValues(func() (*Matcher, *Matcher) {
	// Rules of their own, each with its lead read now rather than after
	// its first windows.
	// Allowlists are values that ready compiles in place: each copy gets
	// its own, or it would write to the shared default rules while other
	// tests read them.
	f := defaultRules
	f.Rules = nil
	f.Allow = slices.Clone(defaultRules.Allow)
	for _, r := range defaultRules.Rules {
		c := *r
		c.Allow = slices.Clone(r.Allow)
		f.Rules = append(f.Rules, &c)
	}
	ff, err := ready(f)
	if err != nil {
		panic(err)
	}
	own, err := New(ff)
	if err != nil {
		panic(err)
	}
	cut := NewMatcher(own)
	for _, r := range cut.Rules() {
		if r.re != nil {
			r.re.seen.Store(pfAfter + 1)
			r.readLead()
		}
	}
	full := NewMatcher(own)
	full.fullWindows = true
	return cut, full
})

// sameFinds fails the test when the two matchers find different matches
// in data.
func sameFinds(t *testing.T, cut, full *Matcher, data []byte) {
	t.Helper()
	key := func(ms []Match) []string {
		var out []string
		for _, mt := range ms {
			out = append(out, mt.String()+"/"+mt.Secret)
		}
		return out
	}
	got, want := key(cut.Find(data, nil)), key(full.Find(data, nil))
	if !slices.Equal(got, want) {
		t.Errorf("windows cut at the keyword lead find %v, full windows %v", got, want)
	}
}

// TestLeadWindowsFindTheSame checks, on every example of every default
// rule (alone, mid-file, several in a row, and glued to the text before),
// that cutting windows at the keyword lead finds what full windows find.
func TestLeadWindowsFindTheSame(t *testing.T) {
	t.Parallel()
	cut, full := leadMatchers()
	n := 0
	for _, r := range cut.Rules() {
		if lead, _ := keywordLead(r); lead != noLead {
			n++
		}
		for _, ex := range slices.Concat(r.Matches, r.NonMatches) {
			for _, in := range []string{
				ex,
				"# settings\nname = demo\n" + ex + "\n# end\n",
				strings.Repeat("x", 300) + ex + strings.Repeat(" y", 200),
				ex + "\n" + ex + " " + ex,
				"token=" + ex + ex,
			} {
				sameFinds(t, cut, full, []byte(in))
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d default rules have a keyword lead", n)
	}
	// Every example at once, one a line, where rules drop each other's
	// matches (a specific rule's secret over a generic one's).
	var all []string
	for _, r := range cut.Rules() {
		all = append(all, r.Matches...)
	}
	for _, seed := range []uint64{1, 2} {
		rng := rand.New(rand.NewPCG(seed, 1))
		rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		sameFinds(t, cut, full, []byte(strings.Join(all, "\n")))
	}
}

func FuzzLeadWindows(f *testing.F) {
	cut, full := leadMatchers()
	for _, r := range cut.Rules() {
		if lead, _ := keywordLead(r); lead != noLead && len(r.Matches) > 0 {
			f.Add([]byte("a = " + r.Matches[0] + "\n" + r.Matches[len(r.Matches)-1]))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 8192 {
			data = data[:8192]
		}
		sameFinds(t, cut, full, data)
		sameFinds(t, cut, full, bytes.Repeat(data, 3))
	})
}
