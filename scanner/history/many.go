package history

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/keylint/keylint/merge"
	"github.com/keylint/keylint/scanner"
)

// ScanMany scans the history of each repository in repos with opt as the
// template (its Repo and Progress are ignored), at most sc's worker count
// of repositories at a time with the workers split between them, so that
// the whole run uses no more workers than sc. It combines the results with
// [merge.Combine]: findings grouped by rule and secret across
// repositories, every location naming its repository as given, every
// warning prefixed with it. A repository that cannot be scanned is a
// warning naming it (so the result is incomplete), not the end of the
// scan. done, when not nil, counts the repositories finished. The second
// result holds each repository's own result (nil for one not scanned).
func ScanMany(ctx context.Context, sc *scanner.Scanner, repos []string, opt Options, done *atomic.Int64) (*scanner.Result, []*Result) {
	jobs := sc.Options().Workers
	conc := max(1, min(jobs, len(repos)))
	per := sc.WithWorkers(max(1, jobs/conc))
	parts := make([]merge.Part, len(repos))
	results := make([]*Result, len(repos))
	failed := make([]error, len(repos))
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i, repo := range repos {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() {
				<-sem
				wg.Done()
				if done != nil {
					done.Add(1)
				}
			}()
			o := opt
			o.Repo, o.Progress = repo, nil
			res, err := Scan(ctx, per, o)
			if err != nil {
				failed[i] = err
				return
			}
			results[i] = res
			parts[i] = merge.FromRepository(repo, res.Findings, res.Summary)
		}()
	}
	wg.Wait()
	out := &scanner.Result{}
	for i, res := range results {
		if res == nil {
			continue
		}
		for _, w := range res.Warnings {
			if w.Path != repos[i] { // a repository's own warning names it already
				w.Path = repos[i] + ":" + w.Path
			}
			out.Warnings = append(out.Warnings, w)
		}
		for _, a := range res.Allowed {
			a.Location.Repository = repos[i]
			out.Allowed = append(out.Allowed, a)
		}
	}
	unreadable := 0
	for i, err := range failed {
		if err != nil {
			unreadable++
			out.Warnings = append(out.Warnings, scanner.Warning{Path: repos[i], Err: fmt.Errorf("repository not scanned: %w", err)})
		}
	}
	out.Findings, out.Summary = merge.Combine(parts)
	out.Summary.Warnings += unreadable
	return out, results
}
