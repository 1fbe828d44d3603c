package rules

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"sort"
	"strings"
)

// A check is an offline structural validation of a candidate secret. It
// returns false when the candidate cannot be a real credential of the format.
type check func(secret string) bool

// checks maps a rule's `check` name to its implementation. It is never
// modified after package initialisation.
var checks = map[string]check{
	"github":    checkBase62CRC("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
	"npm":       checkBase62CRC("npm_"),
	"openai":    checkOpenAI,
	"anthropic": checkAnthropic,
	"jwt":       checkJWT,
	"pem":       checkPEM,
	"pypi":      checkPyPI,
	// Checks of the providers-a rules (checks_providers_a.go).
	"testpypi":          checkTestPyPI,
	"jfrog-reference":   checkJFrogReference,
	"atlassian-dc-pat":  checkAtlassianDCPAT,
	"neptune":           checkNeptune,
	"cloudflare-tunnel": checkCloudflareTunnel,
	// Checks of the providers-b rules (checks_providers_b.go).
	"elastic-api-key":       checkElasticAPIKey,
	"supabase-service-role": checkSupabaseServiceRole,
	"nostr-nsec":            checkBech32("nsec"),
	"age-secret-key":        checkBech32("age-secret-key-"),
	"bitcoin-wif":           checkWIF,
	"bip32-private":         checkExtendedPrivateKey,
	"nkey-seed":             checkNKeySeed,
	"wireguard-key":         checkWireGuardKey,
	"jwk-private":           checkJWKPrivate,
	"matrix-synapse":        checkSynapseToken,
	"netbird":               checkNetBirdPAT,
	// Checks of the providers-c rules (checks_providers_c.go).
	"gc-notify":  checkGCNotifyKey,
	"dotenv-key": checkDotenvKey,
	// The check of the OTP seed rules (checks_otp.go).
	"otp-secret": checkOTPSecret,
	// Checks of the HTTP authentication rules (value_auth.go).
	"jwk-literal": checkJWKLiteral,
	"pem-base64":  checkPEMBase64,
	// Context-aware checks (see contextChecks), run here on the secret
	// alone.
	"credential":        secretOnly(checkCredential),
	"password":          secretOnly(checkPassword),
	"credential-base64": secretOnly(checkCredentialBase64),
	"url-password":      secretOnly(checkURLPassword),
	"bearer-value":      secretOnly(checkBearerValue),
	"user-password":     secretOnly(checkUserPassword),
	"bearer-token":      secretOnly(checkBearerToken),
	"basic-auth":        secretOnly(checkBasicAuth),
	"auth-base64":       secretOnly(checkAuthBase64),
	"k8s-secret-data":   secretOnly(checkK8sSecretData),
}

// A contextCheck is a check that also sees the name the secret is assigned
// to (the regex group named "name") and the whole match: the value
// judgement of the generic rules (value.go).
type contextCheck func(in CheckInput) bool

// contextChecks are the checks the matcher runs with a [CheckInput]. Each
// is also in checks, under the same name, as a check of the secret alone.
var contextChecks = map[string]contextCheck{
	"credential":        checkCredential,
	"password":          checkPassword,
	"credential-base64": checkCredentialBase64,
	"url-password":      checkURLPassword,
	"bearer-value":      checkBearerValue,
	"user-password":     checkUserPassword,
	"bearer-token":      checkBearerToken,
	"basic-auth":        checkBasicAuth,
	"auth-base64":       checkAuthBase64,
	"k8s-secret-data":   checkK8sSecretData,
}

func secretOnly(c contextCheck) check {
	return func(s string) bool { return c(CheckInput{Secret: s}) }
}

// RunCheckInput runs the named check on a candidate with its context; a
// check that needs none sees only the secret. An unknown name fails.
func RunCheckInput(name string, in CheckInput) bool {
	if c, ok := contextChecks[name]; ok {
		return c(in)
	}
	return RunCheck(name, in.Secret)
}

// CheckNames lists the named structural checks a rule can use, sorted.
func CheckNames() []string {
	names := make([]string, 0, len(checks))
	for n := range checks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RunCheck runs the named check on a candidate; an unknown name fails.
func RunCheck(name, secret string) bool {
	c, ok := checks[name]
	return ok && c(secret)
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Base62CRC32 returns the six-character base62 CRC32 checksum that GitHub
// and npm tokens end with, for the token's random part.
func Base62CRC32(random string) string {
	n := crc32.ChecksumIEEE([]byte(random))
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Alphabet[n%62]
		n /= 62
	}
	return string(out[:])
}

// checkBase62CRC validates tokens shaped <prefix>_<30 random><6 checksum>,
// the scheme of GitHub's ghp_/gho_/ghu_/ghs_/ghr_ and npm's npm_ tokens.
func checkBase62CRC(prefixes ...string) check {
	return func(s string) bool {
		var body string
		for _, p := range prefixes {
			if strings.HasPrefix(s, p) {
				body = s[len(p):]
				break
			}
		}
		if len(body) != 36 {
			return false
		}
		for i := 0; i < len(body); i++ {
			if strings.IndexByte(base62Alphabet, body[i]) < 0 {
				return false
			}
		}
		return Base62CRC32(body[:30]) == body[30:]
	}
}

// checkOpenAI requires the "T3BlbkFJ" marker (base64 of "OpenAI") inside
// the key, with key material on both sides.
func checkOpenAI(s string) bool {
	i := strings.Index(s, "T3BlbkFJ")
	if i < 0 {
		return false
	}
	before, after := s[:i], s[i+8:]
	// Strip the key-type prefix; key material itself may contain '-'.
	for _, p := range []string{"sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-", "sk-"} {
		if strings.HasPrefix(before, p) {
			before = before[len(p):]
			break
		}
	}
	return len(before) >= 16 && len(after) >= 16
}

// checkAnthropic requires the fixed length and "AA" suffix of Anthropic keys.
func checkAnthropic(s string) bool {
	switch {
	case strings.HasPrefix(s, "sk-ant-api03-"), strings.HasPrefix(s, "sk-ant-admin01-"):
	default:
		return false
	}
	if !strings.HasSuffix(s, "AA") {
		return false
	}
	if strings.HasPrefix(s, "sk-ant-api03-") {
		return len(s) == 108
	}
	return len(s) >= 100 && len(s) <= 140
}

// checkJWT requires a header and payload that decode to JSON objects and a
// header that names an algorithm.
func checkJWT(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[2] == "" {
		return false
	}
	var hdr map[string]any
	if !decodeJSONSegment(parts[0], &hdr) || hdr == nil {
		return false
	}
	if _, ok := hdr["alg"]; !ok {
		return false
	}
	var payload map[string]any
	return decodeJSONSegment(parts[1], &payload) && payload != nil
}

func decodeJSONSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

// checkPEM requires a PEM block whose body is valid base64 of a plausible
// key length. It accepts RFC 1421 headers (Proc-Type, DEK-Info) and OpenSSH,
// PGP armor headers and checksum lines.
func checkPEM(s string) bool {
	begin := strings.Index(s, "-----BEGIN ")
	if begin < 0 {
		return false
	}
	rest := s[begin:]
	// A key embedded in a JSON or code string: "\n" escapes separate lines.
	if nl := strings.IndexAny(rest, "\r\n"); nl < 0 || strings.Contains(rest[:nl], `\n`) {
		rest = strings.ReplaceAll(rest, `\n`, "\n")
	}
	if hdr, _, _ := strings.Cut(rest, "\n"); !strings.Contains(hdr, "PRIVATE KEY") {
		return false // certificates and public keys are not secrets
	}
	nl := strings.IndexAny(rest, "\r\n")
	if nl < 0 {
		return false
	}
	body := rest[nl:]
	end := strings.Index(body, "-----END ")
	if end < 0 {
		return false
	}
	body = body[:end]
	var b64 bytes.Buffer
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r", ""), "\n") {
		line = strings.TrimSpace(strings.Trim(strings.TrimSpace(line), `"',\`))
		line = strings.TrimSuffix(strings.TrimSuffix(line, `\n`), `\r`)
		switch {
		case line == "":
			continue
		case strings.Contains(line, ": "):
			continue // header
		case strings.HasPrefix(line, "=") && len(line) == 5:
			continue // PGP armor checksum
		}
		b64.WriteString(line)
	}
	// Literal "\n" escapes (keys embedded in JSON strings) separate lines.
	raw := strings.ReplaceAll(b64.String(), `\n`, "")
	dec, ok := stdBase64(raw)
	return ok && len(dec) >= 64
}

// stdBase64 decodes standard base64, padded or not.
func stdBase64(s string) ([]byte, bool) {
	dec, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	return dec, err == nil
}

// base64JSON decodes s, standard base64 (padded or not) of a JSON object,
// into v, and reports whether it could.
func base64JSON(s string, v any) bool {
	dec, ok := stdBase64(s)
	return ok && json.Unmarshal(dec, v) == nil
}

// checkPyPI requires the pypi.org macaroon prefix and a base64url body.
func checkPyPI(s string) bool {
	const prefix = "pypi-AgEIcHlwaS5vcmc"
	if !strings.HasPrefix(s, prefix) {
		return false
	}
	body := s[len("pypi-"):]
	if len(body) < 50 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(body, "="))
	return err == nil
}
