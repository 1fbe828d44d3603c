package report

import (
	"bytes"
	"testing"

	"github.com/keylint/keylint/scanner"
)

// TestCompact: one line per location, sorted, with the commit when known,
// and nothing a terminal would interpret.
func TestCompact(t *testing.T) {
	for _, tc := range []struct {
		name string
		fs   []scanner.Finding
		want string
	}{
		{"none", nil, ""},
		{"two locations", []scanner.Finding{{RuleID: "github-classic-pat", Severity: "critical", Secret: "ghp_…",
			Locations: []scanner.Location{{Path: "b.env", Line: 3, Column: 7}, {Path: "a.env", Line: 1, Column: 14}}}},
			"a.env:1:14: github-classic-pat critical ghp_…\nb.env:3:7: github-classic-pat critical ghp_…\n"},
		{"history", []scanner.Finding{{RuleID: "jwt", Severity: "medium", Secret: "eyJh…",
			Locations: []scanner.Location{{Path: "x.txt", Line: 2, Column: 1, Commit: "0123456789abcdef0123"}}}},
			"x.txt:2:1: jwt medium eyJh… commit 0123456789ab\n"},
		{"escape in a path", []scanner.Finding{{RuleID: "jwt", Severity: "medium", Secret: "eyJh…",
			Locations: []scanner.Location{{Path: "\x1b[31mred", Line: 1, Column: 1}}}},
			"\\x1B[31mred:1:1: jwt medium eyJh…\n"},
	} {
		var b bytes.Buffer
		rep, err := New("compact", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.Report(&b, tc.fs, scanner.Summary{}); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, b.String(), tc.want)
		}
	}
}
