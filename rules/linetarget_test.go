package rules_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

// TestAllowLineTargetOnALongLine: an allowlist that looks at the whole
// line still decides each candidate right when thousands share one long
// line, and the line is not copied once per candidate (which made such a
// file cost its length squared). Measured in bytes allocated, not time.
func TestAllowLineTargetOnALongLine(t *testing.T) {
	if rules.RaceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	m := newMatcher(t, `
[[rules]]
id = "zq-token"
keywords = ["zqtok_"]
regex = '''\b(zqtok_[0-9]{6}[A-Za-z]{4})\b'''
secret_group = 1
placeholders = false

[[rules.allow]]
regex_target = "line"
regexes = ['''^#''']
`)
	const n = 4000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "zqtok_%06dQmVk ", i)
	}
	line := b.String()
	for _, c := range []struct {
		name, data string
		want       int
	}{
		{"commented line: all allowed", "#" + line + "\n", 0},
		{"plain line: all reported", line + "\n", n},
		{"plain line after a comment", "# note\n" + line + "\n", n},
		{"comment after a plain line", line + "\n#" + line + "\n", n},
	} {
		t.Run(c.name, func(t *testing.T) {
			var st rules.Stats
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			ms := m.Find([]byte(c.data), &st)
			runtime.ReadMemStats(&after)
			if len(ms) != c.want {
				t.Errorf("%d matches, want %d (rejected %v)", len(ms), c.want, st.Rejected)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(200*len(c.data)) {
				t.Errorf("%d bytes allocated for %d bytes of input: the line is copied per candidate", alloc, len(c.data))
			}
		})
	}
}
