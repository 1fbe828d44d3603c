package rules_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
	"github.com/keylint/keylint/rules"
)

// examplesText is every content rule's match examples, shuffled, one per
// line, with ordinary text between them: input where generic and specific
// rules overlap and specific rules claim the same secret.
func examplesText(t testing.TB, rs *rules.Ruleset, seed uint64) []byte {
	t.Helper()
	var exs []string
	for _, r := range rs.Rules() {
		if r.IsPathRule() || len(r.OnlyPaths) > 0 {
			continue
		}
		exs = append(exs, r.Matches...)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	rng.Shuffle(len(exs), func(i, j int) { exs[i], exs[j] = exs[j], exs[i] })
	filler := corpus.Mixed(seed, 64<<10, 4<<10)
	var b strings.Builder
	for i, ex := range exs {
		b.WriteString(ex)
		b.WriteByte('\n')
		if i%50 == 0 {
			at := rng.IntN(len(filler) - 512)
			b.Write(filler[at : at+512])
			b.WriteByte('\n')
		}
	}
	return []byte(b.String())
}

func matchIDs(ms []rules.Match) []string {
	var ids []string
	for _, mt := range ms {
		if !slices.Contains(ids, mt.Rule.ID) {
			ids = append(ids, mt.Rule.ID)
		}
	}
	return ids
}

// TestMatcherOnly: a matcher of the rules that kept a match on an input
// (or of more rules) finds on that input exactly the matches of the whole
// matcher, on input where rules drop each other's matches; and so does
// its distinctive matcher, for the strings of a binary file.
func TestMatcherOnly(t *testing.T) {
	t.Parallel()
	def, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := rules.NewMatcher(def)
	var all []string
	for _, r := range def.Rules() {
		all = append(all, r.ID)
	}
	for _, seed := range []uint64{1, 2} {
		data := examplesText(t, def, seed)
		for _, path := range []string{"config/app.env", "src/test/keys_test.go"} {
			for _, kind := range []string{"text", "distinctive"} {
				full := m
				if kind == "distinctive" {
					full = m.Distinctive()
				}
				var st rules.Stats
				want := full.FindPath(path, data, &st)
				if kind == "text" && (st.Rejected["superseded"] == 0 || st.Rejected["same-secret"] == 0) {
					t.Fatalf("the input exercises no dropping between rules: %v", st.Rejected)
				}
				fired := matchIDs(want)
				rng := rand.New(rand.NewPCG(seed, 2))
				more := slices.Clone(fired)
				for _, id := range all {
					if rng.IntN(8) == 0 {
						more = append(more, id)
					}
				}
				for name, ids := range map[string][]string{"fired": fired, "fired and more": more, "all": all} {
					sub := m.Only(ids)
					if kind == "distinctive" {
						sub = sub.Distinctive()
					}
					got := sub.FindPath(path, data, nil)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("seed %d, %s, %s, %s rules: %d matches, want %d", seed, path, kind, name, len(got), len(want))
					}
				}
			}
		}
	}
	// Rules left out find nothing; an empty list finds nothing.
	if got := m.Only(nil).FindPath("a.env", examplesText(t, def, 1), nil); len(got) != 0 {
		t.Errorf("a matcher of no rules found %d matches", len(got))
	}
	one := m.Only([]string{"github-classic-pat"})
	for _, mt := range one.FindPath("a.env", examplesText(t, def, 1), nil) {
		if mt.Rule.ID != "github-classic-pat" {
			t.Errorf("a matcher of github-pat only found a match of %s", mt.Rule.ID)
		}
	}
}

// TestMatcherReplay: the records of a matcher's matches (rule ids and
// offsets) and the same content give back the very matches, weak and
// path-rule matches included; records that do not fit are errors.
func TestMatcherReplay(t *testing.T) {
	t.Parallel()
	def, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := rules.NewMatcher(def)
	data := examplesText(t, def, 4)
	var weak, file int
	for _, path := range []string{"config/app.env", "home/me/.ssh/id_rsa"} {
		ms := m.FindPath(path, data, nil)
		recs := make([]rules.MatchRecord, len(ms))
		for i, mt := range ms {
			recs[i] = m.Record(mt)
			if recs[i].Weak {
				weak++
			}
			if recs[i].File {
				file++
			}
		}
		back, err := m.Replay(path, data, recs)
		if err != nil || !reflect.DeepEqual(back, ms) {
			t.Errorf("%s: %d matches replayed as %d (%v)", path, len(ms), len(back), err)
		}
	}
	if weak == 0 || file == 0 {
		t.Fatalf("%d weak and %d path-rule matches: the input does not exercise them", weak, file)
	}
	ok := rules.MatchRecord{Rule: "github-classic-pat", Start: 0, SecretStart: 2, SecretEnd: 10, End: 12}
	for name, rec := range map[string]rules.MatchRecord{
		"no such rule":      {Rule: "no-such-rule"},
		"no weak form":      func() rules.MatchRecord { r := ok; r.Weak = true; return r }(),
		"file of a content": func() rules.MatchRecord { r := ok; r.File = true; return r }(),
		"past the end":      func() rules.MatchRecord { r := ok; r.End = 1 << 30; return r }(),
		"secret before":     func() rules.MatchRecord { r := ok; r.SecretStart = -1; r.Start = -1; return r }(),
		"secret reversed":   func() rules.MatchRecord { r := ok; r.SecretStart, r.SecretEnd = 10, 2; return r }(),
		"secret past match": func() rules.MatchRecord { r := ok; r.SecretEnd = 13; return r }(),
	} {
		if _, err := m.Replay("a.env", []byte("0123456789abcdef"), []rules.MatchRecord{rec}); err == nil {
			t.Errorf("%s: replayed", name)
		}
	}
	if got, err := m.Replay("a.env", []byte("0123456789abcdef"), []rules.MatchRecord{ok}); err != nil || got[0].Secret != "23456789" {
		t.Errorf("a fitting record replays as %+v (%v)", got, err)
	}
}
