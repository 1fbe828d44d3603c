package rules

import (
	"strings"
	"testing"
)

// FuzzChecks runs every structural check on arbitrary input: none may
// panic, and a candidate that passes the github or npm check must carry
// the checksum the check claims.
func FuzzChecks(f *testing.F) {
	body := "abcdefghijklmnopqrstuvwxyz0123"
	f.Add("gh" + "p_" + body + Base62CRC32(body))
	f.Add("npm" + "_" + body + Base62CRC32(body))
	f.Add("sk-proj-" + strings.Repeat("A1b2", 8) + "T3BlbkFJ" + strings.Repeat("c3D4", 8))
	f.Add("sk-ant-api03-" + strings.Repeat("x", 93) + "AA")
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")
	f.Add("-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD\n-----END PRIVATE KEY-----")
	f.Add("pypi-AgEIcHlwaS5vcmc" + strings.Repeat("QUJD", 20))
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range CheckNames() {
			ok := RunCheck(name, s)
			if ok && (name == "github" || name == "npm") {
				u := strings.IndexByte(s, '_')
				body := s[u+1:]
				if len(body) != 36 || Base62CRC32(body[:30]) != body[30:] {
					t.Fatalf("%s check accepted %q without a valid checksum", name, s)
				}
			}
		}
		if ok, _ := IsPlaceholder(s); ok && s == "" {
			t.Fatal("the empty string is not a placeholder")
		}
		if e := Entropy(s); e < 0 || e > 8 {
			t.Fatalf("entropy %v out of range", e)
		}
	})
}
