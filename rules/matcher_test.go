package rules_test

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
	"github.com/keylint/keylint/rules"
)

// The rules in this file use made-up formats (zq...) so that neither the
// test source nor its inputs look like a real provider's credential.

// newMatcher builds a matcher from an inline rule file.
func newMatcher(t testing.TB, src string) *rules.Matcher {
	t.Helper()
	f, err := rules.Parse("inline.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	rs, err := rules.New(f)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return rules.NewMatcher(rs)
}

// checkInvariants asserts what every match must satisfy: offsets in bounds
// and nested, the secret equal to its bytes, non-empty, its entropy
// computed, and the matches ordered by offset then rule id.
func checkInvariants(t testing.TB, path string, data []byte, ms []rules.Match) {
	t.Helper()
	for i, m := range ms {
		if m.Rule == nil {
			t.Fatalf("match %d has no rule", i)
		}
		if m.File {
			// A path rule: the secret is the path; offsets, if any, point
			// at the content match.
			if !m.Rule.IsPathRule() || m.Secret != path || m.Start < 0 || m.Start > m.End || m.End > len(data) {
				t.Fatalf("file match %d (%s): secret %q for path %q, offsets %d-%d (len %d)", i, m, m.Secret, path, m.Start, m.End, len(data))
			}
			continue
		}
		if !(0 <= m.Start && m.Start <= m.SecretStart && m.SecretStart < m.SecretEnd && m.SecretEnd <= m.End && m.End <= len(data)) {
			t.Fatalf("match %d (%s): offsets %d %d %d %d out of order or bounds (len %d)", i, m, m.Start, m.SecretStart, m.SecretEnd, m.End, len(data))
		}
		if m.Secret != string(data[m.SecretStart:m.SecretEnd]) {
			t.Fatalf("match %d (%s): Secret differs from data[SecretStart:SecretEnd]", i, m)
		}
		if m.Entropy != rules.Entropy(m.Secret) {
			t.Fatalf("match %d (%s): Entropy %v, want %v", i, m, m.Entropy, rules.Entropy(m.Secret))
		}
		if i > 0 {
			p := ms[i-1]
			if p.Start > m.Start || p.Start == m.Start && p.Rule.ID > m.Rule.ID {
				t.Fatalf("matches %d (%s) and %d (%s) out of order", i-1, p, i, m)
			}
		}
	}
}

// find runs the matcher, checks the invariants and turns a panic into a
// test failure, so one engine bug cannot take the whole package down.
func find(t testing.TB, m *rules.Matcher, path string, data []byte, st *rules.Stats) (ms []rules.Match) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("FindPath(%q) panicked: %v", path, r)
			ms = nil
		}
	}()
	ms = m.FindPath(path, data, st)
	checkInvariants(t, path, data, ms)
	return ms
}

func secrets(ms []rules.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Secret)
	}
	return out
}

// body returns n characters of varied alphanumerics with no run of six
// repeated or sequential characters (which placeholder detection rejects).
func body(seed uint64, n int) string {
	r := testRand(seed)
	b := make([]byte, 0, n)
	for len(b) < n {
		c := b62[r.IntN(len(b62))]
		if k := len(b); k > 0 && (c == b[k-1] || c == b[k-1]+1 || c+1 == b[k-1]) {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

const openTokenRule = `
[[rules]]
id = "zq-token"
keywords = ["zqtok_"]
regex = '''\b(zqtok_[A-Za-z0-9_]+)\b'''
secret_group = 1
`

func TestMatcherWindowing(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, openTokenRule)
	filler := strings.Repeat("the quick brown fox jumps over the lazy dog\n", 40) // 1.7 KB, no keyword
	long := "zqtok_" + body(1, 3000)
	short := "zqtok_" + body(2, 30)
	short2 := "zqtok_" + body(3, 30)
	repeated := "zqtok_" + body(4, 900) + "zqtok_" + body(5, 900)
	cases := []struct {
		name string
		data string
		want []string
	}{
		{"longer-than-window-alone", long, []string{long}},
		{"longer-than-window-in-text", filler + "v = " + long + "\n" + filler, []string{long}},
		{"longer-than-window-at-end", filler + long, []string{long}},
		{"at-very-start", short + " trailing text", []string{short}},
		{"whole-input", short, []string{short}},
		{"at-very-end", filler + "x=" + short, []string{short}},
		{"keyword-case-folded", "ZQTOK_VALUE=" + short, []string{short}},
		{"two-distinct-close", short + " " + short2, []string{short, short2}},
		{"two-distinct-far", short + "\n" + filler + short2, []string{short, short2}},
		{"keyword-again-inside-long-token", "v=" + repeated + "\n", []string{repeated}},
		{"keyword-alone", "zqtok_ is the prefix", nil},
		{"keyword-inside-word", "xzqtok_" + body(6, 30), nil},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			data := []byte(c.data)
			got := secrets(find(t, m, "", data, nil))
			if !slices.Equal(got, c.want) {
				t.Errorf("found %d secrets %v, want %d %v", len(got), lens(got), len(c.want), lens(c.want))
			}
		})
	}
}

func lens(ss []string) []string {
	var out []string
	for _, s := range ss {
		if len(s) > 24 {
			s = fmt.Sprintf("%s…(%d bytes)", s[:16], len(s))
		}
		out = append(out, s)
	}
	return out
}

func TestMatcherOneMatchForCloseHits(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, `
[[rules]]
id = "zq-two-keywords"
keywords = ["zqtok_", "zqprod_"]
regex = '''\b(zqtok_zqprod_[A-Za-z0-9]{20})\b'''
secret_group = 1
`)
	tok := "zqtok_zqprod_" + body(7, 20)
	for _, data := range []string{
		tok,
		"ZQTOK_ZQPROD_KEY=" + tok,
		"# zqtok_ zqprod_ token below\nkey: " + tok + "\n",
	} {
		ms := find(t, m, "", []byte(data), nil)
		if len(ms) != 1 || ms[0].Secret != tok {
			t.Errorf("%q: found %v, want exactly one match", data, lens(secrets(ms)))
		}
	}
}

func TestMatcherWindowOption(t *testing.T) {
	t.Parallel()
	// A delimited multi-line format: the regex needs both ends, so the
	// rule widens its window to cover the whole block.
	const src = `
[[rules]]
id = "zq-block"
keywords = ["ZQ BLOCK"]
regex = '''-----BEGIN ZQ BLOCK-----\s*([A-Za-z0-9\s]+?)\s*-----END ZQ BLOCK-----'''
secret_group = 1
window = 4096
`
	var b strings.Builder
	b.WriteString("-----BEGIN ZQ BLOCK-----\n")
	for i := range 40 {
		b.WriteString(body(uint64(100+i), 64) + "\n")
	}
	b.WriteString("-----END ZQ BLOCK-----\n")
	block := b.String()
	m := newMatcher(t, src)
	ms := find(t, m, "", []byte("config:\n"+block), nil)
	if len(ms) != 1 || !strings.HasSuffix(ms[0].Secret, block[len(block)-64-len("\n-----END ZQ BLOCK-----\n"):len(block)-len("\n-----END ZQ BLOCK-----\n")]) {
		t.Fatalf("block of %d bytes: found %d matches, want 1 covering the whole body", len(block), len(ms))
	}

	// The regex runs only near a keyword hit, never over the whole input:
	// a value 2 KB away from the only keyword is out of reach.
	m = newMatcher(t, `
[[rules]]
id = "zq-near"
keywords = ["zqnear"]
regex = '''zqnear[\s\S]*?"([A-Za-z0-9]{20})"'''
secret_group = 1
`)
	far := "zqnear:\n" + strings.Repeat("# padding line without quotes\n", 70) + `"` + body(8, 20) + `"`
	if ms := find(t, m, "", []byte(far), nil); len(ms) != 0 {
		t.Errorf("matched %v 2 KB away from the keyword, beyond the default window", lens(secrets(ms)))
	}
	near := "zqnear:\n" + strings.Repeat("# pad\n", 5) + `"` + body(8, 20) + `"`
	if ms := find(t, m, "", []byte(near), nil); len(ms) != 1 {
		t.Errorf("found %d matches within the window, want 1", len(ms))
	}
}

func TestMatcherCaseSensitiveKeywords(t *testing.T) {
	t.Parallel()
	// The two rules' secrets differ by the last character, so that both
	// are reported (the matcher keeps one match per identical secret).
	m := newMatcher(t, `
[[rules]]
id = "zq-exact"
keywords = ["ZQKEY"]
case_sensitive = true
regex = '''\b(ZQKEY[0-9a-f]{15})[0-9a-f]\b'''
secret_group = 1

[[rules]]
id = "zq-folded"
keywords = ["ZQKEY"]
regex = '''(?i)\b(zqkey[0-9a-f]{16})\b'''
secret_group = 1
`)
	hex := "9f3c1ad7e2b84a60"
	cases := []struct {
		data string
		want []string // rule ids
	}{
		{"ZQKEY" + hex, []string{"zq-exact", "zq-folded"}},
		{"zqkey" + hex, []string{"zq-folded"}},
		{"ZqKeY" + hex, []string{"zq-folded"}},
		{"x ZQKEY" + hex + " zqkey" + hex, []string{"zq-exact", "zq-folded", "zq-folded"}},
		{"zqkey" + hex + " ZQKEY" + hex, []string{"zq-folded", "zq-exact", "zq-folded"}},
	}
	for _, c := range cases {
		var got []string
		for _, m := range find(t, m, "", []byte(c.data), nil) {
			got = append(got, m.Rule.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: rules %q, want %q", c.data, got, c.want)
		}
	}
}

// Keywords are matched ignoring ASCII case only; a keyword with non-ASCII
// letters must still find its own literal text, and must never make the
// matcher index outside the input.
func TestMatcherNonASCIIKeywords(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, keyword string
		caseSensitive bool
		data          string
		want          int
	}{
		{"lower-non-ascii", "clé_", false, "clé_" + body(9, 20), 1},
		{"upper-non-ascii", "CLÉ_", false, "CLÉ_" + body(9, 20), 1},
		{"upper-non-ascii-exact", "CLÉ_", true, "CLÉ_" + body(9, 20), 1},
		// U+212A KELVIN SIGN lower-cases (in Unicode) to an ASCII 'k',
		// changing the keyword's length.
		{"kelvin-sign-literal", "\u212Aelvin_", true, "\u212Aelvin_" + body(10, 20), 1},
		{"kelvin-sign-vs-ascii-at-start", "\u212Aelvin_", true, "kelvin_" + body(10, 20), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := fmt.Sprintf(`
[[rules]]
id = "zq-unicode"
keywords = [%q]
case_sensitive = %t
regex = '''(?i)(%s[A-Za-z0-9]{20})'''
secret_group = 1
`, c.keyword, c.caseSensitive, c.keyword)
			m := newMatcher(t, src)
			if got := len(find(t, m, "", []byte(c.data), nil)); got != c.want {
				t.Errorf("keyword %q over %q: %d matches, want %d", c.keyword, c.data, got, c.want)
			}
		})
	}
}

const allowRules = `
[[rules]]
id = "zq-a"
keywords = ["zqa_"]
regex = '''\b(zqa_[A-Za-z0-9]{16})\b'''
secret_group = 1
[[rules.allow]]
paths = ['''(^|/)fixtures/''']
regexes = ['''^zqa_0000''']
stopwords = ["kitten"]

[[rules]]
id = "zq-b"
keywords = ["zqb_"]
regex = '''\b(zqb_[A-Za-z0-9]{16})\b'''
secret_group = 1

[[rules]]
id = "zq-c"
keywords = ["zqc="]
regex = '''zqc=([A-Za-z0-9]{16})\b'''
secret_group = 1
[[rules.allow]]
regexes = ['''^zqc=''']

[[allow]]
description = "global"
paths = ['''\.lock$''']
regexes = ['''Q7Q7$''']
stopwords = ["puppy"]
`

func TestMatcherAllowlists(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, allowRules)
	plain := "Hq3Kv8Rw2LpZt5Nm"
	cases := []struct {
		name, path, data string
		want             []string // rule ids found
		rejected         map[string]int
	}{
		{"no-allowlist", "src/a.go", "zqa_" + plain + " zqb_" + plain + " zqc=" + plain, []string{"zq-a", "zq-b", "zq-c"}, nil},
		{"empty-path-is-no-path", "", "zqa_" + plain + " zqb_" + plain, []string{"zq-a", "zq-b"}, nil},
		{"rule-path", "test/fixtures/a.go", "zqa_" + plain + " zqb_" + plain, []string{"zq-b"}, map[string]int{"allowlist-path": 1}},
		{"rule-path-other-dir", "src/fixtures.go", "zqa_" + plain, []string{"zq-a"}, nil},
		{"global-path", "web/yarn.lock", "zqa_" + plain + " zqb_" + plain, nil, map[string]int{"allowlist-path": 2}},
		{"rule-regex", "a", "zqa_0000" + plain[:12] + " zqb_0000" + plain[:12], []string{"zq-b"}, map[string]int{"allowlist": 1}},
		{"rule-regex-sees-secret-not-match", "a", "zqc=" + plain, []string{"zq-c"}, nil},
		{"global-regex", "a", "zqa_" + plain[:12] + "Q7Q7 zqb_" + plain[:12] + "Q7Q7", nil, map[string]int{"allowlist": 2}},
		{"rule-stopword", "a", "zqa_Hq3KiTTeNv8Rw2Lp zqb_Hq3KiTTeNv8Rw2Lp", []string{"zq-b"}, map[string]int{"allowlist": 1}},
		{"global-stopword", "a", "zqa_Hq3PUPPYv8Rw2Lp9 zqb_Hq3pUpPyv8Rw2Lp9", nil, map[string]int{"allowlist": 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var st rules.Stats
			var got []string
			for _, m := range find(t, m, c.path, []byte(c.data), &st) {
				got = append(got, m.Rule.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("FindPath(%q): rules %q, want %q", c.path, got, c.want)
			}
			if !maps.Equal(st.Rejected, c.rejected) && !(len(st.Rejected) == 0 && len(c.rejected) == 0) {
				t.Errorf("FindPath(%q): rejected %v, want %v", c.path, st.Rejected, c.rejected)
			}
		})
	}
	// Find is FindPath without a path: path allowlists never apply.
	data := []byte("zqa_" + plain)
	if got := len(find(t, m, "", data, nil)); got != 1 {
		t.Errorf("Find: %d matches, want 1", got)
	}
	for path, want := range map[string]bool{"web/yarn.lock": true, "yarn.lock.go": false, "test/fixtures/a.go": false, "": false} {
		if got := m.PathAllowed(path); got != want {
			t.Errorf("Matcher.PathAllowed(%q) = %v, want %v (only global allowlists skip a file)", path, got, want)
		}
	}
}

const assignRule = `
[[rules]]
id = "zq-assign"
keywords = ["zqval"]
regex = '''zqval\s*=\s*"([^"\n]{1,200})"'''
secret_group = 1
`

func TestMatcherPlaceholders(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, assignRule)
	const lit = "Qm7Vk2Rt9Lw4"
	type pc struct{ val, reason string }
	var cases []pc
	for _, w := range []string{"EXAMPLE", "Sample", "dummy", "PLACEHOLDER", "changeme", "change_me", "change-me", "redacted",
		"your_", "your-", "YourApi", "yourToken", "yoursecret", "yourkey", "yourpass", "xxxx", "XXXX", "lorem", "insert", "replace",
		"****", "....", "…"} {
		cases = append(cases, pc{"Qm7" + w + "Vk2", "placeholder"}, pc{w + lit, "placeholder"}, pc{lit + w, "placeholder"})
	}
	for _, w := range []string{"${", "{{", "}}", "#{", "%(", "<%", "%>", "$(", "process.env", "getenv", "environ", "env[", "env(",
		"secrets.", "vault(", "os.env", "import.meta.env", "PROCESS.ENV", "GetEnv"} {
		cases = append(cases, pc{"Qm7" + w + "Vk2", "template"})
	}
	cases = append(cases,
		pc{"${ZQ_VALUE}", "template"},
		pc{"{{ .Values.zq }}", "template"},
		pc{`os.getenv("ZQ")`, "template"},
		pc{"%(zq)s", "template"},
		pc{"$ZQ_VALUE", "template"},
		pc{"<zq-value>", "placeholder"},
		pc{"[zq value]", "placeholder"},
		pc{"aaaaaa", "repeated-or-sequential"},
		pc{"Qm7ZZZZZZVk2", "repeated-or-sequential"},
		pc{"Qm7000000Vk2", "repeated-or-sequential"},
		pc{"Qm7123456Vk2", "repeated-or-sequential"},
		pc{"Qm7abcdefVk2", "repeated-or-sequential"},
		pc{"Qm7FEDCBAVk2", "repeated-or-sequential"},
		pc{"Qm7987654Vk2", "repeated-or-sequential"},
		// Not placeholders: short runs, runs broken by punctuation, a
		// '$' that is not a variable reference, brackets not around it all.
		pc{lit, ""},
		pc{"Qm7abcdeVk2", ""},
		pc{"Qm7aaaaaVk2", ""},
		pc{"abc-def-ghi-jkl", ""},
		pc{"12345-67890", ""},
		pc{"Qm7$Vk2Rt9", ""},
		pc{"<Qm7Vk2Rt9", ""},
		pc{"Qm7[Vk2]Rt9", ""},
	)
	for _, c := range cases {
		t.Run(c.val, func(t *testing.T) {
			t.Parallel()
			var st rules.Stats
			ms := find(t, m, "", []byte(`zqval = "`+c.val+`"`), &st)
			if c.reason == "" {
				if len(ms) != 1 {
					t.Errorf("%q: %d matches (rejected %v), want 1", c.val, len(ms), st.Rejected)
				}
				return
			}
			if len(ms) != 0 || st.Rejected[c.reason] != 1 {
				t.Errorf("%q: %d matches, rejected %v, want rejected by %q", c.val, len(ms), st.Rejected, c.reason)
			}
			if ok, why := rules.IsPlaceholder(c.val); !ok || why != c.reason {
				t.Errorf("IsPlaceholder(%q) = %v, %q, want true, %q", c.val, ok, why, c.reason)
			}
		})
	}

	// placeholders = false turns detection off for the rule.
	off := newMatcher(t, assignRule+"placeholders = false\n")
	for _, v := range []string{"EXAMPLE-Qm7Vk2", "${ZQ_VALUE}", "aaaaaaaa"} {
		if ms := find(t, off, "", []byte(`zqval = "`+v+`"`), nil); len(ms) != 1 {
			t.Errorf("placeholders = false: %q gave %d matches, want 1", v, len(ms))
		}
	}
}

func TestEntropy(t *testing.T) {
	t.Parallel()
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	cases := []struct {
		s    string
		want float64
	}{
		{"", 0}, {"a", 0}, {"aaaa", 0}, {"ab", 1}, {"aabb", 1}, {"abcd", 2},
		{"q7Zk2Wm9Rv4Tx8Bn", 4}, {string(all), 8},
	}
	for _, c := range cases {
		if got := rules.Entropy(c.s); got != c.want {
			t.Errorf("Entropy(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestMatcherEntropyThreshold(t *testing.T) {
	t.Parallel()
	const distinct16 = "q7Zk2Wm9Rv4Tx8Bn" // 16 distinct bytes: exactly 4 bits per byte
	cases := []struct {
		threshold float64
		val       string
		want      bool
	}{
		{4.0, distinct16, true},
		{4.01, distinct16, false},
		{3.0, "abababababab", false},
		{0, "abababababab", true},
		{3.0, "Qm7Vk2Rt9Lw4", true},
	}
	for _, c := range cases {
		m := newMatcher(t, assignRule+fmt.Sprintf("entropy = %v\n", c.threshold))
		var st rules.Stats
		ms := find(t, m, "", []byte(`zqval = "`+c.val+`"`), &st)
		if got := len(ms) == 1; got != c.want {
			t.Errorf("entropy %v, %q (%.3f bits): found %v, want %v", c.threshold, c.val, rules.Entropy(c.val), got, c.want)
		}
		if !c.want && st.Rejected["entropy"] != 1 {
			t.Errorf("entropy %v, %q: rejected %v, want entropy: 1", c.threshold, c.val, st.Rejected)
		}
		if c.want && len(ms) == 1 && ms[0].Entropy < c.threshold {
			t.Errorf("entropy %v, %q: match entropy %v below the threshold", c.threshold, c.val, ms[0].Entropy)
		}
	}
}

func TestMatcherStats(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, assignRule+`entropy = 3.0

[[rules]]
id = "zq-gh"
keywords = ["ghp_"]
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
secret_group = 1
check = "github"

[[rules]]
id = "zq-b"
keywords = ["zqb_"]
regex = '''\b(zqb_[A-Za-z0-9]{16})\b'''
secret_group = 1
[[rules.allow]]
paths = ['''^vendor/''']
stopwords = ["kitten"]
`)
	gh := "gh" + "p_" + body(11, 30)
	lines := []string{
		`zqval = "EXAMPLE-Qm7Vk2"`,   // placeholder
		`zqval = "Qm7xxxxVk2"`,       // placeholder
		`zqval = "${ZQ_VALUE}"`,      // template
		`zqval = "Qm7123456Vk2"`,     // repeated-or-sequential
		`zqval = "abababab"`,         // entropy
		`zqval = "aabbaabbaabb"`,     // entropy
		`zqval = "Qm7Vk2Rt9Lw4"`,     // found
		gh + base62CRC(body(11, 30)), // found
		gh + "AAAAAB",                // check:github
		"zqb_Hq3KiTTeNv8Rw2Lp",       // allowlist
		"zqb_" + body(12, 16),        // found
	}
	data := []byte(strings.Join(lines, "\n"))
	var st rules.Stats
	ms := find(t, m, "src/main.go", data, &st)
	if len(ms) != 3 {
		t.Errorf("found %d matches %v, want 3", len(ms), lens(secrets(ms)))
	}
	want := map[string]int{"placeholder": 2, "template": 1, "repeated-or-sequential": 1, "entropy": 2, "check:github": 1, "allowlist": 1}
	if !maps.Equal(st.Rejected, want) {
		t.Errorf("Rejected = %v, want %v", st.Rejected, want)
	}

	// Path allowlists are counted once per rule that the path silences.
	var pst rules.Stats
	find(t, m, "vendor/x.go", data, &pst)
	want["allowlist"] = 0
	delete(want, "allowlist")
	want["allowlist-path"] = 1
	if !maps.Equal(pst.Rejected, want) {
		t.Errorf("vendor path: Rejected = %v, want %v", pst.Rejected, want)
	}

	// A nil *Stats is allowed; Merge adds counts.
	if got := len(find(t, m, "", data, nil)); got != 3 {
		t.Errorf("nil stats: %d matches, want 3", got)
	}
	var total rules.Stats
	total.Merge(st)
	total.Merge(pst)
	total.Merge(rules.Stats{})
	if total.Rejected["entropy"] != 4 || total.Rejected["allowlist"] != 1 || total.Rejected["allowlist-path"] != 1 {
		t.Errorf("Merge: %v", total.Rejected)
	}
}

func TestMatcherHandBuiltRules(t *testing.T) {
	t.Parallel()
	// Rules built in Go rather than loaded: the regex compiles on demand,
	// a broken one is counted rather than crashing, and an out-of-range
	// secret group yields nothing.
	f := &rules.File{Rules: []*rules.Rule{
		{ID: "zq-ok", Keywords: []string{"zqok_"}, Regex: `\b(zqok_[A-Za-z0-9]{12})\b`, SecretGroup: 1},
		{ID: "zq-broken", Keywords: []string{"zqbad"}, Regex: `zqbad(`},
		{ID: "zq-group", Keywords: []string{"zqgrp"}, Regex: `zqgrp([A-Za-z0-9]{12})`, SecretGroup: 5},
	}}
	rs, err := rules.New(f)
	if err != nil {
		t.Fatal(err)
	}
	m := rules.NewMatcher(rs)
	if ids := ruleIDs(m.Rules()); !slices.Equal(ids, []string{"zq-broken", "zq-group", "zq-ok"}) {
		t.Errorf("Rules() = %q, want sorted ids", ids)
	}
	var st rules.Stats
	ms := find(t, m, "", []byte("zqok_"+body(13, 12)+" zqbad zqgrp"+body(14, 12)), &st)
	if len(ms) != 1 || ms[0].Rule.ID != "zq-ok" {
		t.Errorf("found %v, want one zq-ok match", lens(secrets(ms)))
	}
	if st.Rejected["bad-regex"] != 1 {
		t.Errorf("rejected %v, want bad-regex: 1", st.Rejected)
	}
}

func ruleIDs(rs []*rules.Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestMatcherNoRulesNoInput(t *testing.T) {
	t.Parallel()
	rs, err := rules.New()
	if err != nil {
		t.Fatal(err)
	}
	if ms := rules.NewMatcher(rs).Find([]byte("zqtok_abc"), nil); ms != nil {
		t.Errorf("empty rule set found %v", ms)
	}
	m := newMatcher(t, openTokenRule)
	if ms := m.Find(nil, nil); ms != nil {
		t.Errorf("nil input found %v", ms)
	}
}

// mixedInput is realistic text with planted fake credentials and inputs for
// the inline rules above.
func mixedInput() []byte {
	data := corpus.Mixed(42, 256<<10, 8<<10)
	for i := range 50 {
		data = fmt.Appendf(data, "zqtok_%s zqval = %q zqa_%s\n", body(uint64(200+i), 30), body(uint64(300+i), 14), body(uint64(400+i), 16))
	}
	return data
}

func TestMatcherDeterministic(t *testing.T) {
	t.Parallel()
	def, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	matchers := map[string]*rules.Matcher{
		"default": rules.NewMatcher(def),
		"inline":  newMatcher(t, openTokenRule+assignRule+allowRules),
	}
	data := mixedInput()
	for name, m := range matchers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// A rule's regex gets its prefilter and its DFA once it has
			// examined enough input, which changes the work counted (not
			// the matches). The built-in rules are shared with the tests
			// running in parallel, so their counts are compared only for
			// the matcher of this test's own rules, after a warm-up.
			var st0, st1, st2 rules.Stats
			warm := find(t, m, "src/app.js", data, &st0)
			first := find(t, m, "src/app.js", data, &st1)
			if !reflect.DeepEqual(warm, first) {
				t.Fatalf("a warm matcher finds %d matches, a cold one %d", len(first), len(warm))
			}
			second := find(t, m, "src/app.js", data, &st2)
			if !reflect.DeepEqual(first, second) || (name != "default" && !reflect.DeepEqual(st1, st2)) {
				t.Fatalf("two runs over the same input differ: %d vs %d matches", len(first), len(second))
			}
			// Concurrent use of one matcher gives the same answer.
			var wg sync.WaitGroup
			results := make([][]rules.Match, 8)
			for i := range results {
				wg.Go(func() { results[i] = m.FindPath("src/app.js", data, nil) })
			}
			wg.Wait()
			for i, r := range results {
				if !reflect.DeepEqual(r, first) {
					t.Errorf("goroutine %d: %d matches, want %d", i, len(r), len(first))
				}
			}
		})
	}
}

func TestMatcherAllowlistConditionsAndGlobs(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, `
[[rules]]
id = "zq-a"
keywords = ["zqa_"]
regex = '''\b(zqa_[A-Za-z0-9]{16})\b'''
secret_group = 1

[[rules.allow]]
description = "fixtures only when they also say so"
condition = "AND"
globs = ["**/fixtures/**"]
stopwords = ["fake"]

[[rules.allow]]
description = "a marker on the line"
regexes = ['''#\s*zq-test-value''']
regex_target = "line"

[[rules.allow]]
description = "the whole match"
regexes = ['''^zqa_Old''']
regex_target = "match"

[[allow]]
globs = ["*.snap", "third_party/", "/vendor/"]
`)
	plain := "Hq3Kv8Rw2LpZt5Nm"
	cases := []struct {
		name, path, data string
		want             int
	}{
		{"and-both-hold", "a/fixtures/b/x.go", "zqa_Hq3FaKev8Rw2Lp9Z", 0},
		{"and-path-only", "a/fixtures/b/x.go", "zqa_" + plain, 1},
		{"and-stopword-only", "src/x.go", "zqa_Hq3FaKev8Rw2Lp9Z", 1},
		{"line-target", "src/x.go", "v := \"zqa_" + plain + "\" # zq-test-value", 0},
		{"line-target-other-line", "src/x.go", "# zq-test-value\nv := \"zqa_" + plain + "\"", 1},
		{"match-target", "src/x.go", "zqa_Old" + plain[:9], 0},
		{"glob-base-name-any-dir", "ui/__snapshots__/App.test.js.snap", "zqa_" + plain, 0},
		{"glob-base-name-no-match", "ui/snap.go", "zqa_" + plain, 1},
		{"glob-directory", "third_party/lib/a.go", "zqa_" + plain, 0},
		{"glob-directory-any-level", "src/third_party/a.go", "zqa_" + plain, 0},
		{"glob-anchored-directory", "vendor/a.go", "zqa_" + plain, 0},
		{"glob-anchored-directory-elsewhere", "src/vendor/a.go", "zqa_" + plain, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := len(find(t, m, c.path, []byte(c.data), nil)); got != c.want {
				t.Errorf("FindPath(%q): %d matches, want %d", c.path, got, c.want)
			}
		})
	}
	// An AND allowlist with a path and a stopword does not make the whole
	// file skippable; a global path-only glob does.
	if m.PathAllowed("a/fixtures/b/x.go") || !m.PathAllowed("third_party/lib/a.go") {
		t.Error("PathAllowed disagrees with the allowlists' conditions")
	}
	for _, bad := range []string{"condition = \"XOR\"", "regex_target = \"file\""} {
		if _, err := rules.Parse("bad.toml", []byte(okRule+"[[rules.allow]]\nregexes = ['x']\n"+bad+"\n")); err == nil {
			t.Errorf("allowlist with %s accepted", bad)
		}
	}
}

func TestMatcherPathRules(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, `
[[rules]]
id = "zq-keyfile"
description = "a key file committed"
path = '''(^|/)id_zq$'''

[[rules]]
id = "zq-rcfile"
description = "an rc file with a literal credential"
path = '''(^|/)\.zqrc$'''
keywords = ["zqauth"]
regex = '''zqauth\s*=\s*([A-Za-z0-9]{12})'''
secret_group = 1
[[rules.allow]]
paths = ['''^examples/''']
`+openTokenRule)
	rc := "zqauth = " + body(30, 12) + "\n"
	cases := []struct {
		name, path, data string
		want             []string
	}{
		{"path-only", "home/.ssh/id_zq", "anything at all", []string{"zq-keyfile"}},
		{"path-only-empty-file", "id_zq", "", []string{"zq-keyfile"}},
		{"path-no-match", "home/.ssh/id_zq.pub", "anything", nil},
		{"path-and-content", "home/.zqrc", rc, []string{"zq-rcfile"}},
		{"path-without-content", "home/.zqrc", "# nothing here\n", nil},
		{"path-rule-allowlisted", "examples/.zqrc", rc, nil},
		{"content-rule-too", "id_zq", "zqtok_" + body(31, 30), []string{"zq-keyfile", "zq-token"}},
		{"no-path-no-path-rules", "", rc, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, mt := range find(t, m, c.path, []byte(c.data), nil) {
				got = append(got, mt.Rule.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("FindPath(%q): rules %q, want %q", c.path, got, c.want)
			}
		})
	}
	// FindFile runs the rules that need no content (for binary or
	// oversized files the scanner does not read).
	for path, want := range map[string]int{"x/id_zq": 1, "x/.zqrc": 0, "x/other": 0, "": 0} {
		if got := len(m.FindFile(path, nil)); got != want {
			t.Errorf("FindFile(%q): %d matches, want %d", path, got, want)
		}
	}
}

// When one keyword of a rule occurs inside another (here "key" inside
// "apikeyid"), the automaton reports the inner hit first although it
// starts later. The window must still reach w bytes before the earliest
// hit.
func TestMatcherWindowInfixKeywords(t *testing.T) {
	t.Parallel()
	m := newMatcher(t, `
[[rules]]
id = "zq-infix"
keywords = ["key", "apikeyid"]
window = 300
regex = '''ZQZQ[a-z ]{296}apikeyid'''
`)
	match := "ZQZQ" + strings.Repeat("abc ", 74) + "apikeyid" // starts exactly 300 bytes before "apikeyid"
	data := strings.Repeat("#", 100) + match
	ms := find(t, m, "", []byte(data), nil)
	if len(ms) != 1 || ms[0].Start != 100 {
		t.Errorf("found %d matches, want 1 at offset 100 (the window must start 300 bytes before the earliest keyword hit)", len(ms))
	}
}
