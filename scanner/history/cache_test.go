package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/gittest"
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
// added since is scanned and its key reported, and so is a key copied to
// a new path; another generation starts empty.
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

	// The records of the blobs with keys hold no secret (nor any part of
	// one, nor a path).
	db, err := os.ReadFile(filepath.Join(dir, blobcache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		for _, part := range []string{k, k[4:16], k[len(k)-12:]} {
			if bytes.Contains(db, []byte(part)) {
				t.Errorf("the cache file holds %.8s…", part)
			}
		}
	}
	if bytes.Contains(db, []byte("keys/0.env")) || !bytes.Contains(db, []byte("hist-token")) {
		t.Error("the cache file holds a path, or no rule id (the check above proves nothing)")
	}

	warm, warmProg := cachedScan(t, r.Dir, c)
	if !reflect.DeepEqual(warm.Findings, cold.Findings) {
		t.Errorf("warm findings differ from cold:\n%+v\n%+v", warm.Findings, cold.Findings)
	}
	// Every blob was recorded: the clean ones are not read, the four with
	// a key are read and their recorded matches located again; commits
	// that introduced only clean blobs are not even diffed.
	if warm.CachedReplayed != 4 || warmProg.Blobs.Load() != 4 || warm.Cached+4 >= cold.CachedAdded || warm.CachedCommits == 0 || warm.CachedCommits >= warm.Commits {
		t.Errorf("warm: %d cached, %d replayed (cold added %d), decoded %d of %d, %d of %d commits not diffed",
			warm.Cached, warm.CachedReplayed, cold.CachedAdded, warmProg.Blobs.Load(), coldProg.Blobs.Load(), warm.CachedCommits, warm.Commits)
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

	// A known blob with a key at a new path: that (blob, path) is new, so
	// it is scanned with every rule, and the new path is reported.
	r.Write("copied/0.env", "K="+keys[0]+"\n")
	copied := r.Commit("copy a file with a key")
	again, _ := cachedScan(t, r.Dir, c)
	f := findingOf(again, keys[0])
	if f == nil || !slices.ContainsFunc(f.Locations, func(l scanner.Location) bool { return l.Path == "copied/0.env" && l.Commit == copied }) {
		t.Errorf("the key copied to a new path is not reported there: %+v", f)
	}
	if again.CachedAdded != 1 {
		t.Errorf("after the copy, %d blobs added, want 1 (the blob at its new path)", again.CachedAdded)
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

func (failingCache) Known([][]byte) ([]bool, [][]byte, error) {
	return nil, nil, errors.New("locked")
}
func (failingCache) Add(_, _ [][]byte) error { return errors.New("locked") }

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

// TestCacheCommitsWithSubmodules: a commit whose diff found a submodule is
// not recorded clean, so a warm run still lists the submodule; the clean
// commits around it are not diffed again.
func TestCacheCommitsWithSubmodules(t *testing.T) {
	r := gittest.New(t)
	r.Write("a.txt", "one\n")
	sub := r.Commit("one")
	r.Git("update-index", "--add", "--cacheinfo", "160000,"+sub+",vendor/lib")
	r.Git("commit", "-q", "-m", "add a submodule")
	for i := range 4 {
		r.Write(fmt.Sprintf("f%d.txt", i), "clean\n")
		r.Commit(fmt.Sprintf("c%d", i))
	}
	c, err := blobcache.Open(t.TempDir(), "g", blobcache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cold, _ := cachedScan(t, r.Dir, c)
	warm, _ := cachedScan(t, r.Dir, c)
	if !slices.Equal(cold.Submodules, []string{"vendor/lib"}) || !slices.Equal(warm.Submodules, cold.Submodules) {
		t.Errorf("submodules: cold %v, warm %v", cold.Submodules, warm.Submodules)
	}
	if warm.CachedCommits != warm.Commits-1 {
		t.Errorf("%d of %d commits not diffed, want all but the submodule's", warm.CachedCommits, warm.Commits)
	}
}
