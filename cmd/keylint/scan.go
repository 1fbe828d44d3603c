package main

import (
	"flag"
	"io"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/enrich"
	"github.com/keylint/keylint/internal/iostreams"
	"github.com/keylint/keylint/internal/outfile"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/internal/version"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/triage"
)

func (e *env) scan(args []string) (int, error) {
	var explain bool
	var vf verifyFlags
	f, paths, err := e.parseCommand("scan", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&explain, "explain", false, "list every rejected candidate with its reason on stderr")
		vf.register(fs)
	})
	if err != nil {
		return 0, err
	}
	if err := vf.check(); err != nil {
		return 0, err
	}
	start, src, err := scanner.Paths(paths, e.In, f.NoIgnore)
	if err != nil {
		return 0, err
	}
	if err := report.CheckFormat(f.Format); err != nil {
		return 0, err
	}
	s, err := settings.Load(e.ctx, *f, start)
	if err != nil {
		return 0, err
	}
	sc := scope{full: true, verify: vf, owners: enrich.Source{Dir: start, ReadFiles: true}}
	if start == "." && len(paths) == 1 && paths[0] == "-" {
		sc.owners = enrich.Source{} // stdin alone: no repository to read
	}
	code, err := e.runScan(s, sc, func(sc *scanner.Scanner) (*scanner.Result, error) { return sc.Scan(e.ctx, src) })
	if err == nil && explain {
		// Every candidate a rule's regex found and the rule rejected, with
		// the reason (issue 17).
		err = console.Explain(e.ctx, e.ErrOut, rules.NewMatcher(s.Ruleset), src, console.ExplainOptions{
			MaxFileSize: s.MaxFileSize, ShowSecrets: s.ShowSecrets, JSON: s.Format == "json" || s.Format == "jsonl"})
	}
	return code, err
}

// scope is what a command's scan covers, which triage and the messages
// after the report depend on.
type scope struct {
	// full is set when the scan covers everything (not a change or a
	// selection of commits), so stale baseline entries mean something.
	full bool
	// repairHint says how to fix what an incomplete scan could not read
	// ("" for files).
	repairHint string
	// listSkipped lists the files that could not be scanned on stderr
	// even when quiet (the hooks).
	listSkipped bool
	// pinned, when set, replaces the .gitleaksignore and the baseline on
	// disk (keylint ci reads them from a pull request's base).
	pinned *triage.Pinned
	// verify is --verify, --only-live and --fail-on-live; owners says
	// where CODEOWNERS comes from.
	verify verifyFlags
	owners enrich.Source
	// repository names the scanned repository in the csv report (keylint
	// git); empty for other scans.
	repository string
	// rulesHash, when set, is recorded in json reports (keylint git), so
	// that keylint merge can check that reports share their rules.
	rulesHash string
}

// runScan runs scan with the settings, triages the result, and writes the
// report and summary. It returns the exit code.
func (e *env) runScan(s settings.Settings, sc scope, scan func(*scanner.Scanner) (*scanner.Result, error)) (int, error) {
	if err := report.CheckFormat(s.Format); err != nil {
		return 0, err
	}
	rep, _ := report.New(s.Format, report.Options{Color: s.Output == "" && e.colorFor(s, e.Out), ToolVersion: version.String(), Repository: sc.repository, RulesHash: sc.rulesHash, SecretsShown: s.ShowSecrets})
	res, err := e.scanWith(s, scan)
	if err != nil {
		return 0, err
	}
	out, err := e.applyTriage(s, sc, res)
	if err != nil {
		return 0, err
	}
	code := exitClean
	if live := e.enrichResult(sc, res); out.Failing > 0 || live > 0 && sc.verify.failOnLive {
		code = s.ExitCode
	}
	if err := e.writeReport(s, rep, res); err != nil {
		return 0, err
	}
	console.Warnings(e.ErrOut, res.Warnings, s.Verbose)
	skipped, unnamed := report.Unscanned(res.Summary, res.Warnings)
	if sc.listSkipped || s.FailOnSkipped {
		if err := report.WriteSkipped(e.ErrOut, skipped, unnamed); err != nil {
			return 0, err
		}
	}
	if s.Verbose {
		console.Silenced(e.ErrOut, res.Allowed)
	}
	if !s.Quiet {
		if err := report.WriteSummary(e.ErrOut, res.Summary, report.Options{Color: e.colorFor(s, e.ErrOut)}); err != nil {
			return 0, err
		}
	}
	if err := triage.Gates(res, sc.repairHint, s.FailOnSkipped, code != exitClean, len(skipped)+unnamed); err != nil {
		return 0, err
	}
	return code, nil
}

// scanWith runs scan with a scanner built from the settings, and drops a
// configuration's own rule examples from the result.
func (e *env) scanWith(s settings.Settings, scan func(*scanner.Scanner) (*scanner.Result, error)) (*scanner.Result, error) {
	sc := scanner.New(rules.NewMatcher(s.Ruleset), scanner.Options{
		Workers:     s.Jobs,
		MaxFileSize: s.MaxFileSize,
		ShowSecrets: s.ShowSecrets,
	})
	res, err := scan(sc)
	if err != nil {
		return nil, err
	}
	triage.DropOwnDefinitions(s.Ruleset, res)
	triage.DropAllowedCommits(s.Ruleset, res)
	return res, nil
}

// applyTriage prints the configuration's notices, then applies triage to res
// and prints what it has to say.
func (e *env) applyTriage(s settings.Settings, sc scope, res *scanner.Result) (triage.Outcome, error) {
	if !s.Quiet {
		console.ConfigNotices(e.ErrOut, s.Notices)
	}
	out, err := triage.Apply(e.ctx, res, triage.Options{
		Start: s.Start, NoIgnore: s.NoConfig, Baseline: s.Baseline, BaselineOptional: s.BaselineFromConfig,
		Pinned: sc.pinned, Full: sc.full, FailOn: s.FailOn,
	})
	if !s.Quiet {
		console.Notices(e.ErrOut, out.Notices, s.Verbose)
	}
	return out, err
}

// writeReport writes the report to stdout or to --output (see writeOutput
// for what --output may be). A reader of stdout that went away is handled
// by stdoutWriter; the hooks write their text report to stderr, where it
// is handled here, the same way.
func (e *env) writeReport(s settings.Settings, rep report.Reporter, res *scanner.Result) error {
	if s.Output == "" {
		if err := rep.Report(e.Out, res.Findings, res.Summary); !iostreams.ReaderGone(err) {
			return err
		}
		return nil
	}
	return outfile.Write(e.ctx, s.Output, func(w io.Writer) error {
		return rep.Report(w, res.Findings, res.Summary)
	})
}

// colorFor decides whether output to w is coloured: --color always or
// never, else only on a terminal and without NO_COLOR.
func (e *env) colorFor(s settings.Settings, w io.Writer) bool {
	return s.Colored(iostreams.IsTerminal(w), e.Getenv("NO_COLOR") != "")
}
