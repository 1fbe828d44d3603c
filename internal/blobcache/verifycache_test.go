package blobcache

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keylint/keylint/scanner"
)

// TestVerifyCache: a result is served while now − checked_at < TTL, from a
// second OpenVerify of the same directory too, and not once it is stale
// or for another fingerprint; the blob cache file is not touched.
func TestVerifyCache(t *testing.T) {
	dir := t.TempDir()
	checked := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	now := checked
	opt := Options{Now: func() time.Time { return now }}
	c, err := OpenVerify(dir, time.Hour, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := scanner.Verification{Status: scanner.Live, CheckedAt: checked, Identity: &scanner.Identity{Account: "ada", Scopes: []string{"repo"}}}
	c.Put("fp1", want)
	again, err := OpenVerify(dir, time.Hour, opt)
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
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the blob cache file was created: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, VerifyFileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("results file: %v %v", fi, err)
	}
}

// TestVerifyCacheDamagedAndLocked: a damaged results file is an error
// wrapping ErrCorrupt that says to reset (and Reset removes it); a lock
// held beyond the timeout wraps ErrLocked.
func TestVerifyCacheDamagedAndLocked(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, VerifyFileName)
	os.WriteFile(path, bytes.Repeat([]byte("not bbolt "), 2000), 0o600)
	_, err := OpenVerify(dir, time.Hour, Options{})
	if !errors.Is(err, ErrCorrupt) || !bytes.Contains([]byte(err.Error()), []byte("keylint cache prune --reset")) || !bytes.Contains([]byte(err.Error()), []byte(verifyHolds)) {
		t.Fatalf("damaged: %v", err)
	}
	if err := Reset(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	c, err := OpenVerify(dir, time.Hour, Options{})
	if err != nil {
		t.Fatalf("after reset: %v", err)
	}
	held, err := c.c.open(false) // the exclusive lock, as a writer holds it
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if _, err := OpenVerify(dir, time.Hour, Options{Timeout: time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked: %v", err)
	}
	short := &VerifyCache{c: &Cache{path: path, opt: Options{Timeout: time.Millisecond}, holds: verifyHolds}, ttl: time.Hour}
	if _, hit := short.Get("fp"); hit || !errors.Is(short.Err(), ErrLocked) {
		t.Errorf("Get under a held lock: hit %v, err %v", hit, short.Err())
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
