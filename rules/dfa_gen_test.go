package rules

import (
	"reflect"
	"regexp/syntax"
	"testing"
)

// TestGeneratedProgs checks that each compiled-in program is the one its
// expressions compile to now, and that the default rules' matcher and
// allowlists use the compiled-in programs instead of compiling their own.
func TestGeneratedProgs(t *testing.T) {
	if len(defaultProgs) == 0 {
		t.Fatal("no compiled-in programs: regenerate default_rules.go")
	}
	for i := range defaultProgs {
		g := &defaultProgs[i]
		prog, err := compileUnion(g.exprs)
		if err != nil {
			t.Fatalf("compiled-in program %d: %v", i, err)
		}
		if !reflect.DeepEqual(prog, &g.prog) {
			t.Errorf("compiled-in program %d (%d expressions) differs from what they compile to: run\n\tgo test ./rules -run TestDefaultRulesGenerated -update", i, len(g.exprs))
		}
	}

	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	d := m.anyPath()
	if d == nil {
		t.Fatal("no path DFA for the default rules")
	}
	var paths []string
	for _, r := range m.pathRules {
		paths = append(paths, r.Path)
	}
	if want := generatedProg(paths); want == nil || d.prog != want {
		t.Errorf("the default path rules' DFA was compiled at run time, not taken from default_rules.go")
	}
	f, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	var allows []*Allowlist
	for i := range f.Allow {
		allows = append(allows, &f.Allow[i])
	}
	for _, r := range f.Rules {
		for i := range r.Allow {
			allows = append(allows, &r.Allow[i])
		}
	}
	n := 0
	for _, a := range allows {
		if len(a.Paths)+len(a.Globs) == 0 {
			continue
		}
		n++
		ac := a.get()
		if ac.paths == nil || !isGenerated(ac.paths.prog) {
			t.Errorf("the path DFA of allowlist %q was compiled at run time", a.Description)
		}
	}
	if n == 0 {
		t.Error("no default allowlist has paths or globs: the test checks nothing")
	}

	// Expressions that were not compiled in are compiled as before.
	if generatedProg([]string{`(^|/)not-a-default-pattern$`}) != nil {
		t.Error("an unknown expression list has a compiled-in program")
	}
	d, err = newUnionDFA([]string{`(^|/)not-a-default-pattern$`})
	if err != nil || isGenerated(d.prog) || !d.matchString("a/not-a-default-pattern") || d.matchString("a/b") {
		t.Errorf("newUnionDFA of an unknown pattern: %v", err)
	}
}

// isGenerated reports whether p is one of the compiled-in programs.
func isGenerated(p *syntax.Prog) bool {
	for i := range defaultProgs {
		if p == &defaultProgs[i].prog {
			return true
		}
	}
	return false
}
