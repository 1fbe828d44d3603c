package report_test

import (
	"fmt"
	"os"
	"time"

	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

func Example() {
	findings := []scanner.Finding{{
		RuleID:      "github-pat",
		Description: "GitHub personal access token",
		Provider:    "GitHub",
		Severity:    rules.High,
		Secret:      "ghp_…", // already redacted by the scanner
		Fingerprint: "c0ffee0000000001",
		Remediation: "Revoke the token and create a new one.",
		InHead:      true,
		Locations: []scanner.Location{{
			Path: "deploy/.env", Line: 3, Column: 14, EndLine: 3, EndColumn: 54,
			LineExcerpt: "GITHUB_TOKEN=ghp_…",
		}},
	}}
	sum := scanner.Summary{
		Files: 42, Bytes: 3 << 20, Duration: 250 * time.Millisecond,
		Findings: 1, BySeverity: map[rules.Severity]int{rules.High: 1},
	}

	r, err := report.New("text", report.Options{Color: false})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	if err := r.Report(os.Stdout, findings, sum); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	// The summary normally goes to stderr.
	if err := report.WriteSummary(os.Stdout, sum, report.Options{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	// Output:
	// deploy/.env:3:14  github-pat  high  GitHub  ghp_…
	//     line   GITHUB_TOKEN=ghp_…
	//     fix    Revoke the token and create a new one.
	// scanned 42 files (3.0 MiB) in 250ms
	// 1 finding: 1 high
}
