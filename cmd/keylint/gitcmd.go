package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/cliflag"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/iostreams"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/scanner/history"
	"github.com/keylint/keylint/triage"
)

// gitFlags are the flags of keylint git besides the common ones.
type gitFlags struct {
	branches   []string
	rng        string
	since      string
	until      string
	maxCommits int
}

func (e *env) gitCmd(args []string) (int, error) {
	fs := flag.NewFlagSet("git", flag.ContinueOnError)
	var f settings.Flags
	registerFlags(fs, &f)
	var g gitFlags
	var vf verifyFlags
	vf.register(fs)
	fs.Func("branch", "only commits reachable from `NAME` (repeatable)", func(v string) error {
		g.branches = append(g.branches, v)
		return nil
	})
	fs.StringVar(&g.rng, "range", "", "only commits reachable from B and not from A (`A..B`)")
	fs.StringVar(&g.since, "since", "", "only commits committed on or after `DATE`")
	fs.StringVar(&g.until, "until", "", "only commits committed on or before `DATE`")
	fs.IntVar(&g.maxCommits, "max-commits", 0, "only the newest `N` commits (0: all)")
	var a auditFlags
	registerAuditFlags(fs, &a)
	pos, err := cliflag.Parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.Out, "git", fs)
		return exitClean, nil
	}
	if err != nil {
		return 0, err
	}
	if err := f.Validate(); err != nil {
		return 0, err
	}
	if err := vf.check(); err != nil {
		return 0, err
	}
	if a.printRepos && !a.multi(pos) {
		return 0, clierr.Usagef("for example: keylint git --repos repos.txt --shard 1/4 --print-repos", "--print-repos needs --repos, --shard or several repositories")
	}
	repo := "."
	if len(pos) == 1 && !a.multi(pos) {
		repo = pos[0]
	}
	if _, err := os.Stat(repo); !a.multi(pos) && errors.Is(err, os.ErrNotExist) {
		return 0, clierr.Usagef("check the path: keylint git path/to/repo", "%s does not exist", repo)
	}
	h := history.Options{Repo: repo, Branches: g.branches, Range: g.rng, MaxCommits: g.maxCommits}
	now := time.Now()
	if h.Since, err = cliflag.ParseDate(g.since, now, false); err != nil {
		return 0, clierr.Usagef("use a date such as 2024-01-31, 2024-01-31T12:00:00Z or \"2 weeks ago\"", "--since: %v", err)
	}
	if h.Until, err = cliflag.ParseDate(g.until, now, true); err != nil {
		return 0, clierr.Usagef("use a date such as 2024-01-31, 2024-01-31T12:00:00Z or \"2 weeks ago\"", "--until: %v", err)
	}
	if g.maxCommits < 0 {
		return 0, clierr.Usagef("give a positive number, e.g. --max-commits 100", "--max-commits must not be negative")
	}
	if g.rng != "" && !strings.Contains(g.rng, "..") {
		return 0, clierr.Usagef("write a range as A..B, e.g. --range main..feature", "invalid --range %q", g.rng)
	}
	// The whole history is scanned unless a selection narrows it, so stale
	// baseline entries mean something only then.
	sc := scope{repairHint: triage.RepairRepo,
		full:   len(g.branches) == 0 && g.rng == "" && g.since == "" && g.until == "" && g.maxCommits == 0,
		verify: vf, owners: ownerSource{dir: repo, rev: "HEAD", readRev: "HEAD"}}
	if a.multi(pos) {
		// Code owners are per repository: each location's own.
		sc.owners = ownerSource{perRepository: true}
		return e.gitMulti(f, a, pos, h, sc)
	}
	sc.repository = repo
	if abs, err := filepath.Abs(repo); err == nil {
		sc.repository = abs
	}
	if err := checkFormat(f.Format); err != nil {
		return 0, err
	}
	s, err := settings.Load(e.ctx, f, repo)
	if err != nil {
		return 0, err
	}
	if sc.rulesHash, err = s.RulesHash(); err != nil {
		return 0, err
	}
	c, err := e.openCache(a, sc.rulesHash)
	if err != nil {
		return 0, err
	}
	if c != nil {
		h.Cache, h.CacheKey = c, blobcache.Key
	}
	if err := e.openVerifyCache(a, &sc.verify); err != nil {
		return 0, err
	}
	var hres *history.Result
	code, err := e.runScan(s, sc, func(sc *scanner.Scanner) (*scanner.Result, error) {
		var stop func()
		if !s.Quiet && iostreams.IsTerminal(e.ErrOut) {
			h.Progress = &history.Progress{}
			stop = console.StartProgress(e.ErrOut, h.Progress)
		}
		res, err := history.Scan(e.ctx, sc, h)
		if stop != nil {
			stop()
		}
		if err != nil {
			return nil, gitError(err)
		}
		hres = res
		return &res.Result, nil
	})
	if hres != nil && !s.Quiet {
		console.HistoryNotes(e.ErrOut, hres)
	}
	if err != nil {
		return 0, err
	}
	return code, nil
}

// gitError gives scan errors the exit code and hint they deserve.
func gitError(err error) error {
	var re *history.RevisionError
	switch {
	case errors.As(err, &re):
		return clierr.Usagef("list branches and tags with `git branch -a` and `git tag`", "%v", err)
	case errors.Is(err, gitexec.ErrNotRepository):
		// Exit code 2, as for keylint staged, hook install and ci: the
		// command was run in the wrong place.
		return clierr.Usagef("run keylint git inside a git repository, or give its path: keylint git path/to/repo", "%v", err)
	case errors.Is(err, history.ErrDamaged):
		return clierr.WithHint(err, triage.RepairRepo)
	}
	return err
}
