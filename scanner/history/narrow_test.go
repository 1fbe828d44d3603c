package history

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/scanner"
)

// tamperedCache answers every key recorded with findings with a rule id
// that no rule has.
type tamperedCache struct{ Cache }

func (c tamperedCache) Known(keys [][]byte) ([]bool, [][]string, error) {
	known, rules, err := c.Cache.Known(keys)
	for i := range rules {
		if rules[i] != nil {
			rules[i] = []string{"no-such-rule"}
		}
	}
	return known, rules, err
}

// TestCacheNarrowedWarmRun: on a generated history whose planted keys live
// on through many versions of their files (some behind an inline allow),
// with the default rules and the history test rule, a warm run matches the
// blobs with findings with only the rules that found them, and reports
// findings byte for byte equal to a run without a cache; a cache that
// names a rule the scan does not have is not trusted to narrow.
func TestCacheNarrowedWarmRun(t *testing.T) {
	t.Parallel()
	src, err := gittest.GoSource()
	if err != nil {
		t.Skip(err)
	}
	dir := filepath.Join(t.TempDir(), "repo.git")
	if _, err := gittest.Generate(dir, gittest.GenOptions{
		Source: src, Bytes: 3 << 19, Seed: 23, FilesPerCommit: 2, MaxFile: 16 << 10, Plant: histPlant,
	}); err != nil {
		t.Fatal(err)
	}
	sc := scanner.New(histDiffRules(t), scanner.Options{Workers: 2})
	run := func(c Cache) (*Result, []byte, int64) {
		t.Helper()
		prog := &Progress{}
		opt := Options{Repo: dir, Progress: prog}
		if c != nil {
			opt.Cache, opt.CacheKey = c, blobcache.Key
		}
		res, err := Scan(context.Background(), sc, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			t.Errorf("warning: %v", w)
		}
		js, err := json.Marshal(res.Findings)
		if err != nil {
			t.Fatal(err)
		}
		return res, js, prog.Blobs.Load()
	}
	c, err := blobcache.Open(t.TempDir(), "g", blobcache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ref, refJSON, all := run(nil)
	if len(ref.Findings) < 20 || ref.Summary.Silenced["inline-allow"] == 0 {
		t.Fatalf("the history has %d findings, %v silenced: too few to test with", len(ref.Findings), ref.Summary.Silenced)
	}
	cold, coldJSON, _ := run(c)
	if !bytes.Equal(coldJSON, refJSON) || cold.CachedAdded == 0 {
		t.Fatalf("cold run: findings equal %v, %d blobs added", bytes.Equal(coldJSON, refJSON), cold.CachedAdded)
	}

	warm, warmJSON, read := run(c)
	if !bytes.Equal(warmJSON, refJSON) {
		t.Fatalf("warm findings differ from a run without a cache:\n%s\n%s", warmJSON, refJSON)
	}
	// Keys live on through later versions of their files: more blobs
	// than secrets have findings.
	if warm.Cached == 0 || warm.CachedNarrowed <= len(ref.Findings) || warm.CachedAdded != 0 {
		t.Errorf("warm: %d clean, %d narrowed, %d added", warm.Cached, warm.CachedNarrowed, warm.CachedAdded)
	}
	// Read again: the blobs with findings, and those not recorded (a
	// silenced match); nothing the cache knows clean.
	if read != all-int64(warm.Cached) || read < int64(warm.CachedNarrowed) {
		t.Errorf("warm run read %d blobs of %d, %d known clean, %d narrowed", read, all, warm.Cached, warm.CachedNarrowed)
	}

	// A cache naming a rule the scan does not have: every blob it knows
	// with findings is scanned with every rule.
	tampered, tamperedJSON, _ := run(tamperedCache{c})
	if !bytes.Equal(tamperedJSON, refJSON) || tampered.CachedNarrowed != 0 {
		t.Errorf("tampered cache: findings equal %v, %d narrowed", bytes.Equal(tamperedJSON, refJSON), tampered.CachedNarrowed)
	}
}
