package verify

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/scanner"
)

// canned answers every request with one status and body.
type canned struct {
	status int
	body   []byte
}

func (c canned) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: c.status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(c.body)), Request: r}, nil
}

// FuzzProviderAnswers feeds every provider's check an arbitrary answer: no
// panic, a known status, and never the secret in the message.
func FuzzProviderAnswers(f *testing.F) {
	f.Add(200, []byte(`{"ok":true,"login":"x","object":"list","data":[]}`))
	f.Add(403, []byte(`<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>`))
	f.Add(400, []byte(`{"errors":[{"extensions":{"code":"AUTHENTICATION_ERROR"}}],"error":{"details":[{"reason":"X"}]}}`))
	f.Add(200, []byte(`{"data":{"actor":{"user":null}},"result":{"status":"active"},"success":true}`))
	files := map[string]string{
		"f": "SHOP=abc.myshopify.com AC0123456789abcdef0123456789abcdef",
	}
	secret := "S3cr3tValue0123456789abcdefABCDEF"
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 || len(body) > 1<<16 {
			return
		}
		v := New(Options{Interval: time.Nanosecond, ReadFile: func(p string) ([]byte, error) { return []byte(files[p]), nil }})
		v.transport = canned{status, body}
		var fs []scanner.Finding
		for _, s := range specs {
			for _, r := range s.rules {
				fs = append(fs, scanner.Finding{RuleID: r, Secret: secret, Fingerprint: r, Locations: []scanner.Location{{Path: "f"}}})
			}
		}
		v.Verify(context.Background(), fs)
		for _, x := range fs {
			switch x.Verification.Status {
			case scanner.Live, scanner.Revoked, scanner.Invalid, scanner.Unknown:
			default:
				t.Fatalf("%s: status %q", x.RuleID, x.Verification.Status)
			}
			if strings.Contains(x.Verification.Error, secret) {
				t.Fatalf("%s: secret in %q", x.RuleID, x.Verification.Error)
			}
		}
	})
}
