package rules

import (
	"encoding/base64"
	"strings"
)

// Structural checks for the providers-a rules (issue 16). Each is
// registered in the checks map with one line.

// checkTestPyPI requires the test.pypi.org macaroon prefix and a body that
// decodes as base64url, like checkPyPI does for pypi.org.
func checkTestPyPI(s string) bool {
	const prefix = "pypi-AgENdGVzdC5weXBpLm9yZw" // base64 of "\x02\x01\x0dtest.pypi.org"
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

// checkJFrogReference requires a JFrog reference token to decode (standard
// base64) to "reftkn:" followed by printable ASCII fields separated by
// colons: version, expiry and the random part.
func checkJFrogReference(s string) bool {
	dec, ok := stdBase64(s)
	if !ok {
		return false
	}
	rest, ok := strings.CutPrefix(string(dec), "reftkn:")
	if !ok || strings.Count(rest, ":") < 2 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] < 0x21 || rest[i] > 0x7e {
			return false
		}
	}
	return true
}

// checkAtlassianDCPAT requires a Jira, Confluence or Bamboo Data Center
// personal access token: standard base64 of a numeric token id, a colon
// and the random secret bytes.
func checkAtlassianDCPAT(s string) bool {
	dec, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	id, secret, ok := strings.Cut(string(dec), ":")
	if !ok || len(id) < 6 || len(id) > 20 || len(secret) < 16 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// checkNeptune requires a Neptune.ai API token: base64 of a JSON object
// that names the API address and carries an api_key.
func checkNeptune(s string) bool {
	var tok struct {
		Address string `json:"api_address"`
		Key     string `json:"api_key"`
	}
	if !base64JSON(s, &tok) {
		return false
	}
	return strings.HasPrefix(tok.Address, "http") && len(tok.Key) >= 16
}

// checkCloudflareTunnel requires a Cloudflare Tunnel run token: base64 of a
// JSON object with the account tag ("a", 32 hex), the tunnel ID ("t", a
// UUID) and the tunnel secret ("s").
func checkCloudflareTunnel(s string) bool {
	var tok struct {
		Account string `json:"a"`
		Tunnel  string `json:"t"`
		Secret  string `json:"s"`
	}
	if !base64JSON(s, &tok) {
		return false
	}
	if len(tok.Account) != 32 || strings.Trim(tok.Account, "0123456789abcdef") != "" {
		return false
	}
	if len(tok.Tunnel) != 36 || strings.Count(tok.Tunnel, "-") != 4 {
		return false
	}
	return len(tok.Secret) >= 32
}
