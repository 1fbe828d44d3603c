package verify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/keylint/keylint/scanner"
)

// AWS access keys: STS GetCallerIdentity, which every key may call and
// which reads nothing but the caller's own identity, signed with
// Signature Version 4. A key ID is verified with the secret access keys
// found in the same files, and a secret with the key IDs.
// References: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
var awsSpec = &spec{
	name:  "AWS",
	rules: []string{"aws-access-key-id", "aws-secret-access-key"},
	hosts: []string{"sts.amazonaws.com"},
	check: checkAWS,
}

// maxPairs bounds the pairs tried for one AWS key.
const maxPairs = 3

func checkAWS(ctx context.Context, c *call, in Input) result {
	var pairs [][2]string
	if in.RuleID == "aws-access-key-id" {
		for _, s := range in.Related["aws-secret-access-key"] {
			pairs = append(pairs, [2]string{in.Secret, s})
		}
	} else {
		for _, id := range in.Related["aws-access-key-id"] {
			pairs = append(pairs, [2]string{id, in.Secret})
		}
	}
	if len(pairs) == 0 {
		return unknownFixed("not verified: AWS needs the access key ID and its secret access key in the same file")
	}
	mismatch := false
	var last result
	for _, p := range pairs[:min(len(pairs), maxPairs)] {
		r, sigMismatch := stsCall(ctx, c, p[0], p[1])
		if r.status == scanner.Live {
			return r
		}
		mismatch = mismatch || sigMismatch
		last = r
	}
	if mismatch && in.RuleID == "aws-access-key-id" {
		return unknownFixed("AWS knows the access key ID, but no secret access key beside it belongs to it")
	}
	return last
}

// stsCall signs and sends GetCallerIdentity for one pair. sigMismatch is
// set when AWS knows the key ID but the secret does not match it.
func stsCall(ctx context.Context, c *call, keyID, secret string) (r result, sigMismatch bool) {
	const body = "Action=GetCallerIdentity&Version=2011-06-15"
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/xml"}
	now := time.Now().UTC()
	h["X-Amz-Date"] = now.Format("20060102T150405Z")
	h["Authorization"] = signV4("POST", "sts.amazonaws.com", "/", "", h, body, keyID, secret, "us-east-1", "sts", now)
	a, why := c.do(ctx, "POST", "https://sts.amazonaws.com/", h, body)
	if a == nil {
		return unknown(why), false
	}
	if a.status == http.StatusOK {
		var v struct {
			Result struct {
				Arn     string `xml:"Arn"`
				UserID  string `xml:"UserId"`
				Account string `xml:"Account"`
			} `xml:"GetCallerIdentityResult"`
		}
		if xml.Unmarshal(a.body, &v) != nil || v.Result.Arn == "" {
			return unknown("AWS accepted the key but its answer could not be read"), false
		}
		return live(ident(v.Result.Arn, v.Result.Account, "", nil, map[string]string{"user_id": v.Result.UserID})), false
	}
	if a.status == http.StatusForbidden || a.status == http.StatusBadRequest {
		var e struct {
			Code string `xml:"Error>Code"`
		}
		_ = xml.Unmarshal(a.body, &e)
		switch e.Code {
		case "InvalidClientTokenId":
			return revoked("AWS does not know the access key ID (InvalidClientTokenId): deleted or never valid"), false
		case "SignatureDoesNotMatch":
			return unknownFixed("AWS knows the access key ID, but the secret beside it does not belong to it"), true
		case "ExpiredToken", "AccessDenied":
			return revoked("AWS refused the key (" + e.Code + ")"), false
		case "Throttling":
			return unknown("AWS throttled the request; try again later"), false
		}
	}
	return c.other(a), false
}

// signV4 returns the Authorization header of a Signature Version 4
// request. header must hold every header to sign except Host; its keys are
// signed lower-cased, in sorted order. query must already be canonical.
func signV4(method, host, path, query string, header map[string]string, body, keyID, secret, region, service string, t time.Time) string {
	canon := map[string]string{"host": host}
	for k, v := range header {
		lk := strings.ToLower(k)
		if lk == "authorization" || lk == "accept" || lk == "user-agent" {
			continue
		}
		canon[lk] = strings.Join(strings.Fields(v), " ")
	}
	names := make([]string, 0, len(canon))
	for k := range canon {
		names = append(names, k)
	}
	slices.Sort(names)
	var ch strings.Builder
	for _, k := range names {
		ch.WriteString(k + ":" + canon[k] + "\n")
	}
	signed := strings.Join(names, ";")
	payload := sha256.Sum256([]byte(body))
	creq := strings.Join([]string{method, path, query, ch.String(), signed, hex.EncodeToString(payload[:])}, "\n")
	creqHash := sha256.Sum256([]byte(creq))
	date := t.Format("20060102")
	scope := date + "/" + region + "/" + service + "/aws4_request"
	sts := "AWS4-HMAC-SHA256\n" + t.Format("20060102T150405Z") + "\n" + scope + "\n" + hex.EncodeToString(creqHash[:])
	key := signingKey(secret, date, region, service)
	sig := hmacSHA256(key, sts)
	return "AWS4-HMAC-SHA256 Credential=" + keyID + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + hex.EncodeToString(sig)
}

// signingKey derives the SigV4 signing key.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
