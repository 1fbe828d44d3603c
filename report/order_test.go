package report

import (
	"testing"
	"time"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// TestCompareFindings: the one order of findings, shared with keylint
// merge, is total: each key decides only when all before it tie.
func TestCompareFindings(t *testing.T) {
	t.Parallel()
	at := func(path string, line int, commit string) []scanner.Location {
		return []scanner.Location{{Path: path, Line: line, Commit: commit, Date: time.Unix(0, 0)}}
	}
	base := scanner.Finding{RuleID: "r", Fingerprint: "f", Secret: "s", Severity: rules.High, Context: "c", Remediation: "m", Locations: at("a", 1, "x")}
	with := func(edit func(*scanner.Finding)) scanner.Finding {
		f := base
		edit(&f)
		return f
	}
	tests := []struct {
		name   string
		before scanner.Finding
		after  scanner.Finding
	}{
		{"path", with(func(f *scanner.Finding) { f.Locations = at("a", 9, "z") }), with(func(f *scanner.Finding) { f.Locations = at("b", 1, "a") })},
		{"line", base, with(func(f *scanner.Finding) { f.Locations = at("a", 2, "a") })},
		{"commit", base, with(func(f *scanner.Finding) { f.Locations = at("a", 1, "y") })},
		{"no location last", with(func(f *scanner.Finding) { f.RuleID = "z" }), with(func(f *scanner.Finding) { f.Locations = nil; f.RuleID = "a" })},
		{"rule", base, with(func(f *scanner.Finding) { f.RuleID = "s" })},
		{"fingerprint", base, with(func(f *scanner.Finding) { f.Fingerprint = "g" })},
		{"secret", base, with(func(f *scanner.Finding) { f.Secret = "t" })},
		{"severity", base, with(func(f *scanner.Finding) { f.Severity = rules.Low })},
		{"context", with(func(f *scanner.Finding) { f.Context = "" }), base},
		{"remediation", base, with(func(f *scanner.Finding) { f.Remediation = "n" })},
	}
	for _, tt := range tests {
		if c := CompareFindings(tt.before, tt.after); c >= 0 {
			t.Errorf("%s: CompareFindings(before, after) = %d, want < 0", tt.name, c)
		}
		if c := CompareFindings(tt.after, tt.before); c <= 0 {
			t.Errorf("%s: CompareFindings(after, before) = %d, want > 0", tt.name, c)
		}
	}
	if c := CompareFindings(base, with(func(*scanner.Finding) {})); c != 0 {
		t.Errorf("equal findings compare %d", c)
	}
}
