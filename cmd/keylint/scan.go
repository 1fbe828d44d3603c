package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

func (e *env) scan(args []string) (int, error) {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	var c common
	c.register(fs)
	paths, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, usage)
		return exitClean, nil
	}
	if err != nil {
		return 0, err
	}
	if err := c.validate(); err != nil {
		return 0, err
	}
	c.fullScan = true
	start, src, err := e.pathSources(&c, paths)
	if err != nil {
		return 0, err
	}
	return e.runScan(&c, start, src)
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
	opts := report.Options{Color: e.useColor(c), ToolVersion: version()}
	rep, err := report.New(c.format, opts)
	if err != nil {
		return 0, usagef("use --format text, json, jsonl, sarif or csv", "unknown format %q", c.format)
	}
	res, err := e.scanOnly(c, start, src)
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
	if !c.quiet {
		if err := report.WriteSummary(e.stderr, res.Summary, report.Options{Color: opts.Color && c.output == ""}); err != nil {
			return 0, err
		}
	}
	return code, nil
}

// scanOnly loads the rules and runs the scan.
func (e *env) scanOnly(c *common, start string, src scanner.Source) (*scanner.Result, error) {
	rs, err := loadRuleset(c, start)
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
	return sc.Scan(e.ctx, src)
}

// applyBaseline drops findings recorded in --baseline, counts them, and
// lists stale entries when the scan covered everything (c.fullScan).
func (e *env) applyBaseline(c *common, res *scanner.Result) error {
	if c.baseline == "" {
		return nil
	}
	b, err := readBaseline(c.baseline)
	if err != nil {
		return err
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
			fmt.Fprintf(e.stderr, "  %s\n", report.Sanitize(s.String()))
		}
		fmt.Fprintf(e.stderr, "keylint: hint: run `keylint baseline --prune --output %s` to drop them\n", c.baseline)
	}
	return nil
}

func readBaseline(path string) (*scanner.Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, withHint(fmt.Errorf("cannot read baseline: %w", err), "create one with `keylint baseline --output "+path+"`")
	}
	defer f.Close()
	b, err := scanner.ParseBaseline(f)
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

func (e *env) writeReport(c *common, rep report.Reporter, res *scanner.Result) error {
	if c.output == "" {
		return rep.Report(e.stdout, res.Findings, res.Summary)
	}
	f, err := createPrivate(c.output)
	if err != nil {
		return withHint(fmt.Errorf("cannot write the report: %w", err), "check that the directory exists and is writable")
	}
	if err := rep.Report(f, res.Findings, res.Summary); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", c.output, err)
	}
	return f.Close()
}

// createPrivate creates or truncates a file readable by its owner only:
// reports can hold secrets (with --show-secrets) and always hold where
// secrets are.
func createPrivate(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
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

func (e *env) useColor(c *common) bool {
	switch {
	case c.noColor || c.color == "never" || c.output != "":
		return false
	case c.color == "always":
		return true
	case e.getenv("NO_COLOR") != "":
		return false
	}
	return isTerminal(e.stdout)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// loadRuleset builds the active rules: the defaults, then the project
// configuration (--config, or .keylint.toml found from start up to the
// repository root, with the files it extends) unless --no-config.
func loadRuleset(c *common, start string) (*rules.Ruleset, error) {
	l, err := config.Load(config.Options{Path: c.config, Disabled: c.noConfig, Start: start})
	if err != nil {
		return nil, err
	}
	return l.Ruleset, nil
}
