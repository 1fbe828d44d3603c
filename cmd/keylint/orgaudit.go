package main

import (
	"errors"
	"flag"
	"os"
	"sync/atomic"
	"time"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/cliflag"
	"github.com/keylint/keylint/internal/iostreams"
	"github.com/keylint/keylint/internal/repolist"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/internal/version"
	"github.com/keylint/keylint/merge"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/scanner/history"
	"github.com/keylint/keylint/verify"
)

// cacheEnv names the blob cache directory when --cache is not given.
const cacheEnv = "KEYLINT_CACHE"

// auditFlags are keylint git's flags for many repositories and the cache.
type auditFlags struct {
	repos        string
	shard        string
	cache        string
	cacheTimeout time.Duration
	printRepos   bool
}

func registerAuditFlags(fs *flag.FlagSet, a *auditFlags) {
	fs.StringVar(&a.repos, "repos", "", "also scan the repositories listed in `FILE`, one path per line (# comments)")
	fs.StringVar(&a.shard, "shard", "", "scan only shard `K/N` of the repositories (auto/N: K from JOB_COMPLETION_INDEX, 0-based)")
	fs.StringVar(&a.cache, "cache", "", "blob cache `DIR`: skip blobs earlier runs found clean (default: $KEYLINT_CACHE)")
	fs.DurationVar(&a.cacheTimeout, "cache-timeout", blobcache.DefaultTimeout, "wait at most `DURATION` for another process's lock on the cache")
	fs.BoolVar(&a.printRepos, "print-repos", false, "print the repositories this shard scans, one per line, and exit")
}

// multi reports whether keylint git audits a list of repositories.
func (a auditFlags) multi(pos []string) bool {
	return a.repos != "" || a.shard != "" || len(pos) > 1
}

// openCache opens the blob cache of --cache or $KEYLINT_CACHE, in the
// generation of these rules and settings and of this keylint build; nil
// when neither is set.
func (e *env) openCache(a auditFlags, hash string) (*blobcache.Cache, error) {
	dir := e.cacheDir(a)
	if dir == "" {
		return nil, nil
	}
	build, err := version.CacheIdentity(os.Executable)
	if err != nil {
		return nil, clierr.WithHint(err, "run without --cache (and without $KEYLINT_CACHE): the cache only makes re-audits faster")
	}
	c, err := blobcache.Open(dir, blobcache.Generation([]byte(hash), []byte(build)), blobcache.Options{Timeout: a.cacheTimeout})
	if err != nil {
		return nil, clierr.WithHint(err, "keylint cache stats --cache "+dir+" shows the cache; it only makes re-audits faster, so a run without --cache is complete too")
	}
	return c, nil
}

// cacheDir is --cache, or $KEYLINT_CACHE; "" for none.
func (e *env) cacheDir(a auditFlags) string {
	if a.cache != "" {
		return a.cache
	}
	return e.Getenv(cacheEnv)
}

// gitMulti runs keylint git over many repositories.
func (e *env) gitMulti(f settings.Flags, a auditFlags, pos []string, h history.Options, sc scope) (int, error) {
	repos, err := repolist.Resolve(pos, a.repos, a.shard, e.Getenv)
	if err != nil {
		return 0, err
	}
	if a.printRepos {
		console.RepoList(e.Out, repos)
		return exitClean, nil
	}
	// One configuration for the whole audit: --config, or the one found
	// from the current directory; a repository's own .keylint.toml does
	// not decide what is reported in an organisation's audit.
	s, err := e.gitSettings(f, a, ".", &h, &sc)
	if err != nil {
		return 0, err
	}
	var results []*history.Result
	code, err := e.runScan(s, sc, func(sc *scanner.Scanner) (*scanner.Result, error) {
		var done atomic.Int64
		var stop func()
		if !s.Quiet && iostreams.IsTerminal(e.ErrOut) {
			stop = console.StartRepoProgress(e.ErrOut, &done, len(repos))
		}
		res, rs := history.ScanMany(e.ctx, sc, repos, h, &done)
		if stop != nil {
			stop()
		}
		results = rs
		return res, e.ctx.Err()
	})
	if !s.Quiet {
		console.AuditNotes(e.ErrOut, repos, results)
	}
	return code, err
}

// errNoCache is returned by keylint cache without a directory.
var errNoCache = errors.New("no cache directory: give --cache DIR or set KEYLINT_CACHE")

// cacheCmd runs keylint cache stats|prune.
func (e *env) cacheCmd(args []string) (int, error) {
	fs := flag.NewFlagSet("cache", flag.ContinueOnError)
	var (
		dir     string
		keep    int
		maxAge  time.Duration
		reset   bool
		timeout time.Duration
	)
	fs.StringVar(&dir, "cache", "", "blob cache `DIR` (default: $KEYLINT_CACHE)")
	fs.IntVar(&keep, "keep", 1, "prune: keep the `N` most recently used generations")
	fs.DurationVar(&maxAge, "max-age", 0, "prune: also keep generations used within `DURATION` (e.g. 720h)")
	fs.BoolVar(&reset, "reset", false, "prune: delete the whole cache file (for a damaged one)")
	fs.DurationVar(&timeout, "cache-timeout", blobcache.DefaultTimeout, "wait at most `DURATION` for another process's lock")
	pos, err := cliflag.Parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.Out, "cache", fs)
		return exitClean, nil
	}
	if err != nil {
		return 0, err
	}
	if dir == "" {
		dir = e.Getenv(cacheEnv)
	}
	if dir == "" {
		return 0, clierr.Usagef("keylint cache stats --cache DIR", "%v", errNoCache)
	}
	if len(pos) != 1 || (pos[0] != "stats" && pos[0] != "prune") {
		return 0, clierr.Usagef("keylint cache stats --cache DIR, or keylint cache prune --cache DIR [--keep N] [--max-age D]", "give stats or prune")
	}
	opt := blobcache.Options{Timeout: timeout}
	if pos[0] == "stats" {
		st, err := blobcache.ReadStats(dir, opt)
		if err != nil {
			return 0, err
		}
		vst, err := verify.ReadStoreStats(dir, verify.DefaultTTL, opt)
		if err != nil {
			return 0, err
		}
		console.CacheStats(e.Out, st)
		console.VerifyStoreStats(e.Out, vst)
		return exitClean, nil
	}
	if reset {
		if err := blobcache.Reset(dir, opt); err != nil {
			return 0, err
		}
		if err := verify.ResetStore(dir, opt); err != nil {
			return 0, err
		}
		console.CacheReset(e.Out, dir)
		return exitClean, nil
	}
	if keep < 0 {
		return 0, clierr.Usagef("for example --keep 1", "--keep must not be negative")
	}
	res, err := blobcache.Prune(dir, keep, maxAge, opt)
	if err != nil {
		return 0, err
	}
	vres, err := verify.PruneStore(dir, verify.DefaultTTL, opt)
	if err != nil {
		return 0, err
	}
	console.CachePruned(e.Out, res)
	console.VerifyStorePruned(e.Out, vres)
	return exitClean, nil
}

// mergeCmd runs keylint merge REPORT.json...
func (e *env) mergeCmd(args []string) (int, error) {
	var allowMixed bool
	var maxSize int64 = report.MaxJSONReport
	var vf verifyFlags
	f, pos, err := e.parseCommand("merge", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&allowMixed, "allow-mixed-rules", false, "merge reports written with different rules or settings")
		fs.Var((*cliflag.Size)(&maxSize), "max-report-size", "refuse reports larger than `SIZE`")
		vf.register(fs)
	})
	if err != nil {
		return 0, err
	}
	if err := vf.check(); err != nil {
		return 0, err
	}
	if len(pos) == 0 {
		return 0, clierr.Usagef("keylint merge shard-1.json shard-2.json --format html --output audit.html", "give the json reports to merge")
	}
	if err := report.CheckFormat(f.Format); err != nil {
		return 0, err
	}
	in, err := merge.Read(pos, maxSize, f.ShowSecrets)
	if err != nil {
		return 0, err
	}
	fs, sum, hash, err := merge.Reports(in, allowMixed)
	if err != nil {
		return 0, err
	}
	// The baseline, fail-on and exit code apply as in a scan; rules come
	// from the reports, so the configuration is read only for those.
	s, err := settings.Load(e.ctx, *f, ".")
	if err != nil {
		return 0, err
	}
	// --verify needs whole secrets: a report written without
	// --show-secrets gives every key the status unknown, with the reason.
	return e.runScan(s, scope{rulesHash: hash, verify: vf}, func(*scanner.Scanner) (*scanner.Result, error) {
		return &scanner.Result{Findings: fs, Summary: sum}, nil
	})
}
