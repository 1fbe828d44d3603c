package report

import (
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// SARIF constants, and what GitHub code scanning expects of them.
const (
	sarifSchema   = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion  = "2.1.0"
	toolName      = "keylint"
	toolURI       = "https://github.com/keylint/keylint"
	fingerprintID = "keylint/v1"
	srcRoot       = "%SRCROOT%"
)

// semver matches a semantic version, with an optional leading "v".
// Compiled on first use: a pre-commit hook should not compile it at start-up.
var semver = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^v?((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)
})

// The SARIF 2.1.0 subset keylint writes. Field order is output order.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string      `json:"name"`
		InformationURI  string      `json:"informationUri"`
		Version         string      `json:"version,omitempty"`
		SemanticVersion string      `json:"semanticVersion,omitempty"`
		Rules           []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		Name                 string             `json:"name"`
		ShortDescription     sarifText          `json:"shortDescription"`
		FullDescription      sarifText          `json:"fullDescription"`
		Help                 sarifHelp          `json:"help"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           sarifRuleProps     `json:"properties"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags             []string `json:"tags"`
		SecuritySeverity string   `json:"security-severity"`
		Provider         string   `json:"provider,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          *sarifResultProps `json:"properties,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	sarifResultProps struct {
		// Repository is set when one run audited several repositories.
		Repository string `json:"repository,omitempty"`
		Commit     string `json:"commit,omitempty"`
		Author     string `json:"author,omitempty"`
		Date       string `json:"date,omitempty"`
		InHead     *bool  `json:"inHead,omitempty"`
		// Set only when the finding has them (--verify, CODEOWNERS, a
		// history scan).
		Verification *scanner.Verification `json:"verification,omitempty"`
		Owners       []string              `json:"owners,omitempty"`
		ExposedSince string                `json:"exposedSince,omitempty"`
		ExposureDays int                   `json:"exposureDays,omitempty"`
	}
)

// sarifReporter writes a SARIF 2.1.0 log for GitHub code scanning.
type sarifReporter struct {
	version string
}

// Report writes one SARIF run: a rule for each distinct rule id (sorted by
// id) and a result for each location. Findings without a location have no
// result, since code scanning rejects results without one.
func (r sarifReporter) Report(w io.Writer, findings []scanner.Finding, _ scanner.Summary) error {
	fs := sortFindings(findings)

	driver := sarifDriver{
		Name:           toolName,
		InformationURI: toolURI,
		Version:        r.version,
		Rules:          []sarifRule{},
	}
	if driver.Version == "" {
		driver.Version = "dev"
	}
	if m := semver().FindStringSubmatch(r.version); m != nil {
		driver.SemanticVersion = m[1]
	}

	// One rule per id, described by the first finding (in sorted order)
	// that carries it.
	index := make(map[string]int)
	for _, f := range fs {
		if _, ok := index[f.RuleID]; !ok {
			index[f.RuleID] = -1
			driver.Rules = append(driver.Rules, sarifRuleFor(f))
		}
	}
	slices.SortFunc(driver.Rules, func(a, b sarifRule) int { return strings.Compare(a.ID, b.ID) })
	for i, rule := range driver.Rules {
		index[rule.ID] = i
	}

	results := []sarifResult{}
	for _, f := range fs {
		for _, l := range f.Locations {
			results = append(results, sarifResultFor(f, l, index[f.RuleID]))
		}
	}

	b, err := marshal(sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}},
	}, "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// sarifRuleFor describes f's rule.
func sarifRuleFor(f scanner.Finding) sarifRule {
	desc := strings.TrimSpace(f.Description)
	if desc == "" {
		desc = f.RuleID
	}
	full := desc
	if f.Provider != "" {
		full = desc + " (" + f.Provider + ")."
	} else if !strings.HasSuffix(full, ".") {
		full += "."
	}
	fix := remediation(f)
	md := "**" + markdownEscape(desc) + "**"
	if f.Provider != "" {
		md += " (" + markdownEscape(f.Provider) + ")"
	}
	md += "\n\n" + markdownEscape(fix) + "\n\nRule `" + strings.ReplaceAll(f.RuleID, "`", "") + "`, severity " + string(f.Severity) + "."
	return sarifRule{
		ID:                   f.RuleID,
		Name:                 camelCase(f.RuleID),
		ShortDescription:     sarifText{Text: desc},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifHelp{Text: fix, Markdown: md},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(f.Severity)},
		Properties: sarifRuleProps{
			Tags:             []string{"security", "secret"},
			SecuritySeverity: securitySeverity(f.Severity),
			Provider:         f.Provider,
		},
	}
}

// sarifResultFor is the result for one location of f.
func sarifResultFor(f scanner.Finding, l scanner.Location, ruleIndex int) sarifResult {
	msg := strings.TrimSpace(f.Description)
	if msg == "" {
		msg = f.RuleID
	}
	if f.Provider != "" {
		msg += " (" + f.Provider + ")"
	}
	if f.Secret != "" {
		msg += ": \"" + f.Secret + "\""
	}
	msg += "."
	var props *sarifResultProps
	if l.Commit != "" {
		props = &sarifResultProps{Commit: l.Commit, Author: l.Author}
		msg += " Introduced in commit " + shortCommit(l.Commit)
		if l.Author != "" {
			msg += " by " + l.Author
		}
		if !l.Date.IsZero() {
			props.Date = l.Date.Format(time.RFC3339)
			msg += " on " + l.Date.Format("2006-01-02")
		}
		msg += "."
		if !f.InHead {
			inHead := false
			props.InHead = &inHead
			msg += " No longer in HEAD, but still in the history."
		}
	}
	if f.Verification != nil || len(f.Owners) > 0 || !f.ExposedSince.IsZero() {
		if props == nil {
			props = &sarifResultProps{}
		}
		props.Verification = f.Verification
		props.Owners = f.Owners
		if !f.ExposedSince.IsZero() {
			props.ExposedSince = f.ExposedSince.Format(time.RFC3339)
			props.ExposureDays = f.ExposureDays
		}
		switch statusLabel(f.Verification) {
		case "LIVE":
			msg += " The provider accepted the key: it is live."
		case "REVOKED":
			msg += " The provider refused the key: it is revoked."
		}
	}
	if l.Repository != "" {
		if props == nil {
			props = &sarifResultProps{}
		}
		props.Repository = l.Repository
		msg += " Repository: " + l.Repository + "."
	}
	msg += " " + remediation(f)

	uri, abs := artifactURI(l.Path)
	art := sarifArtifact{URI: uri}
	if !abs {
		art.URIBaseID = srcRoot
	}
	return sarifResult{
		RuleID:    f.RuleID,
		RuleIndex: ruleIndex,
		Level:     sarifLevel(f.Severity),
		Message:   sarifText{Text: msg},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: art,
			Region:           sarifRegionFor(l),
		}}},
		PartialFingerprints: map[string]string{fingerprintID: f.Fingerprint},
		Properties:          props,
	}
}

// sarifRegionFor converts a location to a region. SARIF lines and columns
// are 1-based and endColumn is exclusive, as in [scanner.Location]. Bad
// values are clamped so that the region stays valid: start at least 1:1,
// end not before start.
func sarifRegionFor(l scanner.Location) sarifRegion {
	r := sarifRegion{StartLine: max(l.Line, 1), StartColumn: max(l.Column, 1)}
	if l.EndLine < 1 && l.EndColumn < 1 {
		return r // SARIF defaults: the region ends on its start line
	}
	r.EndLine = max(l.EndLine, r.StartLine)
	r.EndColumn = max(l.EndColumn, 1)
	if r.EndLine == r.StartLine && r.EndColumn <= r.StartColumn {
		r.EndColumn = r.StartColumn + 1
	}
	return r
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Critical, rules.High:
		return "error"
	case rules.Low:
		return "note"
	}
	return "warning"
}

// securitySeverity maps a severity to GitHub's security-severity score
// (critical >= 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9). Unknown
// severities count as medium.
func securitySeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "9.5"
	case rules.High:
		return "8.0"
	case rules.Low:
		return "3.0"
	}
	return "5.5"
}

// camelCase turns a kebab-case rule id into a SARIF rule name:
// "aws-access-key-id" becomes "AwsAccessKeyId".
func camelCase(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		if r == '-' || r == '_' || r == '.' || unicode.IsSpace(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// markdownEscape escapes the characters that would turn plain text into
// inline Markdown markup, links or HTML.
func markdownEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// artifactURI turns a scanned path into a SARIF artifact URI: slash
// separated, without a leading "./", percent-encoded. A relative path
// stays relative (to %SRCROOT%); an absolute one becomes a file:// URI and
// abs is true.
func artifactURI(path string) (uri string, abs bool) {
	abs = filepath.IsAbs(path)
	p := filepath.ToSlash(path)
	for strings.HasPrefix(p, "./") {
		p = strings.TrimLeft(p[2:], "/")
	}
	if abs || strings.HasPrefix(p, "/") {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows volume: file:///C:/...
		}
		return "file://" + escapePath(p, true), true
	}
	return escapePath(p, false), false
}

// escapePath percent-encodes every byte of p that is not allowed as is in
// the path of a URI (RFC 3986), including '%', '?', '#', spaces, controls
// and non-ASCII bytes. A colon is kept only when keepColon is set: in a
// relative reference it could be read as a scheme.
func escapePath(p string, keepColon bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~/!$&'()*+,;=@", c) >= 0,
			c == ':' && keepColon:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		}
	}
	return b.String()
}
