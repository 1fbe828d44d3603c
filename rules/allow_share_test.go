package rules

import (
	"fmt"
	"testing"
)

// TestAllowlistsShareCompiled checks that allowlists with the same content
// share one compiled form and that allowlists that differ do not, in the
// compiled-in defaults and in files parsed lazily and eagerly.
func TestAllowlistsShareCompiled(t *testing.T) {
	t.Parallel()
	const twoRules = `
[[rules]]
id = "zq-one"
keywords = ["zqone_"]
regex = '''\b(zqone_[a-z0-9]{16})\b'''
secret_group = 1
[[rules.allow]]
description = "the first description"
globs = ["*.lock", "**/vendor/**"]
[[rules.allow]]
stopwords = ["example"]

[[rules]]
id = "zq-two"
keywords = ["zqtwo_"]
regex = '''\b(zqtwo_[a-z0-9]{16})\b'''
secret_group = 1
[[rules.allow]]
description = "another description, the same list"
globs = ["*.lock", "**/vendor/**"]
[[rules.allow]]
stopwords = ["example"]
condition = "AND"
`
	cases := map[string]struct {
		load   func() (*File, error)
		shared int // allowlists that reuse an earlier one's compiled form
	}{
		"defaults":   {defaultFile, 84},
		"toml lazy":  {func() (*File, error) { return parse("x.toml", []byte(twoRules), true) }, 1},
		"toml eager": {func() (*File, error) { return parse("x.toml", []byte(twoRules), false) }, 1},
	}
	for name, c := range cases {
		f, err := c.load()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		byKey := map[string]*allowCompiled{}
		byForm := map[*allowCompiled]string{}
		shared := 0
		for _, r := range f.Rules {
			for i := range r.Allow {
				a := &r.Allow[i]
				if a.c == nil {
					t.Fatalf("%s: rule %s allowlist %d not prepared", name, r.ID, i)
				}
				k := fmt.Sprintf("%q", []any{a.Condition, a.RegexTarget, a.Paths, a.Globs, a.Regexes, a.Stopwords})
				if prev, ok := byKey[k]; ok {
					if a.c != prev {
						t.Errorf("%s: rule %s allowlist %d: same content, another compiled form", name, r.ID, i)
					}
					shared++
					continue
				}
				if other, ok := byForm[a.c]; ok && other != k {
					t.Errorf("%s: rule %s allowlist %d shares the compiled form of a different allowlist", name, r.ID, i)
				}
				byKey[k], byForm[a.c] = a.c, k
			}
		}
		if shared != c.shared {
			t.Errorf("%s: %d allowlists share a compiled form, want %d", name, shared, c.shared)
		}
	}
}
