package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/keylint/keylint/scanner"
)

// MaxJSONReport is the default size limit of [ReadJSON]: 1 GiB.
const MaxJSONReport = 1 << 30

// Document is a json report read back by [ReadJSON].
type Document struct {
	// KeylintVersion and RulesHash are those the report recorded; both
	// are empty for a report written without a rules hash.
	KeylintVersion string
	RulesHash      string
	// SecretsShown is set when the report holds whole secrets.
	SecretsShown bool
	Findings     []scanner.Finding
	Summary      scanner.Summary
}

// ReadJSON reads a report of the json format back, strictly: one JSON
// object with the fields the json format writes and no others, at most
// limit bytes (0 means [MaxJSONReport]), every finding with a rule id, a
// 32-digit hexadecimal fingerprint and a known severity. name is the
// report's name for error messages. The inventory is checked for shape
// and dropped: it is derived from the findings.
func ReadJSON(r io.Reader, name string, limit int64) (*Document, error) {
	if limit <= 0 {
		limit = MaxJSONReport
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes: is this a keylint json report?", name, limit)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty file: a keylint json report (--format json) is one JSON object", name)
	}
	var doc struct {
		KeylintVersion string              `json:"keylint_version"`
		RulesHash      string              `json:"rules_hash"`
		SecretsShown   bool                `json:"secrets_shown"`
		Findings       *[]scanner.Finding  `json:"findings"`
		Inventory      []inventoryProvider `json:"inventory"`
		Summary        *scanner.Summary    `json:"summary"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: not a keylint json report: %s", name, describeJSONError(data, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: data after the report's JSON object: give one report (--format json, not jsonl) per file", name)
	}
	switch {
	case doc.Findings == nil:
		return nil, fmt.Errorf("%s: no \"findings\" field: is this a keylint json report (--format json)?", name)
	case doc.Summary == nil:
		return nil, fmt.Errorf("%s: no \"summary\" field: is this a keylint json report (--format json)?", name)
	}
	for i, f := range *doc.Findings {
		if err := checkFinding(f); err != nil {
			return nil, fmt.Errorf("%s: finding %d: %w", name, i+1, err)
		}
	}
	return &Document{
		KeylintVersion: doc.KeylintVersion,
		RulesHash:      doc.RulesHash,
		SecretsShown:   doc.SecretsShown,
		Findings:       *doc.Findings,
		Summary:        *doc.Summary,
	}, nil
}

// checkFinding checks what merging relies on.
func checkFinding(f scanner.Finding) error {
	switch {
	case strings.TrimSpace(f.RuleID) == "":
		return errors.New("no rule_id")
	case len(f.Fingerprint) != 32 || strings.Trim(f.Fingerprint, "0123456789abcdef") != "":
		return fmt.Errorf("fingerprint %q is not 32 hexadecimal digits", Sanitize(f.Fingerprint))
	case f.Severity.Rank() == 0:
		return fmt.Errorf("unknown severity %q (critical, high, medium or low)", Sanitize(string(f.Severity)))
	}
	return nil
}

// describeJSONError turns a decoding error into a message with the byte
// offset, and for an unknown field says it may come from a newer keylint.
func describeJSONError(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d: %v", syn.Offset, err)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q at byte %d holds a JSON %s, not a %s", typ.Field, typ.Offset, typ.Value, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("truncated after %d bytes", len(data))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return Sanitize(err.Error()) + " (written by a newer keylint? merge with the version that wrote it)"
	}
	return Sanitize(err.Error())
}
