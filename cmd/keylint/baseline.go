package main

import (
	"flag"
	"io"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/internal/outfile"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/triage"
)

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
	out := s.BaselineFile()
	res, err := e.scanWith(s, func(sc *scanner.Scanner) (*scanner.Result, error) { return sc.Scan(e.ctx, src) })
	if err != nil {
		return 0, err
	}
	console.Warnings(e.ErrOut, res.Warnings, s.Verbose)
	b, stale, err := triage.RecordBaseline(e.ctx, res, out, prune)
	if err != nil {
		return 0, err
	}
	if !s.Quiet && prune {
		console.BaselinePruned(e.ErrOut, out, len(stale), b.Len())
	} else if !s.Quiet {
		console.BaselineRecorded(e.ErrOut, out, b.Len(), len(res.Findings))
	}
	if err := outfile.Write(e.ctx, out, func(w io.Writer) error { _, err := b.WriteTo(w); return err }); err != nil {
		return 0, err
	}
	if !s.Quiet && !prune && s.Baseline == "" {
		console.BaselineHint(e.ErrOut, out)
	}
	return exitClean, triage.Incomplete(res, "")
}
