package history

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/textdecode"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// Cache remembers the blobs a scan has scanned, so that a later scan with
// the same rules and settings skips the clean ones and does not match the
// others again. Keys name a blob at a path (see blobcache.Key); values say
// what the scan found there without holding any of it (see encodeRecord);
// internal/blobcache implements it on disk.
type Cache interface {
	// Known reports, for each key, whether it was recorded and its value
	// (empty: clean).
	Known(keys [][]byte) (known []bool, values [][]byte, err error)
	// Add records keys[i] with values[i].
	Add(keys, values [][]byte) error
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
	// rules is, for a known blob, the union of the ids of the rules that
	// matched at its paths, sorted: nil for a blob clean at every path.
	rules []string
	// replay is, for a known blob with matches recorded at each path, the
	// matches at each path (in the order of the paths given): the blob is
	// then located again without matching. nil when a path's record holds
	// rule ids only: the blob is then matched with those rules.
	replay [][]rules.MatchRecord
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
	known, values, err := s.cache.Known(flat)
	if err != nil {
		w := cacheWarning(repo, "read", err)
		return got, keys, &w
	}
	n := 0
	for i := range ids {
		b := cachedBlob{known: len(keys[i]) > 0}
		replay := true
		for range keys[i] {
			rec, ok := decodeRecord(values[n])
			b.known = b.known && known[n] && ok
			b.rules = append(b.rules, rec.rules...)
			replay = replay && !rec.narrow
			b.replay = append(b.replay, rec.matches)
			n++
		}
		if !b.known || !s.allRulesKnown(b.rules) {
			b = cachedBlob{} // scanned with every rule
		}
		slices.Sort(b.rules)
		b.rules = slices.Compact(b.rules)
		if !replay || b.rules == nil {
			b.replay = nil
		}
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

// scanKnown scans a blob the cache knows with findings (c.rules not nil)
// without matching it with every rule: it locates the recorded matches at
// each path again, or, when only rule ids are recorded (or the record
// does not fit the content), matches it with those rules only. Both find
// what scanBlob finds: the blob's content is the same (its object id names
// it), and the rules and settings are (the generation names them).
func (s *scan) scanKnown(hw *histWorker, c cachedBlob, data []byte, size int64, x *histIndex, paths []int32) []scanner.Hit {
	if found, ok := s.replay(c, data, size, x, paths); ok {
		hw.replayed++
		hw.files++
		hw.bytes += int64(len(data))
		return found
	}
	hw.narrowed++
	found, _, _ := s.scanBlob(hw, s.narrowed(c.rules), data, size, x, paths)
	return found
}

// replay locates the matches recorded at each path of a blob again: what
// the item scan does with the matches of UTF-8 text. It reports false when
// the record holds no matches or does not fit the content.
func (s *scan) replay(c cachedBlob, data []byte, size int64, x *histIndex, paths []int32) ([]scanner.Hit, bool) {
	if c.replay == nil || data == nil || textdecode.Sniff(data) != textdecode.UTF8 {
		return nil, false
	}
	m := s.sc.Matcher()
	var found []scanner.Hit
	j := 0
	for _, p := range paths {
		path := x.paths[p]
		if s.sc.PathAllowed(path) {
			continue
		}
		if j == len(c.replay) {
			return nil, false
		}
		ms, err := m.Replay(path, data, c.replay[j])
		j++
		if err != nil {
			return nil, false
		}
		silenced := false
		found = append(found, s.sc.Locate(scanner.Item{Path: path, Size: size}, data, ms, func(scanner.Silenced) { silenced = true })...)
		if silenced {
			return nil, false // never recorded so: scan it
		}
	}
	return found, j == len(c.replay)
}

// recordBlob adds a blob scanned with every rule, with no warning and no
// silenced match, to the worker's records: at each of its keys (one per
// path scanned, in the order of matches), the matches found there, or the
// rule ids of every hit when the matches do not give the hits again.
// It reports whether it recorded the blob.
func (s *scan) recordBlob(hw *histWorker, keys [][]byte, found []scanner.Hit, matches [][]rules.Match, replayable bool) bool {
	if len(keys) != len(matches) {
		return false
	}
	var all []string
	for _, h := range found {
		all = append(all, h.Rule.ID)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	for _, id := range all {
		if !validRuleID(id) {
			return false // cannot be recorded: scanned again next time
		}
	}
	m := s.sc.Matcher()
	for j, k := range keys {
		rec := blobRecord{rules: all, narrow: !replayable}
		if replayable {
			rec.rules = nil
			for _, mt := range matches[j] {
				r := m.Record(mt)
				rec.matches = append(rec.matches, r)
				rec.rules = append(rec.rules, r.Rule)
			}
		}
		hw.record = append(hw.record, k)
		hw.recordValues = append(hw.recordValues, encodeRecord(rec, blobcache.MaxValue))
	}
	hw.recordBlobs++
	return true
}

// blobRecord is what a cache value says of a blob at a path.
type blobRecord struct {
	// rules are the ids of the rules that matched, sorted, once each;
	// nil for a clean blob.
	rules []string
	// narrow is set when only the rules are recorded (content that is not
	// UTF-8 text, or too many matches): the blob is matched again with
	// those rules. Otherwise matches are the matches, in order.
	narrow  bool
	matches []rules.MatchRecord
}

// Value kinds: the first byte of a value that is not empty.
const (
	valueRules   = 'r' // rule ids, each followed by a newline
	valueMatches = 'm' // matches, see encodeRecord
)

// encodeRecord is the cache value of a blob at a path: empty for a clean
// blob; "r" and the rule ids, each followed by a newline, for rules only;
// "m" and, for each match, its rule id (a uvarint length, then the id), a
// flags byte (1: weak, 2: path rule) and four uvarints (Start, SecretStart
// - Start, SecretEnd - SecretStart, End - SecretEnd). Rule ids and offsets
// only: never a byte of the content. A value past blobcache.MaxValue falls
// back to the rule ids.
func encodeRecord(rec blobRecord, maxLen int) []byte {
	if len(rec.rules) == 0 {
		return nil
	}
	if !rec.narrow {
		v := []byte{valueMatches}
		for _, m := range rec.matches {
			v = binary.AppendUvarint(v, uint64(len(m.Rule)))
			v = append(v, m.Rule...)
			var flags byte
			if m.Weak {
				flags |= 1
			}
			if m.File {
				flags |= 2
			}
			v = append(v, flags)
			for _, n := range []int{m.Start, m.SecretStart - m.Start, m.SecretEnd - m.SecretStart, m.End - m.SecretEnd} {
				v = binary.AppendUvarint(v, uint64(n))
			}
		}
		if len(v) <= maxLen {
			return v
		}
	}
	v := []byte{valueRules}
	for _, id := range rec.rules {
		v = append(append(v, id...), '\n')
	}
	return v
}

// decodeRecord reads a value written by encodeRecord; ok is false for a
// value that is not one (the blob is then scanned with every rule).
func decodeRecord(v []byte) (rec blobRecord, ok bool) {
	if len(v) == 0 {
		return rec, true
	}
	switch v[0] {
	case valueRules:
		rec.narrow = true
		rest := v[1:]
		for len(rest) > 0 {
			i := bytes.IndexByte(rest, '\n')
			if i <= 0 {
				return blobRecord{}, false
			}
			id := string(rest[:i])
			if !validRuleID(id) || len(rec.rules) > 0 && id <= rec.rules[len(rec.rules)-1] {
				return blobRecord{}, false
			}
			rec.rules = append(rec.rules, id)
			rest = rest[i+1:]
		}
		return rec, len(rec.rules) > 0
	case valueMatches:
		rest := v[1:]
		uvarint := func() (int, bool) {
			n, k := binary.Uvarint(rest)
			// Overlong encodings are not encodeRecord's.
			if k <= 0 || n > math.MaxInt32 || k != len(binary.AppendUvarint(nil, n)) {
				return 0, false
			}
			rest = rest[k:]
			return int(n), true
		}
		for len(rest) > 0 {
			n, ok := uvarint()
			if !ok || n == 0 || n > len(rest) {
				return blobRecord{}, false
			}
			m := rules.MatchRecord{Rule: string(rest[:n])}
			rest = rest[n:]
			if !validRuleID(m.Rule) || len(rest) == 0 || rest[0] > 3 {
				return blobRecord{}, false
			}
			m.Weak, m.File = rest[0]&1 != 0, rest[0]&2 != 0
			rest = rest[1:]
			var d [4]int
			for j := range d {
				if d[j], ok = uvarint(); !ok {
					return blobRecord{}, false
				}
			}
			m.Start = d[0]
			m.SecretStart = m.Start + d[1]
			m.SecretEnd = m.SecretStart + d[2]
			m.End = m.SecretEnd + d[3]
			rec.matches = append(rec.matches, m)
			rec.rules = append(rec.rules, m.Rule)
		}
		slices.Sort(rec.rules)
		rec.rules = slices.Compact(rec.rules)
		return rec, len(rec.matches) > 0
	}
	return blobRecord{}, false
}

// validRuleID reports whether id can be stored in a value: not empty, at
// most 256 bytes, printable ASCII without spaces.
func validRuleID(id string) bool {
	if id == "" || len(id) > 256 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}
