package verify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/keylint/keylint/scanner"
)

func basic(user, pass string) map[string]string {
	return map[string]string{
		"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass)),
		"Accept":        "application/json",
	}
}

// Stripe: GET /v1/account with the key as the basic-auth user. A
// restricted key without the permission gets 403 and is still live.
// Reference: https://docs.stripe.com/api/accounts/retrieve,
// https://docs.stripe.com/api/authentication
var stripe = &spec{
	name:  "Stripe",
	rules: []string{"stripe-secret-key", "stripe-test-secret-key", "stripe-restricted-key", "stripe-test-restricted-key"},
	hosts: []string{"api.stripe.com"},
	check: simple("https://api.stripe.com/v1/account", func(s string) map[string]string { return basic(s, "") }, scanner.Live,
		func(a *answer) (*scanner.Identity, error) {
			var v struct {
				ID       string `json:"id"`
				Email    string `json:"email"`
				Business struct {
					Name string `json:"name"`
				} `json:"business_profile"`
				Settings struct {
					Dashboard struct {
						Name string `json:"display_name"`
					} `json:"dashboard"`
				} `json:"settings"`
			}
			if decode(a, &v) != nil || !strings.HasPrefix(v.ID, "acct_") {
				return nil, errShape
			}
			return ident(v.ID, firstOf(v.Business.Name, v.Settings.Dashboard.Name), v.Email, nil, nil), nil
		}),
}

// SendGrid: GET /v3/scopes lists the key's scopes.
// Reference: https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions/retrieve-a-list-of-scopes-for-which-this-user-has-access
var sendGrid = &spec{
	name:  "SendGrid",
	rules: []string{"sendgrid-api-key"},
	hosts: []string{"api.sendgrid.com"},
	check: simple("https://api.sendgrid.com/v3/scopes", bearer, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Scopes *[]string `json:"scopes"`
		}
		if decode(a, &v) != nil || v.Scopes == nil {
			return nil, errShape
		}
		if len(*v.Scopes) > 20 {
			return ident("", "", "", append((*v.Scopes)[:20:20], "…"), nil), nil
		}
		return ident("", "", "", *v.Scopes, nil), nil
	}),
}

// accountSID finds a Twilio account SID in the files of a finding.
// Compiled on first use, as shopHost and shopName: a pre-commit hook,
// which never verifies, should not compile them at start-up.
var accountSID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bAC[0-9a-f]{32}\b`) })

// Twilio: an API key (SK…) with its secret, or an auth token with its
// account SID (AC…, read from the same file), as basic auth on the
// Accounts resource.
// Reference: https://www.twilio.com/docs/iam/api/account#read-multiple-account-resources,
// https://www.twilio.com/docs/usage/requests-to-twilio#authenticate-with-http
var twilio = &spec{
	name:  "Twilio",
	rules: []string{"twilio-api-key", "twilio-api-key-secret", "twilio-auth-token"},
	hosts: []string{"api.twilio.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		var user, pass string
		switch in.RuleID {
		case "twilio-api-key":
			user, pass = in.Secret, first(in.Related["twilio-api-key-secret"])
		case "twilio-api-key-secret":
			user, pass = first(in.Related["twilio-api-key"]), in.Secret
		default:
			user, pass = c.v.findInFiles(in.Paths, accountSID()), in.Secret
		}
		if user == "" || pass == "" {
			return unknownFixed("not verified: Twilio needs the key's other half (API key SID and secret, or account SID and auth token) in the same file")
		}
		a, why := c.do(ctx, "GET", "https://api.twilio.com/2010-04-01/Accounts.json?PageSize=1", basic(user, pass), "")
		if a == nil {
			return unknown(why)
		}
		return c.classify(a, scanner.Live, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Accounts *[]struct {
					SID    string `json:"sid"`
					Name   string `json:"friendly_name"`
					Status string `json:"status"`
				} `json:"accounts"`
			}
			if decode(a, &v) != nil || v.Accounts == nil {
				return nil, errShape
			}
			if len(*v.Accounts) == 0 {
				return nil, nil
			}
			acc := (*v.Accounts)[0]
			return ident(acc.SID, acc.Name, "", nil, map[string]string{"status": acc.Status}), nil
		})
	},
}

// Mailgun: GET /v3/domains with basic auth api:<key> (US region).
// Reference: https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Domains/
var mailgun = &spec{
	name:  "Mailgun",
	rules: []string{"mailgun-api-key"},
	hosts: []string{"api.mailgun.net"},
	check: simple("https://api.mailgun.net/v3/domains?limit=1", func(s string) map[string]string { return basic("api", s) }, scanner.Live,
		func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Total *int `json:"total_count"`
				Items []struct {
					Name string `json:"name"`
				} `json:"items"`
			}
			if decode(a, &v) != nil || v.Total == nil {
				return nil, errShape
			}
			d := map[string]string{"domains": strconv.Itoa(*v.Total)}
			if len(v.Items) > 0 {
				d["first_domain"] = v.Items[0].Name
			}
			return ident("", "", "", nil, d), nil
		}),
}

// Postmark server tokens: GET /server answers the server's ID and name.
// Reference: https://postmarkapp.com/developer/api/server-api#get-server
var postmark = &spec{
	name:  "Postmark",
	rules: []string{"postmark-server-token"},
	hosts: []string{"api.postmarkapp.com"},
	check: simple("https://api.postmarkapp.com/server", func(s string) map[string]string {
		return map[string]string{"X-Postmark-Server-Token": s, "Accept": "application/json"}
	}, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			ID   *int64 `json:"ID"`
			Name string `json:"Name"`
		}
		if decode(a, &v) != nil || v.ID == nil {
			return nil, errShape
		}
		return ident(v.Name, "", "", nil, map[string]string{"server_id": strconv.FormatInt(*v.ID, 10)}), nil
	}),
}

// npm: GET /-/whoami answers {"username": ...}.
// Reference: https://docs.npmjs.com/cli/v10/commands/npm-whoami,
// https://github.com/npm/registry/blob/main/docs/user/authentication.md
var npm = &spec{
	name:  "npm",
	rules: []string{"npm-access-token"},
	hosts: []string{"registry.npmjs.org"},
	check: simple("https://registry.npmjs.org/-/whoami", bearer, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Username string `json:"username"`
		}
		if decode(a, &v) != nil || v.Username == "" {
			return nil, errShape
		}
		return ident(v.Username, "", "", nil, nil), nil
	}),
}

// Hugging Face: GET /api/whoami-v2 answers the user, their organisations
// and the token's role.
// References: https://huggingface.co/docs/hub/api#get-apiwhoami-v2,
// https://huggingface.co/docs/huggingface.js/main/hub/interfaces/AuthInfo
var huggingFace = &spec{
	name:  "Hugging Face",
	rules: []string{"huggingface-access-token", "huggingface-org-api-token"},
	hosts: []string{"huggingface.co"},
	check: simple("https://huggingface.co/api/whoami-v2", bearer, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Name  string `json:"name"`
			Email string `json:"email"`
			Orgs  []struct {
				Name string `json:"name"`
			} `json:"orgs"`
			Auth struct {
				Token struct {
					Name string `json:"displayName"`
					Role string `json:"role"`
				} `json:"accessToken"`
			} `json:"auth"`
		}
		if decode(a, &v) != nil || v.Name == "" {
			return nil, errShape
		}
		var orgs []string
		for _, o := range v.Orgs {
			orgs = append(orgs, o.Name)
		}
		var scopes []string
		if v.Auth.Token.Role != "" {
			scopes = []string{v.Auth.Token.Role}
		}
		return ident(v.Name, strings.Join(orgs, ", "), v.Email, scopes, map[string]string{"token_name": v.Auth.Token.Name}), nil
	}),
}

// Google API keys: GET the Generative Language API's model list with the
// key in the x-goog-api-key header (not in the URL). A key Google does not
// know is refused with reason API_KEY_INVALID; a valid key whose project
// has not enabled that API, or whose restrictions forbid it, is refused
// with another reason and is live.
// References: https://ai.google.dev/api/models#method:-models.list,
// https://cloud.google.com/apis/design/errors#error_info
var google = &spec{
	name:  "Google",
	rules: []string{"google-api-key", "google-gemini-api-key"},
	hosts: []string{"generativelanguage.googleapis.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		a, why := c.do(ctx, "GET", "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1", map[string]string{"X-Goog-Api-Key": in.Secret, "Accept": "application/json"}, "")
		if a == nil {
			return unknown(why)
		}
		if a.status == http.StatusOK {
			var v struct {
				Models *[]any `json:"models"`
			}
			if decode(a, &v) != nil || v.Models == nil {
				return unknown("Google accepted the key but its answer could not be read")
			}
			return live(nil)
		}
		var v struct {
			Error struct {
				Status  string `json:"status"`
				Details []struct {
					Reason string `json:"reason"`
				} `json:"details"`
			} `json:"error"`
		}
		if a.status == http.StatusBadRequest || a.status == http.StatusForbidden {
			if decode(a, &v) != nil {
				return unknown("Google gave an unreadable answer (HTTP " + strconv.Itoa(a.status) + ")")
			}
			reason := ""
			for _, d := range v.Error.Details {
				reason = firstOf(reason, d.Reason)
			}
			switch reason {
			case "API_KEY_INVALID", "API_KEY_EXPIRED":
				return revoked("Google refused the key (" + reason + ")")
			case "":
				return unknown("Google refused the request (" + safeWord(v.Error.Status) + ")")
			}
			return liveNote(nil, "Google knows the key, but it may not call the Generative Language API ("+safeWord(reason)+")")
		}
		return c.other(a)
	},
}

func datadogOther(c *call, a *answer, parse func(*answer) (*scanner.Identity, error)) result {
	// Datadog answers 403 for a key it does not know.
	return c.classify(a, scanner.Revoked, parse)
}

// Datadog API keys: GET /api/v1/validate (US1 site) answers {"valid": true}
// or 403.
// Reference: https://docs.datadoghq.com/api/latest/authentication/validate-api-key/
var datadog = &spec{
	name:  "Datadog",
	rules: []string{"datadog-api-key"},
	hosts: []string{"api.datadoghq.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		a, why := c.do(ctx, "GET", "https://api.datadoghq.com/api/v1/validate", map[string]string{"DD-API-KEY": in.Secret, "Accept": "application/json"}, "")
		if a == nil {
			return unknown(why)
		}
		r := datadogOther(c, a, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Valid *bool `json:"valid"`
			}
			if decode(a, &v) != nil || v.Valid == nil {
				return nil, errShape
			}
			if !*v.Valid {
				return nil, errInvalid
			}
			return nil, nil
		})
		if r.status == scanner.Revoked {
			r.err += "; only the US1 site (datadoghq.com) is asked"
		}
		return r
	},
}

// errInvalid marks a 200 answer that says the key is not valid.
var errInvalid = &shapeError{"invalid"}

type shapeError struct{ s string }

func (e *shapeError) Error() string { return e.s }

// Datadog application keys need an API key beside them: GET
// /api/v2/validate_keys checks both.
// Reference: https://docs.datadoghq.com/api/latest/key-management/validate-api-and-application-keys/
var datadogApp = &spec{
	name:  "Datadog",
	rules: []string{"datadog-app-key"},
	hosts: []string{"api.datadoghq.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		api := first(in.Related["datadog-api-key"])
		if api == "" {
			return unknownFixed("not verified: a Datadog application key is checked only with an API key from the same file")
		}
		a, why := c.do(ctx, "GET", "https://api.datadoghq.com/api/v2/validate_keys", map[string]string{"DD-API-KEY": api, "DD-APPLICATION-KEY": in.Secret, "Accept": "application/json"}, "")
		if a == nil {
			return unknown(why)
		}
		return datadogOther(c, a, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Status string `json:"status"`
			}
			if decode(a, &v) != nil || v.Status != "ok" {
				return nil, errShape
			}
			return nil, nil
		})
	},
}

// graphQL posts a read-only query and decodes data into v; it reports
// whether the answer carried errors and no data.
func graphQL(a *answer, v any) (authErr bool, err error) {
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code       string `json:"code"`
				ErrorClass string `json:"errorClass"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(a.body, &env) != nil {
		return false, errShape
	}
	for _, e := range env.Errors {
		code := e.Extensions.Code + " " + e.Extensions.ErrorClass + " " + strings.ToLower(e.Message)
		if strings.Contains(code, "AUTHENTICATION") || strings.Contains(code, "api key") || strings.Contains(code, "authenticat") {
			return true, nil
		}
	}
	if len(env.Data) == 0 || string(env.Data) == "null" || json.Unmarshal(env.Data, v) != nil {
		return false, errShape
	}
	return false, nil
}

// New Relic user keys: NerdGraph { actor { user { … } } }, a read-only
// query (US region).
// Reference: https://docs.newrelic.com/docs/apis/nerdgraph/get-started/introduction-new-relic-nerdgraph/
var newRelic = &spec{
	name:  "New Relic",
	rules: []string{"new-relic-user-api-key"},
	hosts: []string{"api.newrelic.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		h := map[string]string{"API-Key": in.Secret, "Content-Type": "application/json", "Accept": "application/json"}
		a, why := c.do(ctx, "POST", "https://api.newrelic.com/graphql", h, `{"query":"{ actor { user { id name email } } }"}`)
		if a == nil {
			return unknown(why)
		}
		return gqlResult(c, a, func(a *answer) (*scanner.Identity, bool, error) {
			var d struct {
				Actor struct {
					User *struct {
						ID    json.Number `json:"id"`
						Name  string      `json:"name"`
						Email string      `json:"email"`
					} `json:"user"`
				} `json:"actor"`
			}
			authErr, err := graphQL(a, &d)
			if authErr || err != nil {
				return nil, authErr, err
			}
			if d.Actor.User == nil {
				return nil, false, errShape
			}
			return ident(d.Actor.User.Name, "", d.Actor.User.Email, nil, map[string]string{"user_id": d.Actor.User.ID.String()}), false, nil
		})
	},
}

// gqlResult classifies a GraphQL answer: an authentication error (in a
// 200, 400 or 401 answer) is revoked.
func gqlResult(c *call, a *answer, parse func(*answer) (*scanner.Identity, bool, error)) result {
	switch a.status {
	case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		id, authErr, err := parse(a)
		switch {
		case authErr:
			return revoked(c.spec.name + " refused the key (authentication error)")
		case err == nil && a.status == http.StatusOK:
			return live(id)
		case a.status == http.StatusUnauthorized:
			return revoked(c.spec.name + " refused the key (HTTP 401)")
		case a.status == http.StatusOK:
			return unknown(c.spec.name + " accepted the key but its answer could not be read")
		}
	}
	return c.other(a)
}

// Sentry user and organisation tokens: GET /api/0/organizations/ lists
// the organisations the token may read.
// Reference: https://docs.sentry.io/api/organizations/list-your-organizations/
var sentry = &spec{
	name:  "Sentry",
	rules: []string{"sentry-user-token", "sentry-org-token"},
	hosts: []string{"sentry.io"},
	check: simple("https://sentry.io/api/0/organizations/", bearer, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v []struct {
			Slug string `json:"slug"`
			Name string `json:"name"`
		}
		if decode(a, &v) != nil || v == nil {
			return nil, errShape
		}
		var orgs []string
		for i, o := range v {
			if i == 10 {
				orgs = append(orgs, "…")
				break
			}
			orgs = append(orgs, firstOf(o.Slug, o.Name))
		}
		return ident("", strings.Join(orgs, ", "), "", nil, nil), nil
	}),
}

// Heroku: GET /account answers the account's e-mail and id.
// Reference: https://devcenter.heroku.com/articles/platform-api-reference#account-info
var heroku = &spec{
	name:  "Heroku",
	rules: []string{"heroku-api-key", "heroku-platform-api-token"},
	hosts: []string{"api.heroku.com"},
	check: simple("https://api.heroku.com/account", func(s string) map[string]string {
		return map[string]string{"Authorization": "Bearer " + s, "Accept": "application/vnd.heroku+json; version=3"}
	}, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Email string `json:"email"`
			ID    string `json:"id"`
			Name  string `json:"name"`
		}
		if decode(a, &v) != nil || v.ID == "" {
			return nil, errShape
		}
		return ident(firstOf(v.Name, v.ID), "", v.Email, nil, map[string]string{"id": v.ID}), nil
	}),
}

// DigitalOcean: GET /v2/account answers the account and its team.
// Reference: https://docs.digitalocean.com/reference/api/digitalocean/#tag/Account/operation/account_get
var digitalOcean = &spec{
	name:  "DigitalOcean",
	rules: []string{"digitalocean-personal-access-token", "digitalocean-oauth-access-token"},
	hosts: []string{"api.digitalocean.com"},
	check: simple("https://api.digitalocean.com/v2/account", bearer, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Account *struct {
				Email  string `json:"email"`
				UUID   string `json:"uuid"`
				Status string `json:"status"`
				Team   struct {
					Name string `json:"name"`
				} `json:"team"`
			} `json:"account"`
		}
		if decode(a, &v) != nil || v.Account == nil {
			return nil, errShape
		}
		return ident(v.Account.UUID, v.Account.Team.Name, v.Account.Email, nil, map[string]string{"status": v.Account.Status}), nil
	}),
}

// Cloudflare user API tokens: GET /client/v4/user/tokens/verify answers
// the token's id and status (active, disabled or expired).
// References: https://developers.cloudflare.com/api/go/resources/user/subresources/tokens/methods/verify,
// https://developers.cloudflare.com/fundamentals/api/troubleshooting
var cloudflare = &spec{
	name:  "Cloudflare",
	rules: []string{"cloudflare-api-token", "cloudflare-user-api-token"},
	hosts: []string{"api.cloudflare.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		a, why := c.do(ctx, "GET", "https://api.cloudflare.com/client/v4/user/tokens/verify", bearer(in.Secret), "")
		if a == nil {
			return unknown(why)
		}
		status := ""
		r := c.classify(a, scanner.Revoked, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Success bool `json:"success"`
				Result  *struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				} `json:"result"`
			}
			if decode(a, &v) != nil || !v.Success || v.Result == nil {
				return nil, errShape
			}
			status = v.Result.Status
			return ident("", "", "", nil, map[string]string{"token_id": v.Result.ID, "status": v.Result.Status}), nil
		})
		if r.status == scanner.Live && status != "active" {
			return revoked("Cloudflare reports the token " + safeWord(status))
		}
		return r
	},
}

// Discord bot tokens: GET /api/v10/users/@me with "Bot <token>".
// Reference: https://discord.com/developers/docs/resources/user#get-current-user,
// https://discord.com/developers/docs/reference#authentication
var discord = &spec{
	name:  "Discord",
	rules: []string{"discord-bot-token"},
	hosts: []string{"discord.com"},
	check: simple("https://discord.com/api/v10/users/@me", func(s string) map[string]string {
		return map[string]string{"Authorization": "Bot " + s, "Accept": "application/json"}
	}, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			ID       string `json:"id"`
			Username string `json:"username"`
		}
		if decode(a, &v) != nil || v.ID == "" {
			return nil, errShape
		}
		return ident(v.Username, "", "", nil, map[string]string{"id": v.ID}), nil
	}),
}

// Telegram bot tokens: GET /bot<token>/getMe. The token is part of the
// path, so no message may ever quote the URL.
// Reference: https://core.telegram.org/bots/api#getme,
// https://core.telegram.org/bots/api#making-requests
var telegram = &spec{
	name:  "Telegram",
	rules: []string{"telegram-bot-token"},
	hosts: []string{"api.telegram.org"},
	check: func(ctx context.Context, c *call, in Input) result {
		if strings.ContainsAny(in.Secret, "/?#%@ ") {
			return invalid("not a Telegram bot token")
		}
		a, why := c.do(ctx, "GET", "https://api.telegram.org/bot"+in.Secret+"/getMe", map[string]string{"Accept": "application/json"}, "")
		if a == nil {
			return unknown(why)
		}
		if a.status == http.StatusNotFound {
			return invalid("Telegram does not know the token's form (HTTP 404)")
		}
		return c.classify(a, scanner.Revoked, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				OK     bool `json:"ok"`
				Result *struct {
					ID       int64  `json:"id"`
					Username string `json:"username"`
					Name     string `json:"first_name"`
				} `json:"result"`
			}
			if decode(a, &v) != nil || !v.OK || v.Result == nil {
				return nil, errShape
			}
			return ident(v.Result.Username, "", "", nil, map[string]string{"name": v.Result.Name, "id": strconv.FormatInt(v.Result.ID, 10)}), nil
		})
	},
}

// Notion integration tokens: GET /v1/users/me answers the bot user and its
// workspace.
// Reference: https://developers.notion.com/reference/get-self
var notion = &spec{
	name:  "Notion",
	rules: []string{"notion-api-token", "notion-legacy-integration-token"},
	hosts: []string{"api.notion.com"},
	check: simple("https://api.notion.com/v1/users/me", func(s string) map[string]string {
		h := bearer(s)
		h["Notion-Version"] = "2022-06-28"
		return h
	}, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Object string `json:"object"`
			ID     string `json:"id"`
			Name   string `json:"name"`
			Bot    struct {
				Workspace string `json:"workspace_name"`
			} `json:"bot"`
		}
		if decode(a, &v) != nil || v.Object != "user" {
			return nil, errShape
		}
		return ident(firstOf(v.Name, v.ID), v.Bot.Workspace, "", nil, nil), nil
	}),
}

// Linear: the read-only GraphQL query { viewer … organization … }. API
// keys go in Authorization as they are, OAuth tokens as Bearer; a bad key
// gets 401, or 400 with an AUTHENTICATION_ERROR.
// Reference: https://linear.app/developers/graphql#authentication
var linear = &spec{
	name:  "Linear",
	rules: []string{"linear-api-key", "linear-oauth-token"},
	hosts: []string{"api.linear.app"},
	check: func(ctx context.Context, c *call, in Input) result {
		auth := in.Secret
		if in.RuleID == "linear-oauth-token" {
			auth = "Bearer " + in.Secret
		}
		h := map[string]string{"Authorization": auth, "Content-Type": "application/json", "Accept": "application/json"}
		a, why := c.do(ctx, "POST", "https://api.linear.app/graphql", h, `{"query":"{ viewer { id name email } organization { name urlKey } }"}`)
		if a == nil {
			return unknown(why)
		}
		return gqlResult(c, a, func(a *answer) (*scanner.Identity, bool, error) {
			var d struct {
				Viewer *struct {
					Name  string `json:"name"`
					Email string `json:"email"`
				} `json:"viewer"`
				Org struct {
					Name string `json:"name"`
				} `json:"organization"`
			}
			authErr, err := graphQL(a, &d)
			if authErr || err != nil {
				return nil, authErr, err
			}
			if d.Viewer == nil {
				return nil, false, errShape
			}
			return ident(d.Viewer.Name, d.Org.Name, d.Viewer.Email, nil, nil), false, nil
		})
	},
}

// shopHost matches a shop's API host; shopName finds one in a file.
var (
	shopHost = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,61}\.myshopify\.com$`) })
	shopName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b([a-z0-9][a-z0-9-]{0,61})\.myshopify\.com\b`) })
)

// Shopify Admin API tokens work only on their shop's host: the shop name
// is read from the same file (<shop>.myshopify.com), and only such a host
// is ever asked. GET /admin/api/2024-10/shop.json answers the shop.
// Reference: https://shopify.dev/docs/api/admin-rest/latest/resources/shop#get-shop,
// https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens
var shopify = &spec{
	name:   "Shopify",
	rules:  []string{"shopify-access-token", "shopify-custom-app-access-token", "shopify-private-app-access-token"},
	hostOK: func(host string) bool { return shopHost().MatchString(host) },
	check: func(ctx context.Context, c *call, in Input) result {
		shop := ""
		if m := c.v.findInFiles(in.Paths, shopName()); m != "" {
			shop = strings.ToLower(m) + ".myshopify.com"
		}
		if shop == "" {
			return unknownFixed("not verified: the shop (<shop>.myshopify.com) is not named in the same file")
		}
		a, why := c.do(ctx, "GET", "https://"+shop+"/admin/api/2024-10/shop.json", map[string]string{"X-Shopify-Access-Token": in.Secret, "Accept": "application/json"}, "")
		if a == nil {
			return unknown(why)
		}
		return c.classify(a, scanner.Live, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Shop *struct {
					Name   string `json:"name"`
					Email  string `json:"email"`
					Domain string `json:"myshopify_domain"`
					Plan   string `json:"plan_name"`
				} `json:"shop"`
			}
			if decode(a, &v) != nil || v.Shop == nil {
				return nil, errShape
			}
			return ident(v.Shop.Domain, v.Shop.Name, v.Shop.Email, nil, map[string]string{"plan": v.Shop.Plan}), nil
		})
	},
}

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// findInFiles returns the first match of re in the finding's files, when
// the caller can read them.
func (v *Verifier) findInFiles(paths []string, re *regexp.Regexp) string {
	if v.opt.ReadFile == nil {
		return ""
	}
	for _, p := range paths {
		b, err := v.opt.ReadFile(p)
		if err != nil {
			continue
		}
		if m := re.FindSubmatch(b); m != nil {
			return string(m[len(m)-1])
		}
	}
	return ""
}
