package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

// Decoys are assembled at run time from random bodies; none is a real key.

// oldRawCap is the raw-candidate limit the matcher used to have: a test
// that hides a key behind more decoys than this failed before the fix.
const oldRawCap = 4096

// validToken returns prefix + 30 random base62 + their checksum: a token
// that passes the GitHub / npm check.
func validToken(seed uint64, prefix string) string {
	body := randString(testRand(seed), b62, 30)
	return prefix + body + base62CRC(body)
}

// badToken returns a token of the same shape whose checksum is wrong.
func badToken(seed uint64, prefix string) string {
	body := randString(testRand(seed), b62, 30)
	sum := []byte(base62CRC(body))
	sum[0] = b62[(strings.IndexByte(b62, sum[0])+1)%len(b62)]
	return prefix + body + string(sum)
}

// TestDecoysDoNotHideAKey: candidates that fail a check (checksum,
// entropy, placeholder, allowlist) never count toward any limit, so a real
// key stays found however many decoys come before it, after it or on its
// line.
func TestDecoysDoNotHideAKey(t *testing.T) {
	t.Parallel()
	m, err := defaultMatcher()
	if err != nil {
		t.Fatal(err)
	}
	n := oldRawCap + 100
	many := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i))
			b.WriteByte('\n')
		}
		return b.String()
	}
	lines := func(f func(i int) string) string { return many(n, f) }
	ghp := validToken(1, "ghp_")
	gho := validToken(2, "gho_")
	npm := validToken(3, "npm_")
	pat := "github_pat_" + randString(testRand(4), b62, 22) + "_" + randString(testRand(5), b62, 59)
	aws := "AKIA" + randString(testRand(6), "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	pw := "Zr8#kq2Lm9!vT4"
	cases := []struct {
		name, rule, secret, data string
	}{
		{"ghp checksum decoys beyond the finding limit", "github-classic-pat", ghp,
			many(rules.MaxFindingsPerRule+1, func(i int) string { return badToken(uint64(100+i), "ghp_") }) + ghp + "\n"},
		{"ghp checksum decoys before", "github-classic-pat", ghp,
			lines(func(i int) string { return "token: " + badToken(uint64(100+i), "ghp_") }) + "GITHUB_TOKEN=" + ghp + "\n"},
		{"gho checksum decoys before and after", "github-oauth-token", gho,
			lines(func(i int) string { return badToken(uint64(100+i), "gho_") }) + gho + "\n" +
				lines(func(i int) string { return badToken(uint64(9000+i), "gho_") })},
		{"npm checksum decoys before", "npm-access-token", npm,
			lines(func(i int) string { return "//registry.npmjs.org/:_authToken=" + badToken(uint64(100+i), "npm_") }) +
				"//registry.npmjs.org/:_authToken=" + npm + "\n"},
		{"github_pat entropy decoys before", "github-fine-grained-pat", pat,
			lines(func(i int) string {
				return fmt.Sprintf("GH_TOKEN=github_pat_%022d_%059d", i, i)
			}) + "GH_TOKEN=" + pat + "\n"},
		{"aws allowlisted decoys before", "aws-access-key-id", aws,
			lines(func(i int) string {
				return "aws_access_key_id = AKIA" + randString(testRand(uint64(100+i)), "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 9) + "EXAMPLE"
			}) + "aws_access_key_id = " + aws + "\n"},
		{"password placeholder decoys before", "generic-password-assignment", pw,
			lines(func(int) string { return `password = "your_password_here"` }) + `password = "` + pw + `"` + "\n"},
		{"password template decoys before and after", "generic-password-assignment", pw,
			lines(func(i int) string { return fmt.Sprintf(`password = "${DB_PASSWORD_%d}"`, i) }) + `password = "` + pw + `"` + "\n" +
				lines(func(i int) string { return fmt.Sprintf(`password = "{{ .Values.password%d }}"`, i) })},
		{"ghp decoys on the key's line", "github-classic-pat", ghp,
			strings.TrimSuffix(lines(func(i int) string { return badToken(uint64(100+i), "ghp_") }), "\n") + " " + ghp + "\n"},
		{"npm decoys on the key's line, both sides", "npm-access-token", npm,
			strings.ReplaceAll(lines(func(i int) string { return badToken(uint64(100+i), "npm_") }), "\n", " ") + npm + " " +
				strings.ReplaceAll(lines(func(i int) string { return badToken(uint64(9000+i), "npm_") }), "\n", " ")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var st rules.Stats
			ms := find(t, m, "", []byte(c.data), &st)
			found := false
			for _, mt := range ms {
				// The key may be reported under a rule for the file that
				// holds it (npmrc-auth-token for an .npmrc line), which
				// wins when both claim the same secret.
				if (mt.Rule.ID == c.rule || !mt.Rule.Generic) && mt.Secret == c.secret {
					found = true
				}
			}
			rejected := 0
			for _, v := range st.Rejected {
				rejected += v
			}
			if !found {
				t.Errorf("the real key is not reported (%d matches, rejected %v, capped %v)", len(ms), st.Rejected, st.Capped)
			}
			if rejected < n {
				t.Errorf("rejected %d candidates (%v), want at least %d decoys", rejected, st.Rejected, n)
			}
			if len(st.Capped) != 0 {
				t.Errorf("capped %v: decoys counted toward the limit", st.Capped)
			}
		})
	}
}

// TestFindingLimitIsLoud: an input with more genuine findings of one rule
// than MaxFindingsPerRule reports the first MaxFindingsPerRule and says
// which rule was capped; at the limit exactly, nothing is capped. Other
// rules in the same input still report in full.
func TestFindingLimitIsLoud(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, `
[[rules]]
id = "zq-token"
keywords = ["zqtok_"]
regex = '''\b(zqtok_[0-9]{6}[A-Za-z]{4})\b'''
secret_group = 1
placeholders = false

[[rules]]
id = "zq-other"
keywords = ["zqoth_"]
regex = '''\b(zqoth_[0-9]{6})\b'''
secret_group = 1
placeholders = false
`)
	gen := func(n int, sep string) []byte {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "zqtok_%06dQmVk%s", i, sep)
		}
		b.WriteString("zqoth_123456\n")
		return []byte(b.String())
	}
	for _, c := range []struct {
		name   string
		n      int
		sep    string
		capped bool
	}{
		{"at the limit, one per line", rules.MaxFindingsPerRule, "\n", false},
		{"over the limit, one per line", rules.MaxFindingsPerRule + 5, "\n", true},
		{"over the limit, one line", rules.MaxFindingsPerRule + 5, " ", true},
		{"over the old raw limit", oldRawCap + 5, "\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var st rules.Stats
			ms := find(t, m, "", gen(c.n, c.sep), &st)
			byRule := map[string]int{}
			for _, mt := range ms {
				byRule[mt.Rule.ID]++
			}
			want := min(c.n, rules.MaxFindingsPerRule)
			if byRule["zq-token"] != want || byRule["zq-other"] != 1 {
				t.Errorf("%d candidates: matches by rule %v, want zq-token %d and zq-other 1", c.n, byRule, want)
			}
			if got := st.Capped["zq-token"]; got != map[bool]int{true: 1}[c.capped] || len(st.Capped) > 1 {
				t.Errorf("capped %v, want zq-token capped: %v", st.Capped, c.capped)
			}
		})
	}
}
