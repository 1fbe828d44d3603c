package console

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/report"
)

// BaselineRecorded says what keylint baseline records in the baseline
// file out: entries entries for findings findings.
func BaselineRecorded(w io.Writer, out string, entries, findings int) {
	fmt.Fprintf(w, "keylint: baseline %s: recorded %d %s for %d %s\n", report.Sanitize(out), entries, plural.Of(entries, "entry", "entries"), findings, plural.Of(findings, "finding", "findings"))
}

// BaselinePruned says what keylint baseline --prune dropped from the
// baseline file out and kept.
func BaselinePruned(w io.Writer, out string, stale, kept int) {
	fmt.Fprintf(w, "keylint: baseline %s: dropped %d stale %s, kept %d\n", report.Sanitize(out), stale, plural.Of(stale, "entry", "entries"), kept)
}

// BaselineHint tells how to have every command apply the baseline file
// out, which the configuration does not name yet.
func BaselineHint(w io.Writer, out string) {
	fmt.Fprintf(w, "keylint: hint: add `baseline = %q` to .keylint.toml so that every command (scan, git, staged, the hooks, keylint ci) applies it; else pass --baseline %s to each\n",
		report.Sanitize(filepath.ToSlash(out)), report.Sanitize(out))
}
