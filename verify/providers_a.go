package verify

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/keylint/keylint/scanner"
)

// specs lists every provider's verifier. The references name the
// documentation each endpoint and answer were taken from.
var specs = []*spec{
	openAI, openAIAdmin, anthropic, anthropicAdmin,
	gitHub, gitHubApp, gitLab, slack, slackWebhook,
	stripe, awsSpec, gcpSpec, sendGrid, twilio, mailgun, postmark,
	npm, huggingFace, google, datadog, datadogApp, newRelic, sentry,
	heroku, digitalOcean, cloudflare, discord, telegram, notion, linear, shopify,
}

// OpenAI: GET /v1/models lists the models the key may use; the answer's
// openai-organization header names the organisation.
// References: https://platform.openai.com/docs/api-reference/models/list,
// https://platform.openai.com/docs/api-reference/authentication
var openAI = &spec{
	name:  "OpenAI",
	rules: []string{"openai-project-api-key", "openai-service-account-key", "openai-legacy-api-key"},
	hosts: []string{"api.openai.com"},
	check: simple("https://api.openai.com/v1/models", bearer, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Object string `json:"object"`
		}
		if decode(a, &v) != nil || v.Object != "list" {
			return nil, errShape
		}
		return ident("", a.header.Get("Openai-Organization"), "", nil, map[string]string{"project": a.header.Get("Openai-Project")}), nil
	}),
}

// OpenAI admin keys: GET /v1/organization/projects (Administration API).
// Reference: https://platform.openai.com/docs/api-reference/projects/list
var openAIAdmin = &spec{
	name:  "OpenAI",
	rules: []string{"openai-admin-key"},
	hosts: []string{"api.openai.com"},
	check: simple("https://api.openai.com/v1/organization/projects?limit=1", bearer, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Object string `json:"object"`
		}
		if decode(a, &v) != nil || v.Object != "list" {
			return nil, errShape
		}
		return ident("", a.header.Get("Openai-Organization"), "", []string{"admin"}, nil), nil
	}),
}

func anthropicHeader(secret string) map[string]string {
	return map[string]string{"X-Api-Key": secret, "Anthropic-Version": "2023-06-01", "Accept": "application/json"}
}

// Anthropic API keys: GET /v1/models.
// Reference: https://docs.anthropic.com/en/api/models-list
var anthropic = &spec{
	name:  "Anthropic",
	rules: []string{"anthropic-api-key"},
	hosts: []string{"api.anthropic.com"},
	check: simple("https://api.anthropic.com/v1/models?limit=1", anthropicHeader, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			Data *[]any `json:"data"`
		}
		if decode(a, &v) != nil || v.Data == nil {
			return nil, errShape
		}
		return ident("", a.header.Get("Anthropic-Organization-Id"), "", nil, nil), nil
	}),
}

// Anthropic admin keys: GET /v1/organizations/me answers {id, name, type}.
// Reference: https://platform.claude.com/docs/en/api/admin/organizations/me
var anthropicAdmin = &spec{
	name:  "Anthropic",
	rules: []string{"anthropic-admin-key"},
	hosts: []string{"api.anthropic.com"},
	check: simple("https://api.anthropic.com/v1/organizations/me", anthropicHeader, scanner.Live, func(a *answer) (*scanner.Identity, error) {
		var v struct {
			ID   string `json:"id"`
			Name string `json:"name"`
			Type string `json:"type"`
		}
		if decode(a, &v) != nil || v.Type != "organization" {
			return nil, errShape
		}
		return ident("", v.Name, "", []string{"admin"}, map[string]string{"organization_id": v.ID}), nil
	}),
}

func gitHubHeader(secret string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + secret, "Accept": "application/vnd.github+json", "X-Github-Api-Version": "2022-11-28"}
}

// gitHubOther handles GitHub's 403s: a rate limit is unknown, the rest
// means the token authenticated but may not read the resource.
func gitHubOther(c *call, a *answer, parse func(*answer) (*scanner.Identity, error)) result {
	if (a.status == http.StatusForbidden || a.status == http.StatusTooManyRequests) && a.header.Get("X-Ratelimit-Remaining") == "0" {
		return unknown("GitHub rate-limited the request; try again later")
	}
	return c.classify(a, scanner.Live, parse)
}

// GitHub classic, fine-grained, OAuth and user-to-server tokens: GET /user.
// Classic and OAuth tokens list their scopes in X-OAuth-Scopes.
// References: https://docs.github.com/en/rest/users/users#get-the-authenticated-user,
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
var gitHub = &spec{
	name:  "GitHub",
	rules: []string{"github-classic-pat", "github-fine-grained-pat", "github-oauth-token", "github-user-to-server-token"},
	hosts: []string{"api.github.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		a, why := c.do(ctx, "GET", "https://api.github.com/user", gitHubHeader(in.Secret), "")
		if a == nil {
			return unknown(why)
		}
		return gitHubOther(c, a, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Login   string `json:"login"`
				ID      int64  `json:"id"`
				Type    string `json:"type"`
				Company string `json:"company"`
				Email   string `json:"email"`
			}
			if decode(a, &v) != nil || v.Login == "" {
				return nil, errShape
			}
			return ident(v.Login, v.Company, v.Email, splitScopes(a.header.Get("X-Oauth-Scopes")),
				map[string]string{"type": v.Type, "id": strconv.FormatInt(v.ID, 10)}), nil
		})
	},
}

// GitHub App installation (server-to-server) tokens cannot read /user;
// GET /installation/repositories lists what the installation opens.
// Reference: https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation
var gitHubApp = &spec{
	name:  "GitHub",
	rules: []string{"github-server-to-server-token"},
	hosts: []string{"api.github.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		a, why := c.do(ctx, "GET", "https://api.github.com/installation/repositories?per_page=1", gitHubHeader(in.Secret), "")
		if a == nil {
			return unknown(why)
		}
		return gitHubOther(c, a, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Total *int `json:"total_count"`
				Repos []struct {
					Owner struct {
						Login string `json:"login"`
					} `json:"owner"`
				} `json:"repositories"`
			}
			if decode(a, &v) != nil || v.Total == nil {
				return nil, errShape
			}
			owner := ""
			if len(v.Repos) > 0 {
				owner = v.Repos[0].Owner.Login
			}
			return ident("", owner, "", nil, map[string]string{"kind": "app installation", "repositories": strconv.Itoa(*v.Total)}), nil
		})
	},
}

// GitLab personal access tokens: GET /api/v4/personal_access_tokens/self
// answers the token's name, scopes, owner and state. Only gitlab.com is
// asked: a token of a self-managed instance is refused there.
// Reference: https://docs.gitlab.com/api/personal_access_tokens/#get-single-personal-access-token
var gitLab = &spec{
	name:  "GitLab",
	rules: []string{"gitlab-pat", "gitlab-pat-routable"},
	hosts: []string{"gitlab.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		a, why := c.do(ctx, "GET", "https://gitlab.com/api/v4/personal_access_tokens/self", map[string]string{"Private-Token": in.Secret, "Accept": "application/json"}, "")
		if a == nil {
			return unknown(why)
		}
		if a.status == http.StatusUnauthorized {
			return revoked("gitlab.com refused the token (HTTP 401); a token of a self-managed GitLab is not checked there")
		}
		var state struct {
			Revoked bool `json:"revoked"`
			Active  *bool
		}
		r := c.classify(a, scanner.Live, func(a *answer) (*scanner.Identity, error) {
			var v struct {
				Name    string   `json:"name"`
				Scopes  []string `json:"scopes"`
				UserID  int64    `json:"user_id"`
				Revoked bool     `json:"revoked"`
				Active  *bool    `json:"active"`
				Expires string   `json:"expires_at"`
			}
			if decode(a, &v) != nil || v.UserID == 0 {
				return nil, errShape
			}
			state.Revoked, state.Active = v.Revoked, v.Active
			return ident("user "+strconv.FormatInt(v.UserID, 10), "", "", v.Scopes, map[string]string{"token_name": v.Name, "expires_at": v.Expires}), nil
		})
		if r.status == scanner.Live && (state.Revoked || (state.Active != nil && !*state.Active)) {
			return revoked("GitLab reports the token revoked or inactive")
		}
		return r
	},
}

// Slack tokens: POST auth.test, which only reads who the token is and
// cannot post. It answers HTTP 200 with {"ok": false, "error": ...} for a
// bad token.
// References: https://api.slack.com/methods/auth.test,
// https://api.slack.com/web#evaluating_responses
var slack = &spec{
	name:  "Slack",
	rules: []string{"slack-bot-token", "slack-user-token", "slack-legacy-token", "slack-legacy-workspace-token"},
	hosts: []string{"slack.com"},
	check: func(ctx context.Context, c *call, in Input) result {
		h := bearer(in.Secret)
		h["Content-Type"] = "application/x-www-form-urlencoded"
		a, why := c.do(ctx, "POST", "https://slack.com/api/auth.test", h, "")
		if a == nil {
			return unknown(why)
		}
		if a.status != http.StatusOK {
			return c.other(a)
		}
		var v struct {
			OK     *bool  `json:"ok"`
			Error  string `json:"error"`
			Team   string `json:"team"`
			User   string `json:"user"`
			TeamID string `json:"team_id"`
			URL    string `json:"url"`
			BotID  string `json:"bot_id"`
		}
		if decode(a, &v) != nil || v.OK == nil {
			return unknown("Slack accepted the request but its answer could not be read")
		}
		if !*v.OK {
			switch v.Error {
			case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "org_login_required":
				return revoked("Slack refused the token (" + safeWord(v.Error) + ")")
			case "ratelimited":
				return unknown("Slack rate-limited the request; try again later")
			}
			return unknown("Slack answered " + safeWord(v.Error))
		}
		return live(ident(v.User, v.Team, "", splitScopes(a.header.Get("X-Oauth-Scopes")), map[string]string{"team_id": v.TeamID, "url": v.URL, "bot_id": v.BotID}))
	},
}

// Slack webhooks are never sent anything: every request to a webhook URL
// is an attempt to post.
var slackWebhook = &spec{
	name:  "Slack",
	rules: []string{"slack-webhook-url", "slack-workflow-webhook-url"},
	// No host: nothing can be sent.
	check: notVerified("a request to a Slack webhook could post a message; revoke it in the app's Incoming Webhooks settings"),
}

// safeWord keeps a provider's error code short and printable.
func safeWord(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' || r == ' ' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, s)
	if len(s) > 60 {
		s = s[:60]
	}
	if s == "" {
		return "an error"
	}
	return s
}
