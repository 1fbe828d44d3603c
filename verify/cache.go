package verify

import (
	"sync"
	"time"

	"github.com/keylint/keylint/scanner"
)

// Cache stores verification results by fingerprint. Get returns a result
// only while it is fresh; an implementation decides its own TTL. The
// fingerprint never reveals the secret, so a cache never holds one.
//
// [MemoryCache] lives for one run; the persistent store of keylint's
// --cache directory (the file verify.db, [Store])
// implements the same two methods, storing the result as JSON with its
// checked_at and answering Get only while now-checked_at < TTL. The
// [Verifier] puts only answers that cannot change for reasons other than
// the key (never a network failure, a rate limit or a server error).
type Cache interface {
	Get(fingerprint string) (scanner.Verification, bool)
	Put(fingerprint string, v scanner.Verification)
}

// MemoryCache is a [Cache] in memory, safe for concurrent use.
type MemoryCache struct {
	ttl time.Duration
	now func() time.Time
	mu  sync.Mutex
	m   map[string]scanner.Verification
}

// NewMemoryCache returns an empty cache whose entries are fresh for ttl
// after their CheckedAt; now is the clock (nil: time.Now).
func NewMemoryCache(ttl time.Duration, now func() time.Time) *MemoryCache {
	if now == nil {
		now = time.Now
	}
	return &MemoryCache{ttl: ttl, now: now, m: map[string]scanner.Verification{}}
}

// Get returns the fresh result stored for fingerprint.
func (c *MemoryCache) Get(fingerprint string) (scanner.Verification, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[fingerprint]
	if !ok {
		return scanner.Verification{}, false
	}
	if c.now().Sub(v.CheckedAt) >= c.ttl {
		delete(c.m, fingerprint)
		return scanner.Verification{}, false
	}
	return v, true
}

// Put stores v for fingerprint.
func (c *MemoryCache) Put(fingerprint string, v scanner.Verification) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[fingerprint] = v
}
