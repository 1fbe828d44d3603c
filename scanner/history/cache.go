package history

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/keylint/keylint/scanner"
)

// Cache remembers the blobs a scan has scanned, so that a later scan with
// the same rules and settings skips the clean ones and matches the others
// with only the rules that had findings in them. Keys name a blob at a
// path (see blobcache.Key); internal/blobcache implements it on disk.
type Cache interface {
	// Known reports, for each key, whether it was recorded and with which
	// rule ids (nil: clean).
	Known(keys [][]byte) (known []bool, rules [][]string, err error)
	// Add records keys[i] with the ids of the rules that had findings in
	// the blob, rules[i] (none: clean).
	Add(keys [][]byte, rules [][]string) error
}

// CacheKey makes the key of a blob at a path from the blob's object id.
// It is set with [Options.Cache]; blobcache.Key is the usual one.
type CacheKey func(objectID []byte, path string) []byte

// cacheWarning is the warning of a cache that could not be read or
// written: the scan is complete without it, only slower.
func cacheWarning(repo, what string, err error) scanner.Warning {
	return scanner.Warning{Path: repo, Expected: true, Err: fmt.Errorf("blob cache not %s (the scan is complete, only not incremental): %w", what, err)}
}

// cachedBlob is what the cache knows of one blob at every path it has.
type cachedBlob struct {
	// known is set when every (blob, path) key is recorded.
	known bool
	// rules is, for a known blob, the union of the rule ids recorded at
	// its paths, sorted: nil for a blob clean at every path.
	rules []string
}

// cachedBlobs looks up every (blob, path) pair of the blobs to scan and
// returns what the cache knows of each blob, and the keys of each blob
// (nil without a cache).
func (s *scan) cachedBlobs(repo string, ids [][]byte, paths [][]string) (got []cachedBlob, keys [][][]byte, warn *scanner.Warning) {
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
	got = make([]cachedBlob, len(ids))
	known, rules, err := s.cache.Known(flat)
	if err != nil {
		w := cacheWarning(repo, "read", err)
		return got, keys, &w
	}
	n := 0
	for i := range ids {
		b := cachedBlob{known: len(keys[i]) > 0}
		for range keys[i] {
			b.known = b.known && known[n]
			b.rules = append(b.rules, rules[n]...)
			n++
		}
		if !b.known || !s.allRulesKnown(b.rules) {
			b = cachedBlob{} // scanned with every rule
		}
		slices.Sort(b.rules)
		b.rules = slices.Compact(b.rules)
		got[i] = b
	}
	return got, keys, nil
}

// allRulesKnown reports whether every id is a rule of the scan's matcher.
// A cache's generation is tied to the rules, so an id it does not know
// means the file was written by something else: the blob is then scanned
// with every rule rather than with fewer than the cache meant.
func (s *scan) allRulesKnown(ids []string) bool {
	if len(ids) == 0 {
		return true
	}
	s.ruleIDs.once.Do(func() {
		s.ruleIDs.set = map[string]bool{}
		for _, r := range s.sc.Matcher().Rules() {
			s.ruleIDs.set[r.ID] = true
		}
	})
	for _, id := range ids {
		if !s.ruleIDs.set[id] {
			return false
		}
	}
	return true
}

// maxNarrowed bounds the narrowed scanners kept for reuse; past it, a
// blob's narrowed scanner is built for it alone.
const maxNarrowed = 256

// narrowedScanners are the scanners of a history scan that match with
// some of its rules only, one per list of rule ids.
type narrowedScanners struct {
	mu sync.Mutex
	by map[string]*scanner.Scanner
}

// narrowed returns a scanner like the scan's whose matcher runs only the
// rules listed (see rules.Matcher.Only): on a blob in which the scan's
// matcher found matches of those rules only, it finds the same.
func (s *scan) narrowed(ids []string) *scanner.Scanner {
	key := strings.Join(ids, "\n")
	s.narrow.mu.Lock()
	defer s.narrow.mu.Unlock()
	if sc, ok := s.narrow.by[key]; ok {
		return sc
	}
	sc := s.sc.WithMatcher(s.sc.Matcher().Only(ids))
	if s.narrow.by == nil {
		s.narrow.by = map[string]*scanner.Scanner{}
	}
	if len(s.narrow.by) < maxNarrowed {
		s.narrow.by[key] = sc
	}
	return sc
}

// hitRules returns the ids of the rules of hits, sorted, once each.
func hitRules(hits []scanner.Hit) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.Rule.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
