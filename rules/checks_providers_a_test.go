package rules_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

// Tokens here are assembled at run time, so the source holds nothing that
// looks like a real credential.

func TestCheckTestPyPI(t *testing.T) {
	t.Parallel()
	prefix := "pypi-" + base64.RawURLEncoding.EncodeToString([]byte("\x02\x01\x0dtest.pypi.org"))
	if prefix != "pypi-AgENdGVzdC5weXBpLm9yZw" {
		t.Fatalf("prefix %q: the macaroon header encodes differently", prefix)
	}
	body := base64.RawURLEncoding.EncodeToString([]byte(strings.Repeat("identifier and signature ", 4)))
	for _, c := range []struct {
		s    string
		want bool
	}{
		{prefix + body, true},
		{prefix + body[:20], false},                   // too short
		{prefix + body[:40] + "!" + body[41:], false}, // not base64url
		{"pypi-AgEIcHlwaS5vcmc" + body, false},        // pypi.org, not TestPyPI
		{strings.Replace(prefix, "pypi-", "", 1) + body, false},
	} {
		if got := rules.RunCheck("testpypi", c.s); got != c.want {
			t.Errorf("testpypi(%.40q…) = %v, want %v", c.s, got, c.want)
		}
	}
}

func jfrogReference(plain string) string {
	return base64.StdEncoding.EncodeToString([]byte(plain))
}

func TestCheckJFrogReference(t *testing.T) {
	t.Parallel()
	good := jfrogReference(fmt.Sprintf("reftkn:01:%d:%s", 1893456000, "Zq7Lr2Xw9Kp4Mn8Vb3Tc6Yd1Hs5"))
	if !strings.HasPrefix(good, "cmVmdGtu") {
		t.Fatalf("%q does not start with cmVmdGtu", good)
	}
	for _, c := range []struct {
		s    string
		want bool
	}{
		{good, true},
		{jfrogReference("reftkn:01:1893456000:" + "abc\x00defghijklmnopqrstuvwxyz"), false}, // control byte
		{jfrogReference("reftkn:01"), false},                                                // missing fields
		{jfrogReference("refxxx:01:1893456000:abcdefghijklmnopqrstuvwxyz0"), false},
		{"cmVmdGtu" + strings.Repeat("A", 55) + "!", false}, // not base64
		{"", false},
	} {
		if got := rules.RunCheck("jfrog-reference", c.s); got != c.want {
			t.Errorf("jfrog-reference(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestCheckAtlassianDCPAT(t *testing.T) {
	t.Parallel()
	secret := strings.Repeat("\x8f\x13\xa7\x02", 5)
	good := base64.StdEncoding.EncodeToString([]byte("649348816944:" + secret))
	for _, c := range []struct {
		s    string
		want bool
	}{
		{good, true},
		{base64.StdEncoding.EncodeToString([]byte("64934881694x:" + secret)), false}, // id not numeric
		{base64.StdEncoding.EncodeToString([]byte("6493488169440" + secret)), false}, // no colon
		{base64.StdEncoding.EncodeToString([]byte("649348816944:short")), false},
		{base64.StdEncoding.EncodeToString([]byte("123:" + secret)), false}, // id too short
		{good[:40] + "!!!!", false},
	} {
		if got := rules.RunCheck("atlassian-dc-pat", c.s); got != c.want {
			t.Errorf("atlassian-dc-pat(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestCheckNeptune(t *testing.T) {
	t.Parallel()
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	good := enc(`{"api_address":"https://app.neptune.ai","api_url":"https://app.neptune.ai","api_key":"` + strings.Repeat("5a1c", 9) + `"}`)
	if !strings.HasPrefix(good, "eyJhcGlfYWRkcmVzcyI6") {
		t.Fatalf("%q does not start with the api_address marker", good)
	}
	for _, c := range []struct {
		s    string
		want bool
	}{
		{good, true},
		{strings.TrimRight(good, "="), true},
		{enc(`{"api_address":"https://app.neptune.ai"}`), false},                       // no key
		{enc(`{"api_address":"app.neptune.ai","api_key":"0123456789abcdef0"}`), false}, // not a URL
		{enc(`{"api_address":"https://app.neptune.ai","api_key":"short"}`), false},
		{"eyJhcGlfYWRkcmVzcyI6" + strings.Repeat("QUJD", 20), false}, // not JSON
	} {
		if got := rules.RunCheck("neptune", c.s); got != c.want {
			t.Errorf("neptune(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestCheckCloudflareTunnel(t *testing.T) {
	t.Parallel()
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	account := strings.Repeat("6f3a", 8)
	tunnel := "c1744f8b-0aa1-48a4-9e5c-02ac921467fa"
	secret := enc(strings.Repeat("tunnel secret!", 3))
	good := enc(`{"a":"` + account + `","t":"` + tunnel + `","s":"` + secret + `"}`)
	if !strings.HasPrefix(good, "eyJhIjoi") {
		t.Fatalf("%q does not start with eyJhIjoi", good)
	}
	for _, c := range []struct {
		s    string
		want bool
	}{
		{good, true},
		{strings.TrimRight(good, "="), true},
		{enc(`{"a":"` + account + `","t":"` + tunnel + `"}`), false},                           // no secret
		{enc(`{"a":"` + account[:30] + `","t":"` + tunnel + `","s":"` + secret + `"}`), false}, // short account
		{enc(`{"a":"` + account + `","t":"not-a-uuid","s":"` + secret + `"}`), false},          // bad tunnel id
		{enc(`{"a":"` + strings.ToUpper(account) + `","t":"` + tunnel + `","s":"` + secret + `"}`), false},
		{"eyJhIjoi" + strings.Repeat("QUJD", 30), false},
	} {
		if got := rules.RunCheck("cloudflare-tunnel", c.s); got != c.want {
			t.Errorf("cloudflare-tunnel(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
