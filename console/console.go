// Package console writes what keylint tells people besides the report, on
// standard error: the scan's warnings, the configuration's and triage's
// notices, silenced matches, the notes and progress of a history scan,
// what a hook install did, and descriptions of the configuration and the
// rules. Everything from a scanned repository or a configuration is
// sanitised ([report.Sanitize]) before it reaches a terminal.
package console

import (
	"fmt"
	"io"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/triage"
)

// ConfigNotices writes the configuration's notices.
func ConfigNotices(w io.Writer, notices []string) {
	for _, n := range notices {
		fmt.Fprintf(w, "keylint: notice: %s\n", report.Sanitize(n))
	}
}

// Silenced lists the matches silenced by allowlists and inline allows.
func Silenced(w io.Writer, allowed []scanner.Silenced) {
	for _, a := range allowed {
		fmt.Fprintf(w, "keylint: silenced: %s:%d:%d %s (%s)\n", report.Sanitize(a.Path), a.Line, a.Column, report.Sanitize(a.RuleID), report.Sanitize(a.Reason))
	}
}

// Notices tells what triage found, one notice after the other; lists
// stop at [MaxListed] unless verbose. Inline allows added by a change are
// left to keylint ci, which shows them to reviewers.
func Notices(w io.Writer, ns []triage.Notice, verbose bool) {
	list := func(items []string, safe func(string) string) {
		for i, it := range items {
			if i == MaxListed && !verbose {
				fmt.Fprintf(w, "  … %d more (use --verbose to list them)\n", len(items)-i)
				break
			}
			fmt.Fprintf(w, "  %s\n", safe(report.Sanitize(it)))
		}
	}
	for _, n := range ns {
		switch n.Kind {
		case triage.UnmatchedIgnore:
			fmt.Fprintf(w, "keylint: warning: .gitleaksignore: %d %s no finding (gitleaks fingerprints name a line, so moved code breaks them; or the secret is gone):\n",
				len(n.Items), plural.Of(len(n.Items), "fingerprint matches", "fingerprints match"))
			list(n.Items, func(s string) string { return s })
			fmt.Fprintln(w, "keylint: hint: keylint's baseline does not break when code moves: run `keylint baseline` and name it in .keylint.toml (baseline = \".keylint-baseline\")")
		case triage.MissingBaseline:
			fmt.Fprintf(w, "keylint: warning: the baseline %s named in the configuration does not exist; every finding is reported (create it with `keylint baseline`)\n", report.Sanitize(n.Path))
		case triage.StaleBaseline:
			fmt.Fprintf(w, "keylint: baseline: %d stale %s (no longer found):\n", len(n.Items), plural.Of(len(n.Items), "entry", "entries"))
			list(n.Items, report.SafeLineStart)
			fmt.Fprintf(w, "keylint: hint: run `keylint baseline --prune --output %s` to drop them\n", report.Sanitize(n.Path))
		}
	}
}

// MaxListed is how many warnings or entries a list shows before it stops,
// unless verbose.
const MaxListed = 20

// Warnings lists the scan's warnings, up to [MaxListed] unless verbose.
func Warnings(w io.Writer, ws []scanner.Warning, verbose bool) {
	for i, wn := range ws {
		if i == MaxListed && !verbose {
			fmt.Fprintf(w, "keylint: warning: %d more (use --verbose to list them)\n", len(ws)-i)
			return
		}
		fmt.Fprintf(w, "keylint: warning: %s\n", report.Sanitize(wn.Error()))
	}
}

// RepoList writes the repositories of an audit, one a line, as keylint git
// --print-repos prints them.
func RepoList(w io.Writer, repos []string) {
	for _, r := range repos {
		fmt.Fprintln(w, report.Sanitize(r))
	}
}
