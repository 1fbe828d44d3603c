package rules_test

import (
	"os"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/keylint/keylint/rules"
)

// minDefaultRules is the size the default rule set must reach (issue 2).
const minDefaultRules = 150

func loadDefault(t *testing.T) *rules.Ruleset {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatalf("Default(): %v", err)
	}
	return rs
}

func TestDefaultLoads(t *testing.T) {
	t.Parallel()
	rs := loadDefault(t)
	if n := len(rs.Rules()); n < minDefaultRules {
		t.Errorf("the default set has %d rules, want at least %d", n, minDefaultRules)
	}
	// The embedded file also parses with eager validation, the way a
	// user's file is loaded.
	data, err := os.ReadFile(rules.DefaultFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rules.Parse(rules.DefaultFile, data); err != nil {
		t.Errorf("Parse(default.toml) with eager validation: %v", err)
	}
}

// TestDefaultExamples runs every rule's matches and non_matches through a
// matcher holding only that rule, as `keylint rules test` does.
// The "dfa" variant answers the matcher's "any match here?" question with
// the DFA that a long scan switches to.
func TestDefaultExamples(t *testing.T) {
	t.Parallel()
	withDFA, err := rules.DefaultWithDFA()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		rs   *rules.Ruleset
	}{{"regexp", loadDefault(t)}, {"dfa", withDFA}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, r := range tc.rs.Rules() {
				t.Run(r.ID, func(t *testing.T) {
					t.Parallel()
					for _, f := range rules.CheckExamples(tc.rs.Only(r.ID), 2) {
						t.Errorf("%s", f.Error())
					}
				})
			}
		})
	}
}

func TestDefaultIDsUniqueAndKebabCase(t *testing.T) {
	t.Parallel()
	// Decode the raw file: Apply would merge or reject duplicates before
	// we could see them.
	var raw struct {
		Rules []struct {
			ID string `toml:"id"`
		} `toml:"rules"`
	}
	data, err := os.ReadFile(rules.DefaultFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := toml.Decode(string(data), &raw); err != nil {
		t.Fatal(err)
	}
	kebab := regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, r := range raw.Rules {
		if !kebab.MatchString(r.ID) {
			t.Errorf("rule id %q is not kebab-case", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule id %q appears more than once", r.ID)
		}
		seen[r.ID] = true
	}
	if n := len(loadDefault(t).Rules()); n != len(raw.Rules) {
		t.Errorf("default.toml has %d [[rules]], the loaded set %d", len(raw.Rules), n)
	}
}

// TestDefaultRegexes compiles every regex (the default set is parsed
// lazily, so this is where a broken one is caught) and checks the rule
// writing conventions of RULESPEC.md that a machine can check.
func TestDefaultRegexes(t *testing.T) {
	t.Parallel()
	for _, r := range loadDefault(t).Rules() {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			if r.Regex == "" {
				if !r.IsPathRule() {
					t.Error("rule has neither a regex nor a path")
				}
				return
			}
			re, err := r.Compiled()
			if err != nil {
				t.Fatalf("regex does not compile: %v", err)
			}
			if r.SecretGroup < 0 || r.SecretGroup > re.NumSubexp() {
				t.Errorf("secret_group %d, but the regex has %d groups", r.SecretGroup, re.NumSubexp())
			}
			if !r.IsPathRule() {
				for _, k := range r.Keywords {
					if len(k) < 3 {
						t.Errorf("keyword %q is shorter than 3 bytes", k)
					}
				}
			}
			prog, err := syntax.Parse(r.Regex, syntax.Perl)
			if err != nil {
				t.Fatal(err)
			}
			if s := unboundedAny(prog); s != "" {
				t.Errorf("unbounded repetition of any character %q: bound it ({0,n}); windows are small", s)
			}
		})
	}
}

// unboundedAny returns the first `.*`, `.+` or `[\s\S]*`-like repetition
// without an upper bound, or "".
func unboundedAny(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		if re.Op != syntax.OpRepeat || re.Max == -1 {
			sub := re.Sub[0]
			if sub.Op == syntax.OpAnyChar || sub.Op == syntax.OpAnyCharNotNL || sub.Op == syntax.OpCharClass && classIsAny(sub.Rune) {
				return re.String()
			}
		}
	}
	for _, sub := range re.Sub {
		if s := unboundedAny(sub); s != "" {
			return s
		}
	}
	return ""
}

// classIsAny reports whether a character class holds every ASCII character
// but at most a newline, like [\s\S] or [^\n].
func classIsAny(ranges []rune) bool {
	in := func(c rune) bool {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= c && c <= ranges[i+1] {
				return true
			}
		}
		return false
	}
	for c := rune(0); c < 128; c++ {
		if c != '\n' && !in(c) {
			return false
		}
	}
	return true
}

func TestUnboundedAny(t *testing.T) {
	t.Parallel()
	for re, want := range map[string]bool{
		`a.*b`: true, `a.+`: true, `(?s:.*)`: true, `[\s\S]*`: true, `[^\n]+`: true, `x{2,}.{3,}`: true,
		`a.{0,40}b`: false, `[^"]*`: false, `\s*=\s*`: false, `[A-Za-z0-9]+`: false, `.?`: false,
	} {
		prog, err := syntax.Parse(re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := unboundedAny(prog) != ""; got != want {
			t.Errorf("unboundedAny(%q) = %v, want %v", re, got, want)
		}
	}
}

func TestDefaultRuleMetadata(t *testing.T) {
	t.Parallel()
	for _, r := range loadDefault(t).Rules() {
		if strings.TrimSpace(r.Remediation) == "" {
			t.Errorf("rule %q has no remediation", r.ID)
		}
		if strings.TrimSpace(r.Description) == "" {
			t.Errorf("rule %q has no description", r.ID)
		}
		if strings.TrimSpace(r.Provider) == "" {
			t.Errorf("rule %q has no provider", r.ID)
		}
		if r.Severity.Rank() == 0 {
			t.Errorf("rule %q has severity %q", r.ID, r.Severity)
		}
		if r.Check != "" && !slicesContains(rules.CheckNames(), r.Check) {
			t.Errorf("rule %q names unknown check %q", r.ID, r.Check)
		}
	}
}

func slicesContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// coverage is the provider list of issue 2. Each entry lists the names a
// rule's provider field may use for it; the first is the canonical one.
var coverage = [][]string{
	// AI providers.
	{"OpenAI"}, {"Anthropic"}, {"Google", "Gemini"}, {"Azure", "Microsoft Azure"}, {"Hugging Face"},
	{"Groq"}, {"xAI"}, {"Perplexity"}, {"OpenRouter"}, {"Mistral"}, {"Cohere"}, {"Replicate"},
	{"DeepSeek"}, {"Together"}, {"Fireworks"}, {"LangSmith", "LangChain"}, {"Pinecone"},
	// Cloud.
	{"AWS", "Amazon Web Services"}, {"GCP", "Google Cloud"}, {"DigitalOcean"}, {"Alibaba"}, {"Heroku"},
	{"Vercel"}, {"Netlify"}, {"Cloudflare"}, {"Fastly"}, {"Fly.io", "Fly"}, {"Supabase"}, {"Firebase"},
	// Source control and CI.
	{"GitHub"}, {"GitLab"}, {"Bitbucket"}, {"Atlassian", "Jira", "Confluence"}, {"CircleCI"},
	{"Travis CI", "Travis"}, {"Buildkite"}, {"Docker Hub", "Docker"}, {"npm"}, {"PyPI"}, {"RubyGems"},
	{"NuGet"}, {"crates.io", "Cargo"}, {"Terraform Cloud", "Terraform", "HCP Terraform"},
	{"HashiCorp Vault", "Vault"}, {"Doppler"}, {"1Password"}, {"Pulumi"},
	// Payments and commerce.
	{"Stripe"}, {"Square"}, {"PayPal"}, {"Braintree"}, {"Shopify"}, {"Adyen"}, {"Razorpay"},
	{"Plaid"}, {"Coinbase"},
	// Messaging, CRM and e-mail.
	{"Slack"}, {"Discord"}, {"Telegram"}, {"Microsoft Teams", "Teams"}, {"Twilio"}, {"SendGrid"},
	{"Mailgun"}, {"Mailchimp"}, {"Postmark"}, {"Mandrill"}, {"Brevo", "Sendinblue"}, {"HubSpot"},
	{"Salesforce"}, {"Zendesk"}, {"Intercom"}, {"Freshdesk"}, {"Meta", "Facebook", "WhatsApp"},
	{"Zoom"}, {"Notion"}, {"Linear"}, {"Airtable"}, {"Asana"}, {"Monday", "monday.com"},
	{"Dropbox"}, {"Box"}, {"Figma"},
	// Observability and ops.
	{"Datadog"}, {"New Relic"}, {"Sentry"}, {"Grafana"}, {"PagerDuty"}, {"Honeycomb"},
	{"Dynatrace"}, {"Splunk"}, {"Algolia"}, {"Mapbox"}, {"Okta"}, {"Auth0"}, {"Contentful"},
	{"Segment"}, {"Mixpanel"},
	// Keys and credentials.
	{"Private key", "PEM", "OpenSSH", "SSH"}, {"PGP", "OpenPGP", "GnuPG"}, {"PuTTY"}, {"age"},
	{"JWT", "JSON Web Token"}, {"PostgreSQL", "Postgres"}, {"MySQL"}, {"MongoDB"}, {"Redis"},
	{"RabbitMQ", "AMQP"}, {"JDBC"}, {"SQL Server", "MSSQL"},
	// Generic assignments.
	{"Generic"},
}

// words splits a name into lower-case alphanumeric words.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
}

// names reports whether a provider field names the provider: the name's
// words occur consecutively among the field's words (so "Google AI" names
// Google and "PayPal / Braintree" names both), or they do once spaces are
// ignored ("HuggingFace" names Hugging Face). "Box" is not named by
// "Dropbox", nor "age" by "Package".
func names(provider, name string) bool {
	pw, nw := words(provider), words(name)
	if len(nw) == 0 {
		return false
	}
	joined := strings.Join(nw, "")
	for i := range pw {
		for j := i + 1; j <= len(pw); j++ {
			if strings.Join(pw[i:j], " ") == strings.Join(nw, " ") || strings.Join(pw[i:j], "") == joined {
				return true
			}
		}
	}
	return false
}

func TestNamesProvider(t *testing.T) {
	t.Parallel()
	cases := []struct {
		provider, name string
		want           bool
	}{
		{"OpenAI", "OpenAI", true},
		{"Google AI", "Google", true},
		{"PayPal / Braintree", "Braintree", true},
		{"HuggingFace", "Hugging Face", true},
		{"Hugging Face", "Hugging Face", true},
		{"Fly.io", "Fly.io", true},
		{"Dropbox", "Box", false},
		{"Package registry", "age", false},
		{"age", "age", true},
		{"Microsoft", "Microsoft Teams", false},
		{"", "Generic", false},
	}
	for _, c := range cases {
		if got := names(c.provider, c.name); got != c.want {
			t.Errorf("names(%q, %q) = %v, want %v", c.provider, c.name, got, c.want)
		}
	}
}

func TestDefaultCoverage(t *testing.T) {
	t.Parallel()
	rs := loadDefault(t)
	for _, alts := range coverage {
		found := false
		for _, r := range rs.Rules() {
			for _, name := range alts {
				if names(r.Provider, name) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("no rule has provider %q (accepted names: %q)", alts[0], alts)
		}
	}
}
