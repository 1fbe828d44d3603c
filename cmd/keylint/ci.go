package main

import (
	"flag"
	"fmt"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/enrich"
	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/ghevent"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/internal/version"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/scanner/history"
	"github.com/keylint/keylint/triage"
)

// ciOptions are what keylint ci runs with: its flags, the event that
// triggered the workflow and the checkout it scans.
type ciOptions struct {
	flags settings.Flags
	// sarif is where the SARIF report goes; "" for none.
	sarif string
	// dir is the checked-out repository.
	dir string
	ev  *ghevent.Event
	// verify is --verify (the action's `verify: true`), --only-live and
	// --fail-on-live.
	verify verifyFlags
}

// ci runs inside GitHub Actions: it decides from the event what to scan,
// annotates the lines, writes the step summary, the SARIF file and the
// step outputs, and fails the check when a secret was added.
func (e *env) ci(args []string) (int, error) {
	opts, err := e.parseCI(args)
	if err != nil {
		return 0, err
	}
	return e.runCI(opts)
}

// parseCI reads keylint ci's flags and the GitHub Actions environment.
func (e *env) parseCI(args []string) (*ciOptions, error) {
	var opts ciOptions
	var repo string
	f, pos, err := e.parseCommand("ci", args, func(fs *flag.FlagSet) {
		fs.StringVar(&opts.sarif, "sarif", "keylint.sarif", "write the SARIF report to `FILE` (empty: none)")
		fs.StringVar(&repo, "repo", "", "the checked-out repository, `DIR` (default: $GITHUB_WORKSPACE, else .)")
		opts.verify.register(fs)
	})
	if err != nil {
		return nil, err
	}
	if err := opts.verify.check(); err != nil {
		return nil, err
	}
	opts.flags = *f
	if len(pos) > 0 {
		return nil, clierr.Usagef("keylint ci takes no paths: it scans what the GitHub event names", "unexpected argument %q", pos[0])
	}
	if opts.ev, err = ghevent.FromEnv(e.ctx, e.Getenv); err != nil {
		return nil, err
	}
	opts.dir = ghevent.Workspace(repo, e.Getenv)
	return &opts, nil
}

// runCI scans what the event names and publishes the result.
func (e *env) runCI(opts *ciOptions) (int, error) {
	if opts.ev.Kind == ghevent.Nothing {
		fmt.Fprintln(e.ErrOut, "keylint: the push deletes a branch: nothing to scan")
		return exitClean, console.StepOutputs(e.Getenv("GITHUB_OUTPUT"), 0, "")
	}
	if err := opts.ev.CheckClone(e.ctx, opts.dir); err != nil {
		return 0, err
	}
	r, err := e.ciScan(opts)
	if err != nil {
		return 0, err
	}
	s, res := r.s, r.res
	code := exitClean
	if r.out.Failing > 0 || (r.live > 0 && opts.verify.failOnLive) {
		code = s.ExitCode
	}
	if incomplete := triage.Incomplete(res, r.sc.repairHint); incomplete != nil {
		r.notes = append(r.notes, incomplete.Error())
	}
	skipped, unnamed, err := e.ciPublish(opts, s, res, r.notes)
	if err != nil {
		return 0, err
	}
	console.Warnings(e.ErrOut, res.Warnings, s.Verbose)
	if !s.Quiet {
		if err := report.WriteSummary(e.ErrOut, res.Summary, report.Options{}); err != nil {
			return 0, err
		}
	}
	if err := triage.Gates(res, r.sc.repairHint, s.FailOnSkipped, code != exitClean, len(skipped)+unnamed); err != nil {
		return 0, err
	}
	return code, nil
}

// ciScanned is what keylint ci scanned and decided.
type ciScanned struct {
	s   settings.Settings
	res *scanner.Result
	sc  scope
	out triage.Outcome
	// notes are for the pull request's reviewers.
	notes []string
	// live counts the keys --verify found live.
	live int
}

// ciScan resolves the settings, scans the commits the event names (every
// ref for workflow_dispatch and schedule) and triages the result.
func (e *env) ciScan(opts *ciOptions) (*ciScanned, error) {
	dir, ev := opts.dir, opts.ev
	var (
		s     settings.Settings
		res   *scanner.Result
		sc    scope
		notes []string
		err   error
	)
	// A pull request cannot silence itself: everything that can suppress a
	// finding comes from the base commit, however its path is spelled.
	if ev.Kind == ghevent.Range && ev.IsPullRequest() {
		var b *config.Base
		if s, b, err = settings.LoadBase(e.ctx, opts.flags, dir, ev.Base, ev.Head); err != nil {
			return nil, err
		}
		if sc.pinned, err = triage.PinBase(b, ev.Base); err != nil {
			return nil, err
		}
		notes = append(notes, b.Warnings...)
	} else if s, err = settings.Load(e.ctx, opts.flags, dir); err != nil {
		return nil, err
	}

	if ev.Kind == ghevent.Full {
		// workflow_dispatch and schedule: a full history audit of every ref.
		sc.full, sc.repairHint = true, history.RepairHint
		res, err = e.scanWith(s, func(scn *scanner.Scanner) (*scanner.Result, error) {
			h, err := history.Scan(e.ctx, scn, history.Options{Repo: dir})
			if err != nil {
				return nil, err
			}
			if h.Truncated {
				notes = append(notes, "the clone's history is truncated (a shallow clone): set `fetch-depth: 0` in actions/checkout for a full audit")
			}
			return &h.Result, nil
		})
	} else {
		rev := ev.Revisions(e.ctx, dir)
		src := &scanner.Commits{Dir: dir, Include: rev.Include, Exclude: rev.Exclude, ExcludeRemotes: rev.ExcludeRemotes}
		res, err = e.scanWith(s, func(scn *scanner.Scanner) (*scanner.Result, error) { return scn.Scan(e.ctx, src) })
	}
	if err != nil {
		return nil, err
	}
	out, err := e.applyTriage(s, sc, res)
	if err != nil {
		return nil, err
	}
	notes = append(notes, console.AddedAllowNotes(out.Notices)...)
	// CODEOWNERS comes from the base commit of a pull request (which the
	// pull request cannot change), else from the scanned head.
	sc.verify = opts.verify
	sc.owners = enrich.Source{Dir: dir}
	sc.owners.Rev, sc.owners.ReadRev = ev.OwnersRevs()
	live := e.enrichResult(sc, res)
	return &ciScanned{s, res, sc, out, notes, live}, nil
}

// ciPublish writes the annotations, the step summary, the SARIF report,
// --output and the step outputs. It returns the files not scanned.
func (e *env) ciPublish(opts *ciOptions, s settings.Settings, res *scanner.Result, notes []string) ([]scanner.SkippedFile, int, error) {
	skipped, unnamed := report.Unscanned(res.Summary, res.Warnings)
	if err := console.Annotations(e.Out, res, notes, skipped); err != nil {
		return nil, 0, err
	}
	if err := console.StepSummary(e.Getenv("GITHUB_STEP_SUMMARY"), res, notes, skipped, unnamed); err != nil {
		return nil, 0, err
	}
	opt := report.Options{ToolVersion: version.String(), Repository: ghevent.Repository(opts.dir, e.Getenv)}
	if opts.sarif != "" {
		if err := report.WriteFile(e.ctx, opts.sarif, "sarif", opt, res.Findings, res.Summary); err != nil {
			return nil, 0, err
		}
	}
	if s.Output != "" {
		if err := report.WriteFile(e.ctx, s.Output, s.Format, opt, res.Findings, res.Summary); err != nil {
			return nil, 0, err
		}
	}
	return skipped, unnamed, console.StepOutputs(e.Getenv("GITHUB_OUTPUT"), len(res.Findings), opts.sarif)
}
