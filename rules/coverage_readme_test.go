package rules

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeFile is the README whose coverage table TestCoverageReadmeFresh
// keeps in step with the rules.
var readmeFile = filepath.Join("..", "README.md")

const (
	coverageBegin = "<!-- coverage:begin -->"
	coverageEnd   = "<!-- coverage:end -->"
)

// coverageCategory is one row of the README's coverage table: the
// providers users know best (shown, when a rule covers them) and the words
// of a rule's provider, description or id that put it in the category.
type coverageCategory struct {
	name  string
	known []string
	words []string
}

// coverageCategories are the README's rows, in order. A rule goes to the
// first category that names its provider in known, else the first whose
// words its provider, description or id contains, else "Other SaaS";
// catch-all rules go to "Generic". Key containers and wallets come first:
// their words ("private key", "wallet") say more than a provider's.
var coverageCategories = []coverageCategory{
	{"Private keys and identity", []string{"Private key", "OpenSSH", "PuTTY", "PGP", "JSON Web Key", "age", "Auth0", "Okta", "Clerk", "Firebase"},
		[]string{"private key", "ssh key", "pgp", "jwk", "identity", "oauth", "sso", "saml", "passwordless", "authentication", "auth0", "keycloak", "signing key", "nkey", "wireguard", "master key", "keystore", "certificate"}},
	{"Crypto wallets", []string{"Bitcoin", "Ethereum", "Nostr"},
		[]string{"wallet", "bitcoin", "ethereum", "nostr", "bip32", "mnemonic", "solana"}},
	{"Cloud and hosting", []string{"AWS", "Azure", "Google Cloud", "GCP", "Cloudflare", "DigitalOcean", "Heroku", "Vercel", "Netlify", "Fly.io"},
		[]string{"cloud", "aws", "azure", "hosting", "cdn", "kubernetes", "serverless", "dns", "vps", "edge", "object storage", "compute", "deploy"}},
	{"AI and machine learning", []string{"OpenAI", "Anthropic", "Hugging Face", "Mistral", "Cohere", "Groq", "Replicate", "Pinecone"},
		[]string{" ai ", " ai,", "ai api", "llm", "machine learning", "inference", "language model", "gpt", "embedding", "speech", "transcription", "vector", "image generation", "agent"}},
	{"Source control, CI/CD, registries, secret managers", []string{"GitHub", "GitLab", "Bitbucket", "npm", "PyPI", "Docker Hub", "CircleCI", "HashiCorp Vault", "Doppler", "1Password"},
		[]string{"git", " ci", "ci/cd", "build", "registry", "package", "artifact", "secret manager", "secrets manager", "vault", "feature flag", "code quality", "terraform", "continuous"}},
	{"Payments, commerce and finance", []string{"Stripe", "PayPal", "Square", "Shopify", "Adyen", "Braintree", "Plaid", "Coinbase"},
		[]string{"payment", "commerce", "shop", "checkout", "billing", "invoice", "bank", "finance", "financial", "trading", "exchange", "accounting", "tax", "market data", "stock", "crypto"}},
	{"Databases and data", []string{"PostgreSQL", "MySQL", "MongoDB", "Redis", "Snowflake", "Databricks", "Supabase", "Elastic", "Confluent"},
		[]string{"database", "sql", "mongo", "redis", "connection string", "jdbc", "warehouse", "kafka", "data ", "search", "analytics", "etl"}},
	{"Messaging, e-mail and CRM", []string{"Slack", "Discord", "Telegram", "Twilio", "SendGrid", "Mailgun", "Microsoft Teams", "HubSpot"},
		[]string{"slack", "discord", "telegram", "mail", "sms", "chat", "messag", "webhook", "push", "notification", "crm", "marketing", "voice", "newsletter", "support", "helpdesk"}},
	{"Observability and incident response", []string{"Datadog", "Sentry", "New Relic", "Grafana", "PagerDuty", "Splunk", "Honeycomb", "Dynatrace"},
		[]string{"monitor", "logging", "log management", " logs", "observability", "error tracking", "apm", "incident", "alert", "metrics", "tracing", "uptime", "status page"}},
	{"Other SaaS", []string{"Notion", "Linear", "Airtable", "Asana", "Figma", "Zendesk", "Algolia", "Atlassian"}, nil},
}

// genericCategory is the row of the catch-all rules.
const genericCategory = "Generic (assignments, URLs, headers, connection strings)"

// coverageCategoryOf returns the name of r's category.
func coverageCategoryOf(r *Rule) string {
	if r.Generic || strings.EqualFold(r.Provider, "Generic") {
		return genericCategory
	}
	for _, c := range coverageCategories {
		for _, k := range c.known {
			if strings.EqualFold(r.Provider, k) {
				return c.name
			}
		}
	}
	text := " " + strings.ToLower(r.Provider+" "+r.Description+" "+strings.ReplaceAll(r.ID, "-", " ")) + " "
	for _, c := range coverageCategories {
		for _, w := range c.words {
			if strings.Contains(text, w) {
				return c.name
			}
		}
	}
	return "Other SaaS"
}

// coverageTable renders the README's coverage block from rules.
func coverageTable(rules []*Rule) string {
	type row struct {
		rules     int
		providers map[string]bool
	}
	rows := map[string]*row{}
	providers := map[string]bool{}
	for _, r := range rules {
		name := coverageCategoryOf(r)
		if rows[name] == nil {
			rows[name] = &row{providers: map[string]bool{}}
		}
		rows[name].rules++
		rows[name].providers[r.Provider] = true
		providers[r.Provider] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%d built-in rules for %d providers ([docs/coverage.md](docs/coverage.md) lists them), TOML tables in\n", coverageBegin, len(rules), len(providers))
	b.WriteString("[`rules/default.toml`](rules/default.toml) (fields and matching: [docs/rules.md](docs/rules.md)):\n\n")
	b.WriteString("| category | rules | providers | among them |\n|---|--:|--:|---|\n")
	names := make([]string, 0, len(coverageCategories)+1)
	for _, c := range coverageCategories {
		names = append(names, c.name)
	}
	names = append(names, genericCategory)
	for _, name := range names {
		rw := rows[name]
		if rw == nil {
			continue
		}
		var known []string
		for _, c := range coverageCategories {
			if c.name != name {
				continue
			}
			for _, k := range c.known {
				if rw.providers[k] && len(known) < 6 {
					known = append(known, k)
				}
			}
		}
		if name == genericCategory {
			known = []string{"passwords, API keys and tokens in assignments", "URL userinfo", "bearer headers"}
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s |\n", name, rw.rules, len(rw.providers), strings.Join(known, ", "))
	}
	b.WriteString(coverageEnd)
	return b.String()
}

// TestCoverageReadmeFresh checks that the README's coverage table (between
// the coverage markers) is the one the rules give; -update rewrites it.
func TestCoverageReadmeFresh(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(have, []byte(coverageBegin)), bytes.Index(have, []byte(coverageEnd))
	if i < 0 || j < i {
		t.Fatalf("%s has no %s ... %s block", readmeFile, coverageBegin, coverageEnd)
	}
	want := coverageTable(rs.Rules())
	if string(have[i:j+len(coverageEnd)]) == want {
		return
	}
	if !*updateGenerated {
		t.Fatalf("the coverage table in %s is out of date with %s: run\n\tgo test ./rules -run TestCoverageReadmeFresh -update", readmeFile, DefaultFile)
	}
	out := append(append(append([]byte{}, have[:i]...), want...), have[j+len(coverageEnd):]...)
	if err := os.WriteFile(readmeFile, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCoverageCategories checks the classification on a few rules whose
// category is not in doubt, and that every named category has rules.
func TestCoverageCategories(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"private-key-rsa":         "Private keys and identity",
		"age-secret-key":          "Private keys and identity",
		"bitcoin-wif-private-key": "Crypto wallets",
		"aws-access-key-id":       "Cloud and hosting",
		"github-classic-pat":      "Source control, CI/CD, registries, secret managers",
		"slack-webhook-url":       "Messaging, e-mail and CRM",
		"url-userinfo-password":   genericCategory,
	} {
		r := rs.Rule(id)
		if r == nil {
			t.Errorf("no rule %s", id)
			continue
		}
		if got := coverageCategoryOf(r); got != want {
			t.Errorf("%s: category %q, want %q", id, got, want)
		}
	}
	table := coverageTable(rs.Rules())
	for _, c := range coverageCategories {
		if !strings.Contains(table, "| "+c.name+" |") {
			t.Errorf("no rule in category %q", c.name)
		}
	}
}
