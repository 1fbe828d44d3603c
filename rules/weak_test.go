package rules

import (
	"encoding/base64"
	"strings"
	"testing"
)

// weakPEM wraps raw as a PEM block with the given label, in lines of 64.
func weakPEM(label string, raw []byte) string {
	body := base64.StdEncoding.EncodeToString(raw)
	var b strings.Builder
	b.WriteString("-----BEGIN " + label + "-----\n")
	for len(body) > 64 {
		b.WriteString(body[:64] + "\n")
		body = body[64:]
	}
	b.WriteString(body + "\n-----END " + label + "-----\n")
	return b.String()
}

// TestWeakChecks checks what a failed structural check does: a private
// key body of a key's length is reported one severity lower, with the
// reason in the rule's description and in Explain; a stub body, and a
// checksummed token or wallet key with a bad checksum, are dropped.
func TestWeakChecks(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	const rsa = "RSA " + "PRIVATE KEY"
	key := weakPEM(rsa, pbBytes(pbRand(8), 1190))
	lines := strings.Split(strings.TrimSuffix(key, "\n"), "\n")
	cut := strings.Join(lines[:len(lines)-2], "\n")
	cut = cut[:len(cut)-3] + "\n" + lines[len(lines)-1] + "\n" // 4n+1 base64 characters
	r := pbRand(9)
	age := strings.ToUpper(testBech32("age-secret-key-", pbBytes(r, 32)))
	nsec := testBech32("nsec", pbBytes(r, 32))
	flip := func(s string, i int, alphabet string) string {
		c := alphabet[0]
		if s[i] == c || s[i] == c-('a'-'A') {
			c = alphabet[1]
		}
		if strings.ToUpper(s) == s {
			c -= 'a' - 'A'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	for _, c := range []struct {
		name, rule, in string
		want           Severity // "" for no finding of the rule
	}{
		{"valid pem", "private-key-rsa", key, Critical},
		{"pem cut mid-quantum", "private-key-rsa", cut, High},
		{"pem stub body", "private-key-rsa", "-----BEGIN " + rsa + "-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END " + rsa + "-----\n", ""},
		{"valid age", "age-secret-key", "key: " + age + "\n", Critical},
		{"age bad checksum", "age-secret-key", "key: " + flip(age, len(age)-3, "qp") + "\n", High},
		{"valid nsec", "nostr-nsec-private-key", "NOSTR_KEY=" + nsec + "\n", "x"},
		{"nsec bad checksum", "nostr-nsec-private-key", "NOSTR_KEY=" + flip(nsec, len(nsec)-3, "qp") + "\n", ""},
	} {
		var got Severity
		var desc string
		for _, mt := range m.Find([]byte(c.in), nil) {
			if mt.Rule.ID == c.rule {
				got, desc = mt.Rule.Severity, mt.Rule.Description
			}
		}
		want := c.want
		if want == "x" {
			want = rs.Rule(c.rule).Severity
		}
		if got != want {
			t.Errorf("%s: severity %q, want %q", c.name, got, want)
			continue
		}
		weak := want != "" && want != rs.Rule(c.rule).Severity
		if weak != strings.Contains(desc, "structural check") {
			t.Errorf("%s: description %q does not say whether the check failed", c.name, desc)
		}
		explained := false
		for _, rej := range m.Explain("f.txt", []byte(c.in)) {
			if rej.RuleID == c.rule && strings.HasPrefix(rej.Reason, "kept at severity "+string(want)) {
				explained = true
			}
		}
		if explained != weak {
			t.Errorf("%s: Explain lists it as kept at a lower severity: %v, want %v", c.name, explained, weak)
		}
	}
}

// TestPlausible checks the plausibility tests of the weak checks.
func TestPlausible(t *testing.T) {
	const rsa, pk8 = "RSA " + "PRIVATE KEY", "PRIVATE " + "KEY"
	body := strings.Repeat("QUJD", 15)
	for _, c := range []struct {
		check, in string
		want      bool
	}{
		{"pem", "-----BEGIN " + pk8 + "-----\n" + body + "\n-----END " + pk8 + "-----", true},
		{"pem", "-----BEGIN " + pk8 + "-----\\n" + body + "\\n-----END " + pk8 + "-----", true},
		{"pem", "-----BEGIN " + pk8 + "-----\n" + body[:50] + "\n-----END " + pk8 + "-----", false},
		{"pem", "-----BEGIN " + rsa + "-----\n" + body + "\n-----END " + rsa + "-----", false},
		{"pem", "-----BEGIN " + rsa + "-----\n" + strings.Repeat(body, 6) + "\n-----END " + rsa + "-----", true},
		{"pem", "-----BEGIN " + "CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----", false},
		{"pem", "-----BEGIN " + rsa + "-----\n" + body, false},
		{"pem", "no block", false},
		{"jwk-private", `{"kty":"EC","d":"` + strings.Repeat("A", 43) + `"}`, true},
		{"jwk-private", `{"kty":"EC","d":"short"}`, false},
		{"jwk-private", `{"d":"` + strings.Repeat("A", 43) + `"}`, false},
		{"pem", "-----BEGIN EC " + "PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----", false},
		{"pem", "-----BEGIN EC " + "PRIVATE KEY-----\n" + body + body + body + "\n-----END EC PRIVATE KEY-----", true},
	} {
		if got := weakChecks[c.check](c.in); got != c.want {
			t.Errorf("%s plausible(%q) = %v, want %v", c.check, c.in, got, c.want)
		}
	}
}
