package rules

import "testing"

// TestExamplesFoundMidFile: every rule finds the secrets of its own
// examples when the example is not at the start of the input, as in a real
// file, and not only when it is the whole input. A regex whose boundary
// guard only holds at the start of the text passes its examples alone and
// misses every real occurrence after the first line.
func TestExamplesFoundMidFile(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	for _, r := range rs.Rules() {
		if r.IsPathRule() {
			continue
		}
		for i, ex := range r.Matches {
			var want []string
			for _, mt := range m.Find([]byte(ex), nil) {
				if mt.Rule.ID == r.ID {
					want = append(want, mt.Secret)
				}
			}
			in := "# settings\nname = demo\n" + ex + "\n# end\n"
			got := map[string]bool{}
			for _, mt := range m.Find([]byte(in), nil) {
				if mt.Rule.ID == r.ID {
					got[mt.Secret] = true
				}
			}
			for _, s := range want {
				if !got[s] {
					t.Errorf("%s: example %d is found alone but not after other lines", r.ID, i)
				}
			}
		}
	}
}
