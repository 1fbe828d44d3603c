package verify

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/scanner"
)

// TestStore: a result is served while now − checked_at < TTL, from a
// second OpenStore of the same directory too, and not once it is stale
// or for another fingerprint; the blob cache file is not touched.
func TestStore(t *testing.T) {
	dir := t.TempDir()
	checked := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	now := checked
	opt := blobcache.Options{Now: func() time.Time { return now }}
	c, err := OpenStore(dir, time.Hour, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := scanner.Verification{Status: scanner.Live, CheckedAt: checked, Identity: &scanner.Identity{Account: "ada", Scopes: []string{"repo"}}}
	c.Put("fp1", want)
	again, err := OpenStore(dir, time.Hour, opt)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		after time.Duration
		fp    string
		hit   bool
	}{
		{"fresh", 59 * time.Minute, "fp1", true},
		{"other fingerprint", 0, "fp2", false},
		{"at the TTL", time.Hour, "fp1", false},
		{"stale", 2 * time.Hour, "fp1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now = checked.Add(tc.after)
			got, hit := again.Get(tc.fp)
			if hit != tc.hit {
				t.Fatalf("hit %v, want %v", hit, tc.hit)
			}
			if hit && (got.Status != want.Status || !got.CheckedAt.Equal(checked) || got.Identity == nil || got.Identity.Account != "ada") {
				t.Errorf("got %+v", got)
			}
		})
	}
	if err := again.Err(); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, blobcache.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the blob cache file was created: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, StoreFileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("results file: %v %v", fi, err)
	}
}

// TestStoreDamagedAndLocked: a damaged results file is an error wrapping
// ErrCorrupt that says to reset (and ResetStore removes it); a lock held
// beyond the timeout wraps ErrLocked, and a Get under it is a miss that
// Err reports.
func TestStoreDamagedAndLocked(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, StoreFileName)
	os.WriteFile(path, bytes.Repeat([]byte("not bbolt "), 2000), 0o600)
	_, err := OpenStore(dir, time.Hour, blobcache.Options{})
	if !errors.Is(err, blobcache.ErrCorrupt) || !bytes.Contains([]byte(err.Error()), []byte("keylint cache prune --reset")) || !bytes.Contains([]byte(err.Error()), []byte(storeHolds)) {
		t.Fatalf("damaged: %v", err)
	}
	if err := ResetStore(dir, blobcache.Options{}); err != nil {
		t.Fatal(err)
	}
	c, err := OpenStore(dir, time.Hour, blobcache.Options{Timeout: time.Millisecond})
	if err != nil {
		t.Fatalf("after reset: %v", err)
	}
	held, err := bolt.Open(path, 0o600, nil) // the exclusive lock, as a writer holds it
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if _, err := OpenStore(dir, time.Hour, blobcache.Options{Timeout: time.Millisecond}); !errors.Is(err, blobcache.ErrLocked) {
		t.Fatalf("locked: %v", err)
	}
	if _, hit := c.Get("fp"); hit || !errors.Is(c.Err(), blobcache.ErrLocked) {
		t.Errorf("Get under a held lock: hit %v, err %v", hit, c.Err())
	}
}

// TestStorePruneAndStats: stats count the entries and the fresh ones and
// create nothing; prune removes the stale and unreadable entries, keeps
// the fresh, and leaves a directory without a results file alone.
func TestStorePruneAndStats(t *testing.T) {
	dir := t.TempDir()
	checked := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	now := checked
	opt := blobcache.Options{Now: func() time.Time { return now }}
	if st, err := ReadStoreStats(dir, time.Hour, opt); err != nil || st.Exists || st.Entries != 0 {
		t.Fatalf("empty directory: %+v %v", st, err)
	}
	if res, err := PruneStore(dir, time.Hour, opt); err != nil || res.Removed != 0 {
		t.Fatalf("prune of an empty directory: %+v %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(dir, StoreFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("stats or prune created the results file: %v", err)
	}
	c, err := OpenStore(dir, time.Hour, opt)
	if err != nil {
		t.Fatal(err)
	}
	for i, age := range []time.Duration{0, 30 * time.Minute, 2 * time.Hour, 48 * time.Hour} {
		c.Put(fmt.Sprintf("fp%d", i), scanner.Verification{Status: scanner.Live, CheckedAt: checked.Add(-age)})
	}
	err = storeFile(dir, opt).Update(func(tx *bolt.Tx) error {
		return tx.Bucket(resultsBucket).Put([]byte("fp-damaged"), []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := ReadStoreStats(dir, time.Hour, opt)
	if err != nil || !st.Exists || st.Entries != 5 || st.Fresh != 2 || st.Bytes == 0 {
		t.Fatalf("stats %+v %v", st, err)
	}
	res, err := PruneStore(dir, time.Hour, opt)
	if err != nil || res.Removed != 3 || res.Kept != 2 || res.BytesAfter == 0 {
		t.Fatalf("prune %+v %v", res, err)
	}
	for fp, want := range map[string]bool{"fp0": true, "fp1": true, "fp2": false, "fp3": false} {
		if _, hit := c.Get(fp); hit != want {
			t.Errorf("%s after prune: hit %v, want %v", fp, hit, want)
		}
	}
	if st, err := ReadStoreStats(dir, time.Hour, opt); err != nil || st.Entries != 2 || st.Fresh != 2 {
		t.Errorf("stats after prune %+v %v", st, err)
	}
}

// FuzzDecodeResult: any stored value, however damaged, is a hit or a miss,
// never a panic; a hit is fresh.
func FuzzDecodeResult(f *testing.F) {
	f.Add([]byte(`{"status":"live","checked_at":"2026-12-01T00:00:00Z","identity":{"account":"ada"}}`))
	f.Add([]byte(`{"status":"revoked","checked_at":"0001-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"checked_at":"9999-12-31T23:59:59Z"}`))
	f.Add([]byte(`null`))
	now := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, ok := decodeResult(raw, now, 24*time.Hour)
		if ok && (r.CheckedAt.IsZero() || now.Sub(r.CheckedAt) >= 24*time.Hour) {
			t.Errorf("stale or undated result served: %+v", r)
		}
	})
}
