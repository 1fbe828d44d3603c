package verify

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/testsecret"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// reply is one canned provider answer.
type reply struct {
	status int
	header map[string]string
	body   string
}

// fake is an httptest TLS server that answers for every provider host;
// the verifier's transport is pointed at it by rewriting each request's
// address (never its Host), the test-only hook of the package.
type fake struct {
	srv     *httptest.Server
	mu      sync.Mutex
	answer  func(r *http.Request) (reply, bool) // false: hang until the client gives up
	seen    []seenRequest
	release chan struct{}
}

type seenRequest struct {
	method, host, path string
	header             http.Header
	body               string
}

func newFake(t *testing.T) *fake {
	f := &fake{release: make(chan struct{})}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 1<<16)
		n, _ := r.Body.Read(b)
		f.mu.Lock()
		f.seen = append(f.seen, seenRequest{r.Method, r.Host, r.URL.RequestURI(), r.Header.Clone(), string(b[:n])})
		answer := f.answer
		f.mu.Unlock()
		rep, ok := answer(r)
		if !ok {
			select {
			case <-r.Context().Done():
			case <-f.release:
			}
			return
		}
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rep.status)
		fmt.Fprint(w, rep.body)
	}))
	t.Cleanup(func() { close(f.release); f.srv.Close() })
	return f
}

func (f *fake) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.seen)
}

// rewrite sends every request to the fake server, keeping its Host.
type rewrite struct {
	base http.RoundTripper
	addr string
}

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Scheme != "https" {
		return nil, errors.New("test transport: not https")
	}
	c := r.Clone(r.Context())
	c.Host = r.URL.Host
	c.URL.Host = rw.addr
	return rw.base.RoundTrip(c)
}

// newTestVerifier returns a verifier whose requests go to f.
func newTestVerifier(f *fake, opt Options) *Verifier {
	opt.Interval = time.Nanosecond
	v := New(opt)
	v.transport = rewrite{base: f.srv.Client().Transport, addr: f.srv.Listener.Addr().String()}
	return v
}

// providerCase describes how one provider answers.
type providerCase struct {
	name    string
	rule    string
	secret  string              // when the secret must be a given one
	related map[string][]string // by rule id
	files   map[string]string   // path -> content; the finding is in the first path
	host    string              // where the secret must go
	valid   reply
	// check inspects the identity of the valid answer.
	check   func(*scanner.Identity) bool
	revoked reply
	scope   reply                // the insufficient-scope answer
	scopeIs scanner.VerifyStatus // what it means
}

func rnd(t *testing.T) string { return testsecret.Random(t, testsecret.Alnum, 36) }

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func ok(body string) reply {
	return reply{status: 200, body: body, header: map[string]string{"Content-Type": "application/json"}}
}

func st(code int, body string) reply { return reply{status: code, body: body} }

func hasAccount(want string) func(*scanner.Identity) bool {
	return func(id *scanner.Identity) bool { return id != nil && id.Account == want }
}

func cases(t *testing.T) []providerCase {
	awsOK := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`
	awsRevoked := `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>`
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE" + " KEY", Bytes: der}))
	gcpID := testsecret.Random(t, "0123456789abcdef", 40)
	gcpFile := js(map[string]string{"type": "service_account", "project_id": "proj-1", "private_key_id": gcpID,
		"private_key": pemKey, "client_email": "ci@proj-1.iam.gserviceaccount.com"})
	sid := "AC" + testsecret.Random(t, "0123456789abcdef", 32)

	return []providerCase{
		{name: "OpenAI", rule: "openai-project-api-key", host: "api.openai.com",
			valid:   reply{200, map[string]string{"Openai-Organization": "org-acme"}, `{"object":"list","data":[]}`},
			check:   func(id *scanner.Identity) bool { return id != nil && id.Organisation == "org-acme" },
			revoked: st(401, `{"error":{"code":"invalid_api_key"}}`), scope: st(403, `{"error":{}}`), scopeIs: scanner.Live},
		{name: "OpenAI admin", rule: "openai-admin-key", host: "api.openai.com",
			valid: ok(`{"object":"list","data":[]}`), check: func(id *scanner.Identity) bool { return id != nil && slices.Contains(id.Scopes, "admin") },
			revoked: st(401, `{}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Anthropic", rule: "anthropic-api-key", host: "api.anthropic.com",
			valid:   reply{200, map[string]string{"Anthropic-Organization-Id": "org-9"}, `{"data":[],"has_more":false}`},
			check:   func(id *scanner.Identity) bool { return id != nil && id.Organisation == "org-9" },
			revoked: st(401, `{"type":"error","error":{"type":"authentication_error"}}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Anthropic admin", rule: "anthropic-admin-key", host: "api.anthropic.com",
			valid:   ok(`{"id":"12345678-1234-5678-1234-567812345678","name":"Acme","type":"organization"}`),
			check:   func(id *scanner.Identity) bool { return id != nil && id.Organisation == "Acme" },
			revoked: st(401, `{}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "GitHub classic", rule: "github-classic-pat", host: "api.github.com",
			valid: reply{200, map[string]string{"X-OAuth-Scopes": "repo, read:org"}, `{"login":"octocat","id":1,"type":"User","company":"GitHub"}`},
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Account == "octocat" && slices.Equal(id.Scopes, []string{"read:org", "repo"})
			},
			revoked: st(401, `{"message":"Bad credentials"}`), scope: st(403, `{"message":"Resource not accessible by personal access token"}`), scopeIs: scanner.Live},
		{name: "GitHub fine-grained", rule: "github-fine-grained-pat", host: "api.github.com",
			valid: ok(`{"login":"octocat","id":1,"type":"User"}`), check: hasAccount("octocat"),
			revoked: st(401, `{}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "GitHub OAuth", rule: "github-oauth-token", host: "api.github.com",
			valid: ok(`{"login":"monalisa","id":2,"type":"User"}`), check: hasAccount("monalisa"),
			revoked: st(401, `{}`), scope: reply{403, map[string]string{"X-RateLimit-Remaining": "0"}, `{}`}, scopeIs: scanner.Unknown},
		{name: "GitHub app", rule: "github-server-to-server-token", host: "api.github.com",
			valid: ok(`{"total_count":3,"repositories":[{"owner":{"login":"acme"}}]}`),
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Organisation == "acme" && id.Details["repositories"] == "3"
			},
			revoked: st(401, `{}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "GitLab", rule: "gitlab-pat", host: "gitlab.com",
			valid: ok(`{"id":4,"name":"deploy","revoked":false,"active":true,"scopes":["api","read_user"],"user_id":42,"expires_at":"2027-01-01"}`),
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Account == "user 42" && slices.Equal(id.Scopes, []string{"api", "read_user"})
			},
			revoked: st(401, `{"message":"401 Unauthorized"}`), scope: st(403, `{"error":"insufficient_scope"}`), scopeIs: scanner.Live},
		{name: "Slack", rule: "slack-bot-token", host: "slack.com",
			valid: reply{200, map[string]string{"X-OAuth-Scopes": "chat:write,channels:read"}, `{"ok":true,"url":"https://acme.slack.com/","team":"Acme","user":"bot","team_id":"T1","user_id":"U1"}`},
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Account == "bot" && id.Organisation == "Acme" && len(id.Scopes) == 2
			},
			revoked: ok(`{"ok":false,"error":"invalid_auth"}`), scope: ok(`{"ok":false,"error":"missing_scope"}`), scopeIs: scanner.Unknown},
		{name: "Stripe", rule: "stripe-restricted-key", host: "api.stripe.com",
			valid: ok(`{"id":"acct_1","email":"ops@acme.test","business_profile":{"name":"Acme"}}`),
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Account == "acct_1" && id.Organisation == "Acme"
			},
			revoked: st(401, `{"error":{"type":"invalid_request_error"}}`), scope: st(403, `{"error":{"type":"invalid_request_error","code":"secret_key_required"}}`), scopeIs: scanner.Live},
		{name: "AWS key ID", rule: "aws-access-key-id", host: "sts.amazonaws.com",
			related: map[string][]string{"aws-secret-access-key": {testsecret.Random(t, testsecret.Alnum, 40)}},
			valid:   reply{200, map[string]string{"Content-Type": "text/xml"}, awsOK},
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Account == "arn:aws:iam::123456789012:user/ci" && id.Organisation == "123456789012"
			},
			revoked: st(403, awsRevoked), scope: st(403, `<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>`), scopeIs: scanner.Unknown},
		{name: "AWS secret", rule: "aws-secret-access-key", host: "sts.amazonaws.com",
			related: map[string][]string{"aws-access-key-id": {"AKIA" + testsecret.Random(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}},
			valid:   reply{200, nil, awsOK}, check: func(id *scanner.Identity) bool { return id != nil && id.Organisation == "123456789012" },
			revoked: st(403, awsRevoked), scope: st(403, `<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>`), scopeIs: scanner.Revoked},
		{name: "GCP", rule: "gcp-service-account-key", host: "oauth2.googleapis.com", secret: gcpID,
			files: map[string]string{"sa.json": gcpFile},
			valid: ok(`{"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"}`),
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Account == "ci@proj-1.iam.gserviceaccount.com" && id.Organisation == "proj-1"
			},
			revoked: st(400, `{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`), scope: st(400, `{"error":"invalid_scope"}`), scopeIs: scanner.Unknown},
		{name: "SendGrid", rule: "sendgrid-api-key", host: "api.sendgrid.com",
			valid: ok(`{"scopes":["mail.send","alerts.read"]}`), check: func(id *scanner.Identity) bool { return id != nil && len(id.Scopes) == 2 },
			revoked: st(401, `{"errors":[{"message":"authorization required"}]}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Twilio API key", rule: "twilio-api-key", host: "api.twilio.com",
			related: map[string][]string{"twilio-api-key-secret": {rnd(t)}},
			valid:   ok(`{"accounts":[{"sid":"AC1","friendly_name":"Acme","status":"active"}]}`), check: hasAccount("AC1"),
			revoked: st(401, `{"code":20003}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Twilio auth token", rule: "twilio-auth-token", host: "api.twilio.com",
			files: map[string]string{"twilio.env": "TWILIO_ACCOUNT_SID=" + sid + "\n"},
			valid: ok(`{"accounts":[{"sid":"` + sid + `","friendly_name":"Acme","status":"active"}]}`), check: hasAccount(sid),
			revoked: st(401, `{"code":20003}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Mailgun", rule: "mailgun-api-key", host: "api.mailgun.net",
			valid: ok(`{"total_count":1,"items":[{"name":"mg.acme.test"}]}`), check: func(id *scanner.Identity) bool { return id != nil && id.Details["first_domain"] == "mg.acme.test" },
			revoked: st(401, `Forbidden`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Postmark", rule: "postmark-server-token", host: "api.postmarkapp.com",
			valid: ok(`{"ID":7,"Name":"Production"}`), check: hasAccount("Production"),
			revoked: st(401, `{"ErrorCode":10,"Message":"No Account or Server API tokens were supplied"}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "npm", rule: "npm-access-token", host: "registry.npmjs.org",
			valid: ok(`{"username":"acme-bot"}`), check: hasAccount("acme-bot"),
			revoked: st(401, `{"error":"unauthorized"}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Hugging Face", rule: "huggingface-access-token", host: "huggingface.co",
			valid: ok(`{"type":"user","name":"ada","orgs":[{"name":"acme"}],"auth":{"type":"access_token","accessToken":{"displayName":"ci","role":"write"}}}`),
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Account == "ada" && id.Organisation == "acme" && slices.Equal(id.Scopes, []string{"write"})
			},
			revoked: st(401, `{"error":"Invalid credentials in Authorization header"}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Google API key", rule: "google-api-key", host: "generativelanguage.googleapis.com",
			valid: ok(`{"models":[]}`), check: func(id *scanner.Identity) bool { return id == nil },
			revoked: st(400, `{"error":{"code":400,"status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}`),
			scope:   st(403, `{"error":{"code":403,"status":"PERMISSION_DENIED","details":[{"reason":"SERVICE_DISABLED"}]}}`), scopeIs: scanner.Live},
		{name: "Datadog", rule: "datadog-api-key", host: "api.datadoghq.com",
			valid: ok(`{"valid":true}`), check: func(id *scanner.Identity) bool { return id == nil },
			revoked: st(403, `{"errors":["Forbidden"]}`), scope: st(403, `{"errors":["Forbidden"]}`), scopeIs: scanner.Revoked},
		{name: "Datadog app key", rule: "datadog-app-key", host: "api.datadoghq.com",
			related: map[string][]string{"datadog-api-key": {rnd(t)}},
			valid:   ok(`{"status":"ok"}`), check: func(id *scanner.Identity) bool { return id == nil },
			revoked: st(401, `{"errors":["Unauthorized"]}`), scope: st(403, `{"errors":["Forbidden"]}`), scopeIs: scanner.Revoked},
		{name: "New Relic", rule: "new-relic-user-api-key", host: "api.newrelic.com",
			valid: ok(`{"data":{"actor":{"user":{"id":5,"name":"Ada","email":"ada@acme.test"}}}}`), check: hasAccount("Ada"),
			revoked: ok(`{"data":null,"errors":[{"message":"Invalid API key","extensions":{"errorClass":"UNAUTHORIZED"}}]}`),
			scope:   st(403, `{"errors":[{"message":"forbidden"}]}`), scopeIs: scanner.Unknown},
		{name: "Sentry", rule: "sentry-user-token", host: "sentry.io",
			valid: ok(`[{"slug":"acme","name":"Acme"}]`), check: func(id *scanner.Identity) bool { return id != nil && id.Organisation == "acme" },
			revoked: st(401, `{"detail":"Invalid token"}`), scope: st(403, `{"detail":"You do not have permission"}`), scopeIs: scanner.Live},
		{name: "Heroku", rule: "heroku-api-key", host: "api.heroku.com",
			valid: ok(`{"email":"ada@acme.test","id":"01234567-89ab-cdef-0123-456789abcdef","name":"Ada"}`), check: hasAccount("Ada"),
			revoked: st(401, `{"id":"unauthorized"}`), scope: st(403, `{"id":"forbidden"}`), scopeIs: scanner.Live},
		{name: "DigitalOcean", rule: "digitalocean-personal-access-token", host: "api.digitalocean.com",
			valid: ok(`{"account":{"email":"ada@acme.test","uuid":"u-1","status":"active","team":{"name":"Acme"}}}`),
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Email == "ada@acme.test" && id.Organisation == "Acme"
			},
			revoked: st(401, `{"id":"unauthorized"}`), scope: st(403, `{"id":"forbidden"}`), scopeIs: scanner.Live},
		{name: "Cloudflare", rule: "cloudflare-api-token", host: "api.cloudflare.com",
			valid: ok(`{"success":true,"result":{"id":"tok-1","status":"active"}}`), check: func(id *scanner.Identity) bool { return id != nil && id.Details["token_id"] == "tok-1" },
			revoked: st(401, `{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}]}`), scope: ok(`{"success":true,"result":{"id":"tok-1","status":"disabled"}}`), scopeIs: scanner.Revoked},
		{name: "Discord", rule: "discord-bot-token", host: "discord.com",
			valid: ok(`{"id":"80351110224678912","username":"acme-bot","bot":true}`), check: hasAccount("acme-bot"),
			revoked: st(401, `{"message":"401: Unauthorized","code":0}`), scope: st(403, `{}`), scopeIs: scanner.Live},
		{name: "Telegram", rule: "telegram-bot-token", host: "api.telegram.org",
			valid: ok(`{"ok":true,"result":{"id":42,"is_bot":true,"first_name":"Acme","username":"acme_bot"}}`), check: hasAccount("acme_bot"),
			revoked: st(401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`), scope: st(404, `{"ok":false,"error_code":404,"description":"Not Found"}`), scopeIs: scanner.Invalid},
		{name: "Notion", rule: "notion-api-token", host: "api.notion.com",
			valid: ok(`{"object":"user","id":"u1","name":"Acme bot","type":"bot","bot":{"workspace_name":"Acme"}}`),
			check: func(id *scanner.Identity) bool {
				return id != nil && id.Account == "Acme bot" && id.Organisation == "Acme"
			},
			revoked: st(401, `{"object":"error","status":401,"code":"unauthorized"}`), scope: st(403, `{"object":"error","code":"restricted_resource"}`), scopeIs: scanner.Live},
		{name: "Linear", rule: "linear-api-key", host: "api.linear.app",
			valid:   ok(`{"data":{"viewer":{"id":"1","name":"Ada","email":"ada@acme.test"},"organization":{"name":"Acme","urlKey":"acme"}}}`),
			check:   func(id *scanner.Identity) bool { return id != nil && id.Account == "Ada" && id.Organisation == "Acme" },
			revoked: st(400, `{"errors":[{"message":"Authentication required, not authenticated","extensions":{"code":"AUTHENTICATION_ERROR"}}]}`),
			scope:   st(403, `{"errors":[{"message":"Forbidden","extensions":{"code":"FORBIDDEN"}}]}`), scopeIs: scanner.Unknown},
		{name: "Shopify", rule: "shopify-access-token", host: "acme-store.myshopify.com",
			files:   map[string]string{"shop.env": "SHOP=acme-store.myshopify.com\n"},
			valid:   ok(`{"shop":{"name":"Acme","email":"ops@acme.test","myshopify_domain":"acme-store.myshopify.com","plan_name":"basic"}}`),
			check:   func(id *scanner.Identity) bool { return id != nil && id.Organisation == "Acme" },
			revoked: st(401, `{"errors":"[API] Invalid API key or access token"}`), scope: st(403, `{"errors":"[API] This action requires merchant approval for read_shop scope."}`), scopeIs: scanner.Live},
	}
}

// TestProviders runs every provider against its fake: a valid key, a
// revoked one, insufficient scope, a rate limit, a malformed answer and a
// provider that does not answer in time. Each request must go to the
// provider's own host, over HTTPS, carrying the secret.
func TestProviders(t *testing.T) {
	scenarios := []string{"valid", "revoked", "scope", "ratelimited", "malformed", "slow"}
	for _, pc := range cases(t) {
		for _, sc := range scenarios {
			t.Run(pc.name+"/"+sc, func(t *testing.T) {
				f := newFake(t)
				var rep reply
				hang := false
				want := scanner.Unknown
				switch sc {
				case "valid":
					rep, want = pc.valid, scanner.Live
				case "revoked":
					rep, want = pc.revoked, scanner.Revoked
				case "scope":
					rep, want = pc.scope, pc.scopeIs
				case "ratelimited":
					rep = reply{429, map[string]string{"Retry-After": "30"}, `{"error":"rate limited"}`}
				case "malformed":
					rep = reply{200, map[string]string{"Content-Type": "text/html"}, `<html>captive portal</html>`}
				case "slow":
					hang = true
				}
				f.answer = func(*http.Request) (reply, bool) { return rep, !hang }
				secret := rnd(t)
				if pc.secret != "" {
					secret = pc.secret
				}
				path := "config.env"
				for p := range pc.files {
					path = p
				}
				fs := []scanner.Finding{{RuleID: pc.rule, Secret: secret, Fingerprint: "fp-" + sc, Locations: []scanner.Location{{Path: path}}}}
				for rule, ss := range pc.related {
					for _, s := range ss {
						fs = append(fs, scanner.Finding{RuleID: rule, Secret: s, Fingerprint: "rel-" + s[:6], Locations: []scanner.Location{{Path: path}}})
					}
				}
				opt := Options{Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }}
				if pc.files != nil {
					opt.ReadFile = func(p string) ([]byte, error) {
						if c, ok := pc.files[p]; ok {
							return []byte(c), nil
						}
						return nil, errors.New("no such file")
					}
				}
				v := newTestVerifier(f, opt)
				if hang {
					v.timeout = 100 * time.Millisecond // the client gives up; no test waits 5 s
				}
				v.Verify(context.Background(), fs)
				got := fs[0].Verification
				if got == nil {
					t.Fatal("no verification")
				}
				if got.Status != want {
					t.Fatalf("status %q (%s), want %q", got.Status, got.Error, want)
				}
				if !got.CheckedAt.Equal(opt.Now()) {
					t.Errorf("checked_at %v", got.CheckedAt)
				}
				if sc == "valid" && !pc.check(got.Identity) {
					t.Errorf("identity %+v", got.Identity)
				}
				if sc != "valid" && got.Status != scanner.Live && got.Error == "" {
					t.Error("no reason given")
				}
				if sc == "slow" && !strings.Contains(got.Error, "did not answer") {
					t.Errorf("slow: %q", got.Error)
				}
				if strings.Contains(got.Error, secret) {
					t.Error("the error quotes the secret")
				}
				reqs := f.requests()
				if len(reqs) == 0 && sc != "slow" {
					// A loaded machine (or the race detector) may spend the
					// slow case's 100 ms in the TLS handshake, before the
					// fake sees the request: the status checked above is what
					// that case is about.
					t.Fatal("no request made")
				}
				carriedAny := false
				for _, r := range reqs {
					if r.host != pc.host {
						t.Errorf("request to %q, want %q", r.host, pc.host)
					}
					if !specFor(pc.rule).allows(r.host) {
						t.Errorf("host %q not among the provider's", r.host)
					}
					if r.method != "GET" && !slices.Contains(postOK, r.host) {
						t.Errorf("%s to %s: only GET is expected there", r.method, r.host)
					}
					carried := strings.Contains(r.path, secret) || strings.Contains(r.body, secret)
					for _, vs := range r.header {
						for _, hv := range vs {
							carried = carried || strings.Contains(hv, secret) || strings.Contains(decodeBasic(hv), secret)
						}
					}
					carriedAny = carriedAny || carried
				}
				// AWS signs with the secret and GCP with the private key:
				// neither is sent.
				// (A slow case whose request never reached the fake, see
				// above, has nothing to check here.)
				if len(reqs) > 0 && !carriedAny && pc.rule != "gcp-service-account-key" && pc.rule != "aws-secret-access-key" {
					t.Errorf("no request carried the secret")
				}
			})
		}
	}
}

// postOK are the hosts whose read-only checks are POSTs (auth.test, a
// GraphQL query, STS, the OAuth token endpoint).
var postOK = []string{"slack.com", "api.newrelic.com", "api.linear.app", "sts.amazonaws.com", "oauth2.googleapis.com"}

func decodeBasic(h string) string {
	s, ok := strings.CutPrefix(h, "Basic ")
	if !ok {
		return ""
	}
	b, _ := base64Decode(s)
	return string(b)
}

// TestSpecsCoverEnoughProviders checks the list, that every rule
// exists among the default rules, and that endpoints are HTTPS constants.
func TestSpecsCoverEnoughProviders(t *testing.T) {
	want := []string{"AWS", "Anthropic", "Cloudflare", "Datadog", "DigitalOcean", "Discord", "GCP", "GitHub", "GitLab", "Google",
		"Heroku", "Hugging Face", "Linear", "Mailgun", "New Relic", "Notion", "OpenAI", "Postmark", "SendGrid", "Sentry",
		"Shopify", "Slack", "Stripe", "Telegram", "Twilio", "npm"}
	got := Providers()
	for _, p := range want {
		if !slices.Contains(got, p) {
			t.Errorf("no verifier for %s", p)
		}
	}
	if len(got) < 25 {
		t.Errorf("%d providers", len(got))
	}
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{}
	for _, pc := range cases(t) {
		tested[pc.rule] = true
	}
	for _, s := range specs {
		for _, id := range s.rules {
			r := rs.Rule(id)
			if r == nil {
				t.Errorf("%s: rule %s does not exist", s.name, id)
				continue
			}
			if r.Provider != s.name && !(s.name == "GCP" && r.Provider == "GCP") {
				t.Errorf("rule %s is %s's, verified as %s's", id, r.Provider, s.name)
			}
		}
		for _, h := range s.hosts {
			if strings.ContainsAny(h, "/:@") {
				t.Errorf("%s: host %q", s.name, h)
			}
		}
	}
}

// TestRedirects: a redirect within the provider's host is followed; one to
// another host or to plain HTTP is not, and the other host never sees the
// secret.
func TestRedirects(t *testing.T) {
	for _, tc := range []struct {
		location string
		want     scanner.VerifyStatus
	}{
		{"/api/whoami-v2-moved", scanner.Live},
		{"https://evil.example/steal", scanner.Unknown},
		{"http://huggingface.co/api/whoami-v2", scanner.Unknown},
	} {
		t.Run(tc.location, func(t *testing.T) {
			f := newFake(t)
			f.answer = func(r *http.Request) (reply, bool) {
				if r.URL.Path == "/api/whoami-v2" {
					return reply{302, map[string]string{"Location": tc.location}, ""}, true
				}
				return ok(`{"name":"ada"}`), true
			}
			v := newTestVerifier(f, Options{})
			fs := []scanner.Finding{{RuleID: "huggingface-access-token", Secret: rnd(t), Fingerprint: "a"}}
			v.Verify(context.Background(), fs)
			if got := fs[0].Verification; got.Status != tc.want {
				t.Fatalf("status %s (%s), want %s", got.Status, got.Error, tc.want)
			}
			for _, r := range f.requests() {
				if r.host != "huggingface.co" {
					t.Errorf("followed to %s", r.host)
				}
			}
		})
	}
}

// failing is a transport that fails every request with err, counting them.
type failing struct {
	mu    sync.Mutex
	calls int
	err   func(host string) error
}

func (f *failing) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	return nil, f.err(r.URL.Hostname())
}

// TestNoNetwork: without DNS every status is unknown with the reason, and
// only the first few hosts are tried at all.
func TestNoNetwork(t *testing.T) {
	tr := &failing{err: func(host string) error {
		return &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}}
	v := New(Options{Interval: time.Nanosecond, Concurrency: 1})
	v.transport = tr
	var fs []scanner.Finding
	for i, rule := range []string{"github-classic-pat", "npm-access-token", "sendgrid-api-key", "huggingface-access-token", "openai-project-api-key", "discord-bot-token", "notion-api-token"} {
		for j := range 5 {
			fs = append(fs, scanner.Finding{RuleID: rule, Secret: rnd(t), Fingerprint: fmt.Sprint(i, j)})
		}
	}
	v.Verify(context.Background(), fs)
	for _, f := range fs {
		if f.Verification == nil || f.Verification.Status != scanner.Unknown || !strings.Contains(f.Verification.Error, "DNS lookup") {
			t.Fatalf("%s: %+v", f.RuleID, f.Verification)
		}
	}
	if tr.calls > downAfter {
		t.Errorf("%d requests tried without network, want at most %d", tr.calls, downAfter)
	}
	// Nothing unknown because of the network is cached.
	if _, ok := v.opt.Cache.Get(fs[0].Fingerprint); ok {
		t.Error("a network failure was cached")
	}
}

// TestProxyDown: an unreachable HTTPS_PROXY ends verification after one
// request.
func TestProxyDown(t *testing.T) {
	tr := &failing{err: func(string) error {
		return &net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("connect: connection refused")}
	}}
	v := New(Options{Interval: time.Nanosecond, Concurrency: 1})
	v.transport = tr
	fs := []scanner.Finding{{RuleID: "npm-access-token", Secret: rnd(t), Fingerprint: "1"}, {RuleID: "discord-bot-token", Secret: rnd(t), Fingerprint: "2"}}
	v.Verify(context.Background(), fs)
	if tr.calls != 1 || !strings.Contains(fs[1].Verification.Error, "proxy") {
		t.Errorf("%d calls, %+v", tr.calls, fs[1].Verification)
	}
}

// TestSecretNeverInError: a transport error quoting the URL (Telegram's
// token is in its path) does not reach the report.
func TestSecretNeverInError(t *testing.T) {
	secret := "1234567:" + rnd(t)
	v := New(Options{Interval: time.Nanosecond})
	v.transport = &failing{err: func(string) error { return errors.New("GET https://api.telegram.org/bot" + secret + "/getMe: boom") }}
	fs := []scanner.Finding{{RuleID: "telegram-bot-token", Secret: secret, Fingerprint: "t"}}
	v.Verify(context.Background(), fs)
	if e := fs[0].Verification.Error; strings.Contains(e, secret) || strings.Contains(e, secret[8:]) || e == "" {
		t.Errorf("error %q", e)
	}
}

// TestNotSent: webhooks, redacted secrets and missing companions are never
// sent anywhere; rules without a verifier get no verification.
func TestNotSent(t *testing.T) {
	f := newFake(t)
	f.answer = func(*http.Request) (reply, bool) { return ok(`{}`), true }
	v := newTestVerifier(f, Options{})
	fs := []scanner.Finding{
		{RuleID: "slack-webhook-url", Secret: "https://hooks.slack.com/services/" + rnd(t), Fingerprint: "w"},
		{RuleID: "github-classic-pat", Secret: "ghp_…", Fingerprint: "r"},
		{RuleID: "aws-access-key-id", Secret: "AKIA" + rnd(t)[:16], Fingerprint: "k"},
		{RuleID: "shopify-access-token", Secret: rnd(t), Fingerprint: "s"},
		{RuleID: "generic-password-assignment", Secret: rnd(t), Fingerprint: "g"},
	}
	v.Verify(context.Background(), fs)
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
	for _, f := range fs[:4] {
		if f.Verification == nil || f.Verification.Status != scanner.Unknown || !strings.Contains(f.Verification.Error, "not verified") {
			t.Errorf("%s: %+v", f.RuleID, f.Verification)
		}
	}
	if fs[4].Verification != nil {
		t.Error("a rule without a verifier was verified")
	}
}

// TestCache: one request per fingerprint, a fresh result is reused, a
// stale one is asked again.
func TestCache(t *testing.T) {
	f := newFake(t)
	f.answer = func(*http.Request) (reply, bool) { return ok(`{"username":"ada"}`), true }
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	cache := NewMemoryCache(time.Hour, clock)
	v := newTestVerifier(f, Options{Cache: cache, Now: clock})
	secret := rnd(t)
	fs := []scanner.Finding{
		{RuleID: "npm-access-token", Secret: secret, Fingerprint: "same"},
		{RuleID: "npm-access-token", Secret: secret, Fingerprint: "same"},
	}
	v.Verify(context.Background(), fs)
	v.Verify(context.Background(), fs)
	if n := len(f.requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	if fs[1].Verification.Status != scanner.Live {
		t.Fatalf("%+v", fs[1].Verification)
	}
	now = now.Add(2 * time.Hour)
	v.Verify(context.Background(), fs)
	if n := len(f.requests()); n != 2 {
		t.Fatalf("%d requests after the TTL, want 2", n)
	}
}

// TestConcurrencyBound: no more requests in flight than Concurrency.
func TestConcurrencyBound(t *testing.T) {
	f := newFake(t)
	var mu sync.Mutex
	inFlight, most := 0, 0
	f.answer = func(*http.Request) (reply, bool) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		return ok(`{"username":"ada"}`), true
	}
	v := newTestVerifier(f, Options{Concurrency: 2})
	var fs []scanner.Finding
	for i := range 12 {
		fs = append(fs, scanner.Finding{RuleID: "npm-access-token", Secret: rnd(t), Fingerprint: fmt.Sprint(i)})
	}
	v.Verify(context.Background(), fs)
	if most > 2 {
		t.Errorf("%d requests at once", most)
	}
	for _, f := range fs {
		if f.Verification.Status != scanner.Live {
			t.Fatalf("%+v", f.Verification)
		}
	}
}

// TestSigV4 reproduces the signature of AWS's documented example
// (GET iam ListUsers, 20150830T123600Z, AKIDEXAMPLE).
func TestSigV4(t *testing.T) {
	secret := "wJalrXUtnFEMI/K7MDENG+bPxRfi" + "CYEXAMPLEKEY"
	ts := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	if got := fmt.Sprintf("%x", signingKey(secret, "20150830", "us-east-1", "iam")); got != "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9" {
		t.Errorf("signing key %s", got)
	}
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "X-Amz-Date": "20150830T123600Z"}
	got := signV4("GET", "iam.amazonaws.com", "/", "Action=ListUsers&Version=2010-05-08", h, "", "AKIDEXAMPLE", secret, "us-east-1", "iam", ts)
	want := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
