package rules

import "strings"

// Names of credentials in tests: a fake, mock or dummy credential is still
// a credential when its value is one.

// testDoubleWords mark a credential's name as a test double's: fakeToken,
// MOCK_API_KEY, dummySecret. Unlike the other negative words (csrf,
// hashed, invalid, reset), they say nothing about what the value is: a
// test's fake key is as often a real key pasted into it as a made-up one,
// and CredData labels both real.
var testDoubleWords = setOf("fake", "mock", "dummy", "stub", "bogus")

// testDoubleKind returns the kind of a name that is a credential's but for
// test-double words (fakeOTCToken, fake_tsig_secret, mockApiKey), and
// false for any other name, including one that also has another negative
// word (fakeCsrfToken) or is not a credential's without them
// (fakeTokenizer).
func testDoubleKind(name string) (credKind, bool) {
	if !containsAny(strings.ToLower(name), "fake", "mock", "dummy", "stub", "bogus") {
		return notCredential, false // most names: no split needed
	}
	words := splitName(name)
	kept := make([]string, 0, len(words))
	dropped := false
	for _, w := range words {
		if testDoubleWords[w] {
			dropped = true
			continue
		}
		kept = append(kept, w)
	}
	if !dropped || len(kept) == 0 {
		return notCredential, false
	}
	kind := nameKind(strings.Join(kept, "_"))
	return kind, kind != notCredential
}

// ticketQualifiers make "ticket" a credential's name: a WeChat jsapi_ticket,
// a CAS service ticket, a Kerberos ticket. A ticket alone is as often a
// support or issue tracker's (ticket_id, ticket: "OPS-1234").
var ticketQualifiers = setOf("jsapi", "api", "access", "auth", "service", "session", "login", "sso", "cas",
	"kerberos", "krb", "grant", "proxy", "refresh")

// authCodeName reports whether words end with an OAuth authorization
// code's name: authCode, auth_code, authorizationCode, oauth_code. The code
// is exchanged for an access token; a literal one in a test or a log is
// labelled a credential as the token is.
func authCodeName(words []string) bool {
	n := len(words)
	if n < 2 || words[n-1] != "code" {
		return false
	}
	switch words[n-2] {
	case "auth", "authorization", "oauth":
		return true
	}
	return false
}
