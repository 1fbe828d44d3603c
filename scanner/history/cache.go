package history

import (
	"fmt"

	"github.com/keylint/keylint/scanner"
)

// Cache remembers the blobs a scan found clean, so that a later scan with
// the same rules and settings skips them. Keys name a blob at a path (see
// blobcache.Key); internal/blobcache implements it on disk.
type Cache interface {
	// Known reports, for each key, whether it was recorded clean.
	Known(keys [][]byte) ([]bool, error)
	// Add records keys as clean.
	Add(keys [][]byte) error
}

// CacheKey makes the key of a blob at a path from the blob's object id.
// It is set with [Options.Cache]; blobcache.Key is the usual one.
type CacheKey func(objectID []byte, path string) []byte

// cacheWarning is the warning of a cache that could not be read or
// written: the scan is complete without it, only slower.
func cacheWarning(repo, what string, err error) scanner.Warning {
	return scanner.Warning{Path: repo, Expected: true, Err: fmt.Errorf("blob cache not %s (the scan is complete, only not incremental): %w", what, err)}
}

// cachedBlobs looks up every (blob, path) pair of the blobs to scan and
// returns which blobs are known clean at every path they have, and the
// keys of each blob (nil without a cache).
func (s *scan) cachedBlobs(repo string, ids [][]byte, paths [][]string) (known []bool, keys [][][]byte, warn *scanner.Warning) {
	if s.cache == nil {
		return nil, nil, nil
	}
	keys = make([][][]byte, len(ids))
	var flat [][]byte
	for i, id := range ids {
		for _, p := range paths[i] {
			k := s.cacheKey(id, p)
			keys[i] = append(keys[i], k)
			flat = append(flat, k)
		}
	}
	got, err := s.cache.Known(flat)
	if err != nil {
		w := cacheWarning(repo, "read", err)
		return make([]bool, len(ids)), keys, &w
	}
	known = make([]bool, len(ids))
	n := 0
	for i := range ids {
		known[i] = len(keys[i]) > 0
		for range keys[i] {
			known[i] = known[i] && got[n]
			n++
		}
	}
	return known, keys, nil
}
