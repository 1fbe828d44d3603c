//go:build !unix

package scanner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// walkDir is a directory the walk holds open. Outside unix systems it is
// opened by path, so the length of paths is limited by the system.
type walkDir struct {
	f    *os.File
	path string
}

// dirID identifies a directory; by path here.
type dirID struct{ path string }

// walkEntry is a directory entry with its type and size, read without
// following a symbolic link.
type walkEntry struct {
	name string
	mode fs.FileMode
	size int64
	id   dirID
}

func openWalkRoot(path string) (*walkDir, dirID, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, dirID{}, err
	}
	return &walkDir{f: f, path: path}, dirID{filepath.Clean(path)}, nil
}

func (d *walkDir) openChild(name string) (*walkDir, dirID, error) {
	p := filepath.Join(d.path, name)
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, dirID{}, err
	}
	if !fi.IsDir() {
		return nil, dirID{}, errors.New("not a directory any more: it changed during the scan")
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, dirID{}, err
	}
	return &walkDir{f: f, path: p}, dirID{filepath.Clean(p)}, nil
}

func (d *walkDir) id() (dirID, error) { return dirID{filepath.Clean(d.path)}, nil }

func (d *walkDir) openParent() (*walkDir, dirID, error) {
	p := filepath.Dir(d.path)
	f, err := os.Open(p)
	if err != nil {
		return nil, dirID{}, err
	}
	return &walkDir{f: f, path: p}, dirID{filepath.Clean(p)}, nil
}

func (d *walkDir) entries() ([]walkEntry, error) {
	des, err := d.f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(des, func(a, b fs.DirEntry) int {
		switch {
		case a.Name() < b.Name():
			return -1
		case a.Name() > b.Name():
			return 1
		}
		return 0
	})
	out := make([]walkEntry, 0, len(des))
	for _, de := range des {
		e := walkEntry{name: de.Name(), mode: de.Type()}
		if de.IsDir() {
			e.id = dirID{filepath.Clean(filepath.Join(d.path, de.Name()))}
		} else if de.Type().IsRegular() {
			fi, err := de.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed while walking
			}
			if err == nil {
				e.size = fi.Size()
			} else {
				e.size = -1
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func (d *walkDir) openFile(name string) (*os.File, error) {
	f, err := os.Open(filepath.Join(d.path, name))
	if err != nil {
		return nil, err
	}
	return checkRegular(f)
}

func fileOpener(full string, _ []string, _ func() (*os.Root, error)) func() (*os.File, error) {
	return func() (*os.File, error) {
		f, err := os.Open(full)
		if err != nil {
			return nil, err
		}
		return checkRegular(f)
	}
}
