package console

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/scanner/history"
	"github.com/keylint/keylint/verify"
)

func TestRepoProgress(t *testing.T) {
	t.Parallel()
	if got, want := RepoProgressLine(3, 10, 1499*time.Millisecond), "keylint: repositories: 3/10 done  1s"; got != want {
		t.Errorf("RepoProgressLine = %q, want %q", got, want)
	}
	var b bytes.Buffer
	var done atomic.Int64
	StartRepoProgress(&b, &done, 2)()
	if !strings.HasSuffix(b.String(), "\r\033[K") {
		t.Errorf("stopped progress leaves %q, want it erased", b.String())
	}
}

func TestAuditNotes(t *testing.T) {
	t.Parallel()
	r := func(commits, blobs, cached, added int) *history.Result {
		h := &history.Result{Commits: commits, Blobs: blobs, Cached: cached, CachedAdded: added}
		return h
	}
	for _, tc := range []struct {
		name    string
		results []*history.Result
		want    string
	}{
		{"one not scanned", []*history.Result{r(2, 5, 0, 0), nil},
			"keylint: audit: 1 of 2 repositories scanned, 2 commits, 5 distinct file versions\n"},
		{"with the cache", []*history.Result{r(2, 5, 1, 4), r(1, 1, 0, 1)},
			"keylint: audit: 2 of 2 repositories scanned, 3 commits, 6 distinct file versions\n" +
				"keylint: cache: 1 file versions known clean and not read, 5 added\n"},
		{"warm", []*history.Result{{Commits: 9, Blobs: 3, Cached: 2, CachedReplayed: 1, CachedNarrowed: 1, CachedCommits: 7}},
			"keylint: audit: 1 of 2 repositories scanned, 9 commits, 3 distinct file versions\n" +
				"keylint: cache: 2 file versions known clean and not read, 0 added\n" +
				"keylint: cache: 2 file versions with findings not matched again, 7 commits not diffed\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			AuditNotes(&b, []string{"a", "b"}, tc.results)
			if b.String() != tc.want {
				t.Errorf("got %q, want %q", b.String(), tc.want)
			}
		})
	}
}

func TestCacheMessages(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var b bytes.Buffer
	CacheStats(&b, blobcache.Stats{Path: "c/cache\x1b[31m", Bytes: 42, Generations: []blobcache.GenerationStats{{Name: "g1", Blobs: 7, Created: at, Used: at}}})
	CacheReset(&b, "c")
	CachePruned(&b, blobcache.PruneResult{Removed: make([]blobcache.GenerationStats, 2), Kept: make([]blobcache.GenerationStats, 1), BytesBefore: 100, BytesAfter: 40})
	VerifyStoreStats(&b, verify.StoreStats{Path: "c/verify.db"})
	VerifyStoreStats(&b, verify.StoreStats{Path: "c/verify.db", Exists: true, Bytes: 32768, Entries: 3, Fresh: 2})
	VerifyStorePruned(&b, verify.StorePruned{})
	VerifyStorePruned(&b, verify.StorePruned{Removed: 1, Kept: 2, BytesBefore: 32768, BytesAfter: 16384})
	want := "cache: c/cache\\x1B[31m\nsize: 42 bytes\ngenerations: 1\n" +
		"  g1  7 keys  last used 2026-01-02T03:04:05Z  created 2026-01-02T03:04:05Z\n" +
		"cache: c deleted\n" +
		"cache: 2 generations removed, 1 kept; 100 bytes -> 40 bytes\n" +
		"verification results: c/verify.db\nsize: 32768 bytes\nentries: 3 (2 fresh)\n" +
		"verification results: 1 expired removed, 2 kept; 32768 bytes -> 16384 bytes\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}
