package scanner

import (
	"strings"
	"sync/atomic"
	"testing"
)

// TestLocateLongLineIsLinear: thousands of secrets on one long line cost
// the line's length a bounded number of times (line bounds, inline allows,
// browser-exposed variables, excerpts), not once per secret: a 10 MB
// minified line of tokens used to take hours. Measured in bytes searched.
func TestLocateLongLineIsLinear(t *testing.T) {
	t.Parallel()
	const n = 3000
	toks := make([]string, n)
	for i := range toks {
		toks[i] = token(t)
	}
	line := strings.Join(toks, " ")
	for _, c := range []struct {
		name, data string
		allowed    bool
		exposed    bool
	}{
		{"plain", line + "\n", false, false},
		{"browser-exposed variable first", "NEXT_PUBLIC_KEYS = " + line + "\n", false, true},
		{"allowed for another rule", line + " # keylint:allow other-rule\n", false, false},
		{"allowed", line + " # keylint:allow\n", true, false},
		{"allowed from the line before", "# keylint:allow-next-line\n" + line + "\n", true, false},
		{"CRLF, many lines", strings.Repeat(line+"\r\n", 3), false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newTestScanner(t, Options{})
			var work atomic.Int64
			s.locWork = &work
			data := []byte(c.data)
			it := Item{Path: "app/keys.txt"}
			ms := s.m.FindPath(it.Path, data, nil)
			silenced := 0
			hits := s.Locate(it, data, ms, func(Silenced) { silenced++ })
			if c.allowed {
				if len(hits) != 0 || silenced != len(ms) {
					t.Errorf("%d hits, %d silenced of %d matches: want all silenced", len(hits), silenced, len(ms))
				}
			} else if len(hits) != len(ms) || len(ms) < n {
				t.Errorf("%d hits of %d matches (%d tokens)", len(hits), len(ms), n)
			}
			for _, h := range hits {
				if (h.Exposure != "") != c.exposed {
					t.Fatalf("exposure %q, want exposed %v", h.Exposure, c.exposed)
				}
			}
			if per := float64(work.Load()) / float64(len(data)); per > 8 {
				t.Errorf("%.1f bytes searched per input byte: a long line is searched once per secret", per)
			}
		})
	}
}
