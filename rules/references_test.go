package rules

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
)

// observedMarker is the comment line written directly above a rule's
// [[rules]] header when no page of the provider (or specification) states
// the format the rule matches: the format was observed, not documented.
const observedMarker = "# format: observed, not documented"

// referenceProblems lists, for the rule file text data, every non-generic
// rule that names neither a `references` URL nor carries observedMarker
// directly above its header, every rule that has both, and every reference
// that is not an absolute https URL.
func referenceProblems(name string, data []byte) ([]string, error) {
	f, err := parse(name, data, false)
	if err != nil {
		return nil, err
	}
	lines := bytes.Split(data, []byte("\n"))
	headers := HeaderLines(data, "rules")
	var problems []string
	for i, r := range f.Rules {
		if r.ID == "" || i >= len(headers) {
			continue
		}
		marked := headers[i] >= 2 && strings.TrimSpace(string(lines[headers[i]-2])) == observedMarker
		switch {
		case marked && len(r.References) > 0:
			problems = append(problems, fmt.Sprintf("%s (line %d): has references and the %q marker; drop the marker", r.ID, headers[i], observedMarker))
		case !r.Generic && !marked && len(r.References) == 0:
			problems = append(problems, fmt.Sprintf("%s (line %d): no references; add the provider page that states the format as references = ['https://…'], or put %q on the line above [[rules]]", r.ID, headers[i], observedMarker))
		}
		for _, ref := range r.References {
			u, err := url.Parse(ref)
			if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(ref, " \t") {
				problems = append(problems, fmt.Sprintf("%s (line %d): reference %q is not an absolute https URL", r.ID, headers[i], ref))
			}
		}
	}
	return problems, nil
}

// TestDefaultRulesReferenced: every non-generic built-in rule says where its
// format comes from, a references URL or the observed-not-documented marker,
// so that a format nobody can source stays visible.
func TestDefaultRulesReferenced(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(DefaultFile)
	if err != nil {
		t.Fatal(err)
	}
	problems, err := referenceProblems(DefaultFile, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestReferenceProblems: the check finds each kind of problem and accepts
// documented, marked and generic rules.
func TestReferenceProblems(t *testing.T) {
	t.Parallel()
	const body = "description = 'd'\nprovider = 'P'\nseverity = 'high'\nkeywords = ['xy']\nregex = '''x(y)'''\nremediation = 'r'\n"
	rule := func(extra string) string { return "[[rules]]\nid = 'a-rule'\n" + body + extra }
	tests := []struct {
		name string
		src  string
		want string // substring of the only problem; "" for none
	}{
		{"referenced", rule("references = ['https://example.com/docs/tokens']\n"), ""},
		{"marked", observedMarker + "\n" + rule(""), ""},
		{"marked with spaces", "  " + observedMarker + "  \n" + rule(""), ""},
		{"generic", rule("generic = true\n"), ""},
		{"neither", rule(""), "no references"},
		{"marker not adjacent", observedMarker + "\n\n" + rule(""), "no references"},
		{"other comment", "# format: documented\n" + rule(""), "no references"},
		{"both", observedMarker + "\n" + rule("references = ['https://example.com/']\n"), "drop the marker"},
		{"http", rule("references = ['http://example.com/docs']\n"), "not an absolute https URL"},
		{"relative", rule("references = ['/docs/tokens']\n"), "not an absolute https URL"},
		{"space", rule("references = ['https://example.com/a b']\n"), "not an absolute https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := referenceProblems("t.toml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && len(got) != 0:
				t.Fatalf("problems %q, want none", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Fatalf("problems %q, want one containing %q", got, tt.want)
			}
		})
	}
}
