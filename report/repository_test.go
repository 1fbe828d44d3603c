package report

import (
	"bytes"
	"encoding/json"
	"slices"
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

// TestInventoryRepositories: the json inventory lists the distinct
// repositories of a key found in several (and omits the field for one
// repository's scan); the html inventory names them.
func TestInventoryRepositories(t *testing.T) {
	multi := scanner.Finding{RuleID: "r", Provider: "GitHub", Severity: rules.High, Secret: "abcd…", Fingerprint: strings.Repeat("ab", 16),
		Locations: []scanner.Location{
			{Repository: "org/beta-service", Path: "a.go", Line: 1, Column: 1},
			{Repository: "org/alpha-service", Path: "a.go", Line: 1, Column: 1},
			{Repository: "org/alpha-service", Path: "b.go", Line: 2, Column: 1},
		}}
	single := multi
	single.Locations = []scanner.Location{{Path: "a.go", Line: 1, Column: 1}}
	tests := []struct {
		name string
		f    scanner.Finding
		want []string
	}{
		{"several repositories", multi, []string{"org/alpha-service", "org/beta-service"}},
		{"one repository", single, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var js bytes.Buffer
			r, _ := New("json", Options{})
			if err := r.Report(&js, []scanner.Finding{tc.f}, scanner.Summary{}); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Inventory []struct {
					Secrets []map[string]json.RawMessage `json:"secrets"`
				} `json:"inventory"`
			}
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Inventory) != 1 || len(doc.Inventory[0].Secrets) != 1 {
				t.Fatalf("inventory: %s", js.Bytes())
			}
			raw, ok := doc.Inventory[0].Secrets[0]["repositories"]
			var got []string
			if ok {
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Fatal(err)
				}
			}
			if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
				t.Errorf("repositories = %s (present %v), want %q", raw, ok, tc.want)
			}

			var html bytes.Buffer
			r, _ = New("html", Options{})
			if err := r.Report(&html, []scanner.Finding{tc.f}, scanner.Summary{}); err != nil {
				t.Fatal(err)
			}
			inv := html.String()
			for _, repo := range tc.want {
				if !strings.Contains(inv, `<span class="repo">`+repo+`</span>`) {
					t.Errorf("html inventory does not name %s", repo)
				}
			}
			if tc.want == nil && strings.Contains(inv, `<span class="repo">`) {
				t.Error("html inventory names a repository for a single-repository scan")
			}
		})
	}
}
