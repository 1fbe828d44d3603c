package verify

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// GCP service-account keys: a JWT signed with the key is exchanged at
// Google's token endpoint (the JWT-bearer grant); the access token in the
// answer is dropped unread. The rule reports the key's private_key_id, so
// the service account's client_email and private_key are read from the
// same file, and only when the caller can read files.
// Reference: https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
var gcpSpec = &spec{
	name:  "GCP",
	rules: []string{"gcp-service-account-key"},
	hosts: []string{"oauth2.googleapis.com"},
	check: checkGCP,
}

// gcpTokenURL is both the endpoint and the JWT's audience.
const gcpTokenURL = "https://oauth2.googleapis.com/token"

// serviceAccount is the part of a key file the grant needs.
type serviceAccount struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
}

func checkGCP(ctx context.Context, c *call, in Input) result {
	sa, ok := c.v.serviceAccount(in)
	if !ok {
		return unknownFixed("not verified: the service account's client_email and private_key were not readable beside the key ID")
	}
	key, err := parseRSAKey(sa.PrivateKey)
	if err != nil {
		return invalid("the service account's private_key is not an RSA key")
	}
	assertion, err := gcpAssertion(sa, key, time.Now())
	if err != nil {
		return unknownFixed("the JWT could not be signed")
	}
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}}.Encode()
	a, why := c.do(ctx, "POST", gcpTokenURL, map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}, form)
	if a == nil {
		return unknown(why)
	}
	id := ident(sa.ClientEmail, sa.ProjectID, sa.ClientEmail, nil, nil)
	switch a.status {
	case http.StatusOK:
		var v struct {
			Token string `json:"access_token"`
		}
		if json.Unmarshal(a.body, &v) != nil || v.Token == "" {
			return unknown("Google accepted the key but its answer could not be read")
		}
		return live(id)
	case http.StatusBadRequest, http.StatusUnauthorized:
		var v struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(a.body, &v)
		if v.Error == "invalid_grant" || v.Error == "unauthorized_client" || v.Error == "invalid_client" {
			return revoked("Google refused the key (" + v.Error + "): deleted, disabled or its account removed")
		}
		return unknown("Google refused the request (" + safeWord(v.Error) + ")")
	}
	return c.other(a)
}

// serviceAccount reads the key file holding in.Secret as its
// private_key_id.
func (v *Verifier) serviceAccount(in Input) (serviceAccount, bool) {
	if v.opt.ReadFile == nil {
		return serviceAccount{}, false
	}
	for _, p := range in.Paths {
		b, err := v.opt.ReadFile(p)
		if err != nil {
			continue
		}
		var sa serviceAccount
		if json.Unmarshal(b, &sa) == nil && sa.PrivateKeyID == in.Secret && sa.ClientEmail != "" && sa.PrivateKey != "" {
			return sa, true
		}
	}
	return serviceAccount{}, false
}

func parseRSAKey(p string) (*rsa.PrivateKey, error) {
	blk, _ := pem.Decode([]byte(p))
	if blk == nil {
		return nil, errShape
	}
	if k, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err == nil {
		if rk, ok := k.(*rsa.PrivateKey); ok {
			return rk, nil
		}
		return nil, errShape
	}
	return x509.ParsePKCS1PrivateKey(blk.Bytes)
}

// gcpAssertion builds the signed JWT of the grant.
func gcpAssertion(sa serviceAccount, key *rsa.PrivateKey, now time.Time) (string, error) {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": sa.PrivateKeyID})
	cl, _ := json.Marshal(map[string]any{
		"iss": sa.ClientEmail, "scope": "https://www.googleapis.com/auth/cloud-platform.read-only",
		"aud": gcpTokenURL, "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(),
	})
	signing := enc.EncodeToString(h) + "." + enc.EncodeToString(cl)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return strings.Join([]string{signing, enc.EncodeToString(sig)}, "."), nil
}
