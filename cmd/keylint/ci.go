package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/ghevent"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/triage"
	"github.com/keylint/keylint/scanner/history"
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
	})
	if err != nil {
		return nil, err
	}
	opts.flags = *f
	if len(pos) > 0 {
		return nil, usagef("keylint ci takes no paths: it scans what the GitHub event names", "unexpected argument %q", pos[0])
	}
	if e.getenv("GITHUB_ACTIONS") != "true" {
		return nil, usagef("outside GitHub Actions, use `keylint git`, `keylint staged` or `keylint scan`", "keylint ci runs inside GitHub Actions (GITHUB_ACTIONS is not \"true\")")
	}
	name, path := e.getenv("GITHUB_EVENT_NAME"), e.getenv("GITHUB_EVENT_PATH")
	if name == "" || path == "" {
		return nil, usagef("run keylint ci as a step of a GitHub Actions workflow", "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must be set")
	}
	payload, err := trust.ReadFile(e.ctx, path)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, usagef("run keylint ci as a step of a GitHub Actions workflow", "cannot read the event payload: %v", err)
	}
	if opts.ev, err = ghevent.Parse(name, bytes.NewReader(payload)); err != nil {
		return nil, usagef("keylint ci handles pull_request, pull_request_target, push, workflow_dispatch and schedule events", "%v", err)
	}
	opts.dir = repo
	if opts.dir == "" {
		opts.dir = e.getenv("GITHUB_WORKSPACE")
	}
	if opts.dir == "" {
		opts.dir = "."
	}
	return &opts, nil
}

// runCI scans what the event names and publishes the result.
func (e *env) runCI(opts *ciOptions) (int, error) {
	if opts.ev.Kind == ghevent.Nothing {
		fmt.Fprintln(e.stderr, "keylint: the push deletes a branch: nothing to scan")
		return exitClean, e.ciOutputs(0, "")
	}
	if err := e.ensureCommits(opts.dir, opts.ev); err != nil {
		return 0, err
	}
	r, err := e.ciScan(opts)
	if err != nil {
		return 0, err
	}
	s, res := r.s, r.res
	code := exitClean
	if r.out.Failing > 0 {
		code = s.ExitCode
	}
	incomplete := incompleteError(res, r.sc.repairHint)
	if incomplete != nil {
		r.notes = append(r.notes, incomplete.Error())
	}
	skipped, unnamed, err := e.ciPublish(opts, s, res, r.notes)
	if err != nil {
		return 0, err
	}
	e.printWarnings(s, res.Warnings)
	if !s.Quiet {
		if err := report.WriteSummary(e.stderr, res.Summary, report.Options{}); err != nil {
			return 0, err
		}
	}
	if incomplete != nil {
		return 0, incomplete
	}
	return skipGate(s, code, len(skipped)+unnamed)
}

// ciScanned is what keylint ci scanned and decided.
type ciScanned struct {
	s   settings.Settings
	res *scanner.Result
	sc  scope
	out triage.Outcome
	// notes are for the pull request's reviewers.
	notes []string
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
	if ev.Kind == ghevent.Range && strings.HasPrefix(ev.Name, "pull_request") {
		cwd, _ := os.Getwd()
		b, err := config.LoadBase(e.ctx, config.BaseOptions{Repo: dir, Cwd: cwd, Base: ev.Base, Head: ev.Head,
			Config: opts.flags.Config, Disabled: opts.flags.NoConfig, Baseline: opts.flags.Baseline})
		if err != nil {
			return nil, err
		}
		if sc.pinned, err = triage.PinBase(b, ev.Base); err != nil {
			return nil, err
		}
		notes = append(notes, b.Warnings...)
		s = settings.Resolve(opts.flags, b.Config, dir)
	} else if s, err = settings.Load(e.ctx, opts.flags, dir); err != nil {
		return nil, err
	}

	if ev.Kind == ghevent.Full {
		// workflow_dispatch and schedule: a full history audit of every ref.
		sc.full, sc.repairHint = true, repairRepo
		res, err = e.scanWith(s, func(scn *scanner.Scanner) (*scanner.Result, error) {
			h, err := history.Scan(e.ctx, scn, history.Options{Repo: dir})
			if err != nil {
				return nil, gitError(err)
			}
			if h.Truncated {
				notes = append(notes, "the clone's history is truncated (a shallow clone): set `fetch-depth: 0` in actions/checkout for a full audit")
			}
			return &h.Result, nil
		})
	} else {
		src := e.ciCommits(dir, ev)
		res, err = e.scanWith(s, func(scn *scanner.Scanner) (*scanner.Result, error) { return scn.Scan(e.ctx, src) })
	}
	if err != nil {
		return nil, err
	}
	out, err := e.applyTriage(s, sc, res)
	if err != nil {
		return nil, err
	}
	for _, n := range out.Notices {
		if n.Kind == triage.AddedAllow {
			a := n.Allow
			notes = append(notes, fmt.Sprintf("this change adds an inline allow that silences %s at %s:%d", a.RuleID, a.Path, a.Line))
		}
	}
	return &ciScanned{s, res, sc, out, notes}, nil
}

// ciCommits is the source of a pull request's or push's commits.
func (e *env) ciCommits(dir string, ev *ghevent.Event) *scanner.Commits {
	src := &scanner.Commits{Dir: dir, Include: []string{ev.Head}}
	switch ev.Kind {
	case ghevent.Range:
		src.Exclude = []string{ev.Base}
	case ghevent.NewBranch:
		if ev.DefaultBranch != "" {
			src.Exclude = []string{"refs/remotes/origin/" + ev.DefaultBranch}
		} else {
			src.ExcludeRemotes = true
		}
	}
	if ev.Forced && ev.Kind == ghevent.Range && !e.hasCommit(dir, ev.Base) && ev.DefaultBranch != "" {
		// The rewritten history's old tip is gone from the clone: scan what
		// is not on the default branch, as for a new branch.
		src.Exclude = []string{"refs/remotes/origin/" + ev.DefaultBranch}
	}
	return src
}

// ciPublish writes the annotations, the step summary, the SARIF report,
// --output and the step outputs. It returns the files not scanned.
func (e *env) ciPublish(opts *ciOptions, s settings.Settings, res *scanner.Result, notes []string) ([]scanner.SkippedFile, int, error) {
	if err := report.WriteAnnotations(e.stdout, res.Findings); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return nil, 0, err
	}
	if err := report.WriteCapAnnotations(e.stdout, res.Warnings); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return nil, 0, err
	}
	for _, n := range notes {
		fmt.Fprintf(e.stdout, "::warning title=keylint::%s\n", report.EscapeData(report.Sanitize(n)))
	}
	skipped, unnamed := report.Unscanned(res.Summary, res.Warnings)
	if err := report.WriteSkippedAnnotations(e.stdout, skipped); err != nil {
		return nil, 0, err
	}
	if sp := e.getenv("GITHUB_STEP_SUMMARY"); sp != "" {
		if err := appendFile(sp, func(w io.Writer) error {
			return report.WriteStepSummary(w, res.Findings, res.Summary, notes, skipped, unnamed)
		}); err != nil {
			return nil, 0, fmt.Errorf("writing the step summary: %w", err)
		}
	}
	write := func(path, format string) error {
		rep, err := report.New(format, report.Options{ToolVersion: version()})
		if err != nil {
			return err
		}
		return writeOutput(e.ctx, path, func(w io.Writer) error { return rep.Report(w, res.Findings, res.Summary) })
	}
	if opts.sarif != "" {
		if err := write(opts.sarif, "sarif"); err != nil {
			return nil, 0, err
		}
	}
	if s.Output != "" {
		if err := checkFormat(s.Format); err != nil {
			return nil, 0, err
		}
		if err := write(s.Output, s.Format); err != nil {
			return nil, 0, err
		}
	}
	return skipped, unnamed, e.ciOutputs(len(res.Findings), opts.sarif)
}

// ciOutputs writes the step outputs findings and sarif-file.
func (e *env) ciOutputs(findings int, sarif string) error {
	out := e.getenv("GITHUB_OUTPUT")
	if out == "" {
		return nil
	}
	return appendFile(out, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "findings=%s\nsarif-file=%s\n", strconv.Itoa(findings), strings.NewReplacer("\n", "", "\r", "").Replace(sarif))
		return err
	})
}

func appendFile(name string, write func(io.Writer) error) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := write(&b); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (e *env) hasCommit(dir, sha string) bool {
	_, err := gitexec.Output(e.ctx, dir, "cat-file", "-e", sha+"^{commit}")
	return err == nil
}

// ensureCommits checks that the clone holds the commits the event names,
// and says how to fix the checkout when it does not.
func (e *env) ensureCommits(dir string, ev *ghevent.Event) error {
	if _, err := gitexec.Output(e.ctx, dir, "rev-parse", "--git-dir"); err != nil {
		var unsafe *gitexec.UnsafeRepositoryError
		if errors.Is(err, context.Canceled) || errors.As(err, &unsafe) {
			return err
		}
		return usagef("check out the repository first (actions/checkout) and run keylint ci in it", "%s is not a git repository", dir)
	}
	if ev.Kind == ghevent.Full {
		return nil
	}
	for _, c := range []struct{ what, sha string }{{"head", ev.Head}, {"base", ev.Base}} {
		if c.sha == "" || (c.what == "base" && ev.Forced) || e.hasCommit(dir, c.sha) {
			continue
		}
		shallow, _ := gitexec.Output(e.ctx, dir, "rev-parse", "--is-shallow-repository")
		why := "is not in the clone"
		if strings.TrimSpace(string(shallow)) == "true" {
			why = "is not in the clone, which is shallow"
		}
		return usagef("set `fetch-depth: 0` in the actions/checkout step (with: fetch-depth: 0), so the clone holds the whole history of the pull request",
			"the %s commit %s %s: keylint will not scan less than the change", c.what, c.sha[:12], why)
	}
	return nil
}
