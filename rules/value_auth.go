package rules

import (
	"encoding/base64"
	"strings"
)

// HTTP authentication credentials written into code, fixtures and
// configuration: the value of an HTTP Basic header decoded and judged as
// the user:password pair it carries, and base64 user:password pairs
// assigned to an "auth" name (.npmrc _auth, Docker's auths, client
// options).
//
// Someone who base64-encodes a pair for a header or a client has sent, or
// will send, it to a server: the pair is a credential whatever its
// strength (user:pass, admin:admin, RFC 7617's Aladdin:open sesame in a
// test are all pairs a server accepted or refused). What is not a
// credential is a value that is not base64 of text ("Basic
// login_and_password_removed", "Basic p4ssw0rd"), a template, a reference,
// a mask, or a pair made of placeholder words (your_user:your_password).

// minBasicText is the shortest decoded value an HTTP Basic check accepts:
// "a:bc", the base64 of which is four characters.
const minBasicText = 4

// checkBasicAuth is the "basic-auth" check of HTTP Basic (and
// Elasticsearch ApiKey) values: the base64 must decode to text, and that
// text to a user:password pair that is not a template or a placeholder,
// or to one token of at least six word characters (a key id, "invalid").
func checkBasicAuth(in CheckInput) bool { return basicAuthReason(in) == "" }

// basicAuthReason says why an HTTP Basic value is not a credential, or "".
func basicAuthReason(in CheckInput) string {
	dec, ok := base64Text(in.Secret)
	if !ok {
		return "not-base64-text"
	}
	user, pass, pair := strings.Cut(dec, ":")
	if !pair {
		if len(dec) < 6 || !plainToken(dec) {
			return "decoded-not-pair"
		}
		if placeholderText(dec) {
			return "decoded-placeholder"
		}
		return ""
	}
	return judgeEncodedPair(user, pass)
}

// judgeEncodedPair judges a user:password pair someone base64-encoded:
// weak and documentation pairs count, templates, masks and placeholder
// words do not.
func judgeEncodedPair(user, pass string) string {
	switch why := judgeUserPassword(user, strings.TrimRight(pass, "\r\n")); why {
	case "", "placeholder":
		if placeholderText(user) || placeholderText(pass) {
			return "decoded-placeholder"
		}
		return ""
	default:
		return "decoded-" + why
	}
}

// checkAuthBase64 is the "auth-base64" check of base64 values assigned to
// an "auth" name (_auth, auth, basicAuth, proxy_auth): the value must
// decode to a user:password pair, judged as in a Basic header. A value the
// "credential" check already accepts is left to generic-api-key-assignment,
// which finds the same span, so that one span makes one finding.
func checkAuthBase64(in CheckInput) bool { return authBase64Reason(in) == "" }

// authBase64Reason says why an auth-named base64 value is not reported
// here, or "".
func authBase64Reason(in CheckInput) string {
	if !authName(in.Name) {
		return "name"
	}
	dec, ok := base64Text(in.Secret)
	if !ok {
		return "not-base64-text"
	}
	user, pass, pair := strings.Cut(dec, ":")
	if !pair {
		return "decoded-not-pair"
	}
	if why := judgeEncodedPair(user, pass); why != "" {
		return why
	}
	if checkCredential(CheckInput{Secret: in.Secret, Name: in.Name, Match: in.Match}) {
		return "left-to-generic-api-key-assignment"
	}
	return ""
}

// authName reports whether name is an "auth" name: its last word is
// "auth" (auth, _auth, basicAuth, proxy_auth, npmAuth) and no word before
// it makes it something else (a negative word such as "no" or "oauth").
func authName(name string) bool {
	words := splitName(name)
	if len(words) == 0 || words[len(words)-1] != "auth" {
		return false
	}
	for _, w := range words[:len(words)-1] {
		if negativeWords[w] {
			return false
		}
	}
	return true
}

// base64Text decodes standard or URL-safe base64, padded or not, and
// returns the text it holds; ok is false when v is not base64 or decodes
// to anything but printable ASCII (a trailing newline allowed, as `echo
// user:pass | base64` leaves it).
func base64Text(v string) (string, bool) {
	if len(v) < 4 || len(v) > 1024 {
		return "", false
	}
	enc := base64.RawStdEncoding
	if strings.ContainsAny(v, "-_") {
		enc = base64.RawURLEncoding
	}
	dec, err := enc.DecodeString(strings.TrimRight(v, "="))
	if err != nil || len(dec) < minBasicText {
		return "", false
	}
	text := strings.TrimRight(string(dec), "\r\n")
	if len(text) < minBasicText {
		return "", false
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < 0x20 || c > 0x7e {
			return "", false
		}
	}
	return text, true
}

// plainToken reports whether s is one token of letters, digits and the
// punctuation of identifiers and keys (_ . - + / =).
func plainToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-+/=", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// placeholderText reports whether s is a template or a placeholder to
// fill in (your_password, <user>, ${PASS}, replace-me, xxx), as opposed to
// a fixture's value (fake_password, invalid, test).
func placeholderText(s string) bool {
	ls := strings.ToLower(s)
	if reTemplate.MatchString(s) || strings.Contains(ls, "xxx") ||
		strings.HasPrefix(ls, "your") {
		return true
	}
	for _, w := range splitName(s) {
		if fillInWords[w] {
			return true
		}
	}
	return false
}

// fillInWords mark a value as one to fill in.
var fillInWords = setOf("your", "replace", "insert", "enter", "here", "placeholder", "redacted", "removed")

// JSON Web Keys written as object literals of code (JavaScript,
// TypeScript, Python dicts): { kty: 'oct', k: '…' }. The jwk-private-key
// rule reads JSON; a literal with bare or single-quoted member names is
// read here, member by member.
var (
	reJWKLiteralKty    = compileLater(`(?:\bkty|'kty')\s{0,3}:\s{0,3}['"](RSA|EC|OKP|oct)['"]`)
	reJWKLiteralMember = compileLater(`(?:^|[{,\s])['"]?([a-z]{1,2})['"]?\s{0,3}:\s{0,3}['"]([A-Za-z0-9_\-]{4,}=*)['"]`)
)

// checkJWKLiteral is the "jwk-literal" check: the object literal must
// name a key type and hold one of that type's private members (RFC 7518
// section 6: d, p, q, dp, dq, qi for RSA; d for EC and OKP; k for oct)
// with at least 16 bytes of base64url.
func checkJWKLiteral(s string) bool {
	re, err := reJWKLiteralKty.get()
	if err != nil {
		return false
	}
	m := re.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	private := jwkPrivateMembers[m[1]]
	mre, err := reJWKLiteralMember.get()
	if err != nil {
		return false
	}
	for _, mm := range mre.FindAllStringSubmatch(s, 64) {
		for _, name := range private {
			if mm[1] == name && jwkKeyMaterial(mm[2]) {
				return true
			}
		}
	}
	return false
}

// checkPEMBase64 is the "pem-base64" check of a private key whose whole
// PEM text was base64-encoded once more (kubeconfig client-key-data, a
// Kubernetes Secret's tls.key, a test's embedded key file): the value must
// decode to text holding a PEM private key that passes checkPEM (openssl
// pkcs12's "Bag Attributes" lines and a certificate may come first).
func checkPEMBase64(s string) bool {
	s = strings.TrimRight(s, "=")
	if len(s) > 64<<10 {
		return false
	}
	dec, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		// A value cut at a non-multiple of four characters: decode what
		// whole quanta there are.
		dec, err = base64.RawStdEncoding.DecodeString(s[:len(s)/4*4])
		if err != nil {
			return false
		}
	}
	// openssl pkcs12 output holds the certificate and the key, in either
	// order: look at each block.
	text := string(dec)
	for tries := 0; tries < 8; tries++ {
		i := strings.Index(text, "-----BEGIN ")
		if i < 0 {
			return false
		}
		if checkPEM(text[i:]) {
			return true
		}
		text = text[i+len("-----BEGIN "):]
	}
	return false
}

// checkK8sSecretData is the "k8s-secret-data" check of the entries of a
// Kubernetes Secret's data map: everything there is a secret by the
// manifest's own word, so the decoded value is reported however weak, as
// long as it is text (not a template or fill-in words) and the entry is
// not one of the identifiers a Secret also carries (username, host, a
// certificate).
func checkK8sSecretData(in CheckInput) bool { return k8sSecretDataReason(in) == "" }

// k8sSecretDataReason says why a Secret data entry is not reported, or "".
func k8sSecretDataReason(in CheckInput) string {
	name := strings.ToLower(in.Name)
	if k8sNotSecretKeys[name] {
		return "name"
	}
	for _, suffix := range k8sNotSecretSuffixes {
		if strings.HasSuffix(name, suffix) {
			return "name"
		}
	}
	dec, ok := base64Text(in.Secret)
	if !ok {
		return "not-base64-text"
	}
	switch {
	case placeholderText(dec), reSecretRef.MatchString(dec):
		return "decoded-placeholder"
	case strings.Contains(dec, "-----BEGIN"):
		return "pem" // the private key rules judge it
	}
	return ""
}

// k8sNotSecretSuffixes end Secret data keys that name identifiers or
// public material (db_user, api.host, tls-cert, key.pub).
var k8sNotSecretSuffixes = []string{".crt", ".pub", "-cert", "_cert", "user", "username", "host", "url"}

// k8sNotSecretKeys are Secret data keys that name identifiers, not secrets.
var k8sNotSecretKeys = setOf("user", "username", "login", "email", "host", "hostname", "port", "url", "uri",
	"endpoint", "server", "database", "db", "dbname", "namespace", "name", "region", "bucket", "ca", "cert",
	"certificate", "ca.crt", "tls.crt", "cacert", "ca_cert", "ca-cert")
