package rules

import (
	"bytes"
	"strings"
	"testing"
)

// TestAdversarialWorkIsLinear: input made of nothing but keyword hits must
// cost work (bytes examined by regexes) linear in its size. The assertion
// is on the work done, never on wall time.
func TestAdversarialWorkIsLinear(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	for _, unit := range []string{"password", "AKIA", "ghp_", "-----BEGIN RSA PRIVATE KEY-----\n", "sk-ant-api03-", "token=", "xoxb-"} {
		work := func(n int) (Stats, int) {
			data := bytes.Repeat([]byte(unit), n/len(unit))
			var st Stats
			ms := m.Find(data, &st)
			for _, mt := range ms {
				if mt.SecretStart < 0 || mt.SecretEnd > len(data) {
					t.Fatalf("%q: match out of bounds", unit)
				}
			}
			return st, len(data)
		}
		small, n1 := work(256 << 10)
		large, n2 := work(1 << 20)
		perByte1 := float64(small.RegexBytes) / float64(n1)
		perByte2 := float64(large.RegexBytes) / float64(n2)
		// Linear: the bytes examined per input byte do not grow with size.
		if perByte2 > 1.5*perByte1+1 {
			t.Errorf("%q: regex work per byte grew from %.1f to %.1f: not linear", strings.TrimSpace(unit), perByte1, perByte2)
		}
		// And bounded: a handful of rules share a keyword, each examines the
		// input a bounded number of times.
		if perByte2 > 200 {
			t.Errorf("%q: %.1f regex bytes per input byte", strings.TrimSpace(unit), perByte2)
		}
		if large.RegexCalls > 64*len(rs.Rules()) {
			t.Errorf("%q: %d regex calls: windows are not merged", strings.TrimSpace(unit), large.RegexCalls)
		}
	}
}
