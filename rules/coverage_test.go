package rules

import (
	"strings"
	"testing"
)

// namedProviders are the providers whose keys users most often ask about
// (and that peer scanners cover): each must have at least one built-in
// rule. The names are matched against rule providers ignoring case; an
// entry "A|B" is covered by either name.
var namedProviders = []string{
	// Cloud
	"Azure", "IBM Cloud", "GCP|Google", "Fly.io", "Fastly", "Scalingo", "Alibaba", "Tencent Cloud",
	"Oracle Cloud", "Scaleway", "Vercel", "Netlify", "Render", "Railway", "AWS", "DigitalOcean",
	"Cloudflare", "Heroku",
	// AI
	"OpenAI", "Anthropic", "Cohere", "Mistral", "Groq", "DeepSeek", "Deepgram", "AssemblyAI",
	"ElevenLabs", "Cerebras", "NVIDIA", "Together", "Fireworks", "Perplexity", "Replicate",
	"Hugging Face", "Weights & Biases", "Devin", "xAI", "OpenRouter", "Ollama", "LangSmith", "Pinecone",
	// Payments and commerce
	"Stripe", "Square", "GoCardless", "Razorpay", "Adyen", "Braintree", "PayPal", "Squarespace",
	"Shopify", "Plaid", "Coinbase", "Flutterwave",
	// Source control, CI/CD, registries
	"GitHub", "GitLab", "Sourcegraph", "SonarQube|SonarCloud", "ConfigCat", "Postman", "npm", "PyPI",
	"Snyk", "Clojars", "RubyGems", "NuGet", "Docker Hub", "JFrog", "Prefect", "ReadMe", "Travis CI",
	"CircleCI", "Buildkite", "Bitbucket", "Atlassian", "Terraform Cloud|HashiCorp Terraform", "Pulumi",
	"Doppler", "Infisical", "HashiCorp Vault", "1Password", "LaunchDarkly",
	// Databases and data
	"PostgreSQL", "MySQL", "MongoDB", "Redis", "RabbitMQ", "SQL Server", "ClickHouse", "CockroachDB",
	"JDBC", "Confluent", "Databricks", "Aiven", "Supabase", "PlanetScale", "Neon", "Snowflake", "Elastic",
	// Messaging and e-mail
	"Slack", "Microsoft Teams", "Discord", "Telegram", "Mailgun", "Mailchimp", "SendGrid", "Postmark",
	"Brevo", "Klaviyo", "Mattermost", "MessageBird|Bird", "Twilio", "Vonage", "Pusher",
	// Observability
	"Sentry", "Datadog", "New Relic", "Honeycomb", "Grafana", "Splunk", "Dynatrace", "PagerDuty",
	"Opsgenie", "Rollbar", "Bugsnag",
	// Identity and keys
	"Auth0", "Okta", "Authress", "Clerk", "WorkOS", "Firebase", "Private key", "PuTTY", "PGP",
	"JSON Web Key", "age", "NATS", "Rails|Ruby on Rails", "WireGuard",
	// Crypto wallets
	"Bitcoin", "Nostr",
	// Other SaaS
	"Sidekiq", "WakaTime", "Monday", "Lob", "Shippo", "EasyPost", "Duffel", "Beamer", "Frame.io",
	"Looker", "PostHog", "Etsy", "Apify", "Figma", "Meta|Facebook", "Notion", "Linear", "Airtable",
	"Asana", "Zendesk", "HubSpot", "Intercom", "Typeform", "Algolia",
}

// TestNamedProvidersCovered: every provider of namedProviders has a rule.
func TestNamedProvidersCovered(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, r := range rs.Rules() {
		have[strings.ToLower(r.Provider)] = true
	}
	for _, want := range namedProviders {
		found := false
		for _, name := range strings.Split(want, "|") {
			found = found || have[strings.ToLower(name)]
		}
		if !found {
			t.Errorf("no built-in rule for %s", want)
		}
	}
}
