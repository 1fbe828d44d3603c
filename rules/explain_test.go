package rules_test

import (
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

// TestExplain: every candidate a rule turned down is listed with its place
// and the reason (issue 17's --explain).
func TestExplain(t *testing.T) {
	t.Parallel()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := rules.NewMatcher(rs)
	data := []byte("const a = 1\n  password: Sequelize.STRING\nDB_PASSWORD=<your-password>\nREDIS_PASSWORD=r3dis-Pr0d-77\n")
	got := m.Explain("models/user.yml", data)
	want := map[int]string{2: "reference", 3: "placeholder"}
	seen := map[int]bool{}
	for _, r := range got {
		if r.Line == 4 {
			t.Errorf("reported line 4 as rejected (%s by %s); it is a finding", r.Reason, r.RuleID)
		}
		if w, ok := want[r.Line]; ok && strings.Contains(r.Reason, w) {
			seen[r.Line] = true
		}
		if r.Path != "models/user.yml" || r.Column < 1 || r.RuleID == "" {
			t.Errorf("incomplete rejection %+v", r)
		}
	}
	for line, w := range want {
		if !seen[line] {
			t.Errorf("line %d: no rejection with reason %q in %+v", line, w, got)
		}
	}
}

// TestOneSpanOneFinding: a JWT assigned to a token or sent as a bearer
// token is one finding, the jwt rule's (issue 17).
func TestOneSpanOneFinding(t *testing.T) {
	t.Parallel()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := rules.NewMatcher(rs)
	const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzg4NDEiLCJpYXQiOjE3MTIzNDU2Nzh9.Dp2FmN5DHQb1opoQEn4KdMUh0l_0nHysljOTBAofeiM"
	for _, line := range []string{
		`const token = "` + jwt + `"`,
		`curl -H "Authorization: Bearer ` + jwt + `" https://api.acme.io`,
		`{"key": "Authorization", "value": "Bearer ` + jwt + `"}`,
	} {
		var ids []string
		for _, mt := range m.FindPath("src/app.js", []byte(line+"\n"), nil) {
			ids = append(ids, mt.Rule.ID)
		}
		if len(ids) != 1 || ids[0] != "jwt" {
			t.Errorf("%s: found by %v, want by jwt alone", line, ids)
		}
	}
}
