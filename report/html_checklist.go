package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/scanner"
)

// credKind is what sort of credential a finding is, which decides who
// revokes it and where its use is logged. Only credService names a company
// that issued the key; the others are categories.
type credKind int

const (
	credService    credKind = iota // a key issued by a named provider
	credPassword                   // a password or secret of some system
	credPrivateKey                 // an asymmetric private key
	credJWT                        // a signed token
	credHTTP                       // credentials in an HTTP request
)

// credentialKind classifies f by its rule's provider and id.
func credentialKind(f *scanner.Finding) credKind {
	switch f.Provider {
	case "", "Generic", "Password hash", "netrc":
		return credPassword
	case "Private key", "PGP", "PuTTY", "SSH", "JSON Web Key", "WireGuard":
		return credPrivateKey
	case "JWT":
		return credJWT
	case "HTTP", "URL":
		return credHTTP
	}
	switch id := f.RuleID; {
	case strings.Contains(id, "private-key"):
		return credPrivateKey
	case strings.Contains(id, "password"):
		return credPassword
	}
	return credService
}

// revokePages are the provider pages where a key is revoked.
var revokePages = map[string]string{
	"GitHub":       "https://github.com/settings/tokens (an organisation's apps: its settings, GitHub Apps)",
	"GitLab":       "https://gitlab.com/-/user_settings/personal_access_tokens",
	"OpenAI":       "https://platform.openai.com/api-keys",
	"Anthropic":    "https://console.anthropic.com/settings/keys",
	"AWS":          "the IAM console: Users, the key's user, Security credentials (https://console.aws.amazon.com/iam/)",
	"GCP":          "the Google Cloud console: IAM & Admin, Service accounts, the account, Keys",
	"Google":       "the Google Cloud console: APIs & Services, Credentials (https://console.cloud.google.com/apis/credentials)",
	"Slack":        "the app's settings at https://api.slack.com/apps (OAuth & Permissions: revoke tokens)",
	"Stripe":       "https://dashboard.stripe.com/apikeys (roll the key)",
	"SendGrid":     "https://app.sendgrid.com/settings/api_keys",
	"Twilio":       "the Twilio console: Account, API keys & tokens",
	"Mailgun":      "the Mailgun control panel: API Security",
	"Postmark":     "the server's API Tokens tab in Postmark",
	"npm":          "https://www.npmjs.com/settings/~/tokens",
	"Hugging Face": "https://huggingface.co/settings/tokens",
	"Datadog":      "Datadog: Organization Settings, API Keys or Application Keys",
	"New Relic":    "New Relic: API keys (https://one.newrelic.com/admin-portal/api-keys/home)",
	"Sentry":       "Sentry: User Settings, Personal Tokens, or the organisation's Auth Tokens",
	"Heroku":       "Heroku: Account settings, Applications (authorizations), or `heroku authorizations:revoke`",
	"DigitalOcean": "https://cloud.digitalocean.com/account/api/tokens",
	"Cloudflare":   "https://dash.cloudflare.com/profile/api-tokens",
	"Discord":      "https://discord.com/developers/applications (the bot's page: Reset Token)",
	"Telegram":     "@BotFather in Telegram (/revoke)",
	"Notion":       "Notion: Settings, Connections, the integration (refresh its secret)",
	"Linear":       "Linear: Settings, Security & access, API keys",
	"Shopify":      "the shop's admin: Apps, Develop apps, the app's API credentials",
}

// auditLogs names where a provider records the use of a key.
var auditLogs = map[string]string{
	"AWS":    "CloudTrail",
	"GCP":    "Cloud Audit Logs",
	"GitHub": "security log (and the organisation's audit log)",
	"GitLab": "audit events",
	"Slack":  "access logs and audit logs",
	"Stripe": "request logs (Developers, Logs)",
	"OpenAI": "usage dashboard and audit logs",
}

// checklist returns the runbook for f, in the order it should be done:
// revoke, replace, purge the history (only when the secret is in it),
// audit the logs from the day it was exposed, notify the owners and
// authors. The steps depend on the kind of credential, so that a category
// such as "Generic" or "Private key" is never named as a company.
func checklist(f *scanner.Finding) []htmlStep {
	kind := credentialKind(f)
	provider := "the provider"
	if f.Provider != "" && kind == credService {
		provider = Sanitize(f.Provider)
	}
	paths := map[string]bool{}
	commits := map[string]bool{}
	var authors []string
	for _, l := range f.Locations {
		paths[locPath(l)] = true
		if l.Commit != "" {
			commits[l.Commit] = true
		}
		if a := author(l); a != "" {
			authors = append(authors, Sanitize(a))
		}
	}
	slices.Sort(authors)
	authors = slices.Compact(authors)
	since := "it was first committed"
	t := f.ExposedSince
	if t.IsZero() {
		t = firstSeen(f)
	}
	if !t.IsZero() {
		since = humanDate(t) + ", when it was first committed"
		if f.ExposureDays > 0 {
			since += " (" + plural.Count(f.ExposureDays, "day", "days") + " ago)"
		}
	}
	where := plural.Count(len(paths), "file", "files") + " listed above"
	vault := "a secret manager (such as Vault, AWS Secrets Manager, Google Secret Manager or Azure Key Vault) or the CI system's secret store"

	revoke := htmlStep{Title: "Revoke the key", Detail: Sanitize(remediation(*f))}
	replace := htmlStep{Title: "Replace it"}
	audit := htmlStep{Title: "Audit its use since " + cmp.Or(dateOnly(t), "it leaked")}
	switch kind {
	case credPassword:
		revoke.Notes = append(revoke.Notes, "Change this password or secret on the system that accepts it (the database, service or account it opens); whoever committed it can tell which one if the code does not.")
		replace.Detail = "Set a new, randomly generated value there, and have the application read it at run time from " + vault + ", not from the code (" + where + ")."
		audit.Detail = "Check the sign-in and access logs of that system for use of the old value since " + since + ", and investigate anything you cannot explain."
	case credPrivateKey:
		revoke.Notes = append(revoke.Notes, "Stop trusting the key everywhere: remove its public half from authorized_keys files, deploy keys and servers that accept it, and have the certificate authority revoke any certificate issued for it.")
		replace.Detail = "Generate a new key pair where it is needed, install only the new public key where the old one was trusted, and keep the private key out of the repository (" + vault + ", a hardware token or an SSH agent)."
		audit.Detail = "Check the logs of the servers and services that trusted the key (SSH authentication logs, TLS or signing logs) for use of it since " + since + "."
	case credJWT:
		revoke.Notes = append(revoke.Notes, "A JWT stays valid until it expires. If it has not expired, revoke the session it belongs to, or rotate the signing key of the service that issued it, which invalidates every token that key signed.")
		replace.Detail = "Have the application obtain tokens at run time instead of keeping one in the code (" + where + "); keep any long-lived token in " + vault + "."
		audit.Detail = "Check the logs of the service that accepts the token for requests made with it since " + since + "."
	case credHTTP:
		revoke.Notes = append(revoke.Notes, "Revoke the token or change the password at the service the request is sent to: the URL beside it in the code names it.")
		replace.Detail = "Issue a new credential there with only the access it needs, and have the application read it at run time from " + vault + " (" + where + ")."
		audit.Detail = "Check that service's access logs for requests made with these credentials since " + since + "."
	default:
		if page, ok := revokePages[f.Provider]; ok {
			revoke.Notes = append(revoke.Notes, "Revoke it at "+page+".")
		}
		replace.Detail = "Create a new key at " + provider + " with only the permissions it needs, put it everywhere the old one was used (" + where + "), and keep it in " + vault + ", never in the code."
		logs := "access or audit logs"
		if l, ok := auditLogs[f.Provider]; ok {
			logs = l
		}
		audit.Detail = "Look in " + provider + "'s " + logs + " for any use of the key since " + since + ", especially from unknown places, and investigate anything you cannot explain."
	}
	switch v := f.Verification; {
	case v == nil:
		revoke.Notes = append(revoke.Notes, "Do this first: until the key is revoked, anyone who has seen it can use it.")
	case v.Status == scanner.Live:
		revoke.Notes = append(revoke.Notes, "Do this now: the provider accepted this key"+checkedOn(v)+", so anyone who has seen it can use it.")
	case v.Status == scanner.Revoked:
		revoke.Notes = append(revoke.Notes, "The provider already refused this key"+checkedOn(v)+". Confirm in its console that it is revoked rather than, say, suspended.")
	default:
		revoke.Notes = append(revoke.Notes, "Do this first: until the key is revoked, anyone who has seen it can use it.")
	}
	if v := f.Verification; v != nil && v.Identity != nil {
		audit.Notes = append(audit.Notes, "The key opens "+strings.Join(identityParts(v.Identity), ", ")+": start there.")
	}
	if f.BrowserExposed {
		replace.Notes = append(replace.Notes, "Every visitor's browser can read this key. Move the calls that need it to a backend that holds the key, and keep it out of front-end code and public build variables.")
	}
	steps := []htmlStep{revoke, replace}
	if inHistory(f) {
		d := "The key stays readable in every copy of the repository"
		if n := len(commits); n > 0 {
			d += " (it is in " + plural.Count(n, "commit", "commits") + ")"
		}
		d += ". If your policy or the key's sensitivity requires it, rewrite the history with git filter-repo or BFG Repo-Cleaner, force-push, and ask everyone to clone again. Forks, caches and old clones may still hold copies, so revoking the key is what protects you."
		steps = append(steps, htmlStep{Title: "Purge it from the git history", Detail: d})
	}
	notify := htmlStep{
		Title:  "Notify the owners and authors",
		Detail: "Tell the code owners, the people who committed the key and your security team what leaked, for how long, and what was done.",
	}
	if len(f.Owners) > 0 {
		notify.Notes = append(notify.Notes, "Code owners (CODEOWNERS): "+Sanitize(strings.Join(f.Owners, ", "))+".")
	}
	if len(authors) > 0 {
		notify.Notes = append(notify.Notes, "Committed by: "+strings.Join(authors, ", ")+".")
	}
	return append(steps, audit, notify)
}

// checkedOn says when a verification was made: " on 1 Dec 2026".
func checkedOn(v *scanner.Verification) string {
	if v.CheckedAt.IsZero() {
		return ""
	}
	return " on " + humanDate(v.CheckedAt.UTC())
}

// dateOnly formats t as "5 Mar 2024", or "" for the zero time.
func dateOnly(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return humanDate(t)
}

// inHistory reports whether f was found in git history: it has a commit, or
// it is gone from HEAD.
func inHistory(f *scanner.Finding) bool {
	if !f.InHead {
		return true
	}
	for _, l := range f.Locations {
		if l.Commit != "" {
			return true
		}
	}
	return false
}
