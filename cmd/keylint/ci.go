package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/ghevent"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
)

// ci runs inside GitHub Actions: it decides from the event what to scan,
// annotates the lines, writes the step summary, the SARIF file and the
// step outputs, and fails the check when a secret was added.
func (e *env) ci(args []string) (int, error) {
	var sarifPath, repo string
	c, pos, err := e.parseCommand("ci", args, func(fs *flag.FlagSet) {
		fs.StringVar(&sarifPath, "sarif", "keylint.sarif", "write the SARIF report to `FILE` (empty: none)")
		fs.StringVar(&repo, "repo", "", "the checked-out repository, `DIR` (default: $GITHUB_WORKSPACE, else .)")
	})
	if err != nil {
		return 0, err
	}
	if len(pos) > 0 {
		return 0, usagef("keylint ci takes no paths: it scans what the GitHub event names", "unexpected argument %q", pos[0])
	}
	if e.getenv("GITHUB_ACTIONS") != "true" {
		return 0, usagef("outside GitHub Actions, use `keylint git`, `keylint staged` or `keylint scan`", "keylint ci runs inside GitHub Actions (GITHUB_ACTIONS is not \"true\")")
	}
	name, path := e.getenv("GITHUB_EVENT_NAME"), e.getenv("GITHUB_EVENT_PATH")
	if name == "" || path == "" {
		return 0, usagef("run keylint ci as a step of a GitHub Actions workflow", "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must be set")
	}
	payload, err := trust.ReadFile(e.ctx, path)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return 0, err
		}
		return 0, usagef("run keylint ci as a step of a GitHub Actions workflow", "cannot read the event payload: %v", err)
	}
	ev, err := ghevent.Parse(name, bytes.NewReader(payload))
	if err != nil {
		return 0, usagef("keylint ci handles pull_request, pull_request_target, push, workflow_dispatch and schedule events", "%v", err)
	}
	dir := repo
	if dir == "" {
		dir = e.getenv("GITHUB_WORKSPACE")
	}
	if dir == "" {
		dir = "."
	}
	if ev.Kind == ghevent.Nothing {
		fmt.Fprintln(e.stderr, "keylint: the push deletes a branch: nothing to scan")
		return exitClean, e.ciOutputs(0, "")
	}
	if err := e.ensureCommits(dir, ev); err != nil {
		return 0, err
	}

	// A pull request cannot silence itself: everything that can suppress a
	// finding comes from the base commit, however its path is spelled.
	var notes []string
	c.fullScan = false
	c.start = dir
	c.repository = e.getenv("GITHUB_REPOSITORY")
	if c.repository == "" {
		c.repository, _ = filepath.Abs(dir)
	}
	if ev.Kind == ghevent.Range && strings.HasPrefix(ev.Name, "pull_request") {
		cwd, _ := os.Getwd()
		b, err := config.LoadBase(e.ctx, config.BaseOptions{Repo: dir, Cwd: cwd, Base: ev.Base, Head: ev.Head,
			Config: c.config, Disabled: c.noConfig, Baseline: c.baseline})
		if err != nil {
			return 0, err
		}
		notes = append(notes, b.Warnings...)
		c.ruleset, c.notices = b.Config.Ruleset, append(c.notices, b.Config.Notices...)
		if !c.failOnSet && b.Config.FailOn != "" {
			c.failOn = b.Config.FailOn // the base's, like everything that can silence
		}
		c.pinned = &pinnedInputs{ignore: b.Ignore, baseline: b.Baseline}
		c.baseline = b.BaselinePath
	}

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
	start := c.start
	var res *scanner.Result
	if ev.Kind == ghevent.Full {
		// workflow_dispatch and schedule: a full history audit of every ref.
		c.fullScan = true
		c.repairHint = repairRepo
		res, err = e.scanOnlyFunc(c, dir, func(sc *scanner.Scanner) (*scanner.Result, error) {
			h, err := sc.ScanHistory(e.ctx, scanner.History{Repo: dir})
			if err != nil {
				return nil, gitError(err)
			}
			if h.Truncated {
				notes = append(notes, "the clone's history is truncated (a shallow clone): set `fetch-depth: 0` in actions/checkout for a full audit")
			}
			return &h.Result, nil
		})
	} else {
		res, err = e.scanOnly(c, start, src)
	}
	if err != nil {
		return 0, err
	}
	if err := e.applyBaseline(c, res); err != nil {
		return 0, err
	}
	for _, a := range res.Allowed {
		if a.Added {
			notes = append(notes, fmt.Sprintf("this change adds an inline allow that silences %s at %s:%d", a.RuleID, a.Path, a.Line))
		}
	}
	code := e.gate(c, res)
	incomplete := incompleteError(res, c.repairHint)
	if incomplete != nil {
		notes = append(notes, incomplete.Error())
	}

	if err := report.WriteAnnotations(e.stdout, res.Findings); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return 0, err
	}
	if err := report.WriteCapAnnotations(e.stdout, res.Warnings); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return 0, err
	}
	for _, n := range notes {
		fmt.Fprintf(e.stdout, "::warning title=keylint::%s\n", escapeWorkflowData(report.Sanitize(n)))
	}
	skipped, unnamed := report.Unscanned(res.Summary, res.Warnings)
	if err := report.WriteSkippedAnnotations(e.stdout, skipped); err != nil {
		return 0, err
	}
	if sp := e.getenv("GITHUB_STEP_SUMMARY"); sp != "" {
		if err := appendFile(sp, func(w io.Writer) error {
			return report.WriteStepSummary(w, res.Findings, res.Summary, notes, skipped, unnamed)
		}); err != nil {
			return 0, fmt.Errorf("writing the step summary: %w", err)
		}
	}
	if sarifPath != "" {
		rep, err := report.New("sarif", report.Options{ToolVersion: version()})
		if err != nil {
			return 0, err
		}
		if err := writeOutput(e.ctx, sarifPath, func(w io.Writer) error { return rep.Report(w, res.Findings, res.Summary) }); err != nil {
			return 0, err
		}
	}
	if c.output != "" {
		rep, err := report.New(c.format, report.Options{ToolVersion: version(), Repository: c.repository})
		if err != nil {
			return 0, usagef("use --format text, compact, json, jsonl, sarif, csv or html", "unknown format %q", c.format)
		}
		if err := writeOutput(e.ctx, c.output, func(w io.Writer) error { return rep.Report(w, res.Findings, res.Summary) }); err != nil {
			return 0, err
		}
	}
	if err := e.ciOutputs(len(res.Findings), sarifPath); err != nil {
		return 0, err
	}
	e.printWarnings(c, res.Warnings)
	if !c.quiet {
		if err := report.WriteSummary(e.stderr, res.Summary, report.Options{}); err != nil {
			return 0, err
		}
	}
	if incomplete != nil {
		return 0, incomplete
	}
	return skipGate(c, code, len(skipped)+unnamed)
}

func escapeWorkflowData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
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
