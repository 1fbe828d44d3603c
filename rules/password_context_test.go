package rules

import "testing"

// TestNotPasswordContext pins the values that describe, configure or name
// something beside a password's name, and the passwords of the same shapes
// that stay passwords.
func TestNotPasswordContext(t *testing.T) {
	for _, c := range []struct {
		name, v, want string
	}{
		// A setting about updating a password: its values are a policy.
		{"update_password", "on_create", "name"},
		{"updatePassword", "always", "name"},
		{"update_pwd", "always", "name"},
		{"password", "on_create", ""},
		{"password_update", "always", ""},
		// Validation rules and character classes: a password policy.
		{"password", "required|string|min:8|confirmed", "policy"},
		{"password", "required|min:6", "policy"},
		{"password", "nullable|alpha_num|max:64", "policy"},
		{"password", "upper-case", "policy"},
		{"password", "lower_case", "policy"},
		{"password", "alphanumeric", "policy"},
		{"password", "required", "policy"},
		{"password", "special", ""},          // one word: a password as often
		{"password", "numbers", ""},          // one word: a password as often
		{"password", "hunter|2prod", ""},     // a pipe in a password
		{"password", "required|hunter2", ""}, // not all rules
		{"password", "|", ""},
		// Metasyntactic names stand in for a password.
		{"password", "foo:bar", "placeholder"},
		{"AUTH_PASS", "foobar", "placeholder"},
		{"password", "foobar1234", "placeholder"},
		{"password", "Foo_Bar_Baz", "placeholder"},
		{"password", "football1", ""},
		{"password", "barnacle-Qx7", ""},
		{"password", "1234", ""},
		// Redaction markers.
		{"Password", "*SENSITIVE*DATA*DELETED*", "mask"},
		{"password", "*removed*", "mask"},
		{"password", "*Hunter*", ""}, // mixed case: a password with stars
		{"password", "*s3cret*", ""}, // digits
		{"password", "*x", ""},
		// A resource's name with an index under a token's name.
		{"initial-cluster-token", "etcd-cluster-0", "identifier"},
		{"cluster_secret", "orders-db-12", "identifier"},
		{"jwt-secret", "keyboard_kitten", ""},         // a chosen secret
		{"password", "correct-horse-7", ""},           // a password's name keeps it
		{"initial-cluster-token", "etcd-cluster", ""}, // no index
		{"token", "k8s-prod-2024", ""},                // a year is no index
		{"token", "abc--def-1", ""},
		{"token", "-abc-def-1", ""},
	} {
		if got := notPasswordContext(c.name, c.v, quotedSyntax); got != c.want {
			t.Errorf("notPasswordContext(%q, %q) = %q, want %q", c.name, c.v, got, c.want)
		}
	}
}

// TestSchemaTypes pins the field types of a schema written unquoted
// (password: String! in GraphQL), and the passwords of a like shape that
// stay passwords: quoted, or not a type's name.
func TestSchemaTypes(t *testing.T) {
	for _, c := range []struct {
		v    string
		syn  valueSyntax
		want string
	}{
		{"String!", configSyntax, "type"},
		{"String", configSyntax, "type"},
		{"[String!]!", configSyntax, "type"},
		{"ID!", configSyntax, "type"},
		{"SetPasswordInput!", configSyntax, "type"},
		{"String!,", configSyntax, "type"},
		{"String!", quotedSyntax, ""},   // "String!" in code is a value
		{"Secret!", configSyntax, ""},   // not a type's name
		{"Password!", configSyntax, ""}, // not a type's name
		{"Strings!", configSyntax, ""},
		{"String!!", configSyntax, ""},
		{"[String!", configSyntax, ""},
		{"String]", configSyntax, ""},
	} {
		if got := notPasswordContext("password", c.v, c.syn); got != c.want {
			t.Errorf("notPasswordContext(password, %q, %d) = %q, want %q", c.v, c.syn, got, c.want)
		}
	}
}
