package rules

import (
	"encoding/base64"
	mrand "math/rand/v2"
	"strings"
	"testing"
)

// Credentials in this file are assembled at run time from parts, so the
// source holds nothing that looks like a literal secret.

// fake joins parts: fake("kQ9", "zR2") is "kQ9zR2".
func fake(parts ...string) string { return strings.Join(parts, "") }

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestNameKind(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		want credKind
	}{
		// Passwords in every casing.
		{"password", passwordKind},
		{"PASSWORD", passwordKind},
		{"db_password", passwordKind},
		{"dbPassword", passwordKind},
		{"db-password", passwordKind},
		{"DB_PASSWORD_PROD", passwordKind},
		{"MYSQL_ROOT_PASSWORD", passwordKind},
		{"PGPASSWORD", passwordKind},
		{"spring.datasource.password", passwordKind},
		{"smtpPassword2", passwordKind},
		{"passwd", passwordKind},
		{"pwd", passwordKind},
		{"DB_PASS", passwordKind},
		{"storepass", passwordKind},
		{"keyPassword", passwordKind},
		{"passphrase", passwordKind},
		{"$this->password", passwordKind},
		{"setPassword", passwordKind},
		{"new_password", passwordKind},
		// Machine-made secrets.
		{"secret", secretKind},
		{"client_secret", secretKind},
		{"clientSecret", secretKind},
		{"cookieValidationKey", secretKind}, // Yii's HMAC key
		{"validationKey", secretKind},       // ASP.NET machineKey
		{"CLIENT_SECRET", secretKind},
		{"token", secretKind},
		{"access_token", secretKind},
		{"authToken", secretKind},
		{"refresh_token", secretKind},
		{"GITHUB_TOKEN", secretKind},
		{"api_key", secretKind},
		{"apikey", secretKind},
		{"apiKey", secretKind},
		{"ApiKey", secretKind},
		{"API_KEY", secretKind},
		{"api-key", secretKind},
		{"x-api-key", secretKind},
		{"APIKey", secretKind},
		{"auth", secretKind},
		{"basic_auth", secretKind},
		{"credential", secretKind},
		{"credentials", secretKind},
		{"private_key", secretKind},
		{"privateKey", secretKind},
		{"secret_key", secretKind},
		{"secretKey", secretKind},
		{"aws_secret_access_key", secretKind},
		{"access_key", secretKind},
		{"accesskey", secretKind},
		{"stripe_key", secretKind},
		{"encryption_key", secretKind},
		{"API_KEY_V2", secretKind},
		{"token1", secretKind},
		// A ticket with a qualifier that makes it an access ticket.
		{"jsapi_ticket", secretKind},
		{"fixtures_jsapi_ticket", secretKind},
		{"SERVICE_TICKET", secretKind},
		{"sessionTicket", secretKind},
		{"ticket", notCredential},
		{"support_ticket", notCredential},
		{"jsapi_ticket_url", notCredential},
		{"ticketId", notCredential},
		// An OAuth authorization code.
		{"authCode", secretKind},
		{"expectedAuthCode", secretKind},
		{"auth_code", secretKind},
		{"authorizationCode", secretKind},
		{"authCodeUrl", notCredential},
		{"code", notCredential},
		{"errorCode", notCredential},
		{"auth_code_verifier", notCredential},
		// Not credentials.
		{"password_hint", notCredential},
		{"passwordHint", notCredential},
		{"passwordhint", notCredential},
		{"passwordField", notCredential},
		{"password_confirmation", notCredential},
		{"password_reset_url", notCredential},
		{"DB_PASSWORD_FILE", notCredential},
		{"password_policy", notCredential},
		{"passwords", notCredential},
		{"token_url", notCredential},
		{"tokenUrl", notCredential},
		{"token_endpoint", notCredential},
		{"token_type", notCredential},
		{"tokenizer", notCredential},
		{"tokens", notCredential},
		{"max_tokens", notCredential},
		{"csrf_token", notCredential},
		{"csrfToken", notCredential},
		{"next_page_token", notCredential},
		{"nextPageToken", notCredential},
		{"secret_name", notCredential},
		{"secretName", notCredential},
		{"secretKeyRef", notCredential},
		{"secret_arn", notCredential},
		{"secrets", notCredential},
		{"secretary", notCredential},
		{"api_key_id", notCredential},
		{"apiKeyHeader", notCredential},
		{"public_key", notCredential},
		{"publishableKey", notCredential},
		{"primary_key", notCredential},
		{"cache_key", notCredential},
		{"monkey", notCredential},
		{"compass", notCredential},
		{"bypass", notCredential},
		{"pass_through", notCredential},
		{"oauth", notCredential},
		{"auth_url", notCredential},
		{"authorization", notCredential},
		{"author", notCredential},
		{"hashed_password", notCredential},
		{"getPassword", notCredential},
		{"validate_password", notCredential},
		{"wrong_password", notCredential},
		{"credentials_file", notCredential},
		{"authenticity_token", notCredential},
		{"Onepass", notCredential},
		{"username", notCredential},
		{"token.New", notCredential},
		{"app.jwt.secret", secretKind},
		{"env:API_KEY", secretKind},
		{"", notCredential},
		// A bare key: a secret only if its value looks random.
		{"key", bareKeyKind},
		{"KEY", bareKeyKind},
		{"knownGeneratedKey", bareKeyKind},
		{"the_key", bareKeyKind},
		{"cacheKey", notCredential},
		{"primary_key", notCredential},
		{"publicKey", notCredential},
		{"key_id", notCredential},
		{"nkey", notCredential},
		{"config.key", notCredential},
		{"twitter_oauth_key", secretKind},
		{"botKey", secretKind},
	}
	for _, c := range cases {
		if got := nameKind(c.name); got != c.want {
			t.Errorf("nameKind(%q) = %v, want %v (words %q)", c.name, got, c.want, expandCompounds(splitName(c.name)))
		}
	}
}

func TestSplitName(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"smtpPassword2":   "smtp password 2",
		"APIKey":          "api key",
		"DB_PASSWORD":     "db password",
		"x-api-key":       "x api key",
		"$this->password": "this password",
		"s3cr3t":          "s 3 cr 3 t",
		"HTTPServer":      "http server",
	}
	for in, want := range cases {
		if got := strings.Join(splitName(in), " "); got != want {
			t.Errorf("splitName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReasonNotValue covers every rejection of values that are not
// literals: each reason with values it must catch and near misses it must
// let through (real credentials that resemble them).
func TestReasonNotValue(t *testing.T) {
	t.Parallel()
	cases := []struct {
		reason string
		yes    []string
		no     []string
	}{
		{"empty", []string{""}, nil},
		{"literal", []string{"null", "None", "nil", "true", "FALSE", "undefined", "~", "string", "required", "null;"},
			[]string{fake("nullQ7", "xKz2"), fake("true", "Mq8z!k")}},
		{"template", []string{"${DB_PASSWORD}", "$(cat /run/secrets/db)", "%(db_password)s", "{{ .Values.password }}",
			"#{db.password}", "<your-token>", "<%= ENV['X'] %>", "$DB_PASSWORD", "$env:API_KEY", "%DB_PASSWORD%",
			"@db.password@", "__DB_PASSWORD__", "{password}", "[[ vault_password ]]", "!Ref DbPassword", "!vault |"},
			[]string{fake("kQ9$", "zR2vL8"), fake("a<b", "Xk9z2q"), fake("Zx9{", "kq2}")}},
		{"mask", []string{"****", "********", "xxx", "XXXXXXXX", "sk_xxx_123", "........", "•••••", "abc...xyz", "???", "###"},
			[]string{fake("x1Yq", "9Zk2mW")}},
		{"secret-reference", []string{"vault:secret/data/db#password", "arn:aws:secretsmanager:eu-west-1:123:secret:db",
			"op://Prod/db/password", "projects/my-proj/secrets/db/versions/1", "ref+vault://secret/db#/password",
			"env:DB_PASSWORD", "file:/run/secrets/db"}, nil},
		{"env-lookup", []string{"os.getenv('DB_PASSWORD')", "process.env.API_KEY", "ENV.fetch('TOKEN')", "System.getenv(\"PW\")",
			"secrets.GITHUB_TOKEN", "settings.SECRET_KEY", "import.meta.env.VITE_KEY"},
			[]string{fake("Envq8", "Zk2mW!")}},
		{"function-call", []string{"get_password()", "getpass.getpass()", "ENC(AbC123dEf456)", "generateToken(32)",
			"Vault.read('db')", "str(uuid4())", "fetchSecret(name);"},
			[]string{fake("q(8Zk", "2mW)x!")}},
		{"reference", []string{"self.password", "this.apiKey", "config.db.password", "$this->password", "@password",
			"params[:password]", "request.form['password']", "Settings::TOKEN", "*db_password", "&pw", ":password",
			"C.struct_passwd", "unix.Passwd", "cfg.Password", "C.IFLA_INET6_TOKEN"},
			[]string{fake("eyJhbGciOi", "JIUzI1NiJ9.eyJzdWIiOiIx", "MjM0In0.c2lnbmF0dXJlX3ZhbHVl"), fake("@ky84", "n9w"), fake("wq.k2", "z8h")}},
		{"url", []string{"https://login.acme.io/oauth/token", "http://localhost:8080", "redis://cache:6379/0"},
			[]string{fake("https", "Q8zk2!")}},
		{"email", []string{"ops@acme.io", "first.last+tag@mail.acme.co.uk"}, nil},
		{"hostname", []string{"smtp.mailgun.org", "db-prod.internal", "10.0.3.12", "10.0.3.12:5432", "db.acme.io:5432"},
			[]string{fake("kq8z.", "Wm2x")}},
		{"number", []string{"8080", "3306", "1.2.3", "v2.14.0", "1.0.0-beta.1", "30s", "512Mi", "2024-01-31", "-1", "0.75", "^1.2.0",
			"0xc0506617", "685.230_15e+03", "1e9"},
			[]string{fake("8080", "Qz!k2")}},
		{"hash", []string{fake("$2b$12$", "R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"),
			fake("$argon2id$v=19$m=65536,t=3,p=4$", "c2FsdHNhbHQ$", "aGFzaGhhc2hoYXNo"), fake("pbkdf2_sha256$600000$", "abc$def"),
			fake("{SSHA}", "W6ph5Mm5Pz8GgiULbPgzG37mj9g="), fake("*", "6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9")},
			[]string{fake("2b12", "Qz8kWm")}},
		{"path", []string{"/run/secrets/db_password", "./secrets/token.txt", "~/.ssh/id_rsa", `C:\secrets\db.txt`,
			"certs/db_password.txt", "config/master.key", "id_rsa.pub", "db-password.txt", "../certs/server.pem"},
			[]string{fake("Zk8/q2Wm+", "x9Lp/3Rt="), fake("/9j/4AAQ", "SkZJRgABAQ"), fake("kq/", "Zm8x2WpQ")}},
		{"text", []string{"Enter your password", "Mot de passe", "Passwort vergessen?", "Contraseña", "Пароль", "パスワード"},
			[]string{fake("Xk9 !q@2 ", "#Zm&8 %L")}},
		{"pattern", []string{`^(?=.*[A-Z]).{8,}$`, `[a-z0-9]{32}`, `\d{6}`, "TestVerboseSkip.*", `%s\nsubprocess`},
			[]string{fake("Xk9^q", "2$mW8!"), fake("a.b", "Q9z!k2")}},
		{"url", []string{"api.github.com/foo", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}, []string{fake("urnQ", "9z:k2!mW")}},
		{"placeholder", []string{"your-api-key", "YOUR_TOKEN_HERE", "api-key-goes-here", "REPLACE_WITH_TOKEN",
			"changeme", "my-example-secret", "insert-token-here", "dummy-password", "put_your_key_here", "redacted-2024"},
			[]string{fake("HeRe9", "xQ2zK8"), fake("yQu2", "rZk9")}},
	}
	for _, c := range cases {
		for _, v := range c.yes {
			if got := reasonNotValue(v); got != c.reason {
				t.Errorf("reasonNotValue(%q) = %q, want %q", v, got, c.reason)
			}
		}
		for _, v := range c.no {
			if got := reasonNotValue(v); got == c.reason {
				t.Errorf("reasonNotValue(%q) = %q, want anything else", v, got)
			}
		}
	}
}

func TestIsIdentifier(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"DB_PASSWORD", "passwordInput", "user-password-field", "CLIENT_SECRET_ENV_NAME",
		"prod-db-credentials", "bert-base-uncased", "user2", "api_key_v2", "checkout-v2", "OAuth2Client"} {
		if !isIdentifier(v) {
			t.Errorf("isIdentifier(%q) = false, want true", v)
		}
	}
	for _, v := range []string{fake("hunter2", "prod"), fake("s3cr", "3t"), fake("Qx8z", "Kw2m"), fake("kqzv", "bxnm"),
		"user password", fake("a1b2", "c3d4e5"), "", "2fast"} {
		if isIdentifier(v) {
			t.Errorf("isIdentifier(%q) = true, want false", v)
		}
	}
}

func TestIsWeak(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"password", "Passw0rd!", "P@ssw0rd123", "admin123", "changeme", "changeit", "letmein!",
		"s3cr3t", "supersecretpassword", "my-secret-pw", "test1234", "123456", "root", "Welcome1!", "qwerty123",
		"postgres", "hunter2", "Passwort1", "adminadmin", "!!!"} {
		if !isWeak(v) {
			t.Errorf("isWeak(%q) = false, want true", v)
		}
	}
	for _, v := range []string{fake("hunter2", "-prod"), fake("Summer", "2024!"), fake("Tr0ub4", "dor&3"), fake("zD8~yk", "xr!4k*3"),
		fake("correct", "horse9")} {
		if isWeak(v) {
			t.Errorf("isWeak(%q) = true, want false", v)
		}
	}
}

func TestWordCoverage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v        string
		min, max float64
	}{
		{"bert-base-uncased", 1, 1},
		{"my-super-secret-key-2024", 1, 1},
		{"thisisnotarealtoken", 0.5, 1},
		{"prod-db-credentials", 1, 1},
		{fake("q7Zk2Wm9Rv4Tx8B", "nHc3Lp6Ys1Df5Gj"), 0, 0.2},
		{fake("31c50e736cdd3af", "fe695a5831392fdf3e9e9c35b"), 0, 0.3},
		{fake("django-insecure-1p_y7-mi$w-8=^%ur", "aykc^ei*x*=ti(1@ukn+lp9c(p_ftn^(f"), 0, 0.5},
		{"1234", 0, 0},
	} {
		if got := wordCoverage(c.v); got < c.min || got > c.max {
			t.Errorf("wordCoverage(%q) = %.2f, want %.2f to %.2f", c.v, got, c.min, c.max)
		}
	}
}

func TestDecodedText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		b64("payments:4eEVy9Qn@ul8yDXnc8^I"):                   "payments:4eEVy9Qn@ul8yDXnc8^I",
		strings.TrimRight(b64("admin:hunter2-prod"), "="):      "admin:hunter2-prod",
		base64.URLEncoding.EncodeToString([]byte("a:b?c>d~e")): "a:b?c>d~e",
		"password":     "",
		"cGFzc3dvcmQ=": "password",
		fake("31c50e736", "cdd3affe695a5831392fdf3"): "",
		fake("q7Zk2Wm9Rv4T", "x8BnHc3Lp6Ys"):         "",
		"abc":                                        "",
	} {
		if got := decodedText(in); got != want {
			t.Errorf("decodedText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestJudge is the value judgement end to end: by kind, the values that
// must pass as credentials and the ones that must not, with the reason.
func TestJudge(t *testing.T) {
	t.Parallel()
	cases := []struct {
		kind   credKind
		value  string
		reason string // "" = a credential, "*" = any rejection
	}{
		// Passwords a person chose.
		{passwordKind, fake("hunter2", "-prod"), ""},
		{passwordKind, fake("0q8v0ht", "RSgD%I%"), ""},
		{passwordKind, fake("Summer", "2024!"), ""},
		{passwordKind, fake("Tr0ub4", "dor&3"), ""},
		{passwordKind, fake("kdjfhg", "qzplvx"), ""},
		{passwordKind, fake("kdjfhg", "qzpl"), "letters"},
		{passwordKind, "TestChatty", "letters"},
		{passwordKind, b64(fake("4eEVy9Qn", "@ul8yDXnc8^I")), ""},
		{passwordKind, "changeme", "placeholder"},
		{passwordKind, "P@ssw0rd123", "weak"},
		{passwordKind, "postgres", "weak"},
		{passwordKind, "secret", "literal"},
		{passwordKind, "Passwort", "weak"},
		{passwordKind, "passwordInput", "identifier"},
		{passwordKind, "DB_PASSWORD", "weak"},
		{passwordKind, "Zx9!q", "short"},
		{passwordKind, "qwertyuiop", "weak"},
		{passwordKind, "Qz1234567890", "sequence"},
		{passwordKind, fake("Xy849", "20173"), ""},
		{passwordKind, b64("postgres"), "decoded-weak"},
		{passwordKind, "Enter your password", "text"},
		{passwordKind, fake("$2b$12$", "R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"), "hash"},
		// Secrets a machine made.
		{secretKind, fake("31c50e736cdd3af", "fe695a5831392fdf3e9e9c35b"), ""},
		{secretKind, fake("q7Zk2Wm9Rv4Tx8B", "nHc3Lp6Ys1Df5Gj"), ""},
		{secretKind, fake("3f9a8e7d-1c2b-4a5e", "-9f8d-7c6b5a4e3d2c"), ""},
		{secretKind, fake("django-insecure-1p_y7-mi$w-8=^%ur", "aykc^ei*x*=ti(1@ukn+lp9c(p_ftn^(f"), ""},
		{secretKind, fake("kqzvbxnmtrwpldfh", "gjsyaeuc"), ""},
		{secretKind, b64(fake("svc-backup:P7wylmu", "MLNDzRpaI6JEu5Mqd")), ""},
		{secretKind, "bert-base-uncased", "identifier"},
		{secretKind, "my-super-secret-key-2024", "weak"},
		{secretKind, "CLIENT_SECRET_ENV_NAME", "identifier"},
		{secretKind, fake("hunter2", "-prod"), "identifier"},
		{secretKind, "abcdefghij", "sequence"},
		{secretKind, "Zx9kQ2", "short"},
		{secretKind, "1234567890123", "number"},
		{secretKind, fake("aaaabbbb", "aaaabbbb"), "low-entropy"},
		{secretKind, "thisisnotarealtoken", "*"},
		{secretKind, "sk_test_xxxxxxxxxxxxxxxxxxxx", "mask"},
		{secretKind, "https://oauth2.googleapis.com/token", "url"},
		{secretKind, "orders-tls", "identifier"},
		{secretKind, "i-am-the-worst", "identifier"},
		{secretKind, "SENDGRID_API_KEY", "identifier"},
		{passwordKind, "password_mgr", "identifier"},
		{passwordKind, "pass:insta", "short"},
		{passwordKind, "pass:" + fake("zD8~yk", "xr!4k*3"), ""},
		{passwordKind, "user:password", "weak"},
		{passwordKind, "Onepass", "weak"},
	}
	for _, c := range cases {
		if got := judge(c.kind, c.value); got != c.reason && !(c.reason == "*" && got != "") {
			t.Errorf("judge(%v, %q) = %q, want %q", c.kind, c.value, got, c.reason)
		}
	}
}

func TestContextChecks(t *testing.T) {
	t.Parallel()
	pw := fake("zD8~yk", "xr!4k*3")
	cases := []struct {
		check string
		in    CheckInput
		want  bool
	}{
		{"credential", CheckInput{Secret: fake("q7Zk2Wm9Rv4Tx8B", "nHc3Lp6Ys1Df5Gj"), Name: "api_key"}, true},
		{"credential", CheckInput{Secret: fake("q7Zk2Wm9Rv4Tx8B", "nHc3Lp6Ys1Df5Gj"), Name: "csrf_token"}, false},
		{"credential", CheckInput{Secret: fake("q7Zk2Wm9Rv4Tx8B", "nHc3Lp6Ys1Df5Gj")}, true},
		{"credential", CheckInput{Secret: pw, Name: "password"}, true},
		{"credential", CheckInput{Secret: pw, Name: "password_hint"}, false},
		{"password", CheckInput{Secret: pw}, true},
		{"password", CheckInput{Secret: pw, Name: "passwordField"}, false},
		// Issue 17: a well-known default password assigned to a password
		// opens real systems (Elasticsearch's elastic:changeme).
		{"password", CheckInput{Secret: "changeme"}, true},
		// Issue 17: the default of an environment lookup is a literal the
		// program uses; the same pair without the lookup is as often a
		// list of field names.
		{"password", CheckInput{Secret: "welcome1", Name: "ADMIN_PASSWORD", Match: `os.environ.get('ADMIN_PASSWORD', 'welcome1'`}, true},
		{"password", CheckInput{Secret: "welcome1", Name: "ADMIN_PASSWORD", Match: `('ADMIN_PASSWORD', 'welcome1'`}, false},
		{"password", CheckInput{Secret: "welcome1", Name: "DB_PASSWORD", Match: `process.env.DB_PASSWORD || 'welcome1'`}, true},
		{"password", CheckInput{Secret: "welcome1", Name: "DB_PASSWORD", Match: `${DB_PASSWORD:-welcome1}`}, true},
		{"password", CheckInput{Secret: "DB_PASSWORD_FILE", Name: "DB_PASSWORD", Match: `getenv("DB_PASSWORD", "DB_PASSWORD_FILE"`}, false},
		{"credential-base64", CheckInput{Secret: b64("deploy:" + pw)}, true},
		{"credential-base64", CheckInput{Secret: b64("user:password")}, false},
		// Issue 17: encoded into a Basic header, even user:password is sent
		// to a server; a template or a mask still is not a credential.
		{"credential-base64", CheckInput{Secret: b64("user:password"), Match: "Basic " + b64("user:password")}, true},
		{"credential-base64", CheckInput{Secret: b64("user:${PW}"), Match: "Basic " + b64("user:${PW}")}, false},
		{"credential-base64", CheckInput{Secret: b64("user:password"), Match: "Basically " + b64("user:password")}, false},
		{"credential-base64", CheckInput{Secret: fake("q7Zk2Wm9Rv4Tx8B", "nHc3Lp6Ys1Df5Gj")}, false},
	}
	for _, c := range cases {
		if got := RunCheckInput(c.check, c.in); got != c.want {
			t.Errorf("RunCheckInput(%q, %+v) = %v, want %v", c.check, c.in, got, c.want)
		}
		// Registered for rules, and runnable on the secret alone.
		if _, ok := checks[c.check]; !ok {
			t.Errorf("check %q is not registered", c.check)
		}
	}
}

// TestJudgeRandom: values drawn at random from the alphabets of real
// credentials pass the judgement nearly always (the word list must not
// find words in noise).
func TestJudgeRandom(t *testing.T) {
	t.Parallel()
	r := mrand.New(mrand.NewPCG(8, 8))
	alphabets := []struct {
		name, chars string
		kind        credKind
		n           int
	}{
		{"base62", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", secretKind, 24},
		{"hex", "0123456789abcdef", secretKind, 32},
		{"base64", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", secretKind, 40},
		{"lower", "abcdefghijklmnopqrstuvwxyz", secretKind, 24},
		{"password", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%&*+-=?@^_~", passwordKind, 12},
		{"short-password", "abcdefghijkmnopqrstuvwxyz23456789!@#", passwordKind, 8}, // with a digit or symbol
	}
	for _, a := range alphabets {
		const trials = 2000
		failed := map[string]int{}
		var example string
		for range trials {
			b := make([]byte, a.n)
			for i := range b {
				b[i] = a.chars[r.IntN(len(a.chars))]
			}
			if a.kind == passwordKind {
				b[r.IntN(len(b))] = "23456789!@#"[r.IntN(11)] // password policies ask for one
			}
			if why := judge(a.kind, string(b)); why != "" {
				failed[why]++
				example = string(b)
			}
		}
		n := 0
		for _, c := range failed {
			n += c
		}
		if n*100 > trials { // more than 1%
			t.Errorf("%s: %d of %d random values rejected (%v), e.g. %q", a.name, n, trials, failed, example)
		} else {
			t.Logf("%s: %d of %d rejected %v", a.name, n, trials, failed)
		}
	}
}

func TestInDictionary(t *testing.T) {
	t.Parallel()
	for _, w := range []string{"password", "orders", "caches", "parsed", "loading", "reader", "config", "localhost"} {
		if !inDictionary(w) {
			t.Errorf("inDictionary(%q) = false, want true", w)
		}
	}
	for _, w := range []string{"kq", "xyzs", "zkqv", "orderz", "qwzxed"} {
		if inDictionary(w) {
			t.Errorf("inDictionary(%q) = true, want false", w)
		}
	}
}

func TestJudgeInput(t *testing.T) {
	t.Parallel()
	pw := fake("zD8~yk", "xr!4k*3")
	cases := []struct {
		in   CheckInput
		def  credKind
		want string
	}{
		{CheckInput{Secret: pw, Name: "db_password"}, passwordKind, ""},
		{CheckInput{Secret: "db_password" + pw, Name: "db_password"}, passwordKind, "self-reference"},
		{CheckInput{Secret: pw, Name: "password_hint"}, passwordKind, "name"},
		{CheckInput{Secret: pw, Name: "token.New"}, secretKind, "name"},
		{CheckInput{Secret: pw}, passwordKind, ""},
		{CheckInput{Secret: pw, Name: "  "}, passwordKind, ""},
		{CheckInput{Secret: "supersecretfeathers", Name: "secret"}, secretKind, ""},
		{CheckInput{Secret: "secret_key_base", Name: "secret"}, secretKind, "self-reference"},
		{CheckInput{Secret: "$SECRET", Name: "secret"}, secretKind, "self-reference"},
		{CheckInput{Secret: fake("8934e7d154", "53e97507ef794cf7b0519d"), Name: "KEY"}, secretKind, ""},
		{CheckInput{Secret: fake("u5e1Z25+z8pmgVVt5Pd8k0z/", "sKpVL1MXYtRAecE4vm8="), Name: "key"}, secretKind, ""},
		{CheckInput{Secret: "orders_by_customer_v2", Name: "key"}, secretKind, "identifier"},
		{CheckInput{Secret: fake("Swq", "FmsKxcbq23"), Name: "key"}, secretKind, "short"},
		{CheckInput{Secret: "qxrzkpwmdyhvbtnjcgsf", Name: "key"}, secretKind, "simple"},
		{CheckInput{Secret: "a0123456789bcdef0123", Name: "key"}, secretKind, "sequence"},
		// A test double's credential is one when its value looks
		// machine-random; a word or a short value under such a name is not.
		{CheckInput{Secret: fake("7c3e91ab40d2", "5f86e0b1c9a47d23"), Name: "fakeOTCToken"}, secretKind, ""},
		{CheckInput{Secret: fake("Lq4vT9xN2m", "Rk7sWb3Hy8Zc"), Name: "MOCK_API_KEY"}, secretKind, ""},
		{CheckInput{Secret: "not-a-real-token-value", Name: "fakeToken"}, secretKind, "identifier"},
		{CheckInput{Secret: fake("Xk", "4q9"), Name: "dummy_secret"}, secretKind, "short"},
		{CheckInput{Secret: fake("7c3e91ab40d2", "5f86e0b1c9a47d23"), Name: "fakeCsrfToken"}, secretKind, "name"},
		{CheckInput{Secret: fake("7c3e91ab40d2", "5f86e0b1c9a47d23"), Name: "mock.token"}, secretKind, "name"},
	}
	for _, c := range cases {
		if got := judgeInput(c.in, c.def); got != c.want {
			t.Errorf("judgeInput(%+v, %v) = %q, want %q", c.in, c.def, got, c.want)
		}
	}
}

// TestTestDoubleKind: names of fake, mock and dummy credentials are
// credentials' names once the test-double word is set aside, and only
// then.
func TestTestDoubleKind(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		want credKind
		ok   bool
	}{
		{"fakeOTCToken", secretKind, true},
		{"fakeTsigSecret", secretKind, true},
		{"fakeKeyAuth", secretKind, true},
		{"MOCK_API_KEY", secretKind, true},
		{"dummy_client_secret", secretKind, true},
		{"stubPassword", passwordKind, true},
		{"fakeCsrfToken", notCredential, false},
		{"fakeTokenizer", notCredential, false},
		{"fake", notCredential, false},
		{"api_key", notCredential, false},
		{"invalidToken", notCredential, false},
		{"mockTokenUrl", notCredential, false},
	}
	for _, c := range cases {
		got, ok := testDoubleKind(c.name)
		if got != c.want || ok != c.ok {
			t.Errorf("testDoubleKind(%q) = %v, %v; want %v, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestWordySegments(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"config.db.password", "unix.Passwd", "C.struct_passwd", "self.apiKey", "Settings::TOKEN_NAME"} {
		if !wordySegments(v) {
			t.Errorf("wordySegments(%q) = false, want true", v)
		}
	}
	for _, v := range []string{fake("eyJhbGciOi", "JIUzI1NiJ9.eyJzdWIiOiIx"), fake("wq.k2", "z8h"), fake("Xk9q.", "Zm2wP8")} {
		if wordySegments(v) {
			t.Errorf("wordySegments(%q) = true, want false", v)
		}
	}
}

// TestJudgeLiteralPassword: issue 17's judgement of values assigned to a
// password's name. Weak literal passwords are passwords; identifiers,
// references, templates and placeholders are not.
func TestJudgeLiteralPassword(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, match, value string
		want               bool
	}{
		// Weak but literal: CredData and the issue count these.
		{"password", `password: changeme`, "changeme", true},
		{"DB_PASSWORD", `DB_PASSWORD=hunter22`, "hunter22", true},
		{"password", `"password": "hunter22"`, "hunter22", true},
		{"Password", `o.MQTT.Password = "client"`, "client", true},
		{"password", `{user: svc, password: derek}`, "derek", true},
		// An unquoted "pass" in an inline object is the password (NATS,
		// HOCON; CredData labels it so), but a quoted four-letter filler in
		// code is as often a fixture as a password (a known miss).
		{"password", `{user: svc, password: pass}`, "pass", true},
		{"password", `{user: 'svc', password: 'pass'}`, "pass", false},
		{"testPassword", `const testPassword = "letmein123"`, "letmein123", true},
		{"REDIS_PASSWORD", `REDIS_PASSWORD=s3cr3tRedis`, "s3cr3tRedis", true},
		{"$dbpasswd", `$dbpasswd = 'dbpass4711';`, "dbpass4711", true},
		{"password", `password: 123456`, "123456", true},
		{"ldap_password", `ldap_password: cGFzc3dvcmQxMjM=`, "cGFzc3dvcmQxMjM=", true},
		{"password", `password: mypassword`, "mypassword", true},
		// A closing bracket may end a password, or an object literal.
		{"password", `password: Qmbd5#3DU]pW8a=CKTK}`, "Qmbd5#3DU]pW8a=CKTK}", true},
		{"password", `password: dbPassword}`, "dbPassword}", false},
		{"password", `l.password = f[4]`, "f[4]", false},
		{"admin-password", `admin-password: ((admin-password))`, "((admin-password))", false},
		// Not a literal password.
		{"password", `password: Sequelize.STRING`, "Sequelize.STRING", false},
		{"password", `baseUser.password = user?.data?.password`, "user?.data?.password", false},
		{"vaultpassword", `vaultpassword=if_you_see_this_please_use_K8S_and_Vault`, "if_you_see_this_please_use_K8S_and_Vault", false},
		{"password", `password = testLDAPPassword`, "testLDAPPassword", false},
		{"password", `password: ${PASSWORD}`, "${PASSWORD}", false},
		{"password", `password: <password>`, "<password>", false},
		{"password", `password: "your_password"`, "your_password", false},
		{"password", `password: xxxxxxxx`, "xxxxxxxx", false},
		{"password", `"password": "some-password"`, "some-password", false},
		{"PASSWORD_VALUE", `PASSWORD_VALUE = "test-password"`, "test-password", false},
		{"password", `"password": "Passwort"`, "Passwort", false},
		{"password", `password: DB_PASSWORD`, "DB_PASSWORD", false},
		{"PROXY_PWD", `PROXY_PWD=<Value Unspecified>`, "<Value", false},
		{"SYSPASSWORD", `SYSPASSWORD = "###ORACLE_PWD###"`, "###ORACLE_PWD###", false},
		{"Password", `opts.LeafNode.Password = _EMPTY_`, "_EMPTY_", false},
		{"password", `password=None):`, "None):", false},
		{"t.pass", `t.pass('Closed')`, "Closed", false},
		{"password", `("password", "email")`, "email", false},
		{"password_hint", `password_hint: hunter22`, "hunter22", false},
		{"ClearTextPassword", `<add key="ClearTextPassword" value="NuGet-Feed-77" />`, "NuGet-Feed-77", true},
		{"clearPassword", `clearPassword = "NuGet-Feed-77"`, "NuGet-Feed-77", false},
		{"password", `password: "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"`, "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", false},
	}
	for _, c := range cases {
		in := CheckInput{Secret: c.value, Name: c.name, Match: c.match}
		if got := judgePasswordInput(in); (got == "") != c.want {
			t.Errorf("judgePasswordInput(%q in %q) = %q, want a password: %v", c.value, c.match, got, c.want)
		}
	}
}

// TestUserPasswordPairs: issue 17's judgement of user:password pairs in
// URLs and decoded HTTP Basic credentials.
func TestUserPasswordPairs(t *testing.T) {
	t.Parallel()
	urls := []struct {
		match, secret string
		want          bool
	}{
		{"postgres://postgres:postgres@localhost:5432/app", "postgres", true},
		{"https://elastic:changeme@abcd.localhost", "changeme", true},
		{"nats-route://ruser:T0pS3cr3t@otherdockerhost:6222", "T0pS3cr3t", true},
		{"nats://ivan:password@127.0.0.1:4222", "password", true},
		{"mongodb://app:hunter22@mongo.internal/app", "hunter22", true},
		{"http://user:pass@10.10.1.10:3128", "pass", false},
		{"http://user:password@password.faketld/", "password", false},
		{"postgres://POSTGRES_USER:POSTGRES_PASSWORD@POSTGRES_HOST/db", "POSTGRES_PASSWORD", false},
		{"redis://:password@127.0.0.1:6379", "password", false},
		{"http://foo:bar@localhost:9200", "bar", false},
		{"https://test_username:test_password@server.com/x", "test_password", false},
		{"jdbc:oracle:thin:scott/tiger@localhost:1521:orcl", "tiger", false},
		{"amqp://guest:guest@localhost:5672/", "guest", false},
		// A short password or one of weak words with a real user name is
		// the password (issue 17: "nats://svc:pass@host" in a test is a
		// credential); format verbs, counters on placeholder pairs, names
		// of one another, filler words and descriptions are not.
		{"nats://svc:pass@127.0.0.1:4222", "pass", true},
		{"nats://gone:soon@127.0.0.1:4222", "soon", true},
		{"nats-route://ruser:top_secret@127.0.0.1:7246", "top_secret", true},
		{"nats://%s:pass@127.0.0.1:4222", "pass", false},
		{"nats://user_%d:pass@127.0.0.1:4222", "pass", false},
		{"nats://user1:pwd1@host2:5222", "pwd1", false},
		{"postgres://api_user:api_password@localhost/db", "api_password", false},
		{"nats://my_user:wrong_pass@127.0.0.1:4222", "wrong_pass", false},
		{"redis://cache:test@localhost:6379", "test", false},
		{"nats://svc:1324@127.0.0.1:4222", "1324", false},
		{"nats://ivan:pwd@127.0.0.1:4222", "pwd", false},
		{"mysql://root:root@localhost:3306/test", "root", false},
		{"smtp://mailer:secret-password@smtp.internal:587", "secret-password", false},
	}
	for _, c := range urls {
		if got := checkURLPassword(CheckInput{Secret: c.secret, Match: c.match}); got != c.want {
			t.Errorf("checkURLPassword(%q) = %v, want %v", c.match, got, c.want)
		}
	}
	basic := []struct {
		pair string
		want bool
	}{
		{"john:password", true},
		{"admin:admin", true},
		{"foo:bar", true},
		{"sa:123456", true},
		{"user:pass", false},
		{"username:password", false},
		{"Aladdin:open sesame", false},
		{"svc:${PASSWORD}", false},
		{"deploy:", false},
	}
	for _, c := range basic {
		if got := checkCredentialBase64(CheckInput{Secret: b64(c.pair)}); got != c.want {
			t.Errorf("checkCredentialBase64(b64(%q)) = %v, want %v", c.pair, got, c.want)
		}
	}
}
