package rules

import (
	mrand "math/rand/v2"
	"strings"
	"testing"
)

// randomAlnum returns n random letters and digits, built at run time.
func randomAlnum(r *mrand.Rand, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var sb strings.Builder
	for sb.Len() < n {
		c := alphabet[r.UintN(uint(len(alphabet)))]
		if b := sb.String(); len(b) > 0 && (c == b[len(b)-1] || c == b[len(b)-1]+1 || c+1 == b[len(b)-1]) {
			continue // no run of its own
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// TestPlaceholderRun: a run of six makes a short value a placeholder, and
// a long one only when runs are a quarter of it or more.
func TestPlaceholderRun(t *testing.T) {
	t.Parallel()
	r := mrand.New(mrand.NewPCG(3, 14))
	long := randomAlnum(r, 80)
	cases := []struct {
		v    string
		want bool
		why  string
	}{
		{"00Dxx0000001gPL!" + long, false, "an organisation id's zeros before a random token"},
		{long[:20] + "aaaaaa" + long[20:40], false, "six equal characters by chance in 46"},
		{randomAlnum(r, 20), false, "no run"},
		{long[:10] + "000000", true, "a run in a short value"},
		{"1234567890abcdefghijklmnopqrstuvwxyz", true, "runs all along"},
		{"0123456789012345678901234567890123456789", true, "a repeated sequence"},
		{"abcdefghijklmnopqrstuvwxyz1234567890ABCDEFG=", true, "the alphabet"},
		{long[:20] + "abcdefghij" + long[20:26], true, "a sequence of a quarter or more"},
		{strings.Repeat("x", 40), true, "a mask"},
	}
	for _, c := range cases {
		if got := placeholderRun(c.v); got != c.want {
			t.Errorf("placeholderRun(%q) = %v, want %v (%s)", c.v, got, c.want, c.why)
		}
	}
}

func TestRunsCover(t *testing.T) {
	t.Parallel()
	cases := []struct {
		v    string
		n    int
		want int
	}{
		{"", 6, 0},
		{"abcdef", 6, 6},
		{"abcde", 6, 0},
		{"xx000000yy", 6, 6},
		{"abcdefffffff", 6, 13}, // the sequence and the repetition each, capped at the length
		{"Qm7-Vk2-Rt9", 3, 0},
	}
	for _, c := range cases {
		if got := runsCover(c.v, c.n); got != min(c.want, len(c.v)) {
			t.Errorf("runsCover(%q, %d) = %d, want %d", c.v, c.n, got, min(c.want, len(c.v)))
		}
	}
}
