package rules

import (
	"encoding/base32"
	mrand "math/rand/v2"
	"strings"
	"testing"
)

// otpSeed returns the base32 (no padding) of n random bytes, as OTP
// libraries generate a secret; built at run time so that the source holds
// nothing that looks like one.
func otpSeed(r *mrand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// grouped writes s in lower-case groups of four, as authenticator set-up
// pages show a secret.
func grouped(s string) string {
	var parts []string
	for i := 0; i < len(s); i += 4 {
		parts = append(parts, strings.ToLower(s[i:min(i+4, len(s))]))
	}
	return strings.Join(parts, " ")
}

func TestCheckOTPSecret(t *testing.T) {
	t.Parallel()
	r := mrand.New(mrand.NewPCG(17, 4226))
	for _, n := range []int{10, 16, 20, 32, 64} {
		s := otpSeed(r, n)
		if !strings.ContainsAny(s, "234567") {
			continue // about one seed in thirty has no digit; the table below covers that case
		}
		for _, v := range []string{s, strings.ToLower(s), grouped(s), s + strings.Repeat("=", 4)} {
			if !checkOTPSecret(v) {
				t.Errorf("checkOTPSecret(%q) = false, want true (%d random bytes)", v, n)
			}
		}
	}
	cases := []struct {
		v    string
		want bool
		why  string
	}{
		{"QXRIXTIDFFRKSWIB", true, "random capitals without a digit"},
		{strings.ToLower("ROTPBASE32SECRET3232"), true, "a documented seed: a seed all the same"},
		{"QXRIXTIDF2R", false, "shorter than 80 bits"},
		{strings.Repeat("QXRIXTIDF2RKSWIB", 7), false, "longer than 512 bits"},
		{"QxRiXtIdF2rKsWiB", false, "mixed case"},
		{"QXRIXTIDF0RKSWIB", false, "0 is not base32"},
		{"administratoruser", false, "a word, no digit, low entropy"},
		{"AAAABBBBCCCC2222", false, "low entropy"},
		{"DATABASEPASSWORD", false, "words in capitals"},
		{"", false, "empty"},
	}
	for _, c := range cases {
		if got := checkOTPSecret(c.v); got != c.want {
			t.Errorf("checkOTPSecret(%q) = %v, want %v (%s)", c.v, got, c.want, c.why)
		}
	}
}

func FuzzCheckOTPSecret(f *testing.F) {
	r := mrand.New(mrand.NewPCG(1, 2))
	f.Add(otpSeed(r, 20))
	f.Add(grouped(otpSeed(r, 20)))
	f.Add("====")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if !checkOTPSecret(s) {
			return
		}
		v := strings.TrimRight(strings.ReplaceAll(s, " ", ""), "=")
		if len(v) < minOTPSecret || len(v) > maxOTPSecret {
			t.Fatalf("accepted %q of %d base32 characters", s, len(v))
		}
		for _, c := range strings.ToUpper(v) {
			if !('A' <= c && c <= 'Z' || '2' <= c && c <= '7') {
				t.Fatalf("accepted %q with %q, not base32", s, c)
			}
		}
	})
}
