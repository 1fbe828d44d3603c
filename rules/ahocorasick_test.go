package rules

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

type acHit struct {
	id  int32
	end int
}

// acHitsSplit scans data splitting from minSplit bytes, checks the order
// scan promises (each part's hits by end, and every hit of a part after
// every hit of the parts before), and returns the hits sorted.
func acHitsSplit(t testing.TB, m *acMachine, data []byte, minSplit int) []acHit {
	t.Helper()
	var parts [acStreams][]acHit
	m.scanSplit(data, minSplit, func(part int, id int32, end int) {
		parts[part] = append(parts[part], acHit{id, end})
	})
	var out []acHit
	for j, hs := range parts {
		if !slices.IsSortedFunc(hs, func(a, b acHit) int { return a.end - b.end }) {
			t.Errorf("part %d: hits out of order: %v", j, hs)
		}
		if len(out) > 0 && len(hs) > 0 && hs[0].end <= out[len(out)-1].end {
			t.Errorf("part %d: hit %v does not end after the parts before (last %v)", j, hs[0], out[len(out)-1])
		}
		out = append(out, hs...)
	}
	slices.SortFunc(out, cmpHit)
	return out
}

func cmpHit(a, b acHit) int {
	if a.end != b.end {
		return a.end - b.end
	}
	return int(a.id - b.id)
}

// naiveHits finds every occurrence of every pattern with a plain loop,
// ignoring ASCII case only (other bytes must match exactly).
func naiveHits(pats []string, data []byte) []acHit {
	var out []acHit
	for id, p := range pats {
		if p == "" {
			continue
		}
		for i := 0; i+len(p) <= len(data); i++ {
			if asciiEqualFold(data[i:i+len(p)], p) {
				out = append(out, acHit{int32(id), i + len(p)})
			}
		}
	}
	slices.SortFunc(out, cmpHit)
	return out
}

func asciiEqualFold(b []byte, s string) bool {
	for i := range b {
		if fold(b[i]) != fold(s[i]) {
			return false
		}
	}
	return true
}

// compareAC checks the automaton against the naive search, scanning data
// whole and split into two halves at once.
func compareAC(t *testing.T, pats []string, data []byte) {
	t.Helper()
	m := newAC(pats)
	want := naiveHits(pats, data)
	for _, minSplit := range []int{acSplitMin, 0} {
		if got := acHitsSplit(t, m, data, minSplit); !slices.Equal(got, want) {
			t.Fatalf("patterns %q over %q, split from %d bytes:\n got  %v\n want %v", pats, data, minSplit, got, want)
		}
	}
}

func TestAhoCorasickTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		pats []string
		data string
	}{
		{"single", []string{"ghp_"}, "x ghp_ y ghp_"},
		{"overlapping", []string{"aba"}, "abababa"},
		{"prefix-of-other", []string{"sk-", "sk-ant-", "sk-ant-api"}, "sk-ant-api03 sk-ant- sk-"},
		{"suffix-of-other", []string{"token", "oken", "ken", "n"}, "accesstoken TOKEN"},
		{"infix-of-other", []string{"key", "apikeyid"}, "apikeyid apikey"},
		{"case-folding", []string{"AKIA", "xoxb-"}, "akia AKIA AkIa XOXB- xoxb-"},
		{"upper-case-pattern", []string{"BEGIN"}, "-----begin -----BEGIN"},
		{"duplicate-patterns", []string{"npm_", "NPM_", "npm_"}, "npm_ NPM_"},
		{"no-match", []string{"needle"}, "haystack without it"},
		{"empty-input", []string{"abc"}, ""},
		{"pattern-is-input", []string{"whole"}, "whole"},
		{"non-ascii-exact", []string{"clé-", "Ä"}, "CLÉ- clé- Ä ä"},
		{"punctuation-not-folded", []string{"[x]", "@"}, "{X} [X] @ `"},
		{"all-byte-values", []string{"\x00\xff", "\x7f"}, "\x00\xff\x7f\xff\x00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			compareAC(t, c.pats, []byte(c.data))
		})
	}
}

func TestAhoCorasickRandom(t *testing.T) {
	t.Parallel()
	// Small alphabets make overlaps, shared prefixes and suffixes likely.
	alphabets := []string{"ab", "abAB", "abc-_", "aAbB\xc3\x84\xa4", "xyzXYZ0123456789"}
	r := rand.New(rand.NewPCG(7, 11))
	str := func(alpha string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
		}
		return string(b)
	}
	for round := range 400 {
		alpha := alphabets[round%len(alphabets)]
		var pats []string
		for range 1 + r.IntN(12) {
			pats = append(pats, str(alpha, 1+r.IntN(6)))
		}
		// Derived patterns: prefixes, suffixes, case variants, duplicates.
		for _, p := range slices.Clone(pats) {
			switch r.IntN(5) {
			case 0:
				pats = append(pats, p[:1+r.IntN(len(p))])
			case 1:
				pats = append(pats, p[r.IntN(len(p)):])
			case 2:
				pats = append(pats, string(bytes.ToUpper([]byte(p))))
			case 3:
				pats = append(pats, p)
			}
		}
		data := []byte(str(alpha, r.IntN(300)))
		// Plant some patterns so that hits are certain.
		for range r.IntN(4) {
			p := pats[r.IntN(len(pats))]
			at := r.IntN(len(data) + 1)
			data = slices.Insert(data, at, []byte(p)...)
		}
		t.Run(fmt.Sprint(round), func(t *testing.T) { compareAC(t, pats, data) })
	}
}

// TestAhoCorasickPartEdges plants occurrences at every offset of inputs
// cut into parts, so that some straddle each cut, start where a part's
// early start begins, or end exactly at a cut.
func TestAhoCorasickPartEdges(t *testing.T) {
	t.Parallel()
	pats := []string{"needle", "dle", "n", "eedlen"}
	for size := 24; size <= 60; size += 7 {
		for at := 0; at+len("needle") <= size; at++ {
			data := bytes.Repeat([]byte{'.'}, size)
			copy(data[at:], "needle")
			compareAC(t, pats, data)
			copy(data[at:], "NeedLe") // case folded
			compareAC(t, pats, data)
		}
	}
}

func TestAhoCorasickManyPatterns(t *testing.T) {
	t.Parallel()
	// Hundreds of keywords, as in the default rule set, over text that
	// mentions some of them.
	r := rand.New(rand.NewPCG(3, 5))
	var pats []string
	for i := range 600 {
		pats = append(pats, fmt.Sprintf("kw%d_%c%c", i, 'a'+r.IntN(26), 'a'+r.IntN(26)))
	}
	var data []byte
	for range 2000 {
		if r.IntN(4) == 0 {
			data = append(data, pats[r.IntN(len(pats))]...)
		} else {
			data = append(data, "lorem ipsum KW1_ dolor "...)
		}
	}
	compareAC(t, pats, data)
}

func FuzzAhoCorasick(f *testing.F) {
	f.Add([]byte("sk-ant-api03 ghp_ xoxb-"), []byte("sk-\nsk-ant-\nGHP_\nxox"))
	f.Add([]byte("abababab"), []byte("aba\nbab\nab\nb"))
	f.Add([]byte("AKIA akia AkIa"), []byte("akia\nKIA"))
	f.Add([]byte("\x00\xff\xc3\x84"), []byte("\xc3\x84\n\xff"))
	f.Fuzz(func(t *testing.T, data, patBlob []byte) {
		if len(data) > 4096 {
			data = data[:4096]
		}
		var pats []string
		for _, p := range bytes.Split(patBlob, []byte("\n")) {
			if len(p) == 0 || len(p) > 16 {
				continue
			}
			if pats = append(pats, string(p)); len(pats) == 64 {
				break
			}
		}
		if len(pats) == 0 {
			return
		}
		compareAC(t, pats, data)
	})
}

// TestDefaultACEmbedded checks that the automaton compiled into the binary
// (defaultAC, written by the generator of default_rules.go) is the one
// newAC builds at run time from the default rules' keywords, and that the
// default matcher uses it.
func TestDefaultACEmbedded(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	pats, refs := buildKeywordPatterns(rs.Rules())
	if !slices.Equal(pats, defaultAC.pats) {
		t.Fatalf("the default rules' keywords are not defaultAC's: run\n\tgo test ./rules -run TestDefaultRulesGenerated -update")
	}
	if built := newAC(pats); !reflect.DeepEqual(built, &defaultAC.m) {
		t.Fatal("defaultAC differs from the automaton built at run time")
	}
	if m := NewMatcher(rs); m.ac != &defaultAC.m {
		t.Error("the default matcher builds its own automaton")
	}
	// The start-up path that uses defaultAC's keyword list gives what
	// building the patterns does.
	if got, ok := defaultKeywordRefs(rs.Rules()); !ok || !reflect.DeepEqual(got, refs) {
		t.Errorf("defaultKeywordRefs = %v: its pattern users differ from buildKeywordPatterns'", ok)
	}
}

// TestPickAC checks which automaton a matcher gets: the compiled-in one
// for the default rules and for most of them (a few disabled), with the
// rules of each pattern moved to the compiled-in pattern's id; its own
// for a few rules or for a keyword the default rules lack. Whichever it
// gets, it finds the same matches.
func TestPickAC(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	all := rs.Rules()
	var ids []string
	for _, r := range all[len(all)/10:] {
		ids = append(ids, r.ID)
	}
	most := rs.Only(ids...)
	few := rs.Only(ids[:5]...)
	extra, err := parse("extra.toml", []byte(`[[rules]]
id = "zz-extra"
description = "a keyword the default rules lack"
keywords = ["zq-not-a-default-keyword"]
regex = 'zq-not-a-default-keyword[0-9]{8}'
`), true)
	if err != nil {
		t.Fatal(err)
	}
	withExtra, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := withExtra.Apply(extra); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		rs       *Ruleset
		embedded bool
	}{{"default", rs, true}, {"most", most, true}, {"few", few, false}, {"extra", withExtra, false}} {
		m := NewMatcher(c.rs)
		if got := m.ac == &defaultAC.m; got != c.embedded {
			t.Errorf("%s: compiled-in automaton used = %v, want %v", c.name, got, c.embedded)
		}
		pats, refs := buildKeywordPatterns(c.rs.Rules())
		own := NewMatcher(c.rs)
		own.ac, own.refs = newAC(pats), refs
		for _, r := range c.rs.Rules() {
			for _, ex := range r.Matches {
				in := []byte("x\n" + ex + "\nzq-not-a-default-keyword12345678\n")
				if a, b := m.Find(in, nil), own.Find(in, nil); !sameMatches(a, b) {
					t.Fatalf("%s: %s: %d matches with the picked automaton, %d with its own", c.name, r.ID, len(a), len(b))
				}
			}
		}
	}
}

// sameMatches reports whether two Find results agree on rule and span.
func sameMatches(a, b []Match) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Rule.ID != b[i].Rule.ID || a[i].Start != b[i].Start || a[i].End != b[i].End {
			return false
		}
	}
	return true
}
