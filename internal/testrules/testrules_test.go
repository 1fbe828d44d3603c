package testrules

import (
	"testing"
)

const oneRule = `
[[rules]]
id = "t-token"
description = "test token"
keywords = ["tt_"]
regex = '''\b(tt_[a-z0-9]{16})\b'''
secret_group = 1
`

func TestRulesets(t *testing.T) {
	t.Parallel()
	rs := Ruleset(t, "one.toml", oneRule)
	if len(rs.Rules()) != 1 || rs.Rule("t-token") == nil {
		t.Errorf("Ruleset has %d rules", len(rs.Rules()))
	}
	all := WithDefaults(t, "one.toml", oneRule)
	if all.Rule("t-token") == nil || len(all.Rules()) < 100 {
		t.Errorf("WithDefaults has %d rules", len(all.Rules()))
	}
	ms := Matcher(t, "one.toml", oneRule).FindPath("a.txt", []byte("x = tt_q8zr3kd0w7mv2xt5\n"), nil)
	if len(ms) != 1 || ms[0].Rule.ID != "t-token" {
		t.Errorf("matches %+v", ms)
	}
}
