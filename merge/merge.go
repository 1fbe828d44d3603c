// Package merge puts the reports of an organisation audit back together:
// the findings of several repositories in one run, or the json reports of
// several runs (the shards of one audit, or audits of different days).
//
// Findings are grouped by rule and fingerprint across parts, so a key
// pasted into seven repositories is one finding with seven locations.
// [Combine] is the only way parts are put together, both inside one run
// over many repositories and in keylint merge, and it is associative and
// commutative: combining the shards of a list gives exactly what one run
// over the whole list gives, byte for byte in every report format.
package merge

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// Part is the findings and summary of one repository, or of one report.
type Part struct {
	Findings []scanner.Finding
	Summary  scanner.Summary
}

// FromRepository returns the part of one repository of a run over several:
// every location names repo, and every skipped file's path is prefixed
// with "repo:". The findings are copied, not modified.
func FromRepository(repo string, findings []scanner.Finding, sum scanner.Summary) Part {
	fs := slices.Clone(findings)
	for i := range fs {
		fs[i].Locations = slices.Clone(fs[i].Locations)
		for j := range fs[i].Locations {
			fs[i].Locations[j].Repository = repo
		}
	}
	sum.SkippedFiles = slices.Clone(sum.SkippedFiles)
	for i := range sum.SkippedFiles {
		sum.SkippedFiles[i].Path = repo + ":" + sum.SkippedFiles[i].Path
	}
	return Part{Findings: fs, Summary: sum}
}

// Combine puts parts together. Findings with the same rule id and
// fingerprint become one finding holding every location of each (sorted,
// without duplicates). Its other fields are those of the part whose first
// location sorts first, except that:
//
//   - InHead and BrowserExposed are set if they are in any part;
//   - a finding exposed to browsers anywhere is critical, with the first
//     (in byte order) of the exposure notes of the exposed parts;
//     otherwise Exposure is the first non-empty note of any part;
//   - the severity lowered for a finding found only in tests, examples or
//     documentation stays lowered only if it is lowered in every part;
//     otherwise it is the highest severity of the parts not lowered, and
//     Context is empty;
//   - the note that a secret is only in the history is dropped from the
//     remediation of a finding that is in HEAD in some part.
//
// Counts of the summaries are added up; the finding counts are those of
// the combined findings. The result is sorted as [scanner.Group] sorts.
func Combine(parts []Part) ([]scanner.Finding, scanner.Summary) {
	type key struct{ rule, fingerprint string }
	groups := map[key][]*scanner.Finding{}
	var order []key
	for pi := range parts {
		for fi := range parts[pi].Findings {
			f := &parts[pi].Findings[fi]
			k := key{f.RuleID, f.Fingerprint}
			if groups[k] == nil {
				order = append(order, k)
			}
			groups[k] = append(groups[k], f)
		}
	}
	out := make([]scanner.Finding, 0, len(order))
	for _, k := range order {
		out = append(out, combineFinding(groups[k]))
	}
	slices.SortFunc(out, report.CompareFindings)

	sum := scanner.Summary{
		BySeverity: map[rules.Severity]int{},
		Skipped:    map[string]int{},
		Silenced:   map[string]int{},
		Rejected:   map[string]int{},
		Capped:     map[string]int{},
	}
	for _, p := range parts {
		s := p.Summary
		sum.Files += s.Files
		sum.Bytes += s.Bytes
		sum.Duration += s.Duration
		sum.Warnings += s.Warnings
		addCounts(sum.Skipped, s.Skipped)
		addCounts(sum.Silenced, s.Silenced)
		addCounts(sum.Rejected, s.Rejected)
		addCounts(sum.Capped, s.Capped)
		sum.SkippedFiles = append(sum.SkippedFiles, s.SkippedFiles...)
	}
	slices.SortStableFunc(sum.SkippedFiles, func(a, b scanner.SkippedFile) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Reason, b.Reason))
	})
	sum.SkippedFiles = slices.Compact(sum.SkippedFiles)
	if len(sum.Capped) == 0 {
		sum.Capped = nil // as a scan leaves it
	}
	Recount(out, &sum)
	return out, sum
}

// Recount sets the summary's finding counts from findings.
func Recount(findings []scanner.Finding, sum *scanner.Summary) {
	sum.Findings = len(findings)
	sum.BySeverity = map[rules.Severity]int{}
	for _, f := range findings {
		sum.BySeverity[f.Severity]++
	}
}

func addCounts(dst, src map[string]int) {
	for k, v := range src {
		dst[k] += v
	}
}

// combineFinding combines the findings of one rule and fingerprint.
func combineFinding(fs []*scanner.Finding) scanner.Finding {
	slices.SortStableFunc(fs, func(a, b *scanner.Finding) int { return report.CompareFindings(*a, *b) })
	f := *fs[0]
	f.Locations, f.InHead, f.BrowserExposed = nil, false, false
	var (
		allLowered = true
		severity   rules.Severity
		exposed    string
		note       string
	)
	for _, p := range fs {
		f.Locations = append(f.Locations, p.Locations...)
		f.InHead = f.InHead || p.InHead
		if p.BrowserExposed {
			if !f.BrowserExposed || p.Exposure < exposed {
				exposed = p.Exposure
			}
			f.BrowserExposed = true
		}
		if p.Exposure != "" && (note == "" || p.Exposure < note) {
			note = p.Exposure
		}
		if p.Context == "" {
			allLowered = false
			if p.Severity.Rank() > severity.Rank() {
				severity = p.Severity
			}
		}
	}
	switch {
	case f.BrowserExposed:
		f.Severity, f.Exposure, f.Context = rules.Critical, exposed, ""
	case allLowered:
		f.Exposure = note
	default:
		f.Severity, f.Exposure, f.Context = severity, note, ""
	}
	if f.InHead {
		f.Remediation = strings.TrimPrefix(f.Remediation, scanner.HistoryOnlyNote)
	}
	slices.SortStableFunc(f.Locations, compareLocations)
	f.Locations = slices.CompactFunc(f.Locations, func(a, b scanner.Location) bool {
		return a.Repository == b.Repository && a.Path == b.Path && a.Line == b.Line && a.Column == b.Column && a.Commit == b.Commit
	})
	return f
}

// compareLocations orders locations as the scanner does: repository, path,
// line, column, date, commit; then the rest, so that the order is total.
func compareLocations(a, b scanner.Location) int {
	return cmp.Or(
		strings.Compare(a.Repository, b.Repository),
		strings.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		a.Date.Compare(b.Date),
		strings.Compare(a.Commit, b.Commit),
		cmp.Compare(a.EndLine, b.EndLine),
		cmp.Compare(a.EndColumn, b.EndColumn),
	)
}

// Input is one json report to merge, with its name for messages.
type Input struct {
	Name string
	Doc  *report.Document
}

// MixedRulesError is returned by [Reports] when reports were written with
// different rules or settings.
type MixedRulesError struct {
	First, Other         string // report names
	FirstHash, OtherHash string
}

func (e *MixedRulesError) Error() string {
	describe := func(h string) string {
		if h == "" {
			return "no rules hash (written by an older keylint, or by a command that does not record it)"
		}
		return "rules hash " + h
	}
	return fmt.Sprintf("%s has %s but %s has %s: reports scanned with different rules or settings do not merge into one audit; "+
		"re-run them with the same configuration, or pass --allow-mixed-rules to merge them anyway", e.First, describe(e.FirstHash), e.Other, describe(e.OtherHash))
}

// Reports checks that the reports were written with the same rules and
// settings (the same non-empty rules hash), unless allowMixed is set, and
// combines them with [Combine]. It returns the common rules hash (empty
// when mixed). Its errors are usage errors with a hint ([clierr.Usage]).
func Reports(in []Input, allowMixed bool) ([]scanner.Finding, scanner.Summary, string, error) {
	const hint = "merge the reports of one audit, written with the same keylint configuration"
	if len(in) == 0 {
		return nil, scanner.Summary{}, "", clierr.Usage(errors.New("no report to merge: give the json reports (--format json) of the shards"), hint)
	}
	hash := in[0].Doc.RulesHash
	for _, r := range in {
		if r.Doc.RulesHash != hash || hash == "" {
			if !allowMixed {
				return nil, scanner.Summary{}, "", clierr.Usage(&MixedRulesError{First: in[0].Name, FirstHash: hash, Other: r.Name, OtherHash: r.Doc.RulesHash}, hint)
			}
			hash = ""
		}
	}
	parts := make([]Part, len(in))
	for i, r := range in {
		parts[i] = Part{Findings: r.Doc.Findings, Summary: r.Doc.Summary}
	}
	fs, sum := Combine(parts)
	return fs, sum, hash, nil
}
