package rules

import "os"

// DefaultWithDFA returns a private copy of the default rule set whose
// regexes answer "any match in this window?" with their DFA from the first
// byte, so tests cover that path and not only the regexp one a short scan
// takes.
func DefaultWithDFA() (*Ruleset, error) {
	data, err := os.ReadFile(DefaultFile)
	if err != nil {
		return nil, err
	}
	f, err := parse(DefaultFile, data, false)
	if err != nil {
		return nil, err
	}
	rs, err := New(f)
	if err != nil {
		return nil, err
	}
	for _, r := range rs.rules {
		if r.re != nil {
			r.re.seen.Store(dfaAfter)
		}
	}
	return rs, nil
}
