package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
	"github.com/mattn/go-isatty"
)

func (e *env) scan(args []string) (int, error) {
	var explain bool
	c, paths, err := e.parseCommand("scan", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&explain, "explain", false, "list every rejected candidate with its reason on stderr")
	})
	if err != nil {
		return 0, err
	}
	c.fullScan = true
	start, src, err := e.pathSources(c, paths)
	if err != nil {
		return 0, err
	}
	code, err := e.runScan(c, start, src)
	if err == nil && explain {
		err = e.explain(c, start, src)
	}
	return code, err
}

// explain writes, on stderr, every candidate that a rule's regex found in
// the scanned files and the rule rejected, with the reason (issue 17): a
// line of text each, or a JSON object each with --format json or jsonl.
// Standard input, read once by the scan, is not explained.
func (e *env) explain(c *common, start string, src scanner.Source) error {
	rs, err := loadRuleset(e.ctx, c, start)
	if err != nil {
		return err
	}
	m := rules.NewMatcher(rs)
	limit := int64(c.maxFileSize)
	if limit == 0 {
		limit = rs.MaxFileSize
	}
	if limit <= 0 {
		limit = 10 << 20 // the scanner's default
	}
	asJSON := c.format == "json" || c.format == "jsonl"
	enc := json.NewEncoder(e.stderr)
	return src.Items(e.ctx, func(it scanner.Item) error {
		if it.Path == "stdin" {
			return nil
		}
		data, err := it.Read(nil, limit)
		if err != nil || bytes.IndexByte(data, 0) >= 0 {
			return nil // skipped by the scan too
		}
		for _, r := range m.Explain(it.Path, data) {
			if !c.showSecrets {
				r.Secret = scanner.Redact(r.Secret)
			}
			if asJSON {
				if err := enc.Encode(r); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(e.stderr, "keylint: rejected: %s:%d:%d %s (%s) %s\n", report.Sanitize(r.Path), r.Line, r.Column,
				r.RuleID, report.Sanitize(r.Reason), report.Sanitize(r.Secret))
		}
		return nil
	})
}

// pathSources turns scan arguments into a source ("-" is stdin) and the
// path configuration discovery starts from.
func (e *env) pathSources(c *common, paths []string) (string, scanner.Source, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var srcs scanner.Multi
	var dirs []string
	for _, p := range paths {
		if p == "-" {
			srcs = append(srcs, &scanner.Reader{Name: "stdin", R: e.stdin})
			continue
		}
		if _, err := os.Stat(p); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", nil, usagef("check the path, or use \"-\" to read stdin", "%s does not exist", p)
			}
			return "", nil, usagef("check the path, or use \"-\" to read stdin", "cannot scan %q: %v", p, errors.Unwrap(err))
		}
		dirs = append(dirs, p)
	}
	if len(dirs) > 0 {
		srcs = append(scanner.Multi{&scanner.Dir{Paths: dirs, NoIgnore: c.noIgnore}}, srcs...)
	}
	start := "."
	if len(dirs) > 0 {
		start = dirs[0]
	}
	return start, srcs, nil
}

// runScan loads the rules, runs the scan, applies the baseline and writes
// the report and summary. It returns the exit code.
func (e *env) runScan(c *common, start string, src scanner.Source) (int, error) {
	return e.runScanFunc(c, start, func(sc *scanner.Scanner) (*scanner.Result, error) { return sc.Scan(e.ctx, src) })
}

// runScanFunc is runScan with the scan itself done by scan (keylint git
// scans history, which is not a Source).
func (e *env) runScanFunc(c *common, start string, scan func(*scanner.Scanner) (*scanner.Result, error)) (int, error) {
	opts := report.Options{Color: e.useColor(c), ToolVersion: version(), Repository: c.repository}
	rep, err := report.New(c.format, opts)
	if err != nil {
		return 0, usagef("use --format text, compact, json, jsonl, sarif, csv or html", "unknown format %q", c.format)
	}
	res, err := e.scanOnlyFunc(c, start, scan)
	if err != nil {
		return 0, err
	}
	if err := e.applyBaseline(c, res); err != nil {
		return 0, err
	}
	code := e.gate(c, res)
	if err := e.writeReport(c, rep, res); err != nil {
		return 0, err
	}
	e.printWarnings(c, res.Warnings)
	skipped, unnamed := report.Unscanned(res.Summary, res.Warnings)
	if c.listSkipped || c.failOnSkipped {
		if err := report.WriteSkipped(e.stderr, skipped, unnamed); err != nil {
			return 0, err
		}
	}
	if c.verbose {
		for _, a := range res.Allowed {
			fmt.Fprintf(e.stderr, "keylint: silenced: %s:%d:%d %s (%s)\n", report.Sanitize(a.Path), a.Line, a.Column, report.Sanitize(a.RuleID), report.Sanitize(a.Reason))
		}
	}
	if !c.quiet {
		if err := report.WriteSummary(e.stderr, res.Summary, report.Options{Color: e.colorFor(c, e.stderr)}); err != nil {
			return 0, err
		}
	}
	if err := incompleteError(res, c.repairHint); err != nil {
		return 0, err
	}
	return skipGate(c, code, len(skipped)+unnamed)
}

// skipGate applies --fail-on-skipped: when files could not be scanned and
// nothing else fails the run, it fails with exit code 3 (exitScanError:
// the scan did not cover everything). Findings that fail the run keep
// their exit code.
func skipGate(c *common, code int, n int) (int, error) {
	if !c.failOnSkipped || n == 0 || code != exitClean {
		return code, nil
	}
	return 0, withHint(fmt.Errorf("%d %s not scanned, and --fail-on-skipped is set", n, plural(n, "file was", "files were")),
		"scan them (for a file over the size limit, raise --max-file-size), remove them from the change, or drop --fail-on-skipped")
}

// scanOnly loads the rules and runs the scan.
func (e *env) scanOnly(c *common, start string, src scanner.Source) (*scanner.Result, error) {
	return e.scanOnlyFunc(c, start, func(sc *scanner.Scanner) (*scanner.Result, error) { return sc.Scan(e.ctx, src) })
}

// scanOnlyFunc loads the rules and runs scan with a scanner built from them.
func (e *env) scanOnlyFunc(c *common, start string, scan func(*scanner.Scanner) (*scanner.Result, error)) (*scanner.Result, error) {
	rs, err := loadRuleset(e.ctx, c, start)
	if err != nil {
		return nil, err
	}
	maxSize := int64(c.maxFileSize)
	if maxSize == 0 {
		maxSize = rs.MaxFileSize
	}
	sc := scanner.New(rules.NewMatcher(rs), scanner.Options{
		Workers:     c.jobs,
		MaxFileSize: maxSize,
		ShowSecrets: c.showSecrets,
	})
	res, err := scan(sc)
	if err != nil {
		return nil, err
	}
	dropOwnDefinitions(rs, res)
	dropAllowedCommits(rs, res)
	return res, nil
}

// dropAllowedCommits drops the history locations whose commit an
// allowlist names (see [rules.Ruleset.AllowsCommit]), counting each as
// silenced by an allowlist. Working-tree locations have no commit and are
// kept.
func dropAllowedCommits(rs *rules.Ruleset, res *scanner.Result) {
	if !rs.HasCommitAllows() {
		return
	}
	kept := res.Findings[:0]
	changed := false
	for _, f := range res.Findings {
		locs := f.Locations[:0:0]
		for _, l := range f.Locations {
			if !rs.AllowsCommit(f.RuleID, l.Commit, l.Path) {
				locs = append(locs, l)
			}
		}
		if n := len(f.Locations) - len(locs); n > 0 {
			changed = true
			res.Summary.Silenced["allowlist"] += n
		}
		if len(locs) == 0 {
			continue
		}
		f.Locations = locs
		kept = append(kept, f)
	}
	res.Findings = kept
	if changed {
		res.Recount()
	}
}

// dropOwnDefinitions drops the findings of a configuration's own rules in
// that configuration file: a custom rule's examples are not leaks.
func dropOwnDefinitions(rs *rules.Ruleset, res *scanner.Result) {
	kept := res.Findings[:0]
	changed := false
	for _, f := range res.Findings {
		src := ""
		if r := rs.Rule(f.RuleID); r != nil {
			src, _ = r.Source()
		}
		if src == "" || src == rules.DefaultFile {
			kept = append(kept, f)
			continue
		}
		locs := f.Locations[:0:0]
		for _, l := range f.Locations {
			if !samePath(l.Path, src) {
				locs = append(locs, l)
			}
		}
		if n := len(f.Locations) - len(locs); n > 0 {
			changed = true
			res.Summary.Silenced["rule-definition"] += n
		}
		if len(locs) == 0 {
			continue
		}
		f.Locations = locs
		kept = append(kept, f)
	}
	res.Findings = kept
	if changed {
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

// applyBaseline drops findings recorded in --baseline, counts them, and
// lists stale entries when the scan covered everything (c.fullScan).
func (e *env) applyBaseline(c *common, res *scanner.Result) error {
	for _, n := range c.notices {
		if !c.quiet {
			fmt.Fprintf(e.stderr, "keylint: notice: %s\n", report.Sanitize(n))
		}
	}
	if !c.noConfig {
		unmatched, err := applyGitleaksIgnore(e.ctx, c, res)
		if err != nil {
			return err
		}
		if c.fullScan && len(unmatched) > 0 && !c.quiet {
			fmt.Fprintf(e.stderr, "keylint: warning: .gitleaksignore: %d %s no finding (gitleaks fingerprints name a line, so moved code breaks them; or the secret is gone):\n",
				len(unmatched), plural(len(unmatched), "fingerprint matches", "fingerprints match"))
			for i, u := range unmatched {
				if i == maxWarnings && !c.verbose {
					fmt.Fprintf(e.stderr, "  … %d more (use --verbose to list them)\n", len(unmatched)-i)
					break
				}
				fmt.Fprintf(e.stderr, "  %s\n", report.Sanitize(u))
			}
			fmt.Fprintln(e.stderr, "keylint: hint: keylint's baseline does not break when code moves: run `keylint baseline` and name it in .keylint.toml (baseline = \".keylint-baseline\")")
		}
	}
	var b *scanner.Baseline
	switch {
	case c.pinned != nil:
		b = c.pinned.baseline
	case c.baseline != "":
		var err error
		if b, err = readBaseline(e.ctx, c.baseline); err != nil {
			return err
		}
	case c.cfgBaseline != "":
		if _, err := os.Lstat(c.cfgBaseline); errors.Is(err, fs.ErrNotExist) {
			if !c.quiet {
				fmt.Fprintf(e.stderr, "keylint: warning: the baseline %s named in the configuration does not exist; every finding is reported (create it with `keylint baseline`)\n", report.Sanitize(c.cfgBaseline))
			}
			return nil
		}
		var err error
		if b, err = readBaseline(e.ctx, c.cfgBaseline); err != nil {
			return err
		}
		c.baseline = c.cfgBaseline
	}
	if b == nil {
		return nil
	}
	kept, n, stale := b.Filter(res.Findings)
	res.Findings = kept
	res.Recount()
	if n > 0 {
		res.Summary.Silenced["baseline"] += n
	}
	if c.fullScan && len(stale) > 0 && !c.quiet {
		fmt.Fprintf(e.stderr, "keylint: baseline: %d stale %s (no longer found):\n", len(stale), plural(len(stale), "entry", "entries"))
		for i, s := range stale {
			if i == maxWarnings && !c.verbose {
				fmt.Fprintf(e.stderr, "  … %d more (use --verbose to list them)\n", len(stale)-i)
				break
			}
			fmt.Fprintf(e.stderr, "  %s\n", report.SafeLineStart(report.Sanitize(s.String())))
		}
		fmt.Fprintf(e.stderr, "keylint: hint: run `keylint baseline --prune --output %s` to drop them\n", report.Sanitize(c.baseline))
	}
	return nil
}

func readBaseline(ctx context.Context, path string) (*scanner.Baseline, error) {
	data, err := trust.ReadFile(ctx, path)
	if err != nil {
		var te *trust.Error
		if ctx.Err() != nil || errors.As(err, &te) {
			return nil, err
		}
		return nil, withHint(fmt.Errorf("cannot read baseline: %w", err), "create one with `keylint baseline --output "+path+"`")
	}
	b, err := scanner.ParseBaseline(bytes.NewReader(data))
	if err != nil {
		return nil, withHint(fmt.Errorf("%s: %w", path, err), "regenerate it with `keylint baseline`")
	}
	return b, nil
}

// gate returns the exit code for the findings: --exit-code when one is at or
// above --fail-on, else 0. Findings below the gate are still reported and
// are counted in the summary.
func (e *env) gate(c *common, res *scanner.Result) int {
	failing := 0
	for _, f := range res.Findings {
		if f.Severity.Rank() >= c.failOn.Rank() {
			failing++
		}
	}
	if below := len(res.Findings) - failing; below > 0 {
		res.Summary.Silenced["below-fail-on"] += below
	}
	if failing > 0 {
		return c.exitCode
	}
	return exitClean
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// writeReport writes the report to stdout or to --output (see writeOutput
// for what --output may be). A reader of stdout that went away is handled
// by stdoutWriter; the hooks write their text report to stderr, where it
// is handled here, the same way.
func (e *env) writeReport(c *common, rep report.Reporter, res *scanner.Result) error {
	if c.output == "" {
		if err := rep.Report(e.stdout, res.Findings, res.Summary); !readerGone(err) {
			return err
		}
		return nil
	}
	return writeOutput(e.ctx, c.output, func(w io.Writer) error {
		return rep.Report(w, res.Findings, res.Summary)
	})
}

const maxWarnings = 20

func (e *env) printWarnings(c *common, ws []scanner.Warning) {
	for i, w := range ws {
		if i == maxWarnings && !c.verbose {
			fmt.Fprintf(e.stderr, "keylint: warning: %d more (use --verbose to list them)\n", len(ws)-i)
			return
		}
		fmt.Fprintf(e.stderr, "keylint: warning: %s\n", report.Sanitize(w.Error()))
	}
}

// useColor decides whether the report on stdout is coloured.
func (e *env) useColor(c *common) bool {
	return c.output == "" && e.colorFor(c, e.stdout)
}

// colorFor decides whether output to w is coloured: --color always or
// never, else only on a terminal and without NO_COLOR.
func (e *env) colorFor(c *common, w io.Writer) bool {
	switch {
	case c.noColor || c.color == "never":
		return false
	case c.color == "always":
		return true
	case e.getenv("NO_COLOR") != "":
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a terminal (not a file, pipe or
// /dev/null, which is a character device too).
func isTerminal(w io.Writer) bool {
	if s, ok := w.(*stdoutWriter); ok {
		w = s.w
	}
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// loadRuleset builds the active rules: the defaults, then the project
// configuration (--config, or .keylint.toml found from start up to the
// repository root, with the files it extends) unless --no-config.
func loadRuleset(ctx context.Context, c *common, start string) (*rules.Ruleset, error) {
	if c.ruleset != nil && c.start == start {
		return c.ruleset, nil // loaded already (hooks need the size limit early)
	}
	l, err := config.LoadContext(ctx, config.Options{Path: c.config, Disabled: c.noConfig, Start: start})
	if err != nil {
		return nil, err
	}
	c.notices = append(c.notices, l.Notices...)
	c.start = start
	c.ruleset = l.Ruleset
	c.useConfig(l)
	return l.Ruleset, nil
}

// useConfig takes the settings of the configuration that flags may
// override: fail_on unless --fail-on was given, baseline for when
// --baseline is not.
func (c *common) useConfig(l *config.Loaded) {
	if !c.failOnSet && l.FailOn != "" {
		c.failOn = l.FailOn
	}
	c.cfgBaseline = l.Baseline
}

// applyGitleaksIgnore drops locations listed in the repository's
// .gitleaksignore (for teams moving from gitleaks) and counts them. It
// returns the fingerprints that matched no finding.
func applyGitleaksIgnore(ctx context.Context, c *common, res *scanner.Result) ([]string, error) {
	var g *scanner.GitleaksIgnore
	if c.pinned != nil {
		g = c.pinned.ignore
	} else {
		var err error
		if g, _, err = config.LoadGitleaksIgnore(ctx, config.Options{Start: c.start}); err != nil {
			return nil, err
		}
	}
	if g == nil {
		return nil, nil
	}
	unmatched := g.Unmatched(res.Findings)
	kept := res.Findings[:0]
	for _, f := range res.Findings {
		locs := f.Locations[:0:0]
		for _, l := range f.Locations {
			if !g.Ignores(f.RuleID, l) {
				locs = append(locs, l)
			}
		}
		// Each location dropped is a silenced match, also when the
		// finding keeps others.
		if n := len(f.Locations) - len(locs); n > 0 {
			res.Summary.Silenced["gitleaksignore"] += n
		}
		if len(locs) == 0 {
			continue
		}
		f.Locations = locs
		kept = append(kept, f)
	}
	res.Findings = kept
	res.Recount()
	return unmatched, nil
}
