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
			return 0, usagef("check the path, or use \"-\" to read stdin", "cannot scan %q: %v", p, errors.Unwrap(err))
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
	return e.runScan(&c, start, srcs)
}

// runScan loads the rules, runs the scan and writes the report and summary.
func (e *env) runScan(c *common, start string, src scanner.Source) (int, error) {
	rs, err := loadRuleset(c, start)
	if err != nil {
		return 0, err
	}
	opts := report.Options{Color: e.useColor(c), ToolVersion: version()}
	rep, err := report.New(c.format, opts)
	if err != nil {
		return 0, usagef("use --format text, json, jsonl, sarif or csv", "unknown format %q", c.format)
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
	res, err := sc.Scan(e.ctx, src)
	if err != nil {
		return 0, err
	}
	if err := e.writeReport(c, rep, res); err != nil {
		return 0, err
	}
	e.printWarnings(c, res.Warnings)
	if !c.quiet {
		if err := report.WriteSummary(e.stderr, res.Summary, report.Options{Color: opts.Color && c.output == ""}); err != nil {
			return 0, err
		}
	}
	if len(res.Findings) > 0 {
		return c.exitCode, nil
	}
	return exitClean, nil
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
