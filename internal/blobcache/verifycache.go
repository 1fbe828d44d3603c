package blobcache

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/keylint/keylint/scanner"
)

// VerifyFileName is the name of the file, beside [FileName] in the cache
// directory, that holds verification results (--verify). The blob cache
// file itself holds only blob ids.
const VerifyFileName = "verify.db"

// resultsBucket holds fingerprint -> the JSON of a [scanner.Verification].
var resultsBucket = []byte("results")

// verifyHolds says what the results file holds, for its error messages.
const verifyHolds = "only providers' answers by fingerprint"

// VerifyCache stores verification results by fingerprint in
// [VerifyFileName], for a TTL: a verify.Cache that outlives a run. A value
// is the JSON of the result (status, identity, checked_at, error), never a
// secret; Get answers only while now − checked_at < TTL. The verifier puts
// only answers that cannot change for reasons other than the key, so
// network failures, rate limits and server errors are never stored.
//
// Locking, timeout and damage are as for [Cache]: each Get or Put opens
// the file for one transaction. A failed Get is a miss and a failed Put is
// dropped (verification then simply asks again); [VerifyCache.Err] returns
// the first such error. It is safe for concurrent use.
type VerifyCache struct {
	c   *Cache
	ttl time.Duration

	mu  sync.Mutex // one transaction at a time from this process
	err error
}

// OpenVerify creates dir (mode 0700) and the results file (mode 0600) if
// needed and checks the file. Errors are those of [Open]: wrapping
// [ErrCorrupt] for a damaged file, [ErrLocked] after the timeout.
func OpenVerify(dir string, ttl time.Duration, opt Options) (*VerifyCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("verification cache: create directory: %w", err)
	}
	c := &Cache{path: filepath.Join(dir, VerifyFileName), opt: opt, holds: verifyHolds}
	err := c.update(func(tx *bolt.Tx) error {
		if err := checkFormat(tx, true); err != nil {
			return err
		}
		_, err := tx.CreateBucketIfNotExists(resultsBucket)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &VerifyCache{c: c, ttl: ttl}, nil
}

// Path returns the results file's path.
func (v *VerifyCache) Path() string { return v.c.path }

// Get returns the result stored for fingerprint while it is fresh.
func (v *VerifyCache) Get(fingerprint string) (scanner.Verification, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var raw []byte
	err := v.c.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(resultsBucket); b != nil {
			raw = append(raw, b.Get([]byte(fingerprint))...)
		}
		return nil
	})
	if err != nil {
		v.keep(err)
		return scanner.Verification{}, false
	}
	return decodeResult(raw, v.c.opt.now(), v.ttl)
}

// decodeResult decodes a stored value; ok only for a well-formed result
// checked less than ttl before now. Anything else (a damaged or foreign
// value) is a miss, never an error.
func decodeResult(raw []byte, now time.Time, ttl time.Duration) (scanner.Verification, bool) {
	var r scanner.Verification
	if raw == nil || json.Unmarshal(raw, &r) != nil || r.CheckedAt.IsZero() || now.Sub(r.CheckedAt) >= ttl {
		return scanner.Verification{}, false
	}
	return r, true
}

// Put stores r for fingerprint, replacing what was there.
func (v *VerifyCache) Put(fingerprint string, r scanner.Verification) {
	if fingerprint == "" || len(fingerprint) > bolt.MaxKeySize {
		return
	}
	raw, err := json.Marshal(r)
	if err != nil {
		v.keep(err)
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.keep(v.c.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(resultsBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(fingerprint), raw)
	}))
}

// Err returns the first error of a Get or Put, or nil.
func (v *VerifyCache) Err() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.err
}

func (v *VerifyCache) keep(err error) {
	if err != nil && v.err == nil {
		v.err = err
	}
}
