package rules

import (
	"net/url"
	"strings"
)

// Credentials that come in pairs or wrapped: base64 user:password, URL
// user-info, HTTP Bearer and Basic values.

// checkCredentialBase64 is the "credential-base64" check for values that
// are always base64 (Basic auth, Docker auths): the value must decode to
// user:password with a password that passes the password judgement, or to
// a secret that passes the secret judgement.
func checkCredentialBase64(in CheckInput) bool { return credentialBase64Reason(in) == "" }

// credentialBase64Reason says why the candidate of a "credential-base64"
// rule is not a credential, or "".
func credentialBase64Reason(in CheckInput) string {
	if in.Name != "" && nameKind(in.Name) == notCredential {
		return "name"
	}
	dec := decodedText(in.Secret)
	if dec == "" {
		return "not-base64-text"
	}
	if user, pass, ok := strings.Cut(dec, ":"); ok {
		why := judgeUserPassword(user, pass)
		if why == "placeholder" && basicScheme(in.Match) && !documentationPairs[strings.ToLower(dec)] {
			// Someone encoded the pair for an Authorization header: even
			// user:pass opens what it was sent to. RFC 7617's
			// Aladdin:open sesame is the standard's example.
			why = ""
		}
		if why != "" {
			return "decoded-" + why
		}
		return ""
	}
	if why := judge(secretKind, dec); why != "" {
		return "decoded-" + why
	}
	return ""
}

// placeholderUsers and placeholderPasswords make up the user:password
// pairs of documentation (user:pass, username:password), told apart from
// weak but real pairs (admin:admin, elastic:changeme, john:password).
var (
	placeholderUsers = setOf("user", "username", "usr", "login", "name", "userid", "user_name", "your_username", "myuser",
		"myusername", "test_user", "test_username", "testuser")
	placeholderPasswords = setOf("pass", "password", "passwd", "pwd", "pw", "secret", "your_password", "mypassword")
)

// documentationPairs are sample accounts that do not open anything
// outside a demonstration: Oracle's scott/tiger sample schema, RabbitMQ's
// guest account (refused from other hosts than localhost), the HTTP Basic
// example of RFC 7617 (Aladdin:open sesame).
var documentationPairs = setOf("scott:tiger", "guest:guest", "aladdin:open sesame", "aladdin:opensesame")

// judgeUserPassword judges a decoded user:password pair (HTTP Basic, URL
// user-info): a literal password is a credential whatever its strength,
// unless the pair is documentation's user:pass or the password a template,
// a reference or a mask.
func judgeUserPassword(user, pass string) string {
	lu, lp := strings.ToLower(user), strings.ToLower(pass)
	switch {
	case user == "" || strings.ContainsAny(user, "\t\r\n") || len(user) > 128:
		return "user"
	case pass == "":
		return "empty"
	case reTemplate.MatchString(pass), envLookup(lp), isMask(pass) && len(pass) > 2,
		strings.Contains(lp, "xxx"), strings.Contains(pass, "***"):
		return "template"
	case (placeholderUsers[lu] || lu == "-") && placeholderPasswords[lp], documentationPairs[lu+":"+lp],
		placeholderUsers[lu] && strings.Contains(lp, "password"):
		return "placeholder" // user:pass, scott:tiger, test_username:test_password_123
	case hasPlaceholderWord(pass) && !defaultPasswords[lp]:
		return "placeholder" // your_password, <password>
	}
	return ""
}

// checkURLPassword is the "url-password" check of URLs with user-info
// (scheme://user:password@host): the pair is judged as a user:password
// pair (see [judgeUserPassword]), so postgres:postgres@localhost and
// elastic:changeme are reported and user:pass and ${DB_PASSWORD} are not.
func checkURLPassword(in CheckInput) bool { return urlPasswordReason(in) == "" }

// The longest user name and password a URL credential rule reports. The
// rules' regexes leave the lengths open (a counted repetition compiles to
// one instruction per count, which made compiling them a tenth of a
// pre-commit hook's time), so the check holds them instead.
const (
	maxURLUser     = 128
	maxURLPassword = 128
)

// urlPasswordReason says why the password of a URL's user-info is not a
// credential, or "".
func urlPasswordReason(in CheckInput) string {
	if len(in.Secret) > maxURLPassword {
		return "too-long"
	}
	pass := in.Secret
	if u, err := url.PathUnescape(pass); err == nil {
		pass = u
	}
	user := "-"
	if j := strings.LastIndex(in.Match, "://"); j >= 0 {
		if u, rest, ok := strings.Cut(in.Match[j+3:], ":"); ok && strings.HasPrefix(rest, in.Secret) {
			user = u
		}
		if len(user) > maxURLUser {
			return "too-long"
		}
	} else if i := strings.Index(in.Match, in.Secret); i > 0 {
		head := in.Match[:i-1] // jdbc:oracle:thin:scott/tiger@host
		user = head[strings.LastIndexAny(head, ":/")+1:]
	}
	if user == "" {
		user = "-" // redis://:password@host
	}
	if why := judgeUserPassword(user, pass); why != "" {
		return why
	}
	if i := strings.LastIndex(in.Match, in.Secret); i >= 0 {
		if _, host, ok := strings.Cut(in.Match[i+len(in.Secret):], "@"); ok &&
			containsAny(strings.ToLower(host), "example", "dummy", "fake", "placeholder", "your") {
			return "placeholder-host" // http://user:pa%2Fssword@dummy.faketld/
		}
	}
	if reEnvName.MatchString(user) && isIdentifier(user) {
		return "identifier" // POSTGRES_USER:POSTGRES_PASSWORD, a template's names
	}
	// In a URL the password is judged as one in code: "foo:bar" and
	// "test_password" are fixtures; "password" with a real user name is
	// the password.
	if strings.ToLower(pass) == "password" {
		return ""
	}
	why := judgeLiteralPassword(pass, quotedSyntax)
	if why != "" && urlUserInfoPassword(why, user, pass) {
		return ""
	}
	return why
}

// urlUserInfoPassword reports whether a URL password that the judgement
// of passwords in code rejected (why) is one all the same: in
// scheme://user:pass@host the slot says what the value is, so a short
// word (the user svc with the password pass in a NATS URL) or weak words
// (top_secret) given with a real user name are the password that
// opens the server, as they are in a configuration file. A user name
// that is a format verb or a template (%s, {user}) makes a fixture, and
// so does a password named after its user (api_user:api_password).
func urlUserInfoPassword(why, user, pass string) bool {
	if !realUserName(user) || sharesFirstWord(user, pass) {
		return false
	}
	switch why {
	case "short":
		// root:root, a four-letter user repeated, is a fixture's filler.
		return len(pass) >= 4 && !isDigits(pass) && !fillerPasswords[strings.ToLower(pass)] && !strings.EqualFold(user, pass)
	case "identifier":
		// top_secret; not wrong_pass, nor secret-password, which name
		// the slot they fill.
		if !isWeak(pass) {
			return false
		}
		for _, w := range expandCompounds(splitName(pass)) {
			if passwordHeads[w] {
				return false
			}
		}
		return true
	}
	return false
}

// fillerPasswords are the metasyntactic words that stand in for any value
// in tests and documentation (foo, test), not passwords.
var fillerPasswords = setOf("test", "demo", "fake", "none", "null", "nope", "hoge", "fuga", "piyo", "quux",
	"corge", "waldo", "fred", "thud", "xyzzy", "plugh", "abcd", "asdf", "qwer")

// realUserName reports whether a URL's user is a name (svc, ivan,
// nats_user) rather than a placeholder user (user, username, user1), an
// empty one, or a format verb or template (%s, user_%d, {user}).
func realUserName(user string) bool {
	if user == "" || user == "-" || placeholderUsers[strings.ToLower(strings.TrimRight(user, "0123456789"))] {
		return false
	}
	for i := 0; i < len(user); i++ {
		if c := user[i]; !(isAlnum(c) || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// sharesFirstWord reports whether the user and the password begin with the
// same word of two letters or more: api_user:api_password and
// db_user:db_pass are a template's names, not an account.
func sharesFirstWord(user, pass string) bool {
	u, p := splitName(user), splitName(pass)
	return len(u) >= 2 && len(p) >= 2 && len(u[0]) >= 2 && u[0] == p[0]
}

// checkBearerValue is the "bearer-value" check of "Bearer …" string
// literals: the token must look machine-made, and a literal that follows
// an Authorization name is left to the http-bearer-auth-header rule, so
// that one span makes one finding.
func checkBearerValue(in CheckInput) bool { return bearerValueReason(in) == "" }

// bearerValueReason says why a "Bearer …" literal is not reported, or "".
func bearerValueReason(in CheckInput) string {
	if lm := strings.ToLower(in.Match); strings.Contains(lm, "authorization") && strings.Contains(lm, "bearer") {
		return "left-to-http-bearer-auth-header"
	}
	if checkJWT(in.Secret) {
		return "jwt"
	}
	return judge(secretKind, in.Secret)
}

// checkBearerToken is the "bearer-token" check of Authorization: Bearer
// headers: a JWT is left to the jwt rule, so that one span makes one
// finding.
func checkBearerToken(in CheckInput) bool { return bearerTokenReason(in) == "" }

// bearerTokenReason says why a bearer token is not reported here, or "".
func bearerTokenReason(in CheckInput) string {
	if checkJWT(in.Secret) {
		return "jwt" // reported by the jwt rule
	}
	return ""
}

// checkUserPassword is the "user-password" check of user:password pairs on
// command lines (curl -u user:password): the user is the word before the
// colon, and the pair is judged as in a URL.
func checkUserPassword(in CheckInput) bool { return userPasswordReason(in) == "" }

// userPasswordReason says why a command line's user:password pair is not
// a credential, or "".
func userPasswordReason(in CheckInput) string {
	user := "-"
	if i := strings.LastIndex(in.Match, ":"+in.Secret); i > 0 {
		head := in.Match[:i]
		user = head[strings.LastIndexAny(head, " \t\"'=")+1:]
	}
	return urlPasswordReason(CheckInput{Secret: in.Secret, Match: "x://" + user + ":" + in.Secret + "@"})
}

// basicScheme reports whether the match is an HTTP Basic credential
// ("Basic " and the base64 of user:password).
func basicScheme(m string) bool {
	lm := strings.ToLower(m)
	i := strings.Index(lm, "basic")
	return i >= 0 && i+5 < len(lm) && (lm[i+5] == ' ' || lm[i+5] == '\t')
}
