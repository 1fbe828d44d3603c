package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// TestRepositoryShown checks that every format names the repository of a
// location when a run audited several, and names none otherwise.
func TestRepositoryShown(t *testing.T) {
	f := scanner.Finding{RuleID: "r", Severity: rules.High, Secret: "abcd…", Fingerprint: strings.Repeat("ab", 16),
		Locations: []scanner.Location{
			{Repository: "org/alpha-service", Path: "a.go", Line: 1, Column: 1},
			{Repository: "org/beta-service", Path: "a.go", Line: 1, Column: 1},
		}}
	single := f
	single.Locations = []scanner.Location{{Path: "a.go", Line: 1, Column: 1}}
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			r, err := New(format, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var multi, one bytes.Buffer
			if err := r.Report(&multi, []scanner.Finding{f}, scanner.Summary{}); err != nil {
				t.Fatal(err)
			}
			if err := r.Report(&one, []scanner.Finding{single}, scanner.Summary{}); err != nil {
				t.Fatal(err)
			}
			for _, repo := range []string{"org/alpha-service", "org/beta-service"} {
				if !bytes.Contains(multi.Bytes(), []byte(repo)) {
					t.Errorf("%s report does not name %s:\n%s", format, repo, multi.Bytes())
				}
			}
			if bytes.Contains(one.Bytes(), []byte("repository")) && format != "html" && format != "csv" { // csv always has the column
				t.Errorf("single-repository %s report mentions a repository:\n%s", format, one.Bytes())
			}
		})
	}
}
