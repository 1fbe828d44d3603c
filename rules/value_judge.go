package rules

import (
	"math"
	"strings"
)

// The judgement of a candidate by the kind of its name: machine-made
// secrets against person-chosen passwords, and the syntax (quoted or not)
// that says which placeholders a password may be mistaken for.

// judge says why v, assigned to a name of the kind, is not a credential,
// or returns "" when it looks like one.
func judge(kind credKind, v string) string {
	return judgeDepth(kind, v, 0)
}

func judgeDepth(kind credKind, v string, depth int) string {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "pass:"); ok && depth < 2 {
		return judgeDepth(kind, rest, depth+1) // OpenSSL's pass:literal
	}
	if why := reasonNotValue(v); why != "" {
		return why
	}
	if reSlug.MatchString(v) {
		return "identifier" // i-am-the-worst, orders-tls: words, not a secret
	}
	if depth < 2 {
		if dec := decodedText(v); dec != "" {
			if strings.HasPrefix(dec, "-----BEGIN") {
				return ""
			}
			if user, pass, ok := strings.Cut(dec, ":"); ok && user != "" && !strings.ContainsAny(user, " /") && pass != "" {
				if why := judgeDepth(passwordKind, pass, depth+1); why != "" {
					return "decoded-" + why
				}
				return ""
			}
			if why := judgeDepth(kind, dec, depth+1); why != "" {
				return "decoded-" + why
			}
			return ""
		}
	}
	if isWeak(v) {
		return "weak"
	}
	// A password may be words and digits (hunter2-prod); an identifier
	// without digits is a name (passwordInput, DB_PASSWORD, password_mgr).
	noDigits := !strings.ContainsAny(v, "0123456789")
	if isIdentifier(v) && (kind != passwordKind || noDigits) ||
		noDigits && reCodeName.MatchString(v) && wordCoverage(v) >= 0.5 {
		return "identifier"
	}
	if placeholderRun(v) {
		return "sequence"
	}
	switch kind {
	case passwordKind:
		if len(v) < 6 {
			return "short"
		}
		if nClasses(v) < 2 && (len(v) < 8 || wordCoverage(v) >= 0.3 || Entropy(v) < 2.5) {
			return "simple"
		}
		if _, _, d, sym := charClasses(v); d+sym == 0 && (len(v) < 12 || wordCoverage(v) >= 0.3) {
			return "letters" // TestChatty, ParseConfig: names, not passwords
		}
	default:
		if len(v) < 10 {
			return "short"
		}
		if len(v) < 16 && hasRun(v, 5) {
			return "sequence" // 12345.abcde
		}
		if wordCoverage(v) >= 0.5 {
			return "words"
		}
		if Entropy(v) < entropyFloor(len(v)) {
			return "low-entropy"
		}
		if nClasses(v) < 2 && len(v) < 16 {
			return "simple"
		}
	}
	return ""
}

// CheckInput is what a context-aware check sees: besides the secret, the
// name it is assigned to and the whole match.
type CheckInput struct {
	// Secret is the text of the rule's secret group.
	Secret string
	// Name is the text of the regex group named "name" (the variable, key,
	// flag or attribute the secret is assigned to), or "" when the rule's
	// regex has no such group or it did not take part in the match.
	Name string
	// Match is the whole regex match.
	Match string
}

// judgeInput applies the value judgement to a check input: a name, when
// present, must be a credential's name; the value is judged by the kind of
// name, or as def when there is none.
func judgeInput(in CheckInput, def credKind) string {
	kind := def
	if name := strings.TrimSpace(in.Name); name != "" {
		kind = nameKind(name)
		if kind == notCredential {
			if _, ok := testDoubleKind(name); ok && !strings.ContainsAny(name, ".>:") {
				// fakeOTCToken = "62244bc2…": a test's key, reported
				// when it looks machine-random.
				return judgeBareKey(in.Secret)
			}
			return "name"
		}
		if len(name) >= 4 && containsName(in.Secret, name) || nameHolds(name, in.Secret) {
			return "self-reference" // API_KEY=$API_KEY, NETKIT_PASS = C.NETKIT_PASS, module.exports.deluxeToken = deluxeToken
		}
		if def == passwordKind {
			kind = passwordKind
		}
	}
	if kind == bareKeyKind {
		return judgeBareKey(in.Secret)
	}
	return judge(kind, in.Secret)
}

// judgeBareKey judges the value of a bare "key": it must pass as a
// machine-made secret and look random (digits and letters, no words, an
// entropy near that of random text of its length).
func judgeBareKey(v string) string {
	v = strings.TrimSpace(v)
	if why := judge(secretKind, v); why != "" {
		return why
	}
	l, u, d, _ := charClasses(v)
	switch {
	case len(v) < 16:
		return "short"
	case d == 0 || l+u == 0:
		return "simple"
	case wordCoverage(v) >= 0.3:
		return "words"
	case Entropy(v) < min(3.5, 0.85*math.Log2(float64(len(v)))):
		return "low-entropy"
	}
	return ""
}

// checkCredential is the "credential" check: the name must be a
// credential's name and the value a literal that looks like one. Without a
// name the value must look machine-made.
func checkCredential(in CheckInput) bool { return credentialReason(in) == "" }

// credentialReason says why the candidate of a "credential" rule is not a
// credential, or "".
func credentialReason(in CheckInput) string {
	if checkJWT(strings.TrimSpace(in.Secret)) {
		return "jwt" // one span, one finding: the jwt rule reports it
	}
	why := judgeInput(in, secretKind)
	switch why {
	case "", "name", "self-reference":
		return why
	}
	// A secret a person chose (jwt_secret=myverysecuresecret, token:
	// T0pS3cr3t) is judged as a password: a literal of eight characters or
	// more that is not a placeholder, a reference or a name.
	v := strings.TrimSpace(in.Secret)
	if in.Name == "" || len(v) < 8 || !personChosen(in.Name) || nameHolds(in.Name, v) || hasRun(v, 5) {
		return why
	}
	if syn := syntaxOf(in); syn == pairSyntax || syn == callSyntax {
		return why // setItem('token', '…'): a pair or a call is judged as machine-made only
	}
	// Words around a credential's word ("unsecure_secret",
	// "GCM_OAUTH_CLIENTSECRET", "KDFKeySecret") name or describe a secret.
	words := splitName(v)
	if len(words) >= 2 && !strings.ContainsAny(v, "0123456789") {
		for _, w := range expandCompounds(words) {
			if passwordHeads[w] || secretHeads[w] {
				return "identifier"
			}
		}
	}
	if containsAny(strings.ToLower(v), "notasecret", "nota_secret", "not-a-secret") || periodic(v) {
		return "placeholder"
	}
	if reSlug.MatchString(v) && !strings.ContainsAny(v, "0123456789") {
		return "identifier" // orders-tls, i-am-the-worst: a resource's name or a phrase
	}
	if pw := judgePasswordInput(in); pw != "" {
		if pw != why {
			return why + ", " + pw
		}
		return why
	}
	return ""
}

// containsName reports whether the value holds the name it is assigned
// to: anywhere for a name of two words or more (db_password_$ENV), as a
// word of its own for a one-word name (secret: $SECRET, but not secret:
// supersecretfeathers, a value that merely has the word in it).
func containsName(v, name string) bool {
	if len(splitName(name)) >= 2 {
		return strings.Contains(strings.ToLower(v), strings.ToLower(strings.TrimLeft(name, "$@:")))
	}
	return selfReference(v, name)
}

// periodic reports whether v repeats a unit of at most a third of its
// length: abababab, xyzxyzxyz.
func periodic(v string) bool {
	for p := 1; p*3 <= len(v); p++ {
		i := p
		for i < len(v) && v[i] == v[i-p] {
			i++
		}
		if i == len(v) {
			return true
		}
	}
	return false
}

// nameHolds reports whether the value is the tail of the name it is
// assigned to: self.access_token = access_token.
func nameHolds(name, v string) bool {
	ln, lv := strings.ToLower(name), strings.ToLower(strings.TrimLeft(v, "_$@"))
	return len(lv) >= 4 && strings.HasSuffix(ln, lv)
}

// personChosen reports whether a secret's name is one that people fill in
// by hand (secret, jwt_secret, token, auth_token), rather than one that
// holds what a provider issued (api_key, access_key, client_id).
func personChosen(name string) bool {
	words := expandCompounds(splitName(name))
	for i := len(words) - 1; i >= 0; i-- {
		switch w := words[i]; {
		case w == "secret" || w == "token":
			return true
		case transparentWords[w] || isDigits(w):
			continue
		}
		return false
	}
	return false
}

// checkPassword is the "password" check: the name, when there is one, must
// be a credential's name, and the value a literal password (see
// [judgeLiteralPassword]). A machine-made secret's name (api_key) assigned
// with a password-shaped value is judged as a password.
func checkPassword(in CheckInput) bool { return judgePasswordInput(in) == "" }

// judgePasswordInput says why the candidate of a password rule is not a
// password, or "".
func judgePasswordInput(in CheckInput) string {
	name := strings.TrimSpace(in.Name)
	if name != "" {
		if nameKind(name) == notCredential {
			return "name"
		}
		if len(name) >= 4 && selfReference(in.Secret, name) {
			return "self-reference" // API_KEY=$API_KEY, NETKIT_PASS = C.NETKIT_PASS
		}
	}
	syn := syntaxOf(in)
	if v := strings.TrimSpace(in.Secret); len(v) < 8 && syn == configSyntax && bareShortName(name) {
		return "short" // pwd: link, pass:insta: a short value under a short name
	}
	if why := notPasswordContext(name, in.Secret, syn); why != "" {
		return why // required|min:8, update_password: on_create (password_context.go)
	}
	return judgeLiteralPassword(in.Secret, syn)
}

// bareShortName reports whether a name is only pass, pwd or pw (after a
// dotted or indexed prefix): names of working directories and test
// outcomes as often as of passwords.
func bareShortName(name string) bool {
	words := splitName(name)
	if len(words) == 0 {
		return false
	}
	switch words[len(words)-1] {
	case "pass", "pwd", "pw":
		return len(words) == 1 || strings.ContainsAny(name, ".>:")
	}
	return false
}

// selfReference reports whether the value names the variable it is
// assigned to, as a word of its own ($API_KEY, C.NETKIT_PASS, password),
// not glued to other letters (mypassword is a password).
func selfReference(v, name string) bool {
	lv, ln := strings.ToLower(v), strings.ToLower(strings.TrimLeft(name, "$@:"))
	i := strings.Index(lv, ln)
	switch {
	case i < 0:
		return false
	case i > 0:
		return !isAlnum(lv[i-1]) // $API_KEY, C.NETKIT_PASS, ${DB_PASSWORD}
	}
	rest := lv[len(ln):]
	return rest == "" || !isAlnum(rest[0]) // password, password_hash; not password123
}

// valueSyntax is how a value is written where it was found: as a quoted
// string literal (code, JSON, quoted YAML), unquoted in a configuration
// file, or as the second member of a pair ("password", "value"), which is as
// often a list of field names as a credential.
type valueSyntax uint8

const (
	configSyntax valueSyntax = iota
	quotedSyntax
	pairSyntax
	callSyntax
)

// syntaxOf tells from the match how the secret is written.
func syntaxOf(in CheckInput) valueSyntax {
	m, s := in.Match, in.Secret
	i := strings.LastIndex(m, s)
	if s == "" || i <= 0 {
		return configSyntax
	}
	if n := strings.TrimSpace(in.Name); n != "" {
		if j := strings.Index(m, n); j >= 0 && strings.HasPrefix(strings.TrimLeft(m[j+len(n):], ` \t"'`+"`"), "(") {
			return callSyntax // t.pass('Closed'), setPassword("…")
		}
	}
	before := strings.TrimRight(m[:i], "\\")
	if before == "" || !strings.ContainsRune(`"'`+"`", rune(before[len(before)-1])) {
		return configSyntax
	}
	if reEnvDefault.MatchString(before) {
		// getenv("DB_PASSWORD", "…"): the default of an environment
		// lookup is a literal the program uses, not a list of names.
		return quotedSyntax
	}
	// ("password", "value"): the name is quoted and followed by a comma.
	head := strings.TrimRight(before[:len(before)-1], " \t")
	if strings.HasSuffix(head, ",") && in.Name != "" && strings.Contains(head, in.Name) {
		return pairSyntax
	}
	return quotedSyntax
}

// defaultPasswords are values that read as placeholders but are the
// well-known default passwords of real software (Elasticsearch's
// elastic:changeme, the Java keystore's changeit): written into a
// configuration file or assigned to a password in code they open real
// systems, and CredData labels them real credentials.
var defaultPasswords = setOf("changeme", "change_me", "change-me", "changeit", "change_it")

// judgeLiteralPassword is the judgement of a value assigned to a password's
// name (issue 17). A password is chosen by a person, so its entropy says
// nothing: "letmein123", "admin" and "changeme" written into a
// configuration file or assigned to a password in code are literal
// passwords and are reported. What is rejected is what is not a literal
// value at all (templates, references, environment lookups, calls, masks,
// hashes, paths, URLs, prose, placeholder text such as "your-password" or
// "<password>"), names (DB_PASSWORD, passwordInput), and, in code, a
// description of a password rather than one ("some-password",
// "test-user-password").
func judgeLiteralPassword(v string, syn valueSyntax) string {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "pass:"); ok {
		v = rest // OpenSSL's pass:literal
	}
	lv := strings.ToLower(v)
	if syn == pairSyntax || syn == callSyntax {
		// ("password", "email") is a list of names as often as a
		// credential, and t.pass('Closed') a call: judged as before.
		return judge(passwordKind, v)
	}
	if len(v) < 4 || len(v) < 5 && syn != configSyntax {
		return "short" // "pass", "test", "1234" in code: as often a fixture's filler as a password
	}
	if t := strings.TrimRight(v, ")]}"); syn == configSyntax && t != v && unbalancedClose(v) {
		// password: dbPassword} closes an object literal; a password may
		// end with a bracket (Qmbd5#3DU]pW8a=CKTK}): judge what is left.
		if why := judgeLiteralPassword(t, syn); why != "" {
			return why
		}
		if strings.HasSuffix(v, ")") {
			return "code" // password=None): the end of a parameter list
		}
		return ""
	}
	if syn == configSyntax && variableWords[lv] {
		return "identifier" // {email, password: hash}: a variable, not a value
	}
	switch {
	case reGenericType.MatchString(v):
		return "type" // declare password: CreationOptional<string>
	case strings.Count(v, v[:1]) == len(v):
		return "mask" // yyyyyy, zzzz, aaaaa
	case containsAny(lv, "notreal", "notareal", "fake", "dummy", "example", "sample", "placeholder", "redacted"):
		return "placeholder" // notarealpassword, fakepass1
	case strings.ContainsAny(v[:1], "<[#") || strings.Contains(v, "###") || strings.Contains(v, "<") && strings.Contains(v, ">"):
		return "placeholder" // <Value Unspecified>, [PASSWORD], ###ORACLE_PWD###
	case passwordWords[lv]:
		return "label" // "Passwort": the word password in another language
	case reConstName.MatchString(v):
		return "identifier" // _EMPTY_, __PASSWORD__
	case syn == configSyntax && (strings.Count(v, ")") > strings.Count(v, "(") || reOpenCall.MatchString(v)):
		return "code" // password=None): the end of a parameter list; text.Substring(0, the start of one
	case syn == configSyntax && reIndexExpr.MatchString(v):
		return "reference" // l.password = f[4]
	case syn == configSyntax && reDottedName.MatchString(v):
		return "reference" // password: Sequelize.STRING, user?.data?.password
	}
	if isDigits(v) {
		return "" // 1234 or 000000 assigned to a password
	}
	why := reasonNotValue(v)
	if why == "placeholder" && defaultPasswords[lv] {
		why = ""
	}
	if why != "" {
		return why
	}
	if dec := decodedText(v); dec != "" && len(v) >= 12 {
		// Base64 of a password (Kubernetes Secret data): judge it decoded.
		why := judgeLiteralPassword(dec, syn)
		switch why {
		case "", "number", "hostname", "email", "url", "path", "identifier", "text":
			// Decoded to something else than a password's placeholder:
			// the encoded string itself is what opens the door.
			return ""
		}
		return "decoded-" + why
	}
	if reEnvName.MatchString(v) && isIdentifier(v) {
		return "identifier" // DB_PASSWORD: the name of a variable
	}
	words := splitName(v)
	if len(words) >= 4 && wordCoverage(v) >= 0.8 {
		return "text" // if_you_see_this_please_use_K8S_and_Vault
	}
	hasCredWord := false
	for _, w := range expandCompounds(words) {
		if passwordHeads[w] || secretHeads[w] {
			hasCredWord = true
		}
	}
	noDigits := !strings.ContainsAny(v, "0123456789")
	camel := noDigits && reCamelIdent.MatchString(v) && wordCoverage(v) >= 0.6
	switch syn {
	case configSyntax:
		// Unquoted: "password: dbPassword" in a JavaScript object or YAML
		// anchor is a reference, "password_mgr" a variable and
		// "postgres-password" the key of a Kubernetes Secret; in a
		// configuration file almost anything else is the password.
		if camel && hasCredWord || noDigits && reMixedIdent.MatchString(v) && (hasCredWord || isLowerAt(v, 0) && wordCoverage(v) >= 0.7) ||
			noDigits && hasCredWord && len(words) >= 2 && reSlug.MatchString(strings.ToLower(v)) {
			return "identifier" // testLDAPPassword, dbPassword, password_mgr
		}
	case quotedSyntax:
		// In code, a multi-word description of a password
		// ("some-password", "test-user-password", "passwordValue") is a
		// label or a fixture name; glued words ("mypassword") and words
		// with digits ("password123") are a password.
		if noDigits && hasCredWord && len(words) >= 2 && isIdentifier(v) {
			return "identifier"
		}
	}
	return ""
}

// unbalancedClose reports whether v closes more brackets of some kind than
// it opens.
func unbalancedClose(v string) bool {
	return strings.Count(v, ")") > strings.Count(v, "(") || strings.Count(v, "]") > strings.Count(v, "[") ||
		strings.Count(v, "}") > strings.Count(v, "{")
}

// passwordWords are the word "password" in other languages: form labels
// and translations, not passwords.
var passwordWords = setOf("passwort", "kennwort", "motdepasse", "contrasena", "contraseña", "senha", "wachtwoord",
	"salasana", "haslo", "hasło", "heslo", "parola", "sifre", "şifre", "jelszo", "jelszó", "losenord", "lösenord",
	"adgangskode", "passord", "wachtwoord", "lozinka", "geslo")

// variableWords are the names of variables that an unquoted value in an
// object literal or a parameter list most often is.
var variableWords = setOf("hash", "hashed", "salt", "value", "input", "data", "body", "text", "result", "params",
	"args", "options", "opts", "config", "conf", "creds", "credentials", "auth", "user", "username", "encrypted",
	"decrypted", "plain", "plaintext", "newpass", "oldpass", "token", "string", "field", "form", "entry", "item",
	"payload", "response", "request", "context", "self", "this", "passwd", "secret", "word", "args",
	"answer", "guess", "digest", "cipher", "pwhash", "bytes", "buffer", "buf", "char", "chars", "password1",
	"password2", "confirm", "repeat", "values", "props", "state", "query", "event", "target", "model",
	// nsswitch.conf sources of the passwd database
	"files", "compat", "nis", "nisplus", "sss", "winbind", "systemd", "link")

// containsAny reports whether s contains one of the substrings.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// isLowerAt reports whether v[i] is a lower-case ASCII letter.
func isLowerAt(v string, i int) bool { return i < len(v) && 'a' <= v[i] && v[i] <= 'z' }

// reLowerPath is a path of lower-case words: /administration, ./data/db.
var reLowerPath = compileLater(`^[./~]*/[a-z_\-]+(?:/[a-z_.\-]+)*/?$`)

// reOpenCall is a call whose arguments the value cuts off: text.Substring(0
var reOpenCall = compileLater(`^[A-Za-z_$][\w$.]*\([^)]*$`)

// reDottedName is a member access: Sequelize.STRING, config.db.password,
// user?.data?.password.
var reDottedName = compileLater(`^[A-Za-z_$][A-Za-z_$]*(?:\??\.[A-Za-z_$][A-Za-z_$]*)+[;,]?$`)

// reGenericType is a type with parameters: CreationOptional<string>.
var reGenericType = compileLater(`^[A-Z][A-Za-z0-9_.]*<[A-Za-z0-9_.<>, |\[\]]*>[;,]?$`)

// reConstName is a constant's name set off by underscores: _EMPTY_.
var reConstName = compileLater(`^_+[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*_+$`)

// reMixedIdent is a name with a lower-case letter followed by an upper-case
// one: a variable in code, not a value in a configuration file.
var reMixedIdent = compileLater(`^[A-Za-z_][A-Za-z0-9_]*[a-z][A-Z][A-Za-z0-9_]*$`)

// reIndexExpr is an index expression: f[4], os.environ["PW"], args[i].
var reIndexExpr = compileLater(`^[A-Za-z_$][\w.$]*\[[^\[\]]*\][;,]?$`)

// reEnvDefault is the head of an environment lookup with a default:
// os.environ.get("X", , getenv("X", , env('X', , process.env.X || .
var reEnvDefault = compileLater(strings.NewReplacer("Q", "[\"'`]", "N", "[^\"'`]").Replace(
	`(?i)(?:env|environ\.get|environ\.setdefault|env\.get|env\.fetch|env_or)[ \t]*\([ \t]*QN*Q[ \t]*,[ \t]*Q$|process\.env\S*[ \t]*(?:\|\||\?\?)[ \t]*Q$`))

// reCamelIdent is a camelCase or PascalCase name of two words or more.
var reCamelIdent = compileLater(`^_?[A-Za-z][a-z]+(?:[A-Z][a-z]+)+$`)
