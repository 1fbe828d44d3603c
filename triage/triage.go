// Package triage is the one step between a scan and its report: it drops
// the findings the project has accepted (the fingerprints of a
// .gitleaksignore, the entries of a keylint baseline, a custom rule's own
// examples), notes the inline allows a change adds, and applies the
// fail-on gate. Every scanning command (scan, git, staged, the hooks, ci)
// runs the same [Apply], so a finding is judged the same way wherever it
// is found.
//
// Triage prints nothing: what the user should hear about (fingerprints
// that matched nothing, stale baseline entries, a configured baseline that
// does not exist, an inline allow added by a change) comes back as
// [Notice] values, and the command decides how to show them.
package triage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// Options say what triage applies to a scan result.
type Options struct {
	// Start is the path the scan started from: the .gitleaksignore is read
	// at the root of its repository.
	Start string
	// NoIgnore skips the .gitleaksignore (--no-config).
	NoIgnore bool
	// Baseline is the baseline file to apply; "" for none.
	Baseline string
	// BaselineOptional is set when Baseline is named by the configuration
	// rather than by --baseline: a missing file is then a [MissingBaseline]
	// notice and not an error.
	BaselineOptional bool
	// Pinned, when set, replaces the .gitleaksignore and the baseline on
	// disk (keylint ci reads them from a pull request's base commit).
	Pinned *Pinned
	// Full is set when the scan covered everything (not a change or a
	// selection of commits): only then do fingerprints and baseline entries
	// that matched nothing mean something.
	Full bool
	// FailOn is the lowest severity that fails the run.
	FailOn rules.Severity
}

// Pinned are suppressing inputs read before the scan; nil fields mean none.
type Pinned struct {
	Ignore   *GitleaksIgnore
	Baseline *Baseline
	// BaselinePath is where Baseline was read from.
	BaselinePath string
}

// Kind is what a [Notice] is about.
type Kind int

// The kinds of notice, in the order [Apply] produces them.
const (
	// UnmatchedIgnore lists the .gitleaksignore fingerprints (Items) that
	// matched no finding of a full scan.
	UnmatchedIgnore Kind = iota + 1
	// MissingBaseline is a baseline (Path) that the configuration names
	// and that does not exist: every finding is reported.
	MissingBaseline
	// StaleBaseline lists the entries (Items) of the baseline (Path) that
	// matched no finding of a full scan.
	StaleBaseline
	// AddedAllow is an inline allow (Allow) on a line the scanned change
	// adds: it silences a finding, and a reviewer should know.
	AddedAllow
)

// Notice is something triage found that the user should hear about.
type Notice struct {
	Kind Kind
	// Path is the file the notice is about, when there is one.
	Path string
	// Items are the entries the notice lists (fingerprints, baseline
	// entries), unsanitised.
	Items []string
	// Allow is the silenced match of an [AddedAllow] notice.
	Allow scanner.Silenced
}

// Outcome is what [Apply] decided.
type Outcome struct {
	// Notices are in the order they arose.
	Notices []Notice
	// Failing is the number of findings at or above the fail-on severity:
	// the run fails when it is not zero.
	Failing int
}

// Apply triages res in place: it drops the locations the .gitleaksignore
// and the baseline accept (counting them as silenced), notes the inline
// allows that a change adds, and counts the findings that fail the gate
// (those below it are counted as silenced "below-fail-on" and stay in the
// report). On an error (an ignore file or baseline that cannot be read),
// the outcome holds the notices that arose before it.
func Apply(ctx context.Context, res *scanner.Result, opt Options) (Outcome, error) {
	var out Outcome
	if !opt.NoIgnore {
		g, err := loadIgnore(ctx, opt)
		if err != nil {
			return out, err
		}
		if unmatched := applyIgnore(g, res); opt.Full && len(unmatched) > 0 {
			out.Notices = append(out.Notices, Notice{Kind: UnmatchedIgnore, Path: config.GitleaksIgnoreName, Items: unmatched})
		}
	}
	b, path, err := loadBaseline(ctx, opt, &out)
	if err != nil {
		return out, err
	}
	if b != nil {
		kept, n, stale := b.Filter(res.Findings)
		res.Findings = kept
		res.Recount()
		if n > 0 {
			res.Summary.Silenced["baseline"] += n
		}
		if opt.Full && len(stale) > 0 {
			items := make([]string, len(stale))
			for i, s := range stale {
				items[i] = s.String()
			}
			out.Notices = append(out.Notices, Notice{Kind: StaleBaseline, Path: path, Items: items})
		}
	}
	for _, a := range res.Allowed {
		if a.Added {
			out.Notices = append(out.Notices, Notice{Kind: AddedAllow, Allow: a})
		}
	}
	out.Failing = gate(res, opt.FailOn)
	return out, nil
}

// gate counts the findings at or above failOn; those below it are still
// reported, and counted in the summary.
func gate(res *scanner.Result, failOn rules.Severity) int {
	failing := 0
	for _, f := range res.Findings {
		if f.Severity.Rank() >= failOn.Rank() {
			failing++
		}
	}
	if below := len(res.Findings) - failing; below > 0 {
		res.Summary.Silenced["below-fail-on"] += below
	}
	return failing
}

// loadIgnore returns the pinned .gitleaksignore, or the one at the root of
// the repository holding opt.Start; nil when there is none.
func loadIgnore(ctx context.Context, opt Options) (*GitleaksIgnore, error) {
	if opt.Pinned != nil {
		return opt.Pinned.Ignore, nil
	}
	data, name, err := config.LoadGitleaksIgnore(ctx, config.Options{Start: opt.Start})
	if err != nil || data == nil {
		return nil, err
	}
	g, err := ParseGitleaksIgnore(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return g, nil
}

// applyIgnore drops the locations g lists and counts each as silenced,
// also when its finding keeps others. It returns the fingerprints that
// matched no finding.
func applyIgnore(g *GitleaksIgnore, res *scanner.Result) []string {
	if g == nil {
		return nil
	}
	unmatched := g.Unmatched(res.Findings)
	dropLocations(res, "gitleaksignore", func(f scanner.Finding, l scanner.Location) bool { return g.Ignores(f.RuleID, l) })
	res.Recount()
	return unmatched
}

// dropLocations removes the locations drop selects, each counted as
// silenced for reason, and the findings left without a location. It
// reports whether anything was dropped; the caller recounts.
func dropLocations(res *scanner.Result, reason string, drop func(scanner.Finding, scanner.Location) bool) bool {
	kept := res.Findings[:0]
	changed := false
	for _, f := range res.Findings {
		locs := f.Locations[:0:0]
		for _, l := range f.Locations {
			if !drop(f, l) {
				locs = append(locs, l)
			}
		}
		if n := len(f.Locations) - len(locs); n > 0 {
			changed = true
			res.Summary.Silenced[reason] += n
		}
		if len(locs) == 0 {
			continue
		}
		f.Locations = locs
		kept = append(kept, f)
	}
	res.Findings = kept
	return changed
}

// loadBaseline returns the baseline to apply and its path: the pinned one,
// else opt.Baseline. A configured baseline that does not exist is a
// notice.
func loadBaseline(ctx context.Context, opt Options, out *Outcome) (*Baseline, string, error) {
	switch {
	case opt.Pinned != nil:
		return opt.Pinned.Baseline, opt.Pinned.BaselinePath, nil
	case opt.Baseline == "":
		return nil, "", nil
	case opt.BaselineOptional:
		if _, err := os.Lstat(opt.Baseline); errors.Is(err, fs.ErrNotExist) {
			out.Notices = append(out.Notices, Notice{Kind: MissingBaseline, Path: opt.Baseline})
			return nil, "", nil
		}
	}
	b, err := ReadBaseline(ctx, opt.Baseline)
	return b, opt.Baseline, err
}

// ReadBaseline reads and parses the baseline file at path. An error says
// how to fix it (its Hint method).
func ReadBaseline(ctx context.Context, path string) (*Baseline, error) {
	data, err := trust.ReadFile(ctx, path)
	if err != nil {
		var te *trust.Error
		if ctx.Err() != nil || errors.As(err, &te) {
			return nil, err
		}
		return nil, clierr.WithHint(fmt.Errorf("cannot read baseline: %w", err), "create one with `keylint baseline --output "+path+"`")
	}
	b, err := ParseBaseline(bytes.NewReader(data))
	if err != nil {
		return nil, clierr.WithHint(fmt.Errorf("%s: %w", path, err), "regenerate it with `keylint baseline`")
	}
	return b, nil
}

// PinBase parses the .gitleaksignore and baseline that keylint ci read from
// a pull request's base commit (rev).
func PinBase(b *config.Base, rev string) (*Pinned, error) {
	p := &Pinned{}
	if b.Ignore != nil {
		g, err := ParseGitleaksIgnore(bytes.NewReader(b.Ignore))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", config.GitleaksIgnoreName, err)
		}
		p.Ignore = g
	}
	if b.Baseline != nil {
		bl, err := ParseBaseline(bytes.NewReader(b.Baseline))
		if err != nil {
			return nil, fmt.Errorf("%s in the base commit %.12s: %w", b.BaselinePath, rev, err)
		}
		p.Baseline, p.BaselinePath = bl, b.BaselinePath
	}
	return p, nil
}

// DropOwnDefinitions drops the locations of a configuration's own rules in
// that configuration file, each counted as silenced "rule-definition": a
// custom rule's examples are not leaks.
func DropOwnDefinitions(rs *rules.Ruleset, res *scanner.Result) {
	if dropLocations(res, "rule-definition", func(f scanner.Finding, l scanner.Location) bool {
		src := ""
		if r := rs.Rule(f.RuleID); r != nil {
			src, _ = r.Source()
		}
		return src != "" && src != rules.DefaultFile && samePath(l.Path, src)
	}) {
		res.Recount()
	}
}

// DropAllowedCommits drops the history locations whose commit an
// allowlist names (see [rules.Ruleset.AllowsCommit]), each counted as
// silenced by an allowlist. Working-tree locations have no commit and are
// kept.
func DropAllowedCommits(rs *rules.Ruleset, res *scanner.Result) {
	if !rs.HasCommitAllows() {
		return
	}
	if dropLocations(res, "allowlist", func(f scanner.Finding, l scanner.Location) bool {
		return rs.AllowsCommit(f.RuleID, l.Commit, l.Path)
	}) {
		res.Recount()
	}
}

// samePath reports whether a finding's path names the file src: the same
// file on disk, or (history, staged and pull-request paths are relative to
// the repository root) a path src ends with.
func samePath(loc, src string) bool {
	a, b := filepath.ToSlash(filepath.Clean(loc)), filepath.ToSlash(filepath.Clean(src))
	if a == b || strings.HasSuffix(b, "/"+a) {
		return true
	}
	absA, errA := filepath.Abs(loc)
	absB, errB := filepath.Abs(src)
	return errA == nil && errB == nil && absA == absB
}
