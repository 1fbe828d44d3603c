package rules

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestBasicAuthReason(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		secret string
		want   string
	}{
		{"weak pair", b64("admin:admin"), ""},
		{"documentation pair in a fixture", b64("Aladdin:open sesame"), ""},
		{"placeholder-like pair a test sends", b64("user:pass"), ""},
		{"fake words of a fixture", b64("fake_login:fake_password"), ""},
		{"short pair", b64("CK:CS"), ""},
		{"trailing newline of echo | base64", b64("thom:nightworld\n"), ""},
		{"one token", b64("invalid"), ""},
		{"url-safe alphabet", base64.RawURLEncoding.EncodeToString([]byte("svc:a?b>c~d")), ""},
		{"unpadded", base64.RawStdEncoding.EncodeToString([]byte("me:secretA")), ""},
		{"not base64", "login_and_password_removed", "not-base64-text"},
		{"base64 of binary", "jUv7pJUiICDLT58JuSN2ZUO3s9BxavVx", "not-base64-text"},
		{"a word", "p4ssw0rd", "not-base64-text"},
		{"too short", b64("a:"), "not-base64-text"},
		{"short token", b64("test"), "decoded-not-pair"},
		{"sentence", b64("not a pair at all"), "decoded-not-pair"},
		{"template password", b64("deploy:${DEPLOY_PASSWORD}"), "decoded-template"},
		{"mask", b64("user:********"), "decoded-template"},
		{"no password", b64("user:"), "decoded-empty"},
		{"fill-in words", b64("your_username:your_password"), "decoded-placeholder"},
		{"fill-in user", b64("<user>:hunter2"), "decoded-placeholder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := CheckInput{Secret: c.secret, Match: "Basic " + c.secret}
			if got := basicAuthReason(in); got != c.want {
				t.Errorf("basicAuthReason(%q) = %q, want %q", c.secret, got, c.want)
			}
			if got := checkBasicAuth(in); got != (c.want == "") {
				t.Errorf("checkBasicAuth(%q) = %v, want %v", c.secret, got, c.want == "")
			}
		})
	}
}

func TestAuthBase64Reason(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, key, secret string
		want              string
	}{
		{"npm _auth", "_auth", b64("dead:beef"), ""},
		{"docker auths", "auth", b64("user:pass"), ""},
		{"camelCase", "proxyAuth", b64("svc:hunter2"), ""},
		{"left to the credential check", "auth", b64("deploy:" + "q8Vz2LmX7pK4wR9tN3yB6cJ1"), "left-to-generic-api-key-assignment"},
		{"not an auth name", "author", b64("dead:beef"), "name"},
		{"auth is not the last word", "auth_url", b64("dead:beef"), "name"},
		{"negative word", "no_auth", b64("dead:beef"), "name"},
		{"not a pair", "auth", b64("testing"), "decoded-not-pair"},
		{"not base64 of text", "auth", "basic", "not-base64-text"},
		{"template", "_auth", b64("ci:${NPM_PASSWORD}"), "decoded-template"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := CheckInput{Secret: c.secret, Name: c.key, Match: c.key + ": \"" + c.secret + "\""}
			if got := authBase64Reason(in); got != c.want {
				t.Errorf("authBase64Reason(%q, %q) = %q, want %q", c.key, c.secret, got, c.want)
			}
			if got := checkAuthBase64(in); got != (c.want == "") {
				t.Errorf("checkAuthBase64(%q, %q) = %v, want %v", c.key, c.secret, got, c.want == "")
			}
		})
	}
}

// FuzzBase64Text checks the decoder of Basic and auth values on arbitrary
// input: it never panics, what it returns is printable text of at least
// minBasicText bytes, and encoding that text back gives a value that
// decodes to the same text.
func FuzzBase64Text(f *testing.F) {
	f.Add(b64("Aladdin:open sesame"))
	f.Add("login_and_password_removed")
	f.Add("dGhvbTpuaWdodHdvcmxkCg==")
	f.Add("a-b_c==")
	f.Add("====")
	f.Fuzz(func(t *testing.T, v string) {
		text, ok := base64Text(v)
		if !ok {
			if text != "" {
				t.Fatalf("base64Text(%q) = %q, false", v, text)
			}
			return
		}
		if len(text) < minBasicText {
			t.Fatalf("base64Text(%q) = %q: shorter than %d", v, text, minBasicText)
		}
		for i := 0; i < len(text); i++ {
			if c := text[i]; c < 0x20 || c > 0x7e {
				t.Fatalf("base64Text(%q) = %q: byte %#x is not printable", v, text, c)
			}
		}
		if again, ok := base64Text(b64(text)); !ok || again != text {
			t.Fatalf("base64Text(b64(%q)) = %q, %v", text, again, ok)
		}
	})
}

func TestCheckJWKLiteral(t *testing.T) {
	t.Parallel()
	k := base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	short := base64.RawURLEncoding.EncodeToString([]byte("0123456789"))
	cases := []struct {
		name, literal string
		want          bool
	}{
		{"oct with k", "{ kty: 'oct', k: '" + k + "' }", true},
		{"EC with d", "{ kty: 'EC', crv: 'P-256', d: '" + k + "' }", true},
		{"RSA with p", "{'kty': 'RSA', 'e': 'AQAB', 'p': '" + k + "'}", true},
		{"double-quoted values", `{ kty: "OKP", crv: "Ed25519", d: "` + k + `" }`, true},
		{"member of another key type", "{ kty: 'EC', k: '" + k + "' }", false},
		{"public only", "{ kty: 'EC', x: '" + k + "', y: '" + k + "' }", false},
		{"short key", "{ kty: 'oct', k: '" + short + "' }", false},
		{"not base64url", "{ kty: 'oct', k: 'not+base64/at=all+of+it+really' }", false},
		{"unknown key type", "{ kty: 'DSA', d: '" + k + "' }", false},
		{"no key type", "{ d: '" + k + "' }", false},
	}
	for _, c := range cases {
		if got := checkJWKLiteral(c.literal); got != c.want {
			t.Errorf("%s: checkJWKLiteral(%q) = %v, want %v", c.name, c.literal, got, c.want)
		}
	}
}

// fakePEM returns a PEM block of the given type around bytes that look
// like a key of plausible length (not a real key).
func fakePEM(typ string) string {
	body := make([]byte, 1190)
	for i := range body {
		body[i] = byte(i*97 + 13)
	}
	b := base64.StdEncoding.EncodeToString(body)
	out := "-----BEGIN " + typ + "-----\n"
	for len(b) > 64 {
		out += b[:64] + "\n"
		b = b[64:]
	}
	return out + b + "\n-----END " + typ + "-----\n"
}

func TestCheckPEMBase64(t *testing.T) {
	t.Parallel()
	key := b64(fakePEM("RSA PRIVATE KEY"))
	cases := []struct {
		name, value string
		want        bool
	}{
		{"base64 of a PEM private key", key, true},
		{"openssl pkcs12 bag attributes first", b64("Bag Attributes\n    localKeyID: 8C 1A\n" + fakePEM("PRIVATE KEY")), true},
		{"unpadded", strings.TrimRight(key, "="), true},
		{"a certificate", b64(fakePEM("CERTIFICATE")), false},
		{"a certificate, then the key", b64("Bag Attributes\n" + fakePEM("CERTIFICATE") + "Bag Attributes\n" + fakePEM("PRIVATE KEY")), true},
		{"cut short", key[:120], false},
		{"not base64", "LS0tLS1CRUdJTi!!!", false},
	}
	for _, c := range cases {
		if got := checkPEMBase64(c.value); got != c.want {
			t.Errorf("%s: checkPEMBase64 = %v, want %v", c.name, got, c.want)
		}
	}
}

// FuzzPEMBase64 runs the pem-base64 check on arbitrary values: it never
// panics, and a value it accepts decodes to text holding a PEM private
// key header.
func FuzzPEMBase64(f *testing.F) {
	f.Add(b64(fakePEM("EC PRIVATE KEY")))
	f.Add("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t")
	f.Add("QmFnIEF0dHJpYnV0ZXM=")
	f.Fuzz(func(t *testing.T, v string) {
		if !checkPEMBase64(v) {
			return
		}
		s := strings.TrimRight(v, "=")
		dec, err := base64.RawStdEncoding.DecodeString(s[:len(s)/4*4])
		if err != nil {
			dec, err = base64.RawStdEncoding.DecodeString(s)
		}
		if err != nil || !strings.Contains(string(dec), "PRIVATE KEY") {
			t.Fatalf("checkPEMBase64(%q) accepted a value that does not decode to a private key", v)
		}
	})
}

func TestK8sSecretDataReason(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, key, value, want string
	}{
		{"weak password", "password", b64("password"), ""},
		{"unknown key", "loggedinkey", b64("147d5a123be5e4b1d57529ae5a6c4ccaa092dd89"), ""},
		{"user name", "username", b64("root"), "name"},
		{"database user", "db-user", b64("wordpress"), "name"},
		{"certificate", "tls.crt", b64("certificate text"), "name"},
		{"template", "password", b64("${DB_PASSWORD}"), "decoded-placeholder"},
		{"secret reference", "token", b64("vault:secret/data/app#token"), "decoded-placeholder"},
		{"fill-in words", "password", b64("your-password-here"), "decoded-placeholder"},
		{"not base64 of text", "password", "jUv7pJUiICDLT58JuSN2ZUO3s9BxavVx", "not-base64-text"},
		{"a PEM key", "tls.key", b64("-----BEGIN PRIVATE KEY----- MIIE"), "pem"},
		{"multi-line text", "tls.key", b64("line one\nline two"), "not-base64-text"},
	}
	for _, c := range cases {
		in := CheckInput{Secret: c.value, Name: c.key, Match: "  " + c.key + ": " + c.value}
		if got := k8sSecretDataReason(in); got != c.want {
			t.Errorf("%s: k8sSecretDataReason(%q, %q) = %q, want %q", c.name, c.key, c.value, got, c.want)
		}
		if got := checkK8sSecretData(in); got != (c.want == "") {
			t.Errorf("%s: checkK8sSecretData = %v, want %v", c.name, got, c.want == "")
		}
	}
}
