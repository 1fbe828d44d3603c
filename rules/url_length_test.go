package rules

import (
	"strings"
	"testing"
)

// TestURLCredentialLengths: the URL credential rules report a password of
// 3 to 128 characters under a user name of at most 128, as their regexes'
// counted repetitions did before the check took the bounds over; the
// boundaries are tested for every URL rule's scheme.
func TestURLCredentialLengths(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	// A password that passes the judgement at any length: random-looking,
	// no words, no repeats.
	pass := func(n int) string {
		const alpha = "q7Zk2Wm9Rv4Tx8BnHc3Lp6Ys1Df5GjXa0"
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteByte(alpha[(i*7+i/len(alpha))%len(alpha)])
		}
		return b.String()
	}
	user := func(n int) string { return strings.Repeat("u", n) }
	cases := []struct {
		scheme, rule string
	}{
		{"https", "url-userinfo-password"},
		{"postgres", "postgres-url-password"},
		{"mysql", "mysql-url-password"},
		{"mongodb", "mongodb-url-password"},
		{"redis", "redis-url-password"},
		{"amqp", "amqp-url-password"},
	}
	lengths := []struct {
		user, pass int
		want       bool
	}{
		{8, 128, true},
		{8, 129, false},
		{128, 40, true},
		{129, 40, false},
	}
	for _, c := range cases {
		for _, l := range lengths {
			line := "url = " + c.scheme + "://" + "svc" + user(l.user-3) + ":" + pass(l.pass) + "@db.internal.acme.io:5432/app\n"
			got := false
			for _, mt := range m.Find([]byte(line), nil) {
				if mt.Rule.ID == c.rule && mt.Secret == pass(l.pass) {
					got = true
				}
			}
			if got != l.want {
				t.Errorf("%s: user of %d, password of %d characters: reported %v, want %v", c.rule, l.user, l.pass, got, l.want)
			}
		}
	}
}
