package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/keylint/keylint/enrich"
	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/clierr"
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
	cache *blobcache.VerifyCache
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

// enrichResult adds exposure, code owners and, with --verify, the
// providers' answers to res's findings, applies --only-live, and returns
// the number of live keys.
func (e *env) enrichResult(sc scope, res *scanner.Result) int {
	opt := enrich.Options{Now: time.Now(), Stderr: e.ErrOut, OnlyLive: sc.verify.onlyLive}
	opt.Owners = enrich.Owners(e.ctx, sc.owners, e.ErrOut)
	if sc.verify.verify {
		vo := verify.Options{ReadFile: sc.owners.FileReader(e.ctx)}
		if sc.verify.cache != nil {
			vo.Cache = sc.verify.cache
			defer func() {
				if err := sc.verify.cache.Err(); err != nil {
					fmt.Fprintf(e.ErrOut, "keylint: verification results not all cached: %s\n", report.Sanitize(err.Error()))
				}
			}()
		}
		opt.Verify = verify.New(vo)
	}
	return enrich.Result(e.ctx, res, opt)
}

// openVerifyCache keeps --verify's results in the --cache directory
// (or $KEYLINT_CACHE), for [verify.DefaultTTL]; nothing without --verify
// or a cache directory.
func (e *env) openVerifyCache(a auditFlags, vf *verifyFlags) error {
	dir := e.cacheDir(a)
	if !vf.verify || dir == "" {
		return nil
	}
	c, err := blobcache.OpenVerify(dir, verify.DefaultTTL, blobcache.Options{Timeout: a.cacheTimeout})
	if err != nil {
		return clierr.WithHint(err, "the cache only saves requests, so a run without --cache verifies too")
	}
	vf.cache = c
	return nil
}
