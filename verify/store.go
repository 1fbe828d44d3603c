package verify

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/scanner"
)

// StoreFileName is the name of the file, beside the blob cache's in a
// --cache directory, that holds verification results. The blob cache
// file itself holds only blob ids, rule ids and offsets.
const StoreFileName = "verify.db"

// storeFormat is the layout version of the results file.
const storeFormat = "1"

// resultsBucket holds fingerprint -> the JSON of a [scanner.Verification].
var resultsBucket = []byte("results")

// storeHolds says what the results file holds, for its error messages.
const storeHolds = "only providers' answers by fingerprint"

// Store keeps verification results by fingerprint in [StoreFileName] of a
// cache directory, for a TTL: a [Cache] that outlives a run. A value is
// the JSON of the result (status, identity, checked_at, error), never a
// secret; Get answers only while now − checked_at < TTL. The verifier puts
// only answers that cannot change for reasons other than the key, so
// network failures, rate limits and server errors are never stored.
//
// Locking, timeout and damage are the blob cache's (blobcache.File): each
// Get or Put opens the file for one transaction. A failed Get is a miss
// and a failed Put is dropped (verification then simply asks again);
// [Store.Err] returns the first such error. It is safe for concurrent use.
type Store struct {
	f   *blobcache.File
	ttl time.Duration

	mu  sync.Mutex // one transaction at a time from this process
	err error
}

// storeFile describes the results file of dir.
func storeFile(dir string, opt blobcache.Options) *blobcache.File {
	return blobcache.NewFile(dir, StoreFileName, storeFormat, storeHolds, opt)
}

// OpenStore creates dir (mode 0700) and the results file (mode 0600) if
// needed and checks the file. Errors wrap blobcache.ErrCorrupt for a
// damaged file and blobcache.ErrLocked after the timeout.
func OpenStore(dir string, ttl time.Duration, opt blobcache.Options) (*Store, error) {
	f := storeFile(dir, opt)
	if err := f.Init(resultsBucket); err != nil {
		return nil, err
	}
	return &Store{f: f, ttl: ttl}, nil
}

// Path returns the results file's path.
func (s *Store) Path() string { return s.f.Path() }

// Get returns the result stored for fingerprint while it is fresh.
func (s *Store) Get(fingerprint string) (scanner.Verification, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var raw []byte
	err := s.f.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(resultsBucket); b != nil {
			raw = append(raw, b.Get([]byte(fingerprint))...)
		}
		return nil
	})
	if err != nil {
		s.keep(err)
		return scanner.Verification{}, false
	}
	return decodeResult(raw, s.f.Now(), s.ttl)
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
func (s *Store) Put(fingerprint string, r scanner.Verification) {
	if fingerprint == "" || len(fingerprint) > bolt.MaxKeySize {
		return
	}
	raw, err := json.Marshal(r)
	if err != nil {
		s.keep(err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keep(s.f.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(resultsBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(fingerprint), raw)
	}))
}

// Err returns the first error of a Get or Put, or nil.
func (s *Store) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *Store) keep(err error) {
	if err != nil && s.err == nil {
		s.err = err
	}
}

// StoreStats describes the results file of a cache directory.
type StoreStats struct {
	Path string `json:"path"`
	// Exists is false when the directory has no results file.
	Exists bool  `json:"exists"`
	Bytes  int64 `json:"bytes"`
	// Entries counts the stored results, Fresh those younger than the TTL.
	Entries int `json:"entries"`
	Fresh   int `json:"fresh"`
}

// ReadStoreStats reads the statistics of the results file in dir, fresh
// meaning younger than ttl. A directory without one has no entries (and is
// not created).
func ReadStoreStats(dir string, ttl time.Duration, opt blobcache.Options) (StoreStats, error) {
	f := storeFile(dir, opt)
	st := StoreStats{Path: f.Path()}
	size, ok, err := f.Size()
	if err != nil || !ok {
		return st, err
	}
	st.Exists, st.Bytes = true, size
	now := f.Now()
	err = f.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(resultsBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			st.Entries++
			if _, fresh := decodeResult(v, now, ttl); fresh {
				st.Fresh++
			}
			return nil
		})
	})
	return st, err
}

// StorePruned says what [PruneStore] removed.
type StorePruned struct {
	Removed, Kept           int
	BytesBefore, BytesAfter int64
}

// PruneStore deletes the results of dir's results file that are not fresh
// (checked ttl or longer ago, or not a readable result) and compacts the
// file. A directory without one is left as it is.
func PruneStore(dir string, ttl time.Duration, opt blobcache.Options) (StorePruned, error) {
	f := storeFile(dir, opt)
	var res StorePruned
	size, ok, err := f.Size()
	if err != nil || !ok {
		return res, err
	}
	res.BytesBefore = size
	now := f.Now()
	err = f.UpdateCompact(func(tx *bolt.Tx) error {
		b := tx.Bucket(resultsBucket)
		if b == nil {
			return nil
		}
		var stale [][]byte
		err := b.ForEach(func(k, v []byte) error {
			if _, fresh := decodeResult(v, now, ttl); fresh {
				res.Kept++
			} else {
				stale = append(stale, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		res.Removed = len(stale)
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("verification results: %w", err)
	}
	if size, _, err := f.Size(); err == nil {
		res.BytesAfter = size
	}
	return res, nil
}

// ResetStore deletes the results file of dir (for a damaged one).
func ResetStore(dir string, opt blobcache.Options) error {
	return storeFile(dir, opt).Remove()
}
