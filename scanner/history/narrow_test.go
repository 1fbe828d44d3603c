package history

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// rewrittenCache rewrites every value recorded with findings.
type rewrittenCache struct {
	Cache
	value func(blobRecord) []byte
}

func (c rewrittenCache) Known(keys [][]byte) ([]bool, [][]byte, error) {
	known, values, err := c.Cache.Known(keys)
	for i, v := range values {
		if rec, ok := decodeRecord(v); ok && rec.rules != nil {
			values[i] = c.value(rec)
		}
	}
	return known, values, err
}

// TestCacheNarrowedWarmRun: on a generated history whose planted keys live
// on through many versions of their files (some behind an inline allow),
// with the default rules and the history test rule, a warm run does not
// match the blobs with findings again (it locates their recorded matches),
// and reports findings byte for byte equal to a run without a cache; so
// does a run on a cache holding only the rules that matched each blob
// (which matches with those rules only), and one whose records do not fit
// (which falls back to matching); a cache that names a rule the scan does
// not have is not trusted at all for that blob.
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
	// (Binary blobs, whose strings are matched, are matched again with
	// their rules only.)
	if warm.Cached == 0 || warm.CachedReplayed <= len(ref.Findings) || warm.CachedNarrowed >= warm.CachedReplayed || warm.CachedAdded != 0 {
		t.Errorf("warm: %d clean, %d replayed, %d narrowed, %d added", warm.Cached, warm.CachedReplayed, warm.CachedNarrowed, warm.CachedAdded)
	}
	// Read again: the blobs with findings, and those not recorded (a
	// silenced match); the commits that introduced only clean blobs are
	// not diffed.
	if read >= all/2 || read < int64(warm.CachedReplayed+warm.CachedNarrowed) || warm.CachedCommits == 0 {
		t.Errorf("warm run read %d blobs of %d, %d replayed, %d narrowed; %d commits not diffed", read, all, warm.CachedReplayed, warm.CachedNarrowed, warm.CachedCommits)
	}

	for _, tc := range []struct {
		name                        string
		value                       func(blobRecord) []byte
		replayed, narrowed, scanned bool
	}{
		{"rule ids only", func(r blobRecord) []byte {
			return encodeRecord(blobRecord{rules: r.rules, narrow: true}, blobcache.MaxValue)
		}, false, true, false},
		{"records too large for a value", func(r blobRecord) []byte {
			return encodeRecord(r, 10)
		}, false, true, false},
		{"offsets past the content", func(r blobRecord) []byte {
			if len(r.matches) > 0 {
				r.matches[0].End += 1 << 30
			}
			return encodeRecord(r, blobcache.MaxValue)
		}, false, true, false},
		{"a rule the scan does not have", func(r blobRecord) []byte {
			return encodeRecord(blobRecord{rules: []string{"no-such-rule"}, narrow: true}, blobcache.MaxValue)
		}, false, false, true},
		{"not a record", func(blobRecord) []byte { return []byte("x") }, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, js, _ := run(rewrittenCache{c, tc.value})
			if !bytes.Equal(js, refJSON) {
				t.Errorf("findings differ from a run without a cache")
			}
			if (res.CachedReplayed > 0) != tc.replayed || (res.CachedNarrowed > 0) != tc.narrowed || (res.CachedAdded > 0) != tc.scanned {
				t.Errorf("%d replayed, %d narrowed, %d scanned and added", res.CachedReplayed, res.CachedNarrowed, res.CachedAdded)
			}
		})
	}
}

// TestRecordValues: values round-trip, hold no content, and values that
// are not records are refused.
func TestRecordValues(t *testing.T) {
	ms := []rules.MatchRecord{
		{Rule: "generic-password-assignment", Start: 10, SecretStart: 20, SecretEnd: 32, End: 33},
		{Rule: "private-key-rsa", Weak: true, Start: 100, SecretStart: 100, SecretEnd: 1800, End: 1800},
		{Rule: "sensitive-file-private-key", File: true},
	}
	for _, rec := range []blobRecord{
		{},
		{rules: []string{"a-rule", "b-rule"}, narrow: true},
		{rules: []string{"generic-password-assignment", "private-key-rsa", "sensitive-file-private-key"}, matches: ms},
	} {
		v := encodeRecord(rec, blobcache.MaxValue)
		got, ok := decodeRecord(v)
		if !ok || !reflect.DeepEqual(got, rec) {
			t.Errorf("%+v encodes as %q, decodes as %+v (%v)", rec, v, got, ok)
		}
	}
	for _, v := range []string{"x", "r", "ra", "rb\na\n", "ra\na\n", "r\n", "rsp ace\n", "m", "m\x00", "m\x05abc", "m\x01a\x04\x00\x00\x00\x00", "m\x01a\x00\x00\x00\x00"} {
		if rec, ok := decodeRecord([]byte(v)); ok {
			t.Errorf("%q decodes as %+v", v, rec)
		}
	}
}

// FuzzDecodeRecord: any value decodes without a crash, and a value that
// decodes is what encodeRecord writes for it.
func FuzzDecodeRecord(f *testing.F) {
	for _, s := range []string{"", "ra\n", "ra\nb\n", "m\x01a\x00\x01\x02\x03\x04", "m\x01a\x03\x00\x00\x00\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		rec, ok := decodeRecord(v)
		if !ok {
			return
		}
		if enc := encodeRecord(rec, 1<<30); !bytes.Equal(enc, v) {
			t.Fatalf("%q decodes to %+v, which encodes to %q", v, rec, enc)
		}
	})
}
