// Package blobcache is keylint's persistent record of the git blobs a
// history scan already scanned, so that a re-audit decodes and scans only
// what is new, and matches a blob that had findings with only the rules
// that found them.
//
// The cache lives in one bbolt file in a directory given by the user. It is
// divided into generations: a generation is named by a hash of everything
// that decides what a scan finds (the effective rules, the settings,
// keylint's version), so a changed rule or setting starts a fresh, empty
// generation and an old one never answers for new rules. A generation holds
// keys made of a blob's object id and a short hash of the path it was
// scanned at (rules and allowlists may depend on the path), each with a
// value that the history scan fills with what it found there without any
// of the content: nothing for a clean blob, else the ids of the rules that
// matched and the byte offsets of their matches (scanner/history). Never a
// secret, a fingerprint or a line of content.
//
// Several processes may share one directory: every operation opens the
// file, takes bbolt's file lock (shared to read, exclusive to write) for one
// transaction and closes it again, so a lock is held for milliseconds, not
// for a whole scan, and a process waits for it at most [Options.Timeout].
// bbolt writes copy-on-write pages and syncs before it commits, so a crash
// leaves the last committed state.
package blobcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the name of the cache file inside the cache directory.
const FileName = "keylint-blobcache.db"

// DefaultTimeout is how long an operation waits for another process's lock
// when [Options.Timeout] is zero.
const DefaultTimeout = 2 * time.Minute

// formatVersion is the layout version stored in the file. A file of another
// version is an error that says to delete it.
const formatVersion = "3"

// Bucket and key names of the layout.
var (
	metaBucket = []byte("meta")        // "format" -> formatVersion
	gensBucket = []byte("generations") // generation -> genInfo (16 bytes)
	formatKey  = []byte("format")
)

// genBucket is the name of the bucket holding one generation's keys.
func genBucket(gen string) []byte { return []byte("gen:" + gen) }

// ErrLocked is returned (wrapped) when another process held the cache's
// lock for longer than the timeout.
var ErrLocked = errors.New("blob cache is locked by another process")

// ErrCorrupt is returned (wrapped) when the cache file is not a readable
// keylint blob cache.
var ErrCorrupt = errors.New("blob cache file is damaged")

// Options configures [Open], [ReadStats] and [Prune].
type Options struct {
	// Timeout is how long to wait for another process's lock; zero means
	// [DefaultTimeout].
	Timeout time.Duration
	// Now returns the current time, recorded as a generation's last use;
	// nil means [time.Now]. Tests set it.
	Now func() time.Time
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// Generation names the generation for the given inputs: a hex SHA-256 of
// each part, length-prefixed so that no two lists of parts collide. Callers
// pass everything that decides whether a blob is clean.
func Generation(parts ...[]byte) string {
	h := sha256.New()
	h.Write([]byte("keylint-blobcache/v1\x00"))
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// pathHashLen is the length of the path hash appended to an object id.
const pathHashLen = 16

// Key is the cache key of a blob scanned at a path: its object id followed
// by the first 16 bytes of a SHA-256 of the path: 128 bits, so that a
// repository cannot be crafted with two paths of one hash (a blob clean at
// one would be taken as clean at the other).
func Key(objectID []byte, path string) []byte {
	sum := sha256.Sum256([]byte(path))
	k := make([]byte, 0, len(objectID)+pathHashLen)
	k = append(k, objectID...)
	return append(k, sum[:pathHashLen]...)
}

// Cache is one generation of the blob cache in one directory. It holds no
// open file between calls; it is safe for concurrent use.
type Cache struct {
	path string
	gen  string
	opt  Options
	// holds says what the file holds, for the message of a damaged one;
	// "" for the blob cache.
	holds string
	// format is the file's layout version; "" for the blob cache's,
	// formatVersion.
	format string
}

// Open creates dir (mode 0700) and the cache file (mode 0600) if needed,
// checks the file, and registers generation gen (recording its last use).
// A file that is not a keylint blob cache, or is damaged, is an error
// wrapping [ErrCorrupt] that says to delete it; a lock held by another
// process beyond the timeout is an error wrapping [ErrLocked].
func Open(dir, gen string, opt Options) (*Cache, error) {
	if gen == "" {
		return nil, errors.New("blobcache: empty generation")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("blob cache: create directory: %w", err)
	}
	c := &Cache{path: filepath.Join(dir, FileName), gen: gen, opt: opt}
	err := c.update(func(tx *bolt.Tx) error {
		if err := c.checkFormat(tx, true); err != nil {
			return err
		}
		gens, err := tx.CreateBucketIfNotExists(gensBucket)
		if err != nil {
			return err
		}
		info := decodeInfo(gens.Get([]byte(gen)))
		now := opt.now().Unix()
		if info.Created == 0 {
			info.Created = now
		}
		info.Used = now
		if err := gens.Put([]byte(gen), info.encode()); err != nil {
			return err
		}
		_, err = tx.CreateBucketIfNotExists(genBucket(gen))
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Path returns the cache file's path.
func (c *Cache) Path() string { return c.path }

// Generation returns the cache's generation.
func (c *Cache) Generation() string { return c.gen }

// MaxValue bounds the value recorded with a key.
const MaxValue = 64 << 10

// Known reports, for each key, whether it is recorded in the generation,
// and the value recorded with it (empty for a blob recorded clean). It
// holds the shared lock for one read transaction.
func (c *Cache) Known(keys [][]byte) (known []bool, values [][]byte, err error) {
	known = make([]bool, len(keys))
	values = make([][]byte, len(keys))
	if len(keys) == 0 {
		return known, values, nil
	}
	err = c.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(genBucket(c.gen))
		if b == nil {
			return nil // pruned since Open: nothing is known
		}
		for i, k := range keys {
			v := b.Get(k)
			if v == nil {
				continue
			}
			known[i] = true
			if len(v) > 0 {
				values[i] = bytes.Clone(v) // v lives only as long as the transaction
			}
		}
		return nil
	})
	return known, values, err
}

// Add records keys in the generation, in one write transaction (synced
// before it returns): keys[i] with values[i] (empty for a clean blob;
// values may be nil when every blob is clean). A value says what a scan
// found in the blob without holding any of it: the history scan records
// rule ids and offsets (docs/scale.md).
func (c *Cache) Add(keys, values [][]byte) error {
	if len(keys) == 0 {
		return nil
	}
	if values != nil && len(values) != len(keys) {
		return fmt.Errorf("blob cache: %d keys with %d values", len(keys), len(values))
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	// bbolt inserts sorted keys fastest
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(keys[a], keys[b]) })
	return c.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(genBucket(c.gen))
		if err != nil {
			return err
		}
		b.FillPercent = 0.9 // mostly appended in order: pack pages fuller
		for _, i := range order {
			k := keys[i]
			if len(k) == 0 || len(k) > bolt.MaxKeySize {
				return fmt.Errorf("blob cache: key of %d bytes", len(k))
			}
			var v []byte
			if values != nil {
				v = values[i]
			}
			if len(v) > MaxValue {
				return fmt.Errorf("blob cache: value of %d bytes, at most %d", len(v), MaxValue)
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// GenerationStats describes one generation.
type GenerationStats struct {
	Name string `json:"name"`
	// Blobs counts the generation's keys: blobs at a path, and commits.
	Blobs   int       `json:"blobs"`
	Created time.Time `json:"created"`
	Used    time.Time `json:"used"`
}

// Stats describes a cache directory.
type Stats struct {
	Path string `json:"path"`
	// Bytes is the size of the cache file.
	Bytes int64 `json:"bytes"`
	// Generations are sorted by last use, most recent first.
	Generations []GenerationStats `json:"generations"`
}

// ReadStats reads the statistics of the cache in dir. A directory without
// a cache file has no generations (and is not created).
func ReadStats(dir string, opt Options) (Stats, error) {
	st := Stats{Path: filepath.Join(dir, FileName)}
	fi, err := os.Stat(st.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("blob cache: %w", err)
	}
	st.Bytes = fi.Size()
	c := &Cache{path: st.Path, opt: opt}
	err = c.view(func(tx *bolt.Tx) error {
		st.Generations = listGenerations(tx)
		return nil
	})
	return st, err
}

// listGenerations returns every generation, most recently used first.
func listGenerations(tx *bolt.Tx) []GenerationStats {
	var out []GenerationStats
	gens := tx.Bucket(gensBucket)
	if gens == nil {
		return nil
	}
	gens.ForEach(func(k, v []byte) error {
		info := decodeInfo(v)
		g := GenerationStats{Name: string(k), Created: time.Unix(info.Created, 0).UTC(), Used: time.Unix(info.Used, 0).UTC()}
		if b := tx.Bucket(genBucket(string(k))); b != nil {
			g.Blobs = b.Stats().KeyN
		}
		out = append(out, g)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Used.Equal(out[j].Used) {
			return out[i].Used.After(out[j].Used)
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// PruneResult says what [Prune] removed.
type PruneResult struct {
	Removed     []GenerationStats `json:"removed"`
	Kept        []GenerationStats `json:"kept"`
	BytesBefore int64             `json:"bytes_before"`
	BytesAfter  int64             `json:"bytes_after"`
}

// Prune keeps the keep most recently used generations (at least one unless
// keep is 0) and those used within maxAge (when maxAge > 0), deletes the
// others, and compacts the file so that the space is given back: it writes
// a compacted copy next to the file and renames it over the original while
// holding the exclusive lock.
func Prune(dir string, keep int, maxAge time.Duration, opt Options) (PruneResult, error) {
	var res PruneResult
	path := filepath.Join(dir, FileName)
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("blob cache: %w", err)
	}
	res.BytesBefore = fi.Size()
	c := &Cache{path: path, opt: opt}
	now := opt.now()
	err = c.updateCompact(func(tx *bolt.Tx) error {
		for i, g := range listGenerations(tx) {
			if i < keep || maxAge > 0 && now.Sub(g.Used) <= maxAge {
				res.Kept = append(res.Kept, g)
				continue
			}
			if err := tx.DeleteBucket(genBucket(g.Name)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
			if err := tx.Bucket(gensBucket).Delete([]byte(g.Name)); err != nil {
				return err
			}
			res.Removed = append(res.Removed, g)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if fi, err := os.Stat(path); err == nil {
		res.BytesAfter = fi.Size()
	}
	return res, nil
}

// updateCompact runs fn in a write transaction and then compacts the file
// so that the space freed is given back, all under one exclusive lock: it
// writes a compacted copy next to the file and renames it over the
// original. Other processes open the path anew for every operation, so
// they see either file whole.
func (c *Cache) updateCompact(fn func(*bolt.Tx) error) error {
	db, err := c.open(false)
	if err != nil {
		return err
	}
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	err = guard(func() error {
		return db.Update(func(tx *bolt.Tx) error {
			if err := c.checkFormat(tx, false); err != nil {
				return err
			}
			return fn(tx)
		})
	})
	if err != nil {
		return c.wrap(err)
	}
	tmp := c.path + ".compact"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: c.opt.timeout()})
	if err != nil {
		return fmt.Errorf("blob cache: compact: %w", err)
	}
	err = guard(func() error { return bolt.Compact(dst, db, 64<<20) })
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, c.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("blob cache: compact: %w", err)
	}
	db.Close()
	db = nil
	return nil
}

// Reset deletes the cache file in dir (after taking its exclusive lock,
// so that no process is using it), for a damaged file. Other files of the
// directory are removed with [File.Remove].
func Reset(dir string, opt Options) error {
	return resetFile(filepath.Join(dir, FileName), opt)
}

// resetFile deletes one bbolt file of the cache directory.
func resetFile(path string, opt Options) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	// Lock through bbolt only if the file opens; a damaged file cannot be
	// opened and is removed as it is.
	c := &Cache{path: path, opt: opt}
	if db, err := c.open(false); err == nil {
		defer db.Close()
	} else if errors.Is(err, ErrLocked) {
		return err
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("blob cache: %w", err)
	}
	return nil
}

// genInfo is a generation's creation and last-use times (Unix seconds).
type genInfo struct{ Created, Used int64 }

func (g genInfo) encode() []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, uint64(g.Created))
	binary.BigEndian.PutUint64(b[8:], uint64(g.Used))
	return b
}

func decodeInfo(b []byte) genInfo {
	if len(b) != 16 {
		return genInfo{}
	}
	return genInfo{int64(binary.BigEndian.Uint64(b)), int64(binary.BigEndian.Uint64(b[8:]))}
}

// checkFormat checks (or, when create is set and the file is new, writes)
// the layout version.
func (c *Cache) checkFormat(tx *bolt.Tx, create bool) error {
	version := c.format
	if version == "" {
		version = formatVersion
	}
	m := tx.Bucket(metaBucket)
	if m == nil {
		if !create || tx.Bucket(gensBucket) != nil {
			if !create {
				return nil // an empty file: nothing to check
			}
			return fmt.Errorf("%w: it has no format record", ErrCorrupt)
		}
		var err error
		if m, err = tx.CreateBucket(metaBucket); err != nil {
			return err
		}
		return m.Put(formatKey, []byte(version))
	}
	if v := m.Get(formatKey); string(v) != version {
		return fmt.Errorf("%w: format %q, this keylint reads format %q", ErrCorrupt, v, version)
	}
	return nil
}

// open opens the file, shared when readOnly, waiting for the lock.
func (c *Cache) open(readOnly bool) (*bolt.DB, error) {
	var (
		db   *bolt.DB
		file *os.File
	)
	err := guard(func() error {
		var err error
		db, err = bolt.Open(c.path, 0o600, &bolt.Options{
			Timeout: c.opt.timeout(), ReadOnly: readOnly,
			OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
				f, err := os.OpenFile(name, flag, perm)
				file = f
				return f, err
			},
		})
		return err
	})
	if err != nil {
		if db == nil && file != nil && errors.Is(err, ErrCorrupt) {
			// bbolt panicked on a damaged page after taking the lock:
			// closing the file releases it.
			releaseLock(file)
			file.Close()
		}
		return nil, c.wrap(err)
	}
	return db, nil
}

// view runs fn in a read transaction under the shared lock.
func (c *Cache) view(fn func(*bolt.Tx) error) error {
	db, err := c.open(true)
	if err != nil {
		return err
	}
	defer db.Close()
	return c.wrap(guard(func() error {
		return db.View(func(tx *bolt.Tx) error {
			if err := c.checkFormat(tx, false); err != nil {
				return err
			}
			return fn(tx)
		})
	}))
}

// update runs fn in a write transaction under the exclusive lock.
func (c *Cache) update(fn func(*bolt.Tx) error) error {
	db, err := c.open(false)
	if err != nil {
		return err
	}
	err = guard(func() error { return db.Update(fn) })
	if cerr := db.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return c.wrap(err)
}

// guard runs fn, turning a panic of bbolt on a damaged page into an error
// wrapping [ErrCorrupt].
func guard(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	return fn()
}

// wrap turns bbolt's errors into ones that say what to do next.
func (c *Cache) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("%w: waited %s for %s; another keylint is writing to it: wait for it to finish, raise --cache-timeout, or give this run another --cache directory", ErrLocked, c.opt.timeout(), c.path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		err = fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if errors.Is(err, ErrCorrupt) {
		holds := c.holds
		if holds == "" {
			holds = "only object ids, rule ids and offsets of blobs and commits scanned"
		}
		return fmt.Errorf("%s: %w; it holds %s, so it is safe to delete: run `keylint cache prune --reset` (or remove the file) and the next run rebuilds it", c.path, err, holds)
	}
	return fmt.Errorf("blob cache %s: %w", c.path, err)
}
