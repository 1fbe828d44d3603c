package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
)

// defaultBaseline is where `keylint baseline` writes by default.
const defaultBaseline = ".keylint-baseline"

// baselineCmd records the current findings, or with --prune drops the
// entries of an existing baseline that are no longer found.
func (e *env) baselineCmd(args []string) (int, error) {
	var prune bool
	c, paths, err := e.parseCommand("baseline", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&prune, "prune", false, "drop stale entries from the existing baseline instead of recording new ones")
	})
	if err != nil {
		return 0, err
	}
	start, src, err := e.pathSources(c, paths)
	if err != nil {
		return 0, err
	}
	if _, err := loadRuleset(e.ctx, c, start); err != nil {
		return 0, err
	}
	out := c.output
	if out == "" {
		out = c.baseline
	}
	if out == "" {
		out = c.cfgBaseline
	}
	if out == "" {
		out = defaultBaseline
	}
	c.showSecrets = false // a baseline never holds secrets
	res, err := e.scanOnly(c, start, src)
	if err != nil {
		return 0, err
	}
	e.printWarnings(c, res.Warnings)
	incomplete := incompleteError(res, c.repairHint)
	var b *scanner.Baseline
	if prune {
		if incomplete != nil {
			// What could not be read would look stale and be dropped.
			return 0, fmt.Errorf("%w; the baseline was not pruned", incomplete)
		}
		old, err := readBaseline(e.ctx, out)
		if err != nil {
			return 0, err
		}
		_, _, stale := old.Filter(res.Findings)
		b = old.Prune(stale)
		if !c.quiet {
			fmt.Fprintf(e.stderr, "keylint: baseline %s: dropped %d stale %s, kept %d\n", report.Sanitize(out), len(stale), plural(len(stale), "entry", "entries"), b.Len())
		}
	} else {
		b = scanner.NewBaseline(res.Findings)
		if !c.quiet {
			fmt.Fprintf(e.stderr, "keylint: baseline %s: recorded %d %s for %d %s\n", report.Sanitize(out), b.Len(), plural(b.Len(), "entry", "entries"), len(res.Findings), plural(len(res.Findings), "finding", "findings"))
		}
	}
	if err := writeOutput(e.ctx, out, func(w io.Writer) error { _, err := b.WriteTo(w); return err }); err != nil {
		return 0, err
	}
	if !c.quiet && !prune && c.cfgBaseline == "" && c.baseline == "" {
		fmt.Fprintf(e.stderr, "keylint: hint: add `baseline = %q` to .keylint.toml so that every command (scan, git, staged, the hooks, keylint ci) applies it; else pass --baseline %s to each\n",
			report.Sanitize(filepath.ToSlash(out)), report.Sanitize(out))
	}
	if incomplete != nil {
		return 0, incomplete
	}
	return exitClean, nil
}
