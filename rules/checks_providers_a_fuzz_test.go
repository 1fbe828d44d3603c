package rules

import (
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzProvidersAChecks runs the providers-a checks on arbitrary input: none
// may panic, and what they accept must have the structure they claim.
func FuzzProvidersAChecks(f *testing.F) {
	f.Add("pypi-AgENdGVzdC5weXBpLm9yZw" + strings.Repeat("QUJD", 20))
	f.Add(base64.StdEncoding.EncodeToString([]byte("reftkn:01:1893456000:abcdefghijklmnopqrstuvwxyz0")))
	f.Add("cmVmdGtu")
	f.Add(base64.StdEncoding.EncodeToString([]byte("649348816944:0123456789abcdefghij")))
	f.Add(base64.StdEncoding.EncodeToString([]byte(`{"api_address":"https://app.neptune.ai","api_key":"0123456789abcdef"}`)))
	f.Add(base64.StdEncoding.EncodeToString([]byte(`{"a":"0123456789abcdef0123456789abcdef","t":"c1744f8b-0aa1-48a4-9e5c-02ac921467fa","s":"c2VjcmV0IHNlY3JldCBzZWNyZXQgc2VjcmV0IHNlY3JldA=="}`)))
	f.Fuzz(func(t *testing.T, s string) {
		if checkTestPyPI(s) {
			if !strings.HasPrefix(s, "pypi-AgENdGVzdC5weXBpLm9yZw") || len(s) < 55 {
				t.Fatalf("testpypi accepted %q", s)
			}
		}
		if checkJFrogReference(s) {
			dec, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
			}
			if err != nil || !strings.HasPrefix(string(dec), "reftkn:") {
				t.Fatalf("jfrog-reference accepted %q", s)
			}
		}
		if checkAtlassianDCPAT(s) {
			dec, err := base64.StdEncoding.DecodeString(s)
			if err != nil || !strings.Contains(string(dec), ":") {
				t.Fatalf("atlassian-dc-pat accepted %q", s)
			}
		}
		if checkCloudflareTunnel(s) {
			dec, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
			}
			if err != nil || !strings.Contains(string(dec), "{") {
				t.Fatalf("cloudflare-tunnel accepted %q, which is not base64 of a JSON object", s)
			}
		}
		if checkNeptune(s) {
			dec, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
			}
			if err != nil || !strings.Contains(string(dec), "{") {
				t.Fatalf("neptune accepted %q, which is not base64 of a JSON object", s)
			}
		}
	})
}
