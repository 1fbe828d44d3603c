package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/internal/outfile"
	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/triage"
)

// defaultBaseline is where `keylint baseline` writes by default.
const defaultBaseline = ".keylint-baseline"

// baselineCmd records the current findings, or with --prune drops the
// entries of an existing baseline that are no longer found.
func (e *env) baselineCmd(args []string) (int, error) {
	var prune bool
	f, paths, err := e.parseCommand("baseline", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&prune, "prune", false, "drop stale entries from the existing baseline instead of recording new ones")
	})
	if err != nil {
		return 0, err
	}
	start, src, err := scanner.Paths(paths, e.In, f.NoIgnore)
	if err != nil {
		return 0, err
	}
	f.ShowSecrets = false // a baseline never holds secrets
	s, err := settings.Load(e.ctx, *f, start)
	if err != nil {
		return 0, err
	}
	out := s.Output
	if out == "" {
		out = s.Baseline // --baseline, else the configuration's
	}
	if out == "" {
		out = defaultBaseline
	}
	res, err := e.scanWith(s, func(sc *scanner.Scanner) (*scanner.Result, error) { return sc.Scan(e.ctx, src) })
	if err != nil {
		return 0, err
	}
	console.Warnings(e.ErrOut, res.Warnings, s.Verbose)
	incomplete := triage.Incomplete(res, "")
	var b *triage.Baseline
	if prune {
		if incomplete != nil {
			// What could not be read would look stale and be dropped.
			return 0, fmt.Errorf("%w; the baseline was not pruned", incomplete)
		}
		old, err := triage.ReadBaseline(e.ctx, out)
		if err != nil {
			return 0, err
		}
		_, _, stale := old.Filter(res.Findings)
		b = old.Prune(stale)
		if !s.Quiet {
			fmt.Fprintf(e.ErrOut, "keylint: baseline %s: dropped %d stale %s, kept %d\n", report.Sanitize(out), len(stale), plural.Of(len(stale), "entry", "entries"), b.Len())
		}
	} else {
		b = triage.NewBaseline(res.Findings)
		if !s.Quiet {
			fmt.Fprintf(e.ErrOut, "keylint: baseline %s: recorded %d %s for %d %s\n", report.Sanitize(out), b.Len(), plural.Of(b.Len(), "entry", "entries"), len(res.Findings), plural.Of(len(res.Findings), "finding", "findings"))
		}
	}
	if err := outfile.Write(e.ctx, out, func(w io.Writer) error { _, err := b.WriteTo(w); return err }); err != nil {
		return 0, err
	}
	if !s.Quiet && !prune && s.Baseline == "" {
		fmt.Fprintf(e.ErrOut, "keylint: hint: add `baseline = %q` to .keylint.toml so that every command (scan, git, staged, the hooks, keylint ci) applies it; else pass --baseline %s to each\n",
			report.Sanitize(filepath.ToSlash(out)), report.Sanitize(out))
	}
	if incomplete != nil {
		return 0, incomplete
	}
	return exitClean, nil
}
