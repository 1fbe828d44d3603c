package rules_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

// Credentials in this file are assembled at run time from random bodies, so
// the source holds nothing that looks like a real key.

const (
	b62    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// testRand returns a deterministic generator, so a failure reproduces.
func testRand(seed uint64) *mrand.Rand { return mrand.New(mrand.NewPCG(seed, 0x5eed)) }

func randString(r *mrand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// base62CRC is an independent implementation of the checksum GitHub and
// npm tokens end with: CRC32 (IEEE) of the random part, in base62, left
// padded with '0' to six characters.
func base62CRC(body string) string {
	n := crc32.ChecksumIEEE([]byte(body))
	var digits []byte
	for n > 0 {
		digits = append(digits, b62[n%62])
		n /= 62
	}
	for len(digits) < 6 {
		digits = append(digits, '0')
	}
	slices.Reverse(digits)
	return string(digits)
}

func TestBase62CRC32KnownAnswers(t *testing.T) {
	t.Parallel()
	// Computed with Python's zlib.crc32 and a base62 loop, outside Go.
	fixed := []struct{ body, want string }{
		{"", "000000"},
		{"abcdefghijklmnopqrstuvwxyz0123", "2LolCm"},
		{"Zx9QwErTyUiOpAsDfGhJkLzXcVbNm1", "2KdNiE"},
	}
	for _, c := range fixed {
		if got := rules.Base62CRC32(c.body); got != c.want {
			t.Errorf("Base62CRC32(%q) = %q, want %q", c.body, got, c.want)
		}
	}
	r := testRand(1)
	padded := false
	for range 2000 {
		body := randString(r, b62, 30)
		want := base62CRC(body)
		if got := rules.Base62CRC32(body); got != want {
			t.Fatalf("Base62CRC32(%q) = %q, want %q", body, got, want)
		}
		padded = padded || want[0] == '0'
	}
	if !padded {
		t.Error("no random body needed left padding; the padding path went untested")
	}
}

func checksummed(prefix, body string) string { return prefix + body + base62CRC(body) }

// corrupt changes the byte at i to a different base62 character.
func corrupt(s string, i int) string {
	c := b62[(strings.IndexByte(b62, s[i])+1)%len(b62)]
	return s[:i] + string(c) + s[i+1:]
}

type checkCase struct {
	name   string
	check  string
	secret string
	want   bool
}

func runChecks(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.check+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			if got := rules.RunCheck(c.check, c.secret); got != c.want {
				t.Errorf("RunCheck(%q, %s) = %v, want %v", c.check, abbrev(c.secret), got, c.want)
			}
		})
	}
}

// abbrev quotes s, eliding the middle of long values such as PEM blocks.
func abbrev(s string) string {
	if len(s) <= 120 {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q…%q (%d bytes)", s[:60], s[len(s)-40:], len(s))
}

func TestCheckNames(t *testing.T) {
	t.Parallel()
	names := rules.CheckNames()
	if !slices.IsSorted(names) {
		t.Errorf("CheckNames() = %q, not sorted", names)
	}
	for _, want := range []string{"anthropic", "github", "jwt", "npm", "openai", "pem", "pypi"} {
		if !slices.Contains(names, want) {
			t.Errorf("CheckNames() = %q, missing %q", names, want)
		}
	}
	if rules.RunCheck("no-such-check", "anything") {
		t.Error(`RunCheck("no-such-check", …) = true, want false`)
	}
}

func TestCheckGitHubAndNPM(t *testing.T) {
	t.Parallel()
	r := testRand(2)
	var cases []checkCase
	for _, p := range []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"} {
		for i := range 8 {
			body := randString(r, b62, 30)
			tok := checksummed(p, body)
			cases = append(cases,
				checkCase{p + "valid-" + string(rune('a'+i)), "github", tok, true},
				checkCase{p + "last-checksum-char", "github", corrupt(tok, len(tok)-1), false},
				checkCase{p + "first-checksum-char", "github", corrupt(tok, len(tok)-6), false},
				checkCase{p + "body-char", "github", corrupt(tok, len(p)+r.IntN(30)), false},
			)
		}
		body := randString(r, b62, 30)
		tok := checksummed(p, body)
		cases = append(cases,
			checkCase{p + "one-short", "github", tok[:len(tok)-1], false},
			checkCase{p + "one-long", "github", tok + "0", false},
			checkCase{p + "checksum-case-swapped", "github", p + body + swapCase(base62CRC(body)), base62CRC(body) == swapCase(base62CRC(body))},
			checkCase{p + "upper-case-prefix", "github", strings.ToUpper(p) + body + base62CRC(body), false},
			checkCase{p + "through-npm-check", "npm", tok, false},
		)
		// A body outside the alphabet whose checksum is nonetheless right.
		bad := body[:10] + "-" + body[11:]
		cases = append(cases, checkCase{p + "non-base62-body", "github", checksummed(p, bad), false})
	}
	// Only the five documented prefixes use this scheme.
	body := randString(r, b62, 30)
	cases = append(cases,
		checkCase{"unknown-prefix-ghx", "github", checksummed("ghx_", body), false},
		checkCase{"no-letter-prefix-gh", "github", checksummed("gh_", body), false},
		checkCase{"fine-grained-pat", "github", "github_pat_" + randString(r, b62, 22) + "_" + randString(r, b62, 59), false},
		checkCase{"empty", "github", "", false},
	)
	for i := range 8 {
		tok := checksummed("npm_", randString(r, b62, 30))
		cases = append(cases,
			checkCase{"valid-" + string(rune('a'+i)), "npm", tok, true},
			checkCase{"checksum-" + string(rune('a'+i)), "npm", corrupt(tok, len(tok)-1-r.IntN(6)), false},
			checkCase{"body-" + string(rune('a'+i)), "npm", corrupt(tok, 4+r.IntN(30)), false},
		)
	}
	tok := checksummed("npm_", randString(r, b62, 30))
	cases = append(cases,
		checkCase{"one-short", "npm", tok[:len(tok)-1], false},
		checkCase{"one-long", "npm", tok + "A", false},
		checkCase{"wrong-prefix", "npm", "nmp_" + tok[4:], false},
		checkCase{"through-github-check", "github", tok, false},
		checkCase{"empty", "npm", "", false},
	)
	runChecks(t, cases)
}

func swapCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = c - 32
		case 'A' <= c && c <= 'Z':
			b[i] = c + 32
		}
	}
	return string(b)
}

func TestCheckOpenAI(t *testing.T) {
	t.Parallel()
	r := testRand(3)
	const marker = "T3Blbk" + "FJ"
	alnum := b62
	side := func(n int) string { return randString(r, alnum, n) }
	// Project, service-account and admin keys use the base64url alphabet,
	// so '-' and '_' occur in their bodies, also right before the marker.
	dashed := side(60) + "-" + side(4) + "_" + side(9)
	cases := []checkCase{
		{"legacy", "openai", "sk-" + side(20) + marker + side(20), true},
		{"project", "openai", "sk-" + "proj-" + side(74) + marker + side(74), true},
		{"service-account", "openai", "sk-" + "svcacct-" + side(74) + marker + side(74), true},
		{"admin", "openai", "sk-" + "admin-" + side(74) + marker + side(74), true},
		{"project-dash-near-marker", "openai", "sk-" + "proj-" + dashed + marker + side(74), true},
		{"project-dash-just-before-marker", "openai", "sk-" + "proj-" + side(40) + "-" + side(3) + marker + side(74), true},
		{"minimum-material", "openai", "sk-" + side(16) + marker + side(16), true},
		{"marker-absent", "openai", "sk-" + "proj-" + side(156), false},
		{"marker-misspelt", "openai", "sk-" + side(20) + "T3BlbkFK" + side(20), false},
		{"marker-lower-case", "openai", "sk-" + side(20) + strings.ToLower(marker) + side(20), false},
		{"marker-at-start", "openai", marker + side(40), false},
		{"marker-right-after-prefix", "openai", "sk-" + "proj-" + marker + side(74), false},
		{"marker-at-end", "openai", "sk-" + side(40) + marker, false},
		{"too-little-before", "openai", "sk-" + side(15) + marker + side(20), false},
		{"too-little-after", "openai", "sk-" + side(20) + marker + side(15), false},
		{"empty", "openai", "", false},
	}
	runChecks(t, cases)
}

func TestCheckAnthropic(t *testing.T) {
	t.Parallel()
	r := testRand(4)
	body := func(n int) string { return randString(r, b64url, n) }
	api := "sk-" + "ant-api03-"
	admin := "sk-" + "ant-admin01-"
	cases := []checkCase{
		{"api", "anthropic", api + body(93) + "AA", true},
		{"api-other", "anthropic", api + body(93) + "AA", true},
		{"admin", "anthropic", admin + body(93) + "AA", true},
		{"api-one-short", "anthropic", api + body(92) + "AA", false},
		{"api-one-long", "anthropic", api + body(94) + "AA", false},
		{"api-wrong-suffix", "anthropic", api + body(93) + "AB", false},
		{"api-lower-suffix", "anthropic", api + body(93) + "aa", false},
		{"api-no-suffix", "anthropic", api + body(93) + "x9", false},
		{"admin-too-short", "anthropic", admin + body(40) + "AA", false},
		{"admin-wrong-suffix", "anthropic", admin + body(93) + "BA", false},
		{"unknown-version", "anthropic", "sk-" + "ant-api02-" + body(93) + "AA", false},
		{"oauth-token", "anthropic", "sk-" + "ant-oat01-" + body(93) + "AA", false},
		{"no-prefix", "anthropic", body(106) + "AA", false},
		{"empty", "anthropic", "", false},
	}
	runChecks(t, cases)
}

func TestCheckJWT(t *testing.T) {
	t.Parallel()
	enc := base64.RawURLEncoding.EncodeToString
	sig := make([]byte, 32)
	if _, err := rand.Read(sig); err != nil {
		t.Fatal(err)
	}
	s := enc(sig)
	hdr := enc([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := enc([]byte(`{"sub":"1234567890","name":"Jane Roe","iat":1716239022,"scope":"orders:read"}`))
	// A header in the standard base64 alphabet ('+' and '/'), which JWTs
	// never use.
	urlHdr := enc([]byte(`{"alg":"HS256","x":"???>>>~~~"}`))
	stdHdr := strings.NewReplacer("-", "+", "_", "/").Replace(urlHdr)
	if stdHdr == urlHdr {
		t.Fatalf("header %q has no base64url-only characters", urlHdr)
	}
	cases := []checkCase{
		{"valid", "jwt", hdr + "." + payload + "." + s, true},
		{"valid-rs256-kid", "jwt", enc([]byte(`{"alg":"RS256","kid":"k1"}`)) + "." + payload + "." + s, true},
		{"valid-padded", "jwt", base64.URLEncoding.EncodeToString([]byte(`{"alg":"ES256"}`)) + "." + payload + "." + s, true},
		{"valid-empty-claims", "jwt", hdr + "." + enc([]byte(`{}`)) + "." + s, true},
		{"header-not-base64", "jwt", "eyJ*bGci." + payload + "." + s, false},
		{"header-std-base64-alphabet", "jwt", stdHdr + "." + payload + "." + s, false},
		{"header-not-json", "jwt", enc([]byte(`alg=HS256`)) + "." + payload + "." + s, false},
		{"header-json-array", "jwt", enc([]byte(`["alg","HS256"]`)) + "." + payload + "." + s, false},
		{"header-json-null", "jwt", enc([]byte(`null`)) + "." + payload + "." + s, false},
		{"header-missing-alg", "jwt", enc([]byte(`{"typ":"JWT"}`)) + "." + payload + "." + s, false},
		{"payload-not-json", "jwt", hdr + "." + enc([]byte(`hello, world`)) + "." + s, false},
		{"payload-not-base64", "jwt", hdr + ".not*base64." + s, false},
		{"payload-json-array", "jwt", hdr + "." + enc([]byte(`[1,2,3]`)) + "." + s, false},
		{"payload-json-null", "jwt", hdr + "." + enc([]byte(`null`)) + "." + s, false},
		{"payload-json-string", "jwt", hdr + "." + enc([]byte(`"sub"`)) + "." + s, false},
		{"two-parts", "jwt", hdr + "." + payload, false},
		{"empty-signature", "jwt", hdr + "." + payload + ".", false},
		{"four-parts", "jwt", hdr + "." + payload + "." + s + "." + s, false},
		{"jwe-five-parts", "jwt", hdr + "." + s + "." + s + "." + s + "." + s, false},
		{"empty", "jwt", "", false},
	}
	runChecks(t, cases)
}

// pemBlock wraps n random bytes as a PEM block with the given label, lines of
// width characters and optional headers.
func pemBlock(t *testing.T, label string, n, width int, headers ...string) string {
	t.Helper()
	raw := make([]byte, n)
	if _, err := rand.Read(raw); err != nil {
		t.Fatal(err)
	}
	body := base64.StdEncoding.EncodeToString(raw)
	var b strings.Builder
	b.WriteString("-----BEGIN " + label + "-----\n")
	for _, h := range headers {
		b.WriteString(h + "\n")
	}
	if len(headers) > 0 {
		b.WriteString("\n")
	}
	for len(body) > width {
		b.WriteString(body[:width] + "\n")
		body = body[width:]
	}
	b.WriteString(body + "\n-----END " + label + "-----\n")
	return b.String()
}

func TestCheckPEM(t *testing.T) {
	t.Parallel()
	const (
		rsa     = "RSA " + "PRIVATE KEY"
		pkcs8   = "PRIVATE " + "KEY"
		openssh = "OPENSSH " + "PRIVATE KEY"
		ec      = "EC " + "PRIVATE KEY"
	)
	rsaKey := pemBlock(t, rsa, 1190, 64)
	lines := strings.Split(strings.TrimSuffix(rsaKey, "\n"), "\n")
	truncated := strings.Join(lines[:2], "\n") + "\n-----END " + rsa + "-----\n" // one body line: 48 bytes
	cutMidQuantum := strings.Join(lines[:len(lines)-2], "\n")
	cutMidQuantum = cutMidQuantum[:len(cutMidQuantum)-3] + "\n" + lines[len(lines)-1] + "\n" // 4n+1 base64 chars
	noEnd := strings.Join(lines[:len(lines)-1], "\n") + "\n"
	notBase64 := "-----BEGIN " + rsa + "-----\n" +
		strings.Repeat("this is not base64 at all; it is prose * with % symbols!\n", 8) +
		"-----END " + rsa + "-----\n"
	// A key embedded in a JSON string (as in a GCP service-account file):
	// one line, with literal \n escapes.
	pk8 := pemBlock(t, pkcs8, 1216, 64)
	jsonEscaped := strings.ReplaceAll(pk8, "\n", `\n`)
	cases := []checkCase{
		{"rsa", "pem", rsaKey, true},
		{"pkcs8", "pem", pk8, true},
		{"openssh", "pem", pemBlock(t, openssh, 400, 70), true},
		{"ec", "pem", pemBlock(t, ec, 121, 64), true},
		{"encrypted-rsa-with-headers", "pem", pemBlock(t, rsa, 1200, 64, "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,8B1A4F0C2D3E5F6A7B8C9D0E1F2A3B4C"), true},
		{"crlf", "pem", strings.ReplaceAll(rsaKey, "\n", "\r\n"), true},
		{"indented-yaml", "pem", "    " + strings.ReplaceAll(strings.TrimSuffix(rsaKey, "\n"), "\n", "\n    "), true},
		{"json-escaped-one-line", "pem", jsonEscaped, true},
		{"exactly-64-bytes", "pem", pemBlock(t, pkcs8, 64, 64), true},
		{"63-bytes", "pem", pemBlock(t, pkcs8, 63, 64), false},
		{"truncated-body", "pem", truncated, false},
		{"cut-mid-quantum", "pem", cutMidQuantum, false},
		{"no-end-line", "pem", noEnd, false},
		{"begin-line-only", "pem", "-----BEGIN " + rsa + "-----", false},
		{"non-base64-body", "pem", notBase64, false},
		{"empty-body", "pem", "-----BEGIN " + rsa + "-----\n-----END " + rsa + "-----\n", false},
		{"public-key", "pem", pemBlock(t, "PUBLIC KEY", 294, 64), false},
		{"rsa-public-key", "pem", pemBlock(t, "RSA PUBLIC KEY", 270, 64), false},
		{"certificate", "pem", pemBlock(t, "CERTIFICATE", 900, 64), false},
		{"empty", "pem", "", false},
	}
	runChecks(t, cases)
}

func TestCheckPyPI(t *testing.T) {
	t.Parallel()
	macaroon := func(location string, n int) string {
		raw := make([]byte, n)
		if _, err := rand.Read(raw); err != nil {
			t.Fatal(err)
		}
		// A macaroon: version 2, field "location" (1), its length and
		// value, then field "identifier" (2) with a 36-byte identifier.
		head := append([]byte{0x02, 0x01, byte(len(location))}, location...)
		head = append(head, 0x02, 36)
		head = append(head, fmt.Sprintf("%x-%x-%x-%x-%x", raw[0:4], raw[4:6], raw[6:8], raw[8:10], raw[10:16])...)
		return "pypi-" + base64.RawURLEncoding.EncodeToString(append(head, raw[16:]...))
	}
	valid := macaroon("pypi.org", 150)
	if !strings.HasPrefix(valid, "pypi-"+"AgEIcHlwaS5vcmcCJ") {
		t.Fatalf("test macaroon %q does not start with the pypi.org prefix", valid[:30])
	}
	short := valid[:5+50]
	cases := []checkCase{
		{"valid", "pypi", valid, true},
		{"valid-long", "pypi", macaroon("pypi.org", 400), true},
		{"valid-padded", "pypi", valid + strings.Repeat("=", (4-(len(valid)-5)%4)%4), true},
		{"test-pypi", "pypi", macaroon("test.pypi.org", 150), false},
		{"body-too-short", "pypi", short[:len(short)-2], false},
		{"body-minimum", "pypi", short, true},
		{"prefix-only", "pypi", "pypi-" + "AgEIcHlwaS5vcmc", false},
		{"no-pypi-dash", "pypi", strings.TrimPrefix(valid, "pypi-"), false},
		{"std-base64-chars", "pypi", valid[:60] + "+/" + valid[62:], false},
		{"invalid-chars", "pypi", valid[:60] + "!*" + valid[62:], false},
		{"one-char-over-quantum", "pypi", valid[:5+((len(valid)-5)/4-1)*4+1], false},
		{"empty", "pypi", "", false},
	}
	runChecks(t, cases)
}
