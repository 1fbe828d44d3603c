package report

import (
	"bytes"
	"fmt"
	"io"

	"github.com/keylint/keylint/scanner"
)

// compactReporter writes one line per place a secret occurs, in the form
// editors and grep understand:
//
//	path:line:column: rule-id severity redacted-secret [commit abcdef123456]
//
// No fix text, no grouping: `keylint rules show RULE-ID` has the fix.
type compactReporter struct{}

func (compactReporter) Report(w io.Writer, fs []scanner.Finding, _ scanner.Summary) error {
	var b bytes.Buffer
	for _, f := range sortFindings(fs) {
		for _, l := range f.Locations {
			fmt.Fprintf(&b, "%s:%d:%d: %s %s %s", SafeLineStart(Sanitize(locPath(l))), l.Line, l.Column,
				Sanitize(f.RuleID), Sanitize(string(f.Severity)), Sanitize(f.Secret))
			if l.Commit != "" {
				fmt.Fprintf(&b, " commit %.12s", Sanitize(l.Commit))
			}
			b.WriteByte('\n')
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}
