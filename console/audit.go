package console

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner/history"
	"github.com/keylint/keylint/verify"
)

// RepoProgressLine is the progress line of an audit of total repositories,
// done of which are done, elapsed after its start.
func RepoProgressLine(done int64, total int, elapsed time.Duration) string {
	return fmt.Sprintf("keylint: repositories: %d/%d done  %s", done, total, elapsed.Round(time.Second))
}

// StartRepoProgress shows how many repositories of an audit are done on w
// (a terminal) four times a second, until the returned function is
// called, which erases it.
func StartRepoProgress(w io.Writer, done *atomic.Int64, total int) func() {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	start := time.Now()
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				fmt.Fprint(w, "\r\033[K")
				return
			case now := <-t.C:
				fmt.Fprint(w, "\r\033[K"+RepoProgressLine(done.Load(), total, now.Sub(start)))
			}
		}
	}()
	return func() { close(stop); wg.Wait() }
}

// AuditNotes says what an audit of repos covered; results holds each
// repository's history result, nil for one that could not be scanned.
func AuditNotes(w io.Writer, repos []string, results []*history.Result) {
	var scanned, commits, blobs, cached, added, reused, skipped int
	for _, r := range results {
		if r == nil {
			continue
		}
		scanned++
		commits += r.Commits
		blobs += r.Blobs
		cached += r.Cached
		added += r.CachedAdded
		reused += r.CachedReplayed + r.CachedNarrowed
		skipped += r.CachedCommits
	}
	fmt.Fprintf(w, "keylint: audit: %d of %d repositories scanned, %d commits, %d distinct file versions\n", scanned, len(repos), commits, blobs)
	if cached+added+reused+skipped > 0 {
		fmt.Fprintf(w, "keylint: cache: %d file versions known clean and not read, %d added\n", cached, added)
	}
	cacheReuse(w, reused, skipped)
}

// CacheStats describes a blob cache as keylint cache stats prints it.
func CacheStats(w io.Writer, st blobcache.Stats) {
	fmt.Fprintf(w, "cache: %s\nsize: %d bytes\ngenerations: %d\n", report.Sanitize(st.Path), st.Bytes, len(st.Generations))
	for _, g := range st.Generations {
		fmt.Fprintf(w, "  %s  %d keys  last used %s  created %s\n", g.Name, g.Blobs, g.Used.Format(time.RFC3339), g.Created.Format(time.RFC3339))
	}
}

// VerifyStoreStats describes the verification results file of a cache
// directory, when there is one.
func VerifyStoreStats(w io.Writer, st verify.StoreStats) {
	if !st.Exists {
		return
	}
	fmt.Fprintf(w, "verification results: %s\nsize: %d bytes\nentries: %d (%d fresh)\n", report.Sanitize(st.Path), st.Bytes, st.Entries, st.Fresh)
}

// VerifyStorePruned says what keylint cache prune removed from the
// verification results file, when there is one.
func VerifyStorePruned(w io.Writer, res verify.StorePruned) {
	if res.BytesBefore == 0 {
		return
	}
	fmt.Fprintf(w, "verification results: %d expired removed, %d kept; %d bytes -> %d bytes\n", res.Removed, res.Kept, res.BytesBefore, res.BytesAfter)
}

// CacheReset says that the cache in dir was deleted.
func CacheReset(w io.Writer, dir string) {
	fmt.Fprintf(w, "cache: %s deleted\n", report.Sanitize(dir))
}

// CachePruned says what keylint cache prune removed.
func CachePruned(w io.Writer, res blobcache.PruneResult) {
	fmt.Fprintf(w, "cache: %d generations removed, %d kept; %d bytes -> %d bytes\n", len(res.Removed), len(res.Kept), res.BytesBefore, res.BytesAfter)
}
