package report

import (
	"cmp"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keylint/keylint/scanner"
)

// csvHeader is the csv format's first row.
var csvHeader = []string{
	"rule_id", "severity", "provider", "path", "line", "column", "end_line", "end_column",
	"secret", "fingerprint", "commit", "author", "email", "date", "entropy",
	"in_head", "repository", "verification", "account", "organisation", "owners", "exposed_since",
}

// csvReporter writes one row per location.
type csvReporter struct {
	repository string // see [Options.Repository]
}

// Report writes a header row, then one row per location of every finding
// (a finding without a location gets one row with empty location cells).
// Dates are RFC 3339. Every cell is made safe to print and to open in a
// spreadsheet by [csvCell].
func (c csvReporter) Report(w io.Writer, findings []scanner.Finding, _ scanner.Summary) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	row := make([]string, len(csvHeader))
	for _, f := range sortFindings(findings) {
		var status, account, org string
		if v := f.Verification; v != nil {
			status = string(v.Status)
			if v.Identity != nil {
				account, org = v.Identity.Account, v.Identity.Organisation
			}
		}
		locs := f.Locations
		if len(locs) == 0 {
			locs = []scanner.Location{{}}
		}
		for _, l := range locs {
			row = append(row[:0],
				f.RuleID, string(f.Severity), f.Provider,
				l.Path, itoa(l.Line), itoa(l.Column), itoa(l.EndLine), itoa(l.EndColumn),
				f.Secret, f.Fingerprint, l.Commit, l.Author, l.Email, date(l.Date),
				strconv.FormatFloat(f.Entropy, 'f', 3, 64),
				strconv.FormatBool(f.InHead),
				cmp.Or(l.Repository, c.repository),
				status, account, org, strings.Join(f.Owners, " "), date(f.ExposedSince),
			)
			for i := range row {
				row[i] = csvCell(row[i])
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell makes a cell safe wherever a CSV file ends up: printed on a
// terminal or in a CI log (`cat report.csv`), or opened in a spreadsheet.
//
//   - Control, C1, bidirectional and line-separator characters are escaped
//     by [Sanitize], so a file name, author or secret can neither break the
//     row nor send escape sequences to a terminal. (A secret that spans
//     lines, such as a private key shown with --show-secrets, keeps its
//     line breaks as a visible \x0A; the json format keeps it exact.)
//   - A cell that a spreadsheet would evaluate as a formula (starting,
//     after spaces, with '=', '+', '-', '@' or their full-width forms) gets
//     a leading single quote, which spreadsheets read as "text", as OWASP
//     recommends against CSV injection. The quote changes the cell for a
//     program reading the file; keylint's own values that start like this
//     (paths, authors, secrets) are rare, and the json format is the one
//     meant for programs.
//   - A cell that would start a line with a workflow command ("::", "##[")
//     gets a "./" prefix, as in the text format.
func csvCell(s string) string {
	if s == "" {
		return s
	}
	s = Sanitize(s)
	if formulaStart(s) {
		return "'" + s
	}
	return SafeLineStart(s)
}

// formulaStart reports whether a spreadsheet could read s as a formula:
// its first character after spaces is '=', '+', '-' or '@', or one of
// their full-width forms, which some spreadsheets fold to ASCII.
func formulaStart(s string) bool {
	t := strings.TrimLeft(s, " \u00A0\u3000")
	r, _ := utf8.DecodeRuneInString(t)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20':
		return true
	}
	return false
}

// itoa formats a line or column, leaving 0 (unknown) empty.
func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// date formats t as RFC 3339, or "" for the zero time.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
