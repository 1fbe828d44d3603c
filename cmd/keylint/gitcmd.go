package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"time"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/enrich"
	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/iostreams"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/scanner/history"
)

func (e *env) gitCmd(args []string) (int, error) {
	var g history.Selection
	var vf verifyFlags
	var a auditFlags
	f, pos, err := e.parseCommand("git", args, func(fs *flag.FlagSet) {
		vf.register(fs)
		fs.Func("branch", "only commits reachable from `NAME` (repeatable)", func(v string) error {
			g.Branches = append(g.Branches, v)
			return nil
		})
		fs.StringVar(&g.Range, "range", "", "only commits reachable from B and not from A (`A..B`)")
		fs.StringVar(&g.Since, "since", "", "only commits committed on or after `DATE`")
		fs.StringVar(&g.Until, "until", "", "only commits committed on or before `DATE`")
		fs.IntVar(&g.MaxCommits, "max-commits", 0, "only the newest `N` commits (0: all)")
		registerAuditFlags(fs, &a)
	})
	if err != nil {
		return 0, err
	}
	if err := vf.check(); err != nil {
		return 0, err
	}
	multi := a.multi(pos)
	if a.printRepos && !multi {
		return 0, clierr.Usagef("for example: keylint git --repos repos.txt --shard 1/4 --print-repos", "--print-repos needs --repos, --shard or several repositories")
	}
	repo := "."
	if len(pos) == 1 && !multi {
		repo = pos[0]
	}
	if _, err := os.Stat(repo); !multi && errors.Is(err, os.ErrNotExist) {
		return 0, clierr.Usagef("check the path: keylint git path/to/repo", "%s does not exist", repo)
	}
	h, err := g.Options(repo, time.Now())
	if err != nil {
		return 0, err
	}
	sc := scope{repairHint: history.RepairHint, full: g.Full(), verify: vf, owners: enrich.Source{Dir: repo, Rev: "HEAD", ReadRev: "HEAD"}}
	if multi {
		// Code owners are per repository: not read in an audit of several.
		sc.owners = enrich.Source{}
		return e.gitMulti(*f, a, pos, h, sc)
	}
	sc.repository = repo
	if abs, err := filepath.Abs(repo); err == nil {
		sc.repository = abs
	}
	s, err := e.gitSettings(*f, a, repo, &h, &sc)
	if err != nil {
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
			return nil, err
		}
		hres = res
		return &res.Result, nil
	})
	if hres != nil && !s.Quiet {
		console.HistoryNotes(e.ErrOut, hres)
	}
	return code, err
}

// gitSettings loads keylint git's settings from start and opens the
// caches they name: the blob cache (in the generation of the rules) in h,
// the verification cache in sc.
func (e *env) gitSettings(f settings.Flags, a auditFlags, start string, h *history.Options, sc *scope) (settings.Settings, error) {
	if err := report.CheckFormat(f.Format); err != nil {
		return settings.Settings{}, err
	}
	s, err := settings.Load(e.ctx, f, start)
	if err != nil {
		return settings.Settings{}, err
	}
	if sc.rulesHash, err = s.RulesHash(); err != nil {
		return settings.Settings{}, err
	}
	c, err := e.openCache(a, sc.rulesHash)
	if err != nil {
		return settings.Settings{}, err
	}
	if c != nil {
		h.Cache, h.CacheKey = c, blobcache.Key
	}
	return s, e.openVerifyCache(a, &sc.verify)
}
