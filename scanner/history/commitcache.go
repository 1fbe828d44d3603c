package history

import (
	"crypto/sha256"

	"github.com/keylint/keylint/internal/gitobj"
)

// A warm re-audit of an unchanged history would spend most of its time in
// tree diffs once the blobs are known: the diffs run again to learn which
// blobs each commit introduced, only to find them all clean. So the cache
// also records commits: a commit whose diff against its parents' trees
// introduced only blobs recorded clean, found no submodule and warned of
// nothing is recorded under a key made of its id and a hash of those
// parent trees, and a later scan with the cache does not diff it. What it
// introduced holds no finding, so no finding's attribution needs it: the
// commits that introduced a blob with findings are diffed on every run.
// (Result.Blobs then counts only the blobs of the commits diffed.)

// commitKeyPrefix starts a commit's cache key: its length (7 + an object
// id + 8) is never that of a blob's key (an object id + 16).
const commitKeyPrefix = "commit:"

// commitKey is the cache key of commit id diffed against parent trees.
func commitKey(id gitobj.ID, parents []gitobj.ID) []byte {
	h := sha256.New()
	for _, p := range parents {
		h.Write(p[:])
	}
	k := append([]byte(commitKeyPrefix), id[:]...)
	return append(k, h.Sum(nil)[:8]...)
}

// commitCache is what a scan with a cache knows and learns of its selected
// commits (indexed as they are).
type commitCache struct {
	keys [][]byte
	// skip marks the commits recorded clean: not diffed.
	skip []bool
	// dirty marks the commits whose diff found a submodule or warned.
	dirty []bool
}

// cachedCommits looks the selected commits up; nil without a cache or when
// the cache cannot be read (every commit is then diffed; the blob lookups
// report the failure).
func (s *scan) cachedCommits(selected []*histCommit, ptrees [][]gitobj.ID) *commitCache {
	if s.cache == nil {
		return nil
	}
	cc := &commitCache{keys: make([][]byte, len(selected)), dirty: make([]bool, len(selected))}
	for i, c := range selected {
		cc.keys[i] = commitKey(c.id, ptrees[i])
	}
	known, values, err := s.cache.Known(cc.keys)
	if err != nil {
		return cc
	}
	cc.skip = make([]bool, len(selected))
	for i := range known {
		cc.skip[i] = known[i] && len(values[i]) == 0
	}
	return cc
}

// cleanCommits returns the keys of the commits diffed in this scan that
// introduced only clean blobs (blobClean, by blob index), found no
// submodule and warned of nothing.
func (cc *commitCache) cleanCommits(x *histIndex, blobClean []bool) [][]byte {
	if cc == nil {
		return nil
	}
	clean := make([]bool, len(cc.keys))
	for i := range clean {
		clean[i] = !cc.dirty[i] && (cc.skip == nil || !cc.skip[i])
	}
	for _, in := range x.intros {
		if in.commit >= 0 && !blobClean[in.blob] {
			clean[in.commit] = false
		}
	}
	var out [][]byte
	for i, ok := range clean {
		if ok {
			out = append(out, cc.keys[i])
		}
	}
	return out
}
