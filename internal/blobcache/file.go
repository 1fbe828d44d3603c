package blobcache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// File is another bbolt file of a cache directory, beside the blob
// cache's own (the verify package keeps the providers' answers in one):
// every operation opens it, takes bbolt's file lock (shared to read,
// exclusive to write) for one transaction and closes it again, with the
// blob cache's timeout, crash safety and damage handling. A File holds no
// open file between calls and is safe for concurrent use.
type File struct{ c *Cache }

// NewFile describes the file name in dir, whose layout version is format
// and which holds what holds says (for the message of a damaged file: it
// is safe to delete). It touches nothing on disk.
func NewFile(dir, name, format, holds string, opt Options) *File {
	return &File{c: &Cache{path: filepath.Join(dir, name), opt: opt, holds: holds, format: format}}
}

// Path returns the file's path.
func (f *File) Path() string { return f.c.path }

// Now returns the current time of the options' clock.
func (f *File) Now() time.Time { return f.c.opt.now() }

// Init creates the directory (mode 0700) and the file (mode 0600) if
// needed, writes or checks the layout version, and creates the buckets.
// Errors wrap [ErrCorrupt] for a damaged file or another version, and
// [ErrLocked] after the timeout.
func (f *File) Init(buckets ...[]byte) error {
	if err := os.MkdirAll(filepath.Dir(f.c.path), 0o700); err != nil {
		return fmt.Errorf("cache: create directory: %w", err)
	}
	return f.c.update(func(tx *bolt.Tx) error {
		if err := f.c.checkFormat(tx, true); err != nil {
			return err
		}
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
}

// Size returns the file's size, 0 and false when it does not exist.
func (f *File) Size() (int64, bool, error) {
	fi, err := os.Stat(f.c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("cache: %w", err)
	}
	return fi.Size(), true, nil
}

// View runs fn in a read transaction under the shared lock, after checking
// the layout version.
func (f *File) View(fn func(*bolt.Tx) error) error { return f.c.view(fn) }

// Update runs fn in a write transaction under the exclusive lock (synced
// before it returns), after checking the layout version.
func (f *File) Update(fn func(*bolt.Tx) error) error {
	return f.c.update(func(tx *bolt.Tx) error {
		if err := f.c.checkFormat(tx, false); err != nil {
			return err
		}
		return fn(tx)
	})
}

// UpdateCompact is [File.Update] followed, under the same lock, by a
// compaction that gives the space freed back to the file system.
func (f *File) UpdateCompact(fn func(*bolt.Tx) error) error { return f.c.updateCompact(fn) }

// Remove deletes the file after taking its exclusive lock, so that no
// process is using it; a damaged file is removed as it is.
func (f *File) Remove() error { return resetFile(f.c.path, f.c.opt) }
