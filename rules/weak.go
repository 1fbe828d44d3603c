package rules

import (
	"strings"
)

// A structural check that fails usually means the candidate is not a
// credential of the format: a GitHub token whose CRC-32 does not match
// was never issued, a Base58Check string with a bad checksum is no
// wallet key, and dropping it is what makes those rules precise. Private
// key bodies are different: a PEM, JWK, age or NKEY body that fails its
// check but has the length of a real key is far more often a real key
// (re-wrapped, hand-edited, cut and pasted with a character lost) than a
// joke, and a leaked key is the worst leak there is. (NKEY seeds stay
// dropped: their CRC-16 is what tells a seed from any 58 base32 letters
// starting "S", while "AGE-SECRET-KEY-1" alone tells an age key.) Those candidates are
// kept and reported one severity lower, the reason in the finding's
// description and in --explain (docs/rules.md, "When a check fails").

// weakChecks are the checks whose failure lowers a candidate's severity
// instead of dropping it, each with its plausibility test: the candidate
// must still look like a key of the format's size.
var weakChecks = map[string]func(secret string) bool{
	"pem":            plausiblePEM,
	"jwk-private":    plausibleJWK,
	"age-secret-key": func(s string) bool { return len(s) == len("AGE-SECRET-KEY-1")+58 },
}

// minPEMBody is the shortest PEM body (base64 characters) that passes for
// a private key of the block's kind, below the smallest real one: an
// Ed25519 PKCS#8 key has 64, a P-256 SEC 1 key 164, an Ed25519 OpenSSH
// key about 400, an RSA-512 PKCS#1 key about 460. Kinds not listed take
// the PKCS#8 minimum.
var minPEMBody = map[string]int{
	"RSA":     300,
	"DSA":     300,
	"EC":      120,
	"OPENSSH": 200,
	"":        60,
}

// plausiblePEM reports whether s is a PEM block whose header names a
// private key and whose body has at least minPEMBody base64 characters:
// a certificate or public key never is, nor a block with a stub body.
func plausiblePEM(s string) bool {
	begin := strings.Index(s, "-----BEGIN ")
	if begin < 0 {
		return false
	}
	rest := strings.ReplaceAll(s[begin:], `\n`, "\n")
	hdr, body, ok := strings.Cut(rest, "\n")
	if !ok || !strings.Contains(hdr, "PRIVATE KEY") {
		return false
	}
	body, _, ok = strings.Cut(body, "-----END ")
	if !ok {
		return false
	}
	n := 0
	for i := 0; i < len(body); i++ {
		if c := body[i]; 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' {
			n++
		}
	}
	kind, _, _ := strings.Cut(strings.TrimPrefix(hdr[strings.Index(hdr, "-----BEGIN ")+len("-----BEGIN "):], " "), " PRIVATE KEY")
	least, ok := minPEMBody[kind]
	if !ok {
		least = minPEMBody[""]
	}
	return n >= least
}

// jwkPrivateMember finds a JWK private member ("d", "p", "q" or "k") with
// a value of at least 22 characters (16 bytes of base64url).
var jwkPrivateMember = compileLater(`"(?:d|p|q|k)"\s*:\s*"[A-Za-z0-9_\-+/=]{22,}"`)

// plausibleJWK reports whether s names a key type and has a private
// member of a key's size, whatever else is wrong with it.
func plausibleJWK(s string) bool {
	return strings.Contains(s, `"kty"`) && jwkPrivateMember.MatchString(s)
}

// weakRule is r as it reports a candidate that failed r's check but is
// plausible: one severity lower, the reason in its description.
func weakRule(r *Rule) *Rule {
	w := *r
	w.Severity = lowerSeverity(r.Severity)
	w.Description = r.Description + " (structural check " + r.Check + " failed: reported one severity lower)"
	return &w
}

// lowerSeverity returns the next severity down; low stays low.
func lowerSeverity(s Severity) Severity {
	switch s {
	case Critical:
		return High
	case High:
		return Medium
	}
	return Low
}

// WeakReason is the reason --explain gives for a candidate kept at a
// lower severity.
func weakReason(r *Rule) string {
	return "kept at severity " + string(lowerSeverity(r.Severity)) + ": check:" + r.Check + " failed, but the body has a key's length"
}
