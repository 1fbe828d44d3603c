package scanner

import (
	"time"

	"github.com/keylint/keylint/rules"
)

// Finding is one distinct secret found by one rule, with every place it
// occurs. Its JSON form is the stable finding schema of keylint.
type Finding struct {
	RuleID      string         `json:"rule_id"`
	Description string         `json:"description"`
	Provider    string         `json:"provider"`
	Severity    rules.Severity `json:"severity"`
	// Secret is redacted unless the scan was asked to show secrets.
	Secret string `json:"secret"`
	// Fingerprint is a stable hash of the rule id and the secret; it never
	// reveals the secret.
	Fingerprint string  `json:"fingerprint"`
	Entropy     float64 `json:"entropy"`
	Remediation string  `json:"remediation"`
	// InHead is true when the secret is still present in the checked-out
	// tree (history scans); for plain file scans it is always true.
	InHead bool `json:"in_head"`
	// BrowserExposed is true when the secret is in a file served to
	// browsers or in a variable that front-end build tools expose to them;
	// Exposure then says why.
	BrowserExposed bool   `json:"browser_exposed,omitempty"`
	Exposure       string `json:"exposure,omitempty"`
	// Context says why the severity is lower than the rule's: every
	// location is in a test, example or documentation file (context.go).
	Context   string     `json:"context,omitempty"`
	Locations []Location `json:"locations"`
	// Owners are the code owners (CODEOWNERS) of the locations' paths,
	// sorted; empty when the repository names none.
	Owners []string `json:"owners,omitempty"`
	// ExposedSince is the date of the earliest commit that introduced the
	// secret (history scans), and ExposureDays the whole days from then to
	// the scan ([SetExposure]).
	ExposedSince time.Time `json:"exposed_since,omitzero"`
	ExposureDays int       `json:"exposure_days,omitempty"`
	// Verification is what the provider said of the secret (--verify).
	Verification *Verification `json:"verification,omitempty"`

	// raw is the whole secret, for verification only (see RawSecret).
	raw string
}

// Location is one place a secret occurs. Lines and columns are 1-based;
// columns count bytes. EndColumn is exclusive.
type Location struct {
	// Repository is the repository as given on the command line, set when
	// one run audits several repositories; empty otherwise.
	Repository string `json:"repository,omitempty"`
	Path       string `json:"path"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	EndLine    int    `json:"end_line"`
	EndColumn  int    `json:"end_column"`
	// Commit fields are set for history, staged and range scans.
	Commit  string    `json:"commit,omitempty"`
	Author  string    `json:"author,omitempty"`
	Email   string    `json:"email,omitempty"`
	Date    time.Time `json:"date,omitzero"`
	Message string    `json:"message,omitempty"`
	// LineExcerpt is the line holding the secret, with the secret redacted
	// unless the scan was asked to show secrets, trimmed to a sane length.
	LineExcerpt string `json:"line_excerpt"`
	// Severity is this location's own severity: the rule's, one lower for
	// a generic rule in a test, example or documentation file, critical in
	// a file served to browsers. The finding's severity is its worst
	// location's.
	Severity rules.Severity `json:"severity,omitempty"`
	// Context says why this location's severity is lower than the rule's.
	Context string `json:"context,omitempty"`
}

// SkippedFile is one file a scan did not read as text, and why ("binary",
// "too-large", "unreadable", ...).
type SkippedFile struct {
	// Path is prefixed with "REPOSITORY:" when one run audits several
	// repositories.
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Summary counts what a scan did. Every silenced or skipped item is counted
// so that nothing disappears without a trace.
type Summary struct {
	Files    int           `json:"files"`
	Bytes    int64         `json:"bytes"`
	Duration time.Duration `json:"-"`
	Findings int           `json:"findings"`
	// BySeverity counts findings per severity.
	BySeverity map[rules.Severity]int `json:"by_severity"`
	// Skipped counts files not scanned, by reason ("binary", "too-large",
	// "symlink", "unreadable", "ignored" ...).
	Skipped map[string]int `json:"skipped"`
	// SkippedFiles names every file counted in Skipped, with its reason,
	// sorted by path, so a caller can show each skip where it happened
	// (a CI annotation, a step summary line) rather than only a count.
	SkippedFiles []SkippedFile `json:"skipped_files,omitempty"`
	// Silenced counts matches not reported, by reason ("inline-allow",
	// "allowlist", "baseline" ...).
	Silenced map[string]int `json:"silenced"`
	// Rejected counts candidates dropped by rule checks, by reason
	// ("entropy", "placeholder", "check:github" ...).
	Rejected map[string]int `json:"rejected"`
	// Capped counts, by rule id, the files in which the rule reached
	// [rules.MaxFindingsPerRule] findings, whose further findings were not
	// reported; each is also a [CapError] warning naming the file.
	Capped map[string]int `json:"capped,omitempty"`
	// Warnings counts non-fatal problems reported on stderr.
	Warnings int `json:"warnings"`
}

// HistoryOnlyNote is put before the remediation of a finding of a history
// scan that is no longer in HEAD. Merging findings that are in HEAD in one
// repository and not in another removes it again.
const HistoryOnlyNote = "This secret is no longer in HEAD but stays in the git history, where every clone and fork has it: deleting the file is not enough, revoke and rotate it. "
