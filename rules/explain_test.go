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
