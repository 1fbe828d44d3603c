package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/keylint/keylint/scanner"
)

// csvHeader is the csv format's first row.
var csvHeader = []string{
	"rule_id", "severity", "provider", "path", "line", "column", "end_line", "end_column",
	"secret", "fingerprint", "commit", "author", "email", "date", "entropy",
}

// csvReporter writes one row per location.
type csvReporter struct{}

// Report writes a header row, then one row per location of every finding
// (a finding without a location gets one row with empty location cells).
// Dates are RFC 3339. Cells that a spreadsheet would read as a formula are
// prefixed with a single quote.
func (csvReporter) Report(w io.Writer, findings []scanner.Finding, _ scanner.Summary) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	row := make([]string, len(csvHeader))
	for _, f := range sortFindings(findings) {
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

// csvCell guards a cell against formula injection: a cell starting with
// '=', '+', '-', '@', TAB or CR gets a leading single quote, so that a
// spreadsheet shows it as text instead of evaluating it.
func csvCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
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
