package report

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// jsonReporter writes one JSON document holding the findings and the
// summary.
type jsonReporter struct {
	version, rulesHash string
	shown              bool
}

// jsonDocument is the json format's top-level object.
type jsonDocument struct {
	// KeylintVersion and RulesHash are written only when the rules hash
	// is known (see [Options.RulesHash]).
	KeylintVersion string            `json:"keylint_version,omitempty"`
	RulesHash      string            `json:"rules_hash,omitempty"`
	SecretsShown   bool              `json:"secrets_shown,omitempty"`
	Findings       []scanner.Finding `json:"findings"`
	// Inventory is the findings grouped by provider, as in the html format.
	Inventory []inventoryProvider `json:"inventory"`
	Summary   scanner.Summary     `json:"summary"`
}

// Report writes {"findings": [...], "inventory": [...], "summary": {...}},
// indented by two spaces, with a trailing newline. Empty lists and maps are
// written as [] and {}, never null.
func (r jsonReporter) Report(w io.Writer, findings []scanner.Finding, sum scanner.Summary) error {
	fs := normalize(findings)
	doc := jsonDocument{Findings: fs, Inventory: inventory(fs), Summary: normalizeSummary(sum)}
	if r.rulesHash != "" {
		doc.KeylintVersion = cmp.Or(r.version, "dev")
		doc.RulesHash = r.rulesHash
		doc.SecretsShown = r.shown
	}
	b, err := marshal(doc, "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// jsonlReporter writes one compact JSON finding per line.
type jsonlReporter struct{}

// Report writes each finding as one line of compact JSON. It writes
// nothing when there are no findings; the summary is not part of the
// stream.
func (jsonlReporter) Report(w io.Writer, findings []scanner.Finding, _ scanner.Summary) error {
	bw := bufio.NewWriter(w)
	for _, f := range normalize(findings) {
		b, err := marshal(f, "")
		if err != nil {
			return err
		}
		bw.Write(b)
	}
	return bw.Flush()
}

// normalize sorts findings and turns nil location lists into empty ones, so
// that the JSON has [] rather than null.
func normalize(findings []scanner.Finding) []scanner.Finding {
	fs := sortFindings(findings)
	if fs == nil {
		fs = []scanner.Finding{}
	}
	for i := range fs {
		if fs[i].Locations == nil {
			fs[i].Locations = []scanner.Location{}
		}
	}
	return fs
}

// normalizeSummary turns nil maps into empty ones, so that the JSON has {}
// rather than null.
func normalizeSummary(s scanner.Summary) scanner.Summary {
	if s.BySeverity == nil {
		s.BySeverity = map[rules.Severity]int{}
	}
	if s.Skipped == nil {
		s.Skipped = map[string]int{}
	}
	if s.Silenced == nil {
		s.Silenced = map[string]int{}
	}
	if s.Rejected == nil {
		s.Rejected = map[string]int{}
	}
	return s
}

// marshal encodes v as JSON followed by a newline, without HTML escaping
// (secrets such as "<token>" stay readable) but with the characters that
// [Sanitize] escapes also escaped as \uXXXX, so the output is safe to print
// on a terminal. encoding/json sorts map keys, so the output is
// deterministic.
func marshal(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return escapeJSON(buf.Bytes()), nil
}

// escapeJSON rewrites, in encoded JSON, DEL, C1 controls and bidirectional
// controls as \uXXXX escapes. encoding/json already escapes C0 controls,
// U+2028 and U+2029, and replaces invalid UTF-8. Such characters can only
// occur inside JSON strings, where the escape means the same character.
func escapeJSON(b []byte) []byte {
	var out []byte // allocated on the first escape
	last := 0
	for i := 0; i < len(b); {
		r, size := rune(b[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b[i:])
		}
		if r >= 0x7F && unsafeRune(r) {
			if out == nil {
				out = make([]byte, 0, len(b)+16)
			}
			out = append(out, b[last:i]...)
			out = append(out, `\u`...)
			const hex = "0123456789abcdef"
			out = append(out, hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF])
			last = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
