package rules

import "strings"

// Values next to a password's name that describe or configure a password
// rather than being one (issue 17): the rules a form checks a password
// against (required|min:8, upper-case), the policy of a setting that
// updates one (Ansible's update_password: on_create), and the name of a
// resource given to a flag or key that is named like a token but is not a
// password (etcd's --initial-cluster-token=etcd-cluster-0).

// notPasswordContext says why the value v, assigned to name by a password
// rule, configures or names something rather than being a password, or "".
func notPasswordContext(name, v string, syn valueSyntax) string {
	v = strings.TrimSpace(v)
	switch {
	case syn == configSyntax && reSchemaType.MatchString(v):
		return "type" // password: String! in a GraphQL schema
	case name != "" && updatesPassword(name):
		return "name" // update_password: always | on_create
	case isPolicy(v):
		return "policy"
	case isMetasyntactic(v):
		return "placeholder"
	case isRedaction(v):
		return "mask" // *SENSITIVE*DATA*DELETED*
	case name != "" && nameKind(name) == secretKind && isResourceName(v):
		return "identifier"
	}
	return ""
}

// reSchemaType is the type of a field in a schema, unquoted: GraphQL's
// scalars and input types, non-null (!) or in a list ([String!]!).
var reSchemaType = compileLater(strings.ReplaceAll(`^(?:T!?|\[T!?\]!?)[,;]?$`, "T",
	`(?:String|Int|Float|Boolean|ID|[A-Z][A-Za-z0-9]*(?:Input|Type|Payload|Scalar))`))

// updatesPassword reports whether a password's name is that of a setting
// about updating it (update_password, updatePassword), whose values are a
// policy (always, on_create), not a password.
func updatesPassword(name string) bool {
	words := expandCompounds(splitName(name))
	for i := 1; i < len(words); i++ {
		if passwordHeads[words[i]] && words[i-1] == "update" {
			return true
		}
	}
	return false
}

// charClassWords describe what a password must contain: a value made of
// them alone (upper-case, alphanumeric) describes a password policy.
var charClassWords = setOf("upper", "lower", "case", "uppercase", "lowercase", "alphanumeric", "alphabetic", "alpha",
	"numeric", "digit", "digits", "letter", "letters", "symbol", "symbols", "special", "character", "characters",
	"chars", "number", "numbers", "mixed", "required", "optional", "nullable")

// policyWords are words of a policy that stand alone as a value.
var policyWords = setOf("alphanumeric", "alphabetic", "uppercase", "lowercase", "required", "nullable")

// ruleWords are the words of validation rules (Laravel's
// required|string|min:8|confirmed and its relatives).
var ruleWords = setOf("required", "nullable", "sometimes", "string", "min", "max", "confirmed", "regex", "between",
	"size", "bail", "filled", "present", "different", "same", "current", "password", "uncompromised", "alpha",
	"num", "dash", "not", "in", "rules", "length", "minlength", "maxlength", "trim", "strong")

// isPolicy reports whether v states the rules a password must follow: words
// of character classes (upper-case, alphanumeric), or two validation rules
// or more separated by "|" (required|min:8).
func isPolicy(v string) bool {
	if v == "" || len(v) > 200 {
		return false
	}
	tokens := strings.Split(v, "|")
	if len(tokens) == 1 {
		// One word alone is a password as often (special, numbers): only a
		// compound (upper-case, lower_case) or a word no one picks.
		lv := strings.ToLower(v)
		return policyWords[lv] || strings.ContainsAny(lv, "-_") && wordsOf(lv, charClassWords)
	}
	for _, t := range tokens {
		head, _, _ := strings.Cut(strings.ToLower(t), ":")
		if head == "" || !wordsOf(head, ruleWords) && !wordsOf(head, charClassWords) {
			return false
		}
	}
	return true
}

// wordsOf reports whether s is words of the set joined by "-", "_" or
// nothing else: upper-case, alpha_num.
func wordsOf(s string, set map[string]bool) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		if !set[p] {
			return false
		}
	}
	return true
}

// metasyntacticWords are the stand-in names of programming examples.
var metasyntacticWords = setOf("foo", "bar", "baz", "qux", "quux", "corge", "grault", "garply", "waldo", "fred",
	"plugh", "xyzzy", "thud", "hoge", "fuga", "piyo")

// isMetasyntactic reports whether v is made of metasyntactic names (foo,
// bar, baz ...), with digits and punctuation only around or between them:
// foobar, foo:bar, foobar1234. Such a value is a stand-in, as <password> is.
func isMetasyntactic(v string) bool {
	lv := strings.ToLower(v)
	chunks := strings.FieldsFunc(lv, func(r rune) bool { return r < 'a' || r > 'z' })
	if len(chunks) == 0 {
		return false
	}
	for _, c := range chunks {
		if !segments(c, func(w string) bool { return metasyntacticWords[w] }) {
			return false
		}
	}
	return true
}

// isResourceName reports whether v is the name of one of several
// resources: two words in lower case or more and an index, joined by "-",
// "_" or "." (etcd-cluster-0, orders-db-2). A token is never that shape; a
// password may be (correct-horse-7), so only a value assigned to a token's
// or secret's name is judged so.
func isResourceName(v string) bool {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	if len(parts) < 2 || len(strings.Join(parts, "")) != len(v)-(len(parts)-1) {
		return false
	}
	if last := parts[len(parts)-1]; !isDigits(last) || len(last) > 3 {
		return false // keyboard_kitten under jwt-secret is a chosen secret
	}
	for _, p := range parts[:len(parts)-1] {
		if !isLowerWord(p) {
			return false
		}
	}
	return len(parts) >= 3
}

// isLowerWord reports whether p is lower-case letters, possibly with digits
// after the first letter (k8s, etcd, s3).
func isLowerWord(p string) bool {
	if p == "" || p[0] < 'a' || p[0] > 'z' {
		return false
	}
	for i := 1; i < len(p); i++ {
		if c := p[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// isRedaction reports whether v is a redaction marker: words in capitals or
// lower case between asterisks, as Windows setup writes
// *SENSITIVE*DATA*DELETED* in place of the passwords of an unattend file
// and its logs, or *REMOVED*.
func isRedaction(v string) bool {
	if len(v) < 3 || v[0] != '*' || v[len(v)-1] != '*' {
		return false
	}
	words := strings.FieldsFunc(v, func(r rune) bool { return r == '*' || r == '_' || r == ' ' })
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if w != strings.ToUpper(w) && w != strings.ToLower(w) || !isLetters(w) {
			return false
		}
	}
	return true
}

// isLetters reports whether w is ASCII letters only.
func isLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return w != ""
}
