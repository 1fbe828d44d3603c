package repolist

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that any input gives a list or an error, never a crash,
// and that every entry is a trimmed, non-empty, valid UTF-8 line of at most
// MaxLine bytes that is not a comment.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "a\nb\n", "# c\n\n a \r\n", "\x00", "\xff", strings.Repeat("y", MaxLine+3)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		list, err := Parse(strings.NewReader(in), "fuzz")
		if err != nil {
			return
		}
		for _, p := range list {
			if p == "" || p != strings.TrimSpace(p) || p[0] == '#' || len(p) > MaxLine || !utf8.ValidString(p) || strings.ContainsAny(p, "\n\x00") {
				t.Fatalf("bad entry %q", p)
			}
		}
	})
}
