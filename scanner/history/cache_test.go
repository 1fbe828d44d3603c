package history

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/scanner"
)

func cachedScan(t *testing.T, repo string, c Cache) (*Result, *Progress) {
	t.Helper()
	prog := &Progress{}
	res, err := Scan(context.Background(), histScanner(t, scanner.Options{}), Options{Repo: repo, Cache: c, CacheKey: blobcache.Key, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %v", w)
	}
	return res, prog
}

// TestCacheWarmRun scans a history cold, then warm: the warm run decodes
// only the blobs with findings, and reports the same findings; a commit
// added since is scanned and its key reported; another generation starts
// empty.
func TestCacheWarmRun(t *testing.T) {
	r, keys := histRepoWithKeys(t)
	dir := t.TempDir()
	gen := blobcache.Generation([]byte(histRules))
	c, err := blobcache.Open(dir, gen, blobcache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	nocache, _ := cachedScan(t, r.Dir, nil)
	cold, coldProg := cachedScan(t, r.Dir, c)
	if !reflect.DeepEqual(cold.Findings, nocache.Findings) {
		t.Fatal("a cold run with a cache reports other findings than a run without")
	}
	withHits := 0
	for _, f := range cold.Findings {
		withHits += len(f.Locations)
	}
	if cold.Cached != 0 || cold.CachedAdded == 0 || cold.CachedAdded+withHits < int(coldProg.Blobs.Load()) {
		t.Fatalf("cold: cached %d, added %d, decoded %d, %d locations", cold.Cached, cold.CachedAdded, coldProg.Blobs.Load(), withHits)
	}

	warm, warmProg := cachedScan(t, r.Dir, c)
	if !reflect.DeepEqual(warm.Findings, cold.Findings) {
		t.Errorf("warm findings differ from cold:\n%+v\n%+v", warm.Findings, cold.Findings)
	}
	if warm.Cached != cold.CachedAdded || warmProg.Blobs.Load() != coldProg.Blobs.Load()-int64(cold.CachedAdded) {
		t.Errorf("warm: %d cached (cold added %d), decoded %d of %d", warm.Cached, cold.CachedAdded, warmProg.Blobs.Load(), coldProg.Blobs.Load())
	}
	if warm.CachedAdded != 0 {
		t.Errorf("warm run added %d blobs: only blobs with findings were read", warm.CachedAdded)
	}

	// A commit added since the last run.
	newKey := histToken(t)
	r.Write("late/new.env", "NEW="+newKey+"\n")
	r.Write("late/clean.txt", "nothing here\n")
	commit := r.Commit("late: a new key")
	late, lateProg := cachedScan(t, r.Dir, c)
	if f := findingOf(late, newKey); f == nil || f.Locations[0].Commit != commit {
		t.Fatalf("the key added since the last run is not reported: %+v", late.Findings)
	}
	for _, k := range keys {
		if findingOf(late, k) == nil {
			t.Errorf("old key %.8s… lost on the warm run", k)
		}
	}
	if got, want := lateProg.Blobs.Load(), warmProg.Blobs.Load()+2; got != want {
		t.Errorf("after one commit of two files, decoded %d blobs, want %d", got, want)
	}

	// Other rules: another generation, which knows nothing.
	other, err := blobcache.Open(dir, blobcache.Generation([]byte("other rules")), blobcache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := cachedScan(t, r.Dir, other)
	if fresh.Cached != 0 {
		t.Errorf("a new generation knew %d blobs", fresh.Cached)
	}
}

// failingCache fails every call.
type failingCache struct{}

func (failingCache) Known([][]byte) ([]bool, error) { return nil, errors.New("locked") }
func (failingCache) Add([][]byte) error             { return errors.New("locked") }

// TestCacheFailureIsAWarning checks that a cache that cannot be used makes
// the scan complete and uncached, with an expected warning.
func TestCacheFailureIsAWarning(t *testing.T) {
	r, keys := histRepoWithKeys(t)
	res, err := Scan(context.Background(), histScanner(t, scanner.Options{}), Options{Repo: r.Dir, Cache: failingCache{}, CacheKey: blobcache.Key})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if findingOf(res, k) == nil {
			t.Errorf("key %.8s… not reported", k)
		}
	}
	if len(res.Warnings) != 2 || !res.Warnings[0].Expected || res.Cached != 0 || res.CachedAdded != 0 {
		t.Errorf("warnings %v, cached %d, added %d", res.Warnings, res.Cached, res.CachedAdded)
	}
	if len(res.Incomplete()) != 0 {
		t.Error("a cache failure made the scan incomplete")
	}
}
