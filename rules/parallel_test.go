package rules

import (
	"reflect"
	"testing"
)

// TestParseParallel: the default file parsed in pieces gives exactly the
// rules (and their source lines) of a plain parse.
func TestParseParallel(t *testing.T) {
	t.Parallel()
	plain, err := parse(DefaultFile, defaultTOML, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 3, 8} {
		par, err := parseParallel(DefaultFile, defaultTOML, n)
		if err != nil {
			t.Fatal(err)
		}
		if len(par.Rules) != len(plain.Rules) {
			t.Fatalf("n=%d: %d rules, want %d", n, len(par.Rules), len(plain.Rules))
		}
		for i := range plain.Rules {
			a, b := *plain.Rules[i], *par.Rules[i]
			a.re, b.re, a.pathRe, b.pathRe = nil, nil, nil, nil
			a.Allow, b.Allow = nil, nil
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("n=%d: rule %d differs:\n%+v\n%+v", n, i, a, b)
			}
			if len(plain.Rules[i].Allow) != len(par.Rules[i].Allow) {
				t.Fatalf("n=%d: rule %q allowlists differ", n, a.ID)
			}
		}
	}
}
