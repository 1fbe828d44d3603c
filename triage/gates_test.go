package triage

import (
	"errors"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/scanner"
)

// TestGates: a run ends with the error of an incomplete scan, else with
// that of --fail-on-skipped, else cleanly; each error says what to do.
func TestGates(t *testing.T) {
	t.Parallel()
	unreadable := scanner.Warning{Path: "a.env", Err: errors.New("permission denied")}
	expected := scanner.Warning{Path: "repo", Expected: true, Err: errors.New("a shallow clone")}
	found := []scanner.Finding{{RuleID: "r"}, {RuleID: "s"}}
	tests := []struct {
		name          string
		res           scanner.Result
		hint          string
		failOnSkipped bool
		failing       bool
		unscanned     int
		want          string // "" for none
		wantHint      string
	}{
		{name: "clean", res: scanner.Result{Findings: found}},
		{name: "an expected gap is not damage", res: scanner.Result{Warnings: []scanner.Warning{expected}}},
		{name: "incomplete files", res: scanner.Result{Findings: found, Warnings: []scanner.Warning{unreadable}},
			want: "the scan is incomplete: 1 item could not be read (see the warnings); the 2 findings reported come from the rest", wantHint: RepairFiles},
		{name: "incomplete history", res: scanner.Result{Warnings: []scanner.Warning{unreadable, unreadable}}, hint: "run git fsck",
			want: "the scan is incomplete: 2 items could not be read (see the warnings); the 0 findings reported come from the rest", wantHint: "run git fsck"},
		{name: "incomplete beats skipped", res: scanner.Result{Warnings: []scanner.Warning{unreadable}}, failOnSkipped: true, unscanned: 3,
			want: "the scan is incomplete: 1 item could not be read (see the warnings); the 0 findings reported come from the rest", wantHint: RepairFiles},
		{name: "skipped without the flag", unscanned: 2},
		{name: "skipped", failOnSkipped: true, unscanned: 1, want: "1 file was not scanned, and --fail-on-skipped is set", wantHint: "scan them (for a file over the size limit, raise --max-file-size), remove them from the change, or drop --fail-on-skipped"},
		{name: "skipped, many", failOnSkipped: true, unscanned: 2, want: "2 files were not scanned, and --fail-on-skipped is set", wantHint: "scan them"},
		{name: "skipped but findings fail the run", failOnSkipped: true, failing: true, unscanned: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Gates(&tt.res, tt.hint, tt.failOnSkipped, tt.failing, tt.unscanned)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if h := clierr.Hint(err); len(h) < len(tt.wantHint) || h[:len(tt.wantHint)] != tt.wantHint {
				t.Errorf("hint = %q, want %q...", h, tt.wantHint)
			}
		})
	}
}
