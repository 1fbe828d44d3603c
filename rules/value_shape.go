package rules

import (
	"encoding/base64"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The shape of a value, whatever its name: a placeholder, a template, a
// reference, a path, prose, an identifier, a weak word, its entropy.

// reasonNotValue says why v is not a literal value at all (a placeholder,
// a template, a reference, a path...), or "".
func reasonNotValue(v string) string {
	lv := strings.ToLower(v)
	switch {
	case v == "":
		return "empty"
	case literalNonValues[lv] || literalNonValues[strings.Trim(lv, `;,`)]:
		return "literal"
	case reHash.MatchString(v):
		return "hash"
	case reTemplate.MatchString(v), reYAMLTag.MatchString(v):
		return "template"
	case isMask(v):
		return "mask"
	case strings.Contains(lv, "xxx"), strings.Contains(v, "***"), strings.Contains(v, "•••"), strings.Contains(v, "..."):
		return "mask"
	case reSecretRef.MatchString(v):
		return "secret-reference"
	case envLookup(lv):
		return "env-lookup"
	case reCall.MatchString(v):
		return "function-call"
	case reURL.MatchString(v), strings.Contains(v, "://"):
		return "url" // also git:https://github.com, a credential helper's key
	case rePathPrefix.MatchString(v) && reLowerPath.MatchString(v):
		return "path" // /administration
	case reEmail.MatchString(v):
		return "email"
	case reHost.MatchString(v), reIP.MatchString(v):
		return "hostname"
	case reNumber.MatchString(v), reVersion.MatchString(v), reDate.MatchString(v):
		return "number"
	case isPath(v):
		return "path"
	case rePattern.MatchString(v):
		return "pattern"
	case reSigil.MatchString(v) && sigilName(strings.TrimRight(strings.TrimLeft(v, "@$&*:"), ";,")),
		reRef.MatchString(v) && wordySegments(v):
		return "reference"
	case isText(v):
		return "text"
	case hasPlaceholderWord(v):
		return "placeholder"
	}
	return ""
}

func isMask(v string) bool {
	if len(v) < 3 {
		return false
	}
	for _, r := range v {
		if !strings.ContainsRune("*•·xX#.?_-●", r) {
			return false
		}
	}
	return true
}

var envMarkers = []string{"getenv", "environ", "process.env", "env[", "env.fetch", "env(", "$env:", "%env",
	"import.meta.env", "deno.env", "getenvironmentvariable", "secrets.", "vars.", "settings.", "config(",
	"os.env", "system.getproperty", "configuration[", "valuefrom", "secretkeyref", "fromsecret"}

func envLookup(lv string) bool {
	for _, m := range envMarkers {
		if strings.Contains(lv, m) {
			return true
		}
	}
	return false
}

// wordySegments reports whether every dotted, arrowed or indexed part of
// a reference-shaped value reads like a name (so "self.password" and
// "config.db.password" are references but "eyJhbGc.eyJzdWI.c2ln" is not).
func wordySegments(v string) bool {
	parts := strings.FieldsFunc(v, func(r rune) bool {
		return !(r == '_' || r == '$' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
	words := 0
	for _, p := range parts {
		if len(p) > 40 || !nameLike(p) {
			return false
		}
		if len(p) >= 3 && (wordCoverage(p) >= 0.6 || (reCamelWords.MatchString(p) || reEnvName.MatchString(p)) && wordCoverage(p) >= 0.3) {
			words++
		}
	}
	return words > 0
}

var (
	rePackageName = compileLater(`^[a-z][a-z0-9]{0,11}$`)
	reCamelWords  = compileLater(`^_{0,2}[A-Za-z][a-z]+(?:[A-Z][a-z]+)*\d{0,2}$|^_{0,2}[a-z][a-z0-9]*(?:_[a-z0-9]+)+$`)
)

// nameLike reports whether one part of a dotted reference reads like a
// name: a short package name (unix, cfg), words in camelCase, or mostly
// dictionary words; random strings do not.
func nameLike(p string) bool {
	switch {
	case len(p) <= 3, rePackageName.MatchString(p):
		return true
	case reEnvName.MatchString(p):
		return wordCoverage(p) >= 0.3
	case reCamelWords.MatchString(p):
		return wordCoverage(p) >= 0.3
	}
	return wordCoverage(p) >= 0.6
}

// sigilName reports whether the name after a sigil ($var, @ivar, &anchor,
// *alias, :symbol) reads like one.
func sigilName(p string) bool {
	return len(p) <= 3 || wordCoverage(p) >= 0.5 || reCamelWords.MatchString(p) && wordCoverage(p) >= 0.3
}

// isPath reports whether v is a file system path or a file name.
func isPath(v string) bool {
	if strings.ContainsAny(v, "+=") && !rePathPrefix.MatchString(v) {
		return false
	}
	if reFileExt.MatchString(v) {
		return wordCoverage(strings.TrimSuffix(v, v[strings.LastIndexByte(v, '.'):])) >= 0.5
	}
	if !strings.ContainsAny(v, `/\`) {
		return false
	}
	segs := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '\\' })
	wordy, neutral := 0, 0
	for _, s := range segs {
		for _, r := range s {
			if !(r == '_' || r == '-' || r == '.' || r == '@' || r == '~' || r == ':' || r == '%' || r == '$' ||
				'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
				return false
			}
		}
		switch {
		case len(s) >= 3 && wordCoverage(s) >= 0.6:
			wordy++
		case len(s) <= 2 || s == "..":
			neutral++
		}
	}
	if rePathPrefix.MatchString(v) {
		return wordy > 0 && (wordy+neutral)*2 >= len(segs)
	}
	return len(segs) >= 2 && wordy > 0 && wordy+neutral == len(segs)
}

// isText reports whether v is prose (a label, a translation, a sentence):
// words separated by spaces, or letters outside ASCII.
func isText(v string) bool {
	letters, other, nonASCII := 0, 0, false
	for _, r := range v {
		switch {
		case r == ' ' || r == '\t':
		case unicode.IsLetter(r):
			letters++
			if r >= utf8.RuneSelf {
				nonASCII = true
			}
		default:
			other++
		}
	}
	if nonASCII {
		return true
	}
	if !strings.ContainsAny(v, " \t") {
		return false
	}
	return len(strings.Fields(v)) >= 2 && letters*4 >= (letters+other)*3
}

// hasPlaceholderWord reports whether a word-like value contains a word of
// placeholder text (your_api_key_here, REPLACE_WITH_TOKEN, put-it-here).
func hasPlaceholderWord(v string) bool {
	words := splitName(v)
	for _, w := range words {
		if placeholderTokens[w] && (len(w) >= 5 || wordCoverage(v) >= 0.5) {
			return true
		}
	}
	lv := strings.ToLower(v)
	for _, p := range []string{"your", "changeme", "replace", "example", "placeholder", "dummy", "redacted"} {
		if strings.HasPrefix(lv, p) {
			return true
		}
	}
	return strings.HasSuffix(lv, "here") && wordCoverage(v) >= 0.5
}

// letterChunks splits v into runs of ASCII letters, also at camelCase
// boundaries, lower-cased.
func letterChunks(v string) []string {
	var out []string
	for _, w := range splitName(v) {
		if w[0] >= 'a' && w[0] <= 'z' {
			out = append(out, w)
		}
	}
	return out
}

// segments reports whether s (lower-case letters) is a concatenation of
// words of the set: one of two letters only if the set has it, otherwise
// three or more.
func segments(s string, set func(string) bool) bool {
	n := len(s)
	if n == 0 || n > 64 {
		return false
	}
	ok := make([]bool, n+1)
	ok[0] = true
	for i := 1; i <= n; i++ {
		for j := max(0, i-24); j < i; j++ {
			if i-j == 1 && s[j] != 'a' {
				continue // one-letter words: "a" only
			}
			if ok[j] && set(s[j:i]) {
				ok[i] = true
				break
			}
		}
	}
	return ok[n]
}

// inDictionary reports whether w is a word of the list, or one with a
// common inflection: orders, caches, parsed, loading, reader.
func inDictionary(w string) bool {
	d := dictionary()
	if d[w] {
		return true
	}
	if len(w) < 5 {
		return false
	}
	for _, suffix := range []string{"s", "es", "ed", "d", "ing", "er", "ers"} {
		if stem, ok := strings.CutSuffix(w, suffix); ok && len(stem) >= 3 && d[stem] {
			return true
		}
	}
	return false
}

// wordCoverage is the share of v's letters that belong to chunks made
// entirely of dictionary words. Random strings score near 0, identifiers,
// slugs and prose near 1.
func wordCoverage(v string) float64 {
	total, covered := 0, 0
	for _, c := range letterChunks(v) {
		total += len(c)
		if len(c) >= 2 && segments(c, inDictionary) {
			covered += len(c)
		}
	}
	if total == 0 {
		return 0
	}
	return float64(covered) / float64(total)
}

// isIdentifier reports whether v is a name rather than a value: letters,
// digits and _ . - only, every letter chunk made of dictionary words, and
// digits only at the end of a word (DB_PASSWORD, passwordInput,
// prod-db-credentials, user2).
func isIdentifier(v string) bool {
	if v == "" || !(v[0] == '_' || 'a' <= v[0] && v[0] <= 'z' || 'A' <= v[0] && v[0] <= 'Z') {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c == '_' || c == '.' || c == '-' || isAlnum(c)) {
			return false
		}
		if '0' <= c && c <= '9' && i+1 < len(v) && v[i+1] >= 'a' && v[i+1] <= 'z' {
			return false // a digit inside a word: hunter2prod, s3cr3t
		}
	}
	if reEnvName.MatchString(v) {
		// An environment variable's name: SENDGRID_API_KEY, DB_PASSWORD.
		known := 0
		parts := strings.Split(v, "_")
		for _, p := range parts {
			if len(p) >= 2 && inDictionary(strings.ToLower(p)) {
				known++
			}
		}
		if known*2 >= len(parts) {
			return true
		}
	}
	words := 0
	for _, c := range letterChunks(v) {
		if len(c) == 1 {
			continue
		}
		if !segments(c, inDictionary) {
			return false
		}
		words++
	}
	return words > 0
}

// unleet undoes common letter substitutions: "P@ssw0rd!" reads "password".
func unleet(v string) string {
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch c {
		case '0':
			c = 'o'
		case '1':
			c = 'i'
		case '3':
			c = 'e'
		case '4', '@':
			c = 'a'
		case '5', '$':
			c = 's'
		case '7':
			c = 't'
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// isWeak reports whether v is a default, test or placeholder password:
// made only of weak words once leetspeak is undone, with digits and
// punctuation only around them ("Passw0rd!", "admin123", "changeme",
// "supersecretpassword", "s3cr3t").
func isWeak(v string) bool {
	core := strings.TrimFunc(v, func(r rune) bool { return !unicode.IsLetter(r) })
	if core == "" {
		return len(v) < 10 // a few digits and punctuation only
	}
	isWeakWord := func(w string) bool { return weakWords[w] }
	for _, cand := range []string{core, unleet(core)} {
		if strings.ContainsAny(cand, "0123456789") {
			continue // a digit inside: hunter2prod is not made of weak words
		}
		chunks := strings.FieldsFunc(strings.ToLower(cand), func(r rune) bool { return r < 'a' || r > 'z' })
		weak := len(chunks) > 0
		for _, c := range chunks {
			if !segments(c, isWeakWord) {
				weak = false
				break
			}
		}
		if weak {
			return true
		}
	}
	return false
}

func charClasses(v string) (lower, upper, digit, symbol int) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z':
			lower++
		case 'A' <= c && c <= 'Z':
			upper++
		case '0' <= c && c <= '9':
			digit++
		default:
			symbol++
		}
	}
	return
}

func nClasses(v string) int {
	l, u, d, s := charClasses(v)
	n := 0
	for _, x := range []int{l, u, d, s} {
		if x > 0 {
			n++
		}
	}
	return n
}

// entropyFloor is the least entropy a machine-made secret of n bytes
// should have: 3 bits per byte, less for short strings whose entropy is
// bounded by log2(n).
func entropyFloor(n int) float64 {
	return min(3.0, 0.75*math.Log2(float64(max(n, 2))))
}

// decodedText returns the text a base64 value decodes to, when it decodes
// to printable ASCII of at least four bytes; "" otherwise. Random tokens
// never decode to printable text, encoded credentials do.
func decodedText(v string) string {
	if len(v) < 8 || strings.ContainsAny(v, " \t.") {
		return ""
	}
	var dec []byte
	var err error
	switch {
	case strings.ContainsAny(v, "-_"):
		dec, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
	case strings.HasSuffix(v, "="):
		dec, err = base64.StdEncoding.DecodeString(v)
	case len(v)%4 == 0:
		dec, err = base64.StdEncoding.DecodeString(v)
	default:
		dec, err = base64.RawStdEncoding.DecodeString(v)
	}
	if err != nil || len(dec) < 4 {
		return ""
	}
	for _, c := range dec {
		if (c < 0x20 || c > 0x7e) && c != '\n' && c != '\r' && c != '\t' {
			return ""
		}
	}
	return string(dec)
}
