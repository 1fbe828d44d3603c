package report

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/outfile"
	"github.com/keylint/keylint/scanner"
)

// Options configures a [Reporter] and [WriteSummary]. It is passed by value
// and never read from the environment: the caller decides once, for
// example from --no-color, NO_COLOR and whether stdout is a terminal.
type Options struct {
	// Color turns on ANSI colours in the text format and the summary.
	// Machine-readable formats ignore it.
	Color bool
	// ToolVersion is keylint's version, recorded in SARIF output. Empty
	// means a development build.
	ToolVersion string
	// RulesHash identifies the effective rules and settings of the scan;
	// the json format records it (with ToolVersion) so that keylint merge
	// can refuse to mix reports of different rule sets. Empty leaves both
	// out of the json report.
	RulesHash string
	// SecretsShown records, with RulesHash, that the report holds whole
	// secrets (--show-secrets), so that keylint merge does not print them
	// unless asked to.
	SecretsShown bool
	// Repository names the repository the findings come from (a path, or
	// owner/name in GitHub Actions), recorded in the csv format's
	// repository column so that reports of several repositories can be
	// combined. Empty when the scan was not of one repository.
	Repository string
}

// Reporter writes findings in one output format.
//
// Report writes every finding in findings to w. It does not modify
// findings, and the same input always gives byte-identical output.
// sum is the scan's summary; formats that have no place for it ignore it.
// Report returns the first error from w.
type Reporter interface {
	Report(w io.Writer, findings []scanner.Finding, sum scanner.Summary) error
}

// formats lists the formats [New] accepts, in the order they are shown.
var formats = [...]string{"text", "compact", "json", "jsonl", "sarif", "csv", "html"}

// Formats returns the names [New] accepts, in the order a help text should
// list them. The caller may modify the returned slice.
func Formats() []string {
	return slices.Clone(formats[:])
}

// FormatList is [Formats] as a help text says them: "text, json, ... or
// compact".
func FormatList() string {
	list := strings.Join(formats[:], ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		return list[:i] + " or " + list[i+2:]
	}
	return list
}

// CheckFormat returns, for a format [New] does not accept, a usage error
// that lists the formats; nil for a format it accepts.
func CheckFormat(format string) error {
	if _, err := New(format, Options{}); err != nil {
		return clierr.Usagef("use --format "+FormatList(), "unknown format %q", format)
	}
	return nil
}

// WriteFile writes the report of findings and sum in format to the file
// at path, atomically and with mode 0600 ([outfile.Write]). An unknown
// format is the usage error of [CheckFormat].
func WriteFile(ctx context.Context, path, format string, opts Options, findings []scanner.Finding, sum scanner.Summary) error {
	if err := CheckFormat(format); err != nil {
		return err
	}
	rep, err := New(format, opts)
	if err != nil {
		return err
	}
	return outfile.Write(ctx, path, func(w io.Writer) error { return rep.Report(w, findings, sum) })
}

// New returns the [Reporter] for format, one of [Formats] (ignoring case).
// An unknown format is an error that lists the valid ones.
func New(format string, opts Options) (Reporter, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "text":
		return newTextReporter(opts), nil
	case "json":
		return jsonReporter{version: opts.ToolVersion, rulesHash: opts.RulesHash, shown: opts.SecretsShown}, nil
	case "jsonl":
		return jsonlReporter{}, nil
	case "sarif":
		return sarifReporter{version: opts.ToolVersion}, nil
	case "csv":
		return csvReporter{repository: opts.Repository}, nil
	case "html":
		return htmlReporter{version: opts.ToolVersion}, nil
	case "compact":
		return compactReporter{}, nil
	}
	return nil, fmt.Errorf("report: unknown format %q (valid formats: %s)", format, strings.Join(formats[:], ", "))
}

// sortFindings returns a sorted copy of fs in which every finding's
// locations are a sorted copy too, so that reporters never depend on the
// order the scanner produced, and never modify the caller's slices.
func sortFindings(fs []scanner.Finding) []scanner.Finding {
	out := slices.Clone(fs)
	for i := range out {
		locs := slices.Clone(out[i].Locations)
		slices.SortStableFunc(locs, compareLocations)
		out[i].Locations = locs
	}
	slices.SortStableFunc(out, CompareFindings)
	return out
}

// compareLocations orders locations by path, position, then commit.
func compareLocations(a, b scanner.Location) int {
	return cmp.Or(
		strings.Compare(a.Repository, b.Repository),
		strings.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.EndLine, b.EndLine),
		cmp.Compare(a.EndColumn, b.EndColumn),
		strings.Compare(a.Commit, b.Commit),
		a.Date.Compare(b.Date),
	)
}

// CompareFindings is the one order of findings: by their first location
// (as reports order locations), then rule id, fingerprint and secret, then
// the fields in which the reports of one secret may differ (severity,
// context, remediation), so that the order is total for keylint merge.
// Findings without a location sort last.
func CompareFindings(a, b scanner.Finding) int {
	switch {
	case len(a.Locations) == 0 && len(b.Locations) > 0:
		return 1
	case len(a.Locations) > 0 && len(b.Locations) == 0:
		return -1
	case len(a.Locations) > 0:
		if c := compareLocations(a.Locations[0], b.Locations[0]); c != 0 {
			return c
		}
	}
	return cmp.Or(
		strings.Compare(a.RuleID, b.RuleID),
		strings.Compare(a.Fingerprint, b.Fingerprint),
		strings.Compare(a.Secret, b.Secret),
		strings.Compare(string(a.Severity), string(b.Severity)),
		strings.Compare(a.Context, b.Context),
		strings.Compare(a.Remediation, b.Remediation),
	)
}

// defaultRemediation is shown when a rule carries no remediation of its own.
const defaultRemediation = "Revoke the secret with its provider, issue a new one, keep it in a secret manager, and remove it from the code and its history."

// remediation returns f's remediation text, or a generic one.
func remediation(f scanner.Finding) string {
	if r := strings.TrimSpace(f.Remediation); r != "" {
		return r
	}
	return defaultRemediation
}

// locPath is where a location is, as reports show it: its path, prefixed
// with "REPOSITORY:" when the run audited several repositories.
func locPath(l scanner.Location) string {
	if l.Repository == "" {
		return l.Path
	}
	return l.Repository + ":" + l.Path
}

// shortCommit returns the first 8 characters of a commit id.
func shortCommit(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
