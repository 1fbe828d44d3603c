package rules

import (
	"encoding/base32"
	"strings"
)

// Offline check of one-time-password seeds: the shared secret of TOTP and
// HOTP (RFC 4226, RFC 6238) that authenticator apps hold, written as
// base32 in otpauth:// URIs, passed to OTP libraries or shown in groups of
// four ("xbja vgc6 gv4i i4qq"). Whoever has it generates every code of the
// second factor it protects.

// minOTPSecret and maxOTPSecret bound an OTP secret's base32 length: 80
// bits (16 characters) is the least RFC 4226 allows, and no library makes
// one of more than 512 bits.
const (
	minOTPSecret = 16
	maxOTPSecret = 104
)

// otpBase32 decodes base32 without padding.
var otpBase32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// checkOTPSecret accepts the base32 of an OTP secret: 16 to 104 base32
// characters once spaces and padding are removed, in one letter case, that
// decode, with a digit among them or, in capitals, letters that are not
// words (so that a long word such as "administratoruser" passed to a call
// is not one), and not as repetitive as AAAABBBBCCCC2222.
func checkOTPSecret(s string) bool {
	v := strings.TrimRight(strings.ReplaceAll(s, " ", ""), "=")
	if len(v) < minOTPSecret || len(v) > maxOTPSecret {
		return false
	}
	upper := strings.ToUpper(v)
	if v != upper && v != strings.ToLower(v) {
		return false // mixed case is no base32 an application shows
	}
	if strings.IndexFunc(upper, notBase32) >= 0 {
		return false // the decoder skips line breaks: refuse them here
	}
	if _, err := otpBase32.DecodeString(upper); err != nil {
		return false
	}
	if !strings.ContainsAny(v, "234567") && (v != upper || wordCoverage(strings.ToLower(v)) >= 0.5) {
		return false // a word or two in capitals, or any lower-case word
	}
	return Entropy(v) >= 2.5
}

// notBase32 reports whether c is outside RFC 4648's base32 alphabet.
func notBase32(c rune) bool { return !('A' <= c && c <= 'Z' || '2' <= c && c <= '7') }
