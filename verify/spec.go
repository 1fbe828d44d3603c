package verify

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/keylint/keylint/scanner"
)

// spec is one provider's verifier: which rules' secrets it checks, the
// only hosts it may send them to, and the check itself.
type spec struct {
	name  string
	rules []string
	hosts []string
	// hostOK, when set, also allows the hosts it accepts (Shopify's
	// per-shop API hosts).
	hostOK func(host string) bool
	check  func(ctx context.Context, c *call, in Input) result
}

// allows reports whether a secret of this provider may go to host.
func (s *spec) allows(host string) bool {
	return slices.Contains(s.hosts, host) || (s.hostOK != nil && s.hostOK(host))
}

// byRule indexes specs by rule id, built once.
var byRule = sync.OnceValue(func() map[string]*spec {
	m := map[string]*spec{}
	for _, s := range specs {
		for _, r := range s.rules {
			if m[r] != nil {
				panic("verify: rule " + r + " has two verifiers")
			}
			m[r] = s
		}
	}
	return m
})

func specFor(rule string) *spec { return byRule()[rule] }

// errShape is returned by parsers when an answer is not what the
// provider documents.
var errShape = errors.New("unexpected answer")

// decode unmarshals a JSON answer into v.
func decode(a *answer, v any) error {
	if err := json.Unmarshal(a.body, v); err != nil {
		return errShape
	}
	return nil
}

// ident builds an identity, or nil when every field is empty.
func ident(account, org, email string, scopes []string, details map[string]string) *scanner.Identity {
	for k, v := range details {
		if v == "" {
			delete(details, k)
		}
	}
	if len(details) == 0 {
		details = nil
	}
	var sc []string
	for _, s := range scopes {
		if s = strings.TrimSpace(s); s != "" {
			sc = append(sc, s)
		}
	}
	slices.Sort(sc)
	sc = slices.Compact(sc)
	if account == "" && org == "" && email == "" && len(sc) == 0 && details == nil {
		return nil
	}
	return &scanner.Identity{Account: account, Organisation: org, Email: email, Scopes: sc, Details: details}
}

// splitScopes splits a comma-separated scope header.
func splitScopes(h string) []string {
	if h == "" {
		return nil
	}
	return strings.Split(h, ",")
}

// bearer returns an Authorization header.
func bearer(secret string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + secret, "Accept": "application/json"}
}

// simple is a check of one GET to url with header, classified by
// [call.classify].
func simple(url string, header func(secret string) map[string]string, forbidden scanner.VerifyStatus, parse func(*answer) (*scanner.Identity, error)) func(context.Context, *call, Input) result {
	return func(ctx context.Context, c *call, in Input) result {
		a, why := c.do(ctx, "GET", url, header(in.Secret), "")
		if a == nil {
			return unknown(why)
		}
		return c.classify(a, forbidden, parse)
	}
}

// notVerified is the check of a secret that is deliberately never sent.
func notVerified(why string) func(context.Context, *call, Input) result {
	return func(context.Context, *call, Input) result { return unknownFixed("not verified: " + why) }
}
