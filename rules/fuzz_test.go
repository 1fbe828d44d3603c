package rules_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/keylint/keylint/rules"
)

// testdataFiles returns the content of every regular file under
// testdata/sub, in lexical order.
func testdataFiles(tb testing.TB, sub string) map[string][]byte {
	tb.Helper()
	root := filepath.Join("testdata", sub)
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		tb.Fatalf("reading %s: %v", root, err)
	}
	if len(out) == 0 {
		tb.Fatalf("no files under %s", root)
	}
	return out
}

// FuzzParse feeds arbitrary bytes to the loader. Parse must never panic;
// whatever it accepts must also apply, compile into a matcher, and run its
// own examples without panicking.
func FuzzParse(f *testing.F) {
	// Rules from the default set, a few at a time: the whole file is a slow
	// seed to mutate.
	data, err := os.ReadFile(rules.DefaultFile)
	if err != nil {
		f.Fatal(err)
	}
	sep := []byte("\n[[rules]]\n")
	blocks := bytes.Split(data, sep)
	for i := 1; i < len(blocks); i += 16 {
		f.Add(append([]byte("[[rules]]\n"), bytes.Join(blocks[i:min(i+4, len(blocks))], sep)...))
	}
	for _, data := range testdataFiles(f, "config") {
		f.Add(data)
	}
	for _, c := range loadErrorCases {
		f.Add([]byte(c.src))
	}
	f.Add([]byte(okRule + "[[rules.allow]]\nglobs = ['**/vendor/**']\ncondition = 'AND'\nstopwords = ['x']\n"))
	f.Add([]byte("[[override]]\nid = 'zq-ok'\nentropy = 9e999\n"))
	f.Add([]byte("disable = ['a', 'a']\nmax_file_size = 9223372036854775807\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := rules.Parse("fuzz.toml", data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		rs, err := rules.New(file)
		if err != nil {
			return
		}
		m := rules.NewMatcher(rs)
		for _, r := range rs.Rules() {
			for _, ex := range append(append([]string(nil), r.Matches...), r.NonMatches...) {
				find(t, m, "a/b.txt", []byte(ex), nil)
			}
		}
		_ = rules.CheckExamples(rs, 2)
	})
}

var defaultMatcher = sync.OnceValues(func() (*rules.Matcher, error) {
	rs, err := rules.Default()
	if err != nil {
		return nil, err
	}
	return rules.NewMatcher(rs), nil
})

var dfaMatcher = sync.OnceValues(func() (*rules.Matcher, error) {
	rs, err := rules.DefaultWithDFA()
	if err != nil {
		return nil, err
	}
	return rules.NewMatcher(rs), nil
})

// FuzzMatcher feeds arbitrary bytes to the default matcher: no panic,
// every match in bounds with its secret equal to the bytes it points at,
// and the same matches when windows are prefiltered by DFAs.
func FuzzMatcher(f *testing.F) {
	m, err := defaultMatcher()
	if err != nil {
		f.Fatal(err)
	}
	md, err := dfaMatcher()
	if err != nil {
		f.Fatal(err)
	}
	for _, data := range testdataFiles(f, "clean") {
		f.Add(data)
	}
	for _, r := range m.Rules() {
		for _, ex := range r.Matches {
			f.Add([]byte(ex))
		}
		for _, ex := range r.NonMatches {
			f.Add([]byte(ex))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ms := find(t, m, "", data, nil)
		again := m.Find(data, nil)
		if len(again) != len(ms) {
			t.Fatalf("second run found %d matches, first %d", len(again), len(ms))
		}
		withDFA := md.Find(data, nil)
		if len(withDFA) != len(ms) {
			t.Fatalf("found %d matches with DFAs, %d without", len(withDFA), len(ms))
		}
		for i := range ms {
			if withDFA[i].Rule.ID != ms[i].Rule.ID || withDFA[i].Start != ms[i].Start || withDFA[i].End != ms[i].End {
				t.Fatalf("match %d is %v with DFAs, %v without", i, withDFA[i], ms[i])
			}
		}
	})
}
