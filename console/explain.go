package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/triage"
)

// ExplainOptions say how [Explain] reads and writes.
type ExplainOptions struct {
	// MaxFileSize is the scan's file size limit: larger files are skipped,
	// as by the scan.
	MaxFileSize int64
	// ShowSecrets writes candidates whole instead of redacted.
	ShowSecrets bool
	// JSON writes one JSON object per candidate instead of a line of text.
	JSON bool
}

// Explain writes on w every candidate that a rule of m found in the items
// of src and the rule rejected, with the reason (keylint scan --explain).
// Standard input (an item named "stdin"), read once by the scan, and the
// files the scan skips (too large, binary) are not explained.
func Explain(ctx context.Context, w io.Writer, m *rules.Matcher, src scanner.Source, opt ExplainOptions) error {
	enc := json.NewEncoder(w)
	return src.Items(ctx, func(it scanner.Item) error {
		if it.Path == "stdin" {
			return nil
		}
		data, err := it.Read(nil, opt.MaxFileSize)
		if err != nil || bytes.IndexByte(data, 0) >= 0 {
			return nil // skipped by the scan too
		}
		for _, r := range m.Explain(it.Path, data) {
			if !opt.ShowSecrets {
				r.Secret = scanner.Redact(r.Secret)
			}
			if opt.JSON {
				if err := enc.Encode(r); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(w, "keylint: rejected: %s:%d:%d %s (%s) %s\n", report.Sanitize(r.Path), r.Line, r.Column,
				r.RuleID, report.Sanitize(r.Reason), report.Sanitize(r.Secret))
		}
		return nil
	})
}

// AddedAllowNotes are the notes for a pull request's reviewers about the
// inline allows the change adds, one for each [triage.AddedAllow] notice.
func AddedAllowNotes(notices []triage.Notice) []string {
	var notes []string
	for _, n := range notices {
		if n.Kind == triage.AddedAllow {
			a := n.Allow
			notes = append(notes, fmt.Sprintf("this change adds an inline allow that silences %s at %s:%d", a.RuleID, a.Path, a.Line))
		}
	}
	return notes
}
