package gitobj

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/keylint/keylint/internal/safeio"
)

// maxChain bounds the length of a delta chain. Git writes chains of at
// most 4095; keylint reads ten times deeper (a test decodes a chain of
// 10,000 with bounded work and memory), and a longer chain, or a cycle of
// ref deltas, is reported as corrupt.
const maxChain = 1 << 16

// maxAlternates bounds how deep alternates may refer to further alternates
// (git allows 5).
const maxAlternates = 5

// DB is an object database: the packs and loose objects of a repository's
// objects directory and of its alternates. A DB is safe for concurrent use.
type DB struct {
	dirs     []string // object directories, the repository's first
	packs    []*pack
	problems []error // what Open found damaged, in the order found

	mu     sync.Mutex // guards shared, the Reader behind DB.Read
	shared *Reader
}

// Options tune a [DB].
type Options struct {
	// CacheBytes bounds the cache of decoded objects used by [DB.Read]
	// (default 64 MiB).
	CacheBytes int
}

// Reader reads objects at random, like [DB.Read], with a cache of its own:
// commits, trees and the delta bases they need. A Reader is not safe for
// concurrent use; give each goroutine its own.
type Reader struct {
	db    *DB
	inf   inflater
	delta []byte
	cache *lruCache
	last  int // pack of the last hit, tried first
}

// NewReader returns a Reader whose cache holds up to cacheBytes of decoded
// objects (default 64 MiB).
func (db *DB) NewReader(cacheBytes int) *Reader {
	if cacheBytes <= 0 {
		cacheBytes = 64 << 20
	}
	return &Reader{db: db, cache: newLRU(cacheBytes)}
}

// Open opens the object directory dir (a repository's .git/objects) and,
// through objects/info/alternates, the object directories it borrows from.
// It fails only when dir itself cannot be read. Damage elsewhere (an index
// without its pack or a pack without its index, an unreadable index, a
// pack that does not match its index, an alternate that does not exist)
// leaves the rest readable and is listed by [DB.Problems].
func Open(dir string, opt Options) (*DB, error) {
	if opt.CacheBytes <= 0 {
		opt.CacheBytes = 64 << 20
	}
	db := &DB{}
	if err := db.addDir(dir, 0); err != nil {
		db.Close()
		return nil, err
	}
	db.shared = db.NewReader(opt.CacheBytes)
	return db, nil
}

// ErrDamaged marks the problems [DB.Problems] lists: parts of the object
// database that exist but cannot be read.
var ErrDamaged = errors.New("the object database is damaged")

// damaged records a problem found while opening.
func (db *DB) damaged(format string, args ...any) {
	db.problems = append(db.problems, fmt.Errorf("%w: "+format, append([]any{ErrDamaged}, args...)...))
}

// Problems returns what [Open] found damaged: each error names the pack,
// index or directory and wraps [ErrDamaged]. Objects stored there read as
// missing or corrupt.
func (db *DB) Problems() []error { return slices.Clone(db.problems) }

// maxAlternatesFile bounds the size of an alternates file.
const maxAlternatesFile = 1 << 20

func (db *DB) addDir(dir string, depth int) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if slices.Contains(db.dirs, abs) {
		return nil
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: not a directory", abs)
	}
	db.dirs = append(db.dirs, abs)
	idxs, err := filepath.Glob(filepath.Join(abs, "pack", "*.idx"))
	if err != nil {
		return err
	}
	slices.Sort(idxs)
	for _, ix := range idxs {
		p, err := openPack(ix)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			db.damaged("index %s has no pack %s: its objects cannot be read", ix, filepath.Base(strings.TrimSuffix(ix, ".idx")+".pack"))
			continue
		case err != nil:
			db.damaged("pack index %s: %v", ix, err)
			continue
		}
		if !p.matchesIndex() {
			// Objects in the part that is there still read; the rest fail.
			db.damaged("pack %s does not match its index (cut short or overwritten): objects past the damage cannot be read", p.path)
		}
		db.packs = append(db.packs, p)
	}
	packs, err := filepath.Glob(filepath.Join(abs, "pack", "*.pack"))
	if err != nil {
		return err
	}
	slices.Sort(packs)
	for _, pk := range packs {
		ix := strings.TrimSuffix(pk, ".pack") + ".idx"
		if _, err := os.Lstat(ix); errors.Is(err, fs.ErrNotExist) {
			// git cannot read such a pack either; keylint does not index
			// packs itself.
			db.damaged("pack %s has no index: its objects cannot be read (git index-pack %s rebuilds it)", pk, pk)
		}
	}
	if depth >= maxAlternates {
		return nil
	}
	alt := filepath.Join(abs, "info", "alternates")
	data, err := safeio.ReadFile(alt, maxAlternatesFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		db.damaged("alternates file %s: %v", alt, err)
		return nil
	}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if !filepath.IsAbs(line) {
			// Relative alternates are relative to this object directory.
			line = filepath.Join(abs, line)
		}
		if err := db.addDir(line, depth+1); err != nil {
			db.damaged("alternate object directory %s (listed in %s): %v", line, alt, err)
		}
	}
	return nil
}

// Close unmaps the packs. The DB must not be used afterwards.
func (db *DB) Close() error {
	var first error
	for _, p := range db.packs {
		if err := p.close(); err != nil && first == nil {
			first = err
		}
	}
	db.packs = nil
	return first
}

// Dirs returns the object directories in use, the repository's first,
// then its alternates.
func (db *DB) Dirs() []string { return slices.Clone(db.dirs) }

// Packs returns the number of packs.
func (db *DB) Packs() int { return len(db.packs) }

// location is where an object is stored: a pack and offset, or loose.
type location struct {
	pack   int // -1: loose
	off    uint64
	loose  string
	crc    uint32 // of the packed entry, when hasCRC
	hasCRC bool
}

// locate finds where id is stored; start is the pack to try first.
func (db *DB) locate(id ID, start int) (location, bool) {
	if n := len(db.packs); n > 0 {
		start = min(max(start, 0), n-1)
		for k := range n {
			pi := (start + k) % n
			p := db.packs[pi]
			if i, ok := p.idx.find(id); ok {
				off, err := p.idx.offset(i)
				if err == nil {
					crc, ok := p.idx.crc(i)
					return location{pack: pi, off: off, crc: crc, hasCRC: ok}, true
				}
			}
		}
	}
	hx := id.String()
	for _, d := range db.dirs {
		path := filepath.Join(d, hx[:2], hx[2:])
		if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
			return location{pack: -1, loose: path}, true
		}
	}
	return location{}, false
}

// Has reports whether the object exists.
func (db *DB) Has(id ID) bool {
	_, ok := db.locate(id, 0)
	return ok
}

// Resolve returns every object id starting with the hexadecimal prefix
// (at least 4 characters), sorted, without duplicates.
func (db *DB) Resolve(prefix string) ([]ID, error) {
	prefix = strings.ToLower(prefix)
	if len(prefix) < 4 || len(prefix) > 40 {
		return nil, fmt.Errorf("object name prefix %q must have 4 to 40 characters", prefix)
	}
	odd := len(prefix)%2 == 1
	p, err := hex.DecodeString(prefix + strings.Repeat("0", len(prefix)%2))
	if err != nil {
		return nil, fmt.Errorf("invalid object name %q", prefix)
	}
	var out []ID
	for _, pk := range db.packs {
		pk.idx.findPrefix(p, odd, func(id ID) { out = append(out, id) })
	}
	for _, d := range db.dirs {
		ents, _ := os.ReadDir(filepath.Join(d, prefix[:2]))
		for _, e := range ents {
			if name := prefix[:2] + e.Name(); strings.HasPrefix(name, prefix) {
				if id, err := ParseID(name); err == nil {
					out = append(out, id)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b ID) int { return strings.Compare(string(a[:]), string(b[:])) })
	return slices.Compact(out), nil
}

// Read returns the type and content of an object. The content may be
// shared with the cache and must not be modified. Read is meant for
// commits, trees and tags; use [DB.Decode] for many blobs, and a [Reader]
// per goroutine for reading in parallel.
func (db *DB) Read(id ID) (Type, []byte, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.shared.Read(id)
}

// Read returns the type and content of an object, which may be shared
// with the cache and must not be modified.
func (r *Reader) Read(id ID) (Type, []byte, error) {
	if typ, data, ok := r.cache.getID(id); ok {
		return typ, data, nil
	}
	return r.read(id, 0)
}

func (r *Reader) read(id ID, depth int) (Type, []byte, error) {
	if depth > maxAlternates+maxChain {
		return 0, nil, fmt.Errorf("object %s: delta chain too deep", id)
	}
	loc, ok := r.db.locate(id, r.last)
	if !ok {
		return 0, nil, fmt.Errorf("object %s: %w", id, ErrNotFound)
	}
	if loc.pack < 0 {
		raw, err := safeio.ReadFile(loc.loose, -1)
		if err != nil {
			return 0, nil, err
		}
		return r.inf.readLoose(loc.loose, raw, nil)
	}
	r.last = loc.pack
	typ, data, err := r.readPacked(loc.pack, loc.off, depth)
	if err != nil {
		return 0, nil, fmt.Errorf("object %s: %w", id, err)
	}
	r.cache.setID(cacheKey{loc.pack, loc.off}, id)
	return typ, data, nil
}

type cacheKey struct {
	pack int
	off  uint64
}

type link struct {
	off uint64
	e   entry
}

// readPacked decodes the entry at off, resolving its delta chain down to
// the nearest cached or whole object, and caches what it decodes.
func (r *Reader) readPacked(pi int, off uint64, depth int) (Type, []byte, error) {
	p := r.db.packs[pi]
	var (
		chain []link
		typ   Type
		data  []byte
	)
	for cur := off; ; {
		if t, d, ok := r.cache.get(cacheKey{pi, cur}); ok {
			typ, data = t, d
			break
		}
		e, err := p.entryAt(cur)
		if err != nil {
			return 0, nil, err
		}
		if len(chain) >= maxChain {
			return 0, nil, corrupt(p.path, "delta chain longer than %d at %d", maxChain, off)
		}
		if e.typ == typeOfsDelta {
			chain = append(chain, link{cur, e})
			cur = e.baseOff
			continue
		}
		if e.typ == typeRefDelta {
			chain = append(chain, link{cur, e})
			if i, ok := p.idx.find(e.baseID); ok {
				if cur, err = p.idx.offset(i); err != nil {
					return 0, nil, err
				}
				continue
			}
			// The base is in another pack or loose.
			if typ, data, err = r.read(e.baseID, depth+1); err != nil {
				return 0, nil, fmt.Errorf("delta base: %w", err)
			}
			break
		}
		if !inflatePlausible(e.size, len(p.stream(e))) {
			return 0, nil, corrupt(p.path, "entry at %d claims %d bytes", cur, e.size)
		}
		data, err = r.inf.inflate(nil, p.stream(e), e.size)
		if err != nil {
			return 0, nil, corrupt(p.path, "entry at %d: %v", cur, err)
		}
		typ = e.typ
		r.cache.put(cacheKey{pi, cur}, typ, data)
		break
	}
	for j := len(chain) - 1; j >= 0; j-- {
		l := chain[j]
		delta, err := r.inf.inflate(r.delta, p.stream(l.e), l.e.size)
		if err != nil {
			return 0, nil, corrupt(p.path, "delta at %d: %v", l.off, err)
		}
		r.delta = delta[:0]
		_, rsize, _, err := deltaSizes(delta)
		if err == nil && !deltaPlausible(delta, len(data), rsize) {
			err = errDeltaSize
		}
		if err != nil {
			return 0, nil, corrupt(p.path, "delta at %d: %v", l.off, err)
		}
		out, err := applyDelta(nil, data, delta)
		if err != nil {
			return 0, nil, corrupt(p.path, "delta at %d: %v", l.off, err)
		}
		data = out
		r.cache.put(cacheKey{pi, l.off}, typ, data)
	}
	return typ, data, nil
}

// lruCache holds decoded objects up to a byte budget, found by pack
// offset (delta bases) or, once read by id, by id. Entries live in one
// slice, linked by index from most to least recently used, and evicted
// slots are reused: a history walk reads hundreds of thousands of trees,
// and an allocation or two per cached object showed in its profile.
type lruCache struct {
	max, used  int
	ents       []lruEntry
	free       []int32 // evicted slots
	head, tail int32   // most and least recently used; -1 when empty
	m          map[cacheKey]int32
	ids        map[ID]int32
}

type lruEntry struct {
	key        cacheKey
	id         ID
	hasID      bool
	typ        Type
	data       []byte
	prev, next int32
}

func newLRU(max int) *lruCache {
	return &lruCache{max: max, head: -1, tail: -1, m: map[cacheKey]int32{}, ids: map[ID]int32{}}
}

// touch makes entry i the most recently used.
func (c *lruCache) touch(i int32) {
	if c.head == i {
		return
	}
	c.unlink(i)
	c.pushFront(i)
}

func (c *lruCache) unlink(i int32) {
	e := &c.ents[i]
	if e.prev >= 0 {
		c.ents[e.prev].next = e.next
	} else {
		c.head = e.next
	}
	if e.next >= 0 {
		c.ents[e.next].prev = e.prev
	} else {
		c.tail = e.prev
	}
}

func (c *lruCache) pushFront(i int32) {
	e := &c.ents[i]
	e.prev, e.next = -1, c.head
	if c.head >= 0 {
		c.ents[c.head].prev = i
	}
	c.head = i
	if c.tail < 0 {
		c.tail = i
	}
}

func (c *lruCache) get(k cacheKey) (Type, []byte, bool) {
	i, ok := c.m[k]
	if !ok {
		return 0, nil, false
	}
	c.touch(i)
	return c.ents[i].typ, c.ents[i].data, true
}

func (c *lruCache) getID(id ID) (Type, []byte, bool) {
	i, ok := c.ids[id]
	if !ok {
		return 0, nil, false
	}
	c.touch(i)
	return c.ents[i].typ, c.ents[i].data, true
}

// setID makes the cached entry at k findable by id.
func (c *lruCache) setID(k cacheKey, id ID) {
	i, ok := c.m[k]
	if !ok {
		return
	}
	if e := &c.ents[i]; !e.hasID {
		e.id, e.hasID = id, true
		c.ids[id] = i
	}
}

func (c *lruCache) put(k cacheKey, typ Type, data []byte) {
	if len(data) > c.max/8 {
		return
	}
	if i, ok := c.m[k]; ok {
		c.touch(i)
		return
	}
	var i int32
	if n := len(c.free); n > 0 {
		i = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		i = int32(len(c.ents))
		c.ents = append(c.ents, lruEntry{})
	}
	c.ents[i] = lruEntry{key: k, typ: typ, data: data}
	c.pushFront(i)
	c.m[k] = i
	c.used += len(data) + 64
	for c.used > c.max {
		t := c.tail
		e := &c.ents[t]
		c.unlink(t)
		delete(c.m, e.key)
		if e.hasID {
			delete(c.ids, e.id)
		}
		c.used -= len(e.data) + 64
		*e = lruEntry{} // drop the data for the collector
		c.free = append(c.free, t)
	}
}
