// Package enrich adds to a scan's findings what says who must act and how
// urgently: since when each secret has been exposed (history scans), its
// code owners (CODEOWNERS), and, only when asked (--verify), what its
// provider says of it. Commands call [Apply] once, after the scan and its
// baseline, before reporting.
package enrich

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/keylint/keylint/internal/codeowners"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/verify"
)

// Notice is the line written to stderr when verification starts.
const Notice = "keylint: --verify: sending each verifiable secret to the provider that issued it (one read-only request per key)"

// Options say what to add.
type Options struct {
	// Owners gives the code owners of a finding's path; nil adds none.
	Owners func(path string) []string
	// RepoOwners, for an audit of several repositories, gives the code
	// owners of a path in a repository (a location's Repository); used
	// instead of Owners when set. See [RepoOwners].
	RepoOwners func(repository, path string) []string
	// Verify, when set, asks providers (--verify); Notice is written to
	// Stderr first.
	Verify *verify.Verifier
	Stderr io.Writer
	// OnlyLive keeps only the findings whose provider said they are live
	// (--only-live; meaningful with Verify).
	OnlyLive bool
	// Now is the time exposure is counted to.
	Now time.Time
}

// Apply adds exposure, owners and verification to fs and returns the
// findings to report (fs itself unless OnlyLive drops some).
func Apply(ctx context.Context, fs []scanner.Finding, opt Options) []scanner.Finding {
	scanner.SetExposure(fs, opt.Now)
	switch {
	case opt.RepoOwners != nil:
		addRepoOwners(fs, opt.RepoOwners)
	case opt.Owners != nil:
		scanner.AddOwners(fs, opt.Owners)
	}
	if opt.Verify == nil {
		return fs
	}
	if opt.Stderr != nil {
		fmt.Fprintln(opt.Stderr, Notice)
	}
	opt.Verify.Verify(ctx, fs)
	if !opt.OnlyLive {
		return fs
	}
	kept := fs[:0:0]
	for _, f := range fs {
		if f.Verification != nil && f.Verification.Status == scanner.Live {
			kept = append(kept, f)
		}
	}
	return kept
}

// OwnersAt reads CODEOWNERS from commit rev of the repository at dir
// (HEAD for history and file scans of a work tree, the base commit in
// CI), never from the work tree. No file is (nil, nil).
func OwnersAt(ctx context.Context, dir, rev string) (*codeowners.File, error) {
	return codeowners.Load(ctx, &trust.Tree{Dir: dir, Rev: rev})
}

// addRepoOwners sets each finding's Owners to the sorted union of the
// owners of its locations, each in its own repository.
func addRepoOwners(fs []scanner.Finding, owners func(repository, path string) []string) {
	for i := range fs {
		var all []string
		for _, l := range fs[i].Locations {
			all = append(all, owners(l.Repository, l.Path)...)
		}
		slices.Sort(all)
		fs[i].Owners = slices.Compact(all)
	}
}

// RepoOwners returns the code owners of a path in a repository, read from
// the CODEOWNERS of commit rev of each repository (as its path is given),
// once per repository. A repository whose file cannot be read has no
// owners, and why is written to warn (a repository without one is no
// error).
func RepoOwners(ctx context.Context, rev string, warn io.Writer) func(repository, path string) []string {
	var (
		mu    sync.Mutex
		files = map[string]*codeowners.File{}
	)
	return func(repository, path string) []string {
		mu.Lock()
		f, ok := files[repository]
		if !ok {
			var err error
			f, err = OwnersAt(ctx, repository, rev)
			if err != nil {
				f = nil
				ownersWarning(ctx, warn, fmt.Errorf("%s: %w", repository, err))
			}
			files[repository] = f
		}
		mu.Unlock()
		if f == nil {
			return nil
		}
		return f.Owners(path)
	}
}

// OwnersInDir reads CODEOWNERS from a directory that is not a repository.
func OwnersInDir(ctx context.Context, dir string) (*codeowners.File, error) {
	return codeowners.Load(ctx, dirReader(dir))
}

type dirReader string

func (d dirReader) Read(ctx context.Context, name string) ([]byte, error) {
	return trust.ReadFile(ctx, filepath.Join(string(d), filepath.FromSlash(name)))
}

// Live counts the live keys among fs (--fail-on-live).
func Live(fs []scanner.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Verification != nil && f.Verification.Status == scanner.Live {
			n++
		}
	}
	return n
}
