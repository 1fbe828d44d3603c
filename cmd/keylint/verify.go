package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/keylint/keylint/enrich"
	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/codeowners"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/verify"
)

// verifyFlags are --verify, --only-live and --fail-on-live (scan, git, ci
// and merge). Nothing else turns verification on: not a hook, not a CI default,
// not the configuration.
type verifyFlags struct {
	verify, onlyLive, failOnLive bool
	// cache, when set, keeps the results in the --cache directory (keylint
	// git); nil: for this run only.
	cache *verify.Store
}

func (v *verifyFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&v.verify, "verify", false, "ask each secret's provider whether it is live and whom it belongs to (sends the secret to its provider over HTTPS)")
	fs.BoolVar(&v.onlyLive, "only-live", false, "report only the keys --verify found live")
	fs.BoolVar(&v.failOnLive, "fail-on-live", false, "fail when --verify finds a live key, whatever its severity")
}

// check refuses --only-live and --fail-on-live without --verify.
func (v verifyFlags) check() error {
	if !v.verify && (v.onlyLive || v.failOnLive) {
		return clierr.Usagef("add --verify", "--only-live and --fail-on-live need --verify")
	}
	return nil
}

// ownerSource says where a command reads CODEOWNERS from.
type ownerSource struct {
	// dir is the repository (git, ci) or the scanned path (scan); "" for
	// none.
	dir string
	// rev is the commit read (HEAD, or a pull request's base); "" for
	// a scanned path, whose repository's HEAD is read when it has one.
	rev string
	// readFiles lets verifiers read the scanned files (a work-tree scan),
	// for the values a few providers need beside the key; readRev, when
	// set, reads them from that commit of dir instead (history scans).
	readFiles bool
	readRev   string
	// perRepository, in an audit of several repositories, reads each
	// location's repository's CODEOWNERS from its HEAD.
	perRepository bool
}

// enrichResult adds exposure, code owners and, with --verify, the
// providers' answers to res's findings, applies --only-live, and returns
// the number of live keys.
func (e *env) enrichResult(sc scope, res *scanner.Result) int {
	opt := enrich.Options{Now: time.Now(), Stderr: e.ErrOut, OnlyLive: sc.verify.onlyLive}
	opt.Owners = e.ownersFor(sc.owners)
	if sc.owners.perRepository {
		opt.RepoOwners = enrich.RepoOwners(e.ctx, "HEAD", func(repo string, err error) {
			e.ownersWarning(fmt.Errorf("%s: %w", repo, err))
		})
	}
	if sc.verify.verify {
		vo := verify.Options{}
		if sc.verify.cache != nil {
			vo.Cache = sc.verify.cache
			defer func() {
				if err := sc.verify.cache.Err(); err != nil {
					fmt.Fprintf(e.ErrOut, "keylint: verification results not all cached: %s\n", report.Sanitize(err.Error()))
				}
			}()
		}
		ctx := e.ctx
		switch {
		case sc.owners.readFiles:
			vo.ReadFile = func(p string) ([]byte, error) { return trust.ReadFile(ctx, p) }
		case sc.owners.readRev != "":
			tree := &trust.Tree{Dir: sc.owners.dir, Rev: sc.owners.readRev}
			vo.ReadFile = func(p string) ([]byte, error) { return tree.Read(ctx, p) }
		}
		opt.Verify = verify.New(vo)
	}
	before := len(res.Findings)
	res.Findings = enrich.Apply(e.ctx, res.Findings, opt)
	if len(res.Findings) != before {
		res.Recount()
	}
	return enrich.Live(res.Findings)
}

// openVerifyCache keeps --verify's results in the --cache directory
// (or $KEYLINT_CACHE), for [verify.DefaultTTL]; nothing without --verify
// or a cache directory.
func (e *env) openVerifyCache(a auditFlags, vf *verifyFlags) error {
	dir := e.cacheDir(a)
	if !vf.verify || dir == "" {
		return nil
	}
	c, err := verify.OpenStore(dir, verify.DefaultTTL, blobcache.Options{Timeout: a.cacheTimeout})
	if err != nil {
		return clierr.WithHint(err, "the cache only saves requests, so a run without --cache verifies too")
	}
	vf.cache = c
	return nil
}

// ownersFor loads CODEOWNERS; nil when there is none or it cannot be read
// (owners are information, never a reason to fail a scan).
func (e *env) ownersFor(src ownerSource) func(string) []string {
	if src.dir == "" {
		return nil
	}
	if src.rev != "" {
		f, err := codeowners.Load(e.ctx, &trust.Tree{Dir: src.dir, Rev: src.rev})
		if err != nil || f == nil {
			e.ownersWarning(err)
			return nil
		}
		return f.Owners
	}
	// A scanned path: its repository's HEAD when it has one, else the
	// directory itself; finding paths are relative to the current
	// directory, CODEOWNERS patterns to the root.
	dir := src.dir
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	root, err := trust.Root(e.ctx, dir)
	var f *codeowners.File
	if err == nil {
		f, err = codeowners.Load(e.ctx, &trust.Tree{Dir: root, Rev: "HEAD"})
	} else {
		root = dir
		f, err = enrich.OwnersInDir(e.ctx, root)
	}
	if err != nil || f == nil {
		e.ownersWarning(err)
		return nil
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil
	}
	return func(p string) []string {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(absRoot, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil
		}
		return f.Owners(filepath.ToSlash(rel))
	}
}

func (e *env) ownersWarning(err error) {
	if err == nil || e.ctx.Err() != nil || errorsIsNoHead(err) {
		return
	}
	fmt.Fprintf(e.ErrOut, "keylint: CODEOWNERS not read, findings have no owners: %s\n", report.Sanitize(err.Error()))
}

// errorsIsNoHead reports a repository without commits, which has no
// CODEOWNERS to read.
func errorsIsNoHead(err error) bool {
	return strings.Contains(err.Error(), "HEAD") && (strings.Contains(err.Error(), "unknown revision") || strings.Contains(err.Error(), "does not have any commits"))
}
