package rules

import (
	"net/url"
	"strings"
)

// Offline checks for the providers-c rules: formats whose structure can be
// verified beyond what the regex says.

// isUUID reports whether s is a canonical lower-case UUID of RFC 9562
// variant (8-4-4-4-12 hex digits, variant bits 10xx).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	// Variant: the first digit of the fourth group is 8, 9, a or b.
	return strings.IndexByte("89ab", s[19]) >= 0
}

// checkGCNotifyKey accepts a GC Notify API key: "gcntfy-", the key's name,
// then the service ID and the secret, each a UUID; both UUIDs are version
// 4 (random) and differ.
func checkGCNotifyKey(s string) bool {
	rest, ok := strings.CutPrefix(s, "gcntfy-")
	// name (at least one character), "-", service UUID, "-", secret UUID.
	if !ok || len(rest) < 1+1+36+1+36 {
		return false
	}
	n := len(rest)
	secret, service := rest[n-36:], rest[n-73:n-37]
	if rest[n-37] != '-' || rest[n-74] != '-' {
		return false
	}
	if !isUUID(secret) || !isUUID(service) || secret == service {
		return false
	}
	return secret[14] == '4' && service[14] == '4'
}

// checkDotenvKey accepts a dotenv-vault DOTENV_KEY: a dotenv:// URI whose
// password is "key_" and 64 hex digits (the AES-256 key), whose host is
// dotenv.org or dotenv.local, whose path is /vault/.env.vault and which
// names the environment to decrypt.
func checkDotenvKey(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "dotenv" || u.User == nil {
		return false
	}
	pw, ok := u.User.Password()
	if !ok || u.User.Username() != "" {
		return false
	}
	hex, ok := strings.CutPrefix(pw, "key_")
	if !ok || len(hex) != 64 {
		return false
	}
	for i := 0; i < len(hex); i++ {
		if c := hex[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	if u.Host != "dotenv.org" && u.Host != "dotenv.local" || u.Path != "/vault/.env.vault" {
		return false
	}
	return u.Query().Get("environment") != ""
}
