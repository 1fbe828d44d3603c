package triage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/scanner"
)

// TestRecordBaseline: keylint baseline records what a scan found, or
// prunes what it no longer finds, never from an incomplete scan.
func TestRecordBaseline(t *testing.T) {
	t.Parallel()
	fp1, fp2 := strings.Repeat("1", 32), strings.Repeat("2", 32)
	f1 := scanner.Finding{RuleID: "r", Fingerprint: fp1, Locations: []scanner.Location{{Path: "a.env"}}}
	f2 := scanner.Finding{RuleID: "r", Fingerprint: fp2, Locations: []scanner.Location{{Path: "b.env"}}}
	dir := t.TempDir()
	old := filepath.Join(dir, "old")
	w, err := os.Create(old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewBaseline([]scanner.Finding{f1, f2}).WriteTo(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	unreadable := scanner.Warning{Path: "c.env", Err: errors.New("permission denied")}
	tests := []struct {
		name       string
		res        scanner.Result
		path       string
		prune      bool
		entries    int
		stale      int
		wantErr    string
		wantHint   bool
		wantNoFile bool
	}{
		{name: "record", res: scanner.Result{Findings: []scanner.Finding{f1, f2}}, path: filepath.Join(dir, "none"), entries: 2},
		{name: "record from an incomplete scan", res: scanner.Result{Findings: []scanner.Finding{f1}, Warnings: []scanner.Warning{unreadable}}, entries: 1},
		{name: "prune", res: scanner.Result{Findings: []scanner.Finding{f2}}, path: old, prune: true, entries: 1, stale: 1},
		{name: "prune nothing", res: scanner.Result{Findings: []scanner.Finding{f1, f2}}, path: old, prune: true, entries: 2},
		{name: "prune from an incomplete scan", res: scanner.Result{Findings: []scanner.Finding{f2}, Warnings: []scanner.Warning{unreadable}}, path: old, prune: true,
			wantErr: "the scan is incomplete: 1 item could not be read (see the warnings); the 1 finding reported comes from the rest; the baseline was not pruned", wantHint: true},
		{name: "prune a missing baseline", res: scanner.Result{}, path: filepath.Join(dir, "missing"), prune: true, wantNoFile: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, stale, err := RecordBaseline(context.Background(), &tt.res, tt.path, tt.prune)
			switch {
			case tt.wantNoFile:
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("err = %v, want a missing file", err)
				}
			case tt.wantErr != "":
				if err == nil || err.Error() != tt.wantErr || (clierr.Hint(err) != "") != tt.wantHint {
					t.Errorf("err = %v (hint %q), want %q", err, clierr.Hint(err), tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case b.Len() != tt.entries || len(stale) != tt.stale:
				t.Errorf("%d entries, %d stale; want %d, %d", b.Len(), len(stale), tt.entries, tt.stale)
			}
		})
	}
}
