//go:build unix

package scanner

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"golang.org/x/sys/unix"
)

// walkDir is a directory the walk holds open. Every directory is opened
// relative to its parent's descriptor (openat), never by path, so the
// depth of a tree does not matter (no PATH_MAX), and a directory replaced
// by a symbolic link while the walk runs is not followed.
type walkDir struct {
	f *os.File
}

// dirID identifies a directory, to check that ".." leads back to the
// directory the walk came from.
type dirID struct{ dev, ino uint64 }

// walkEntry is a directory entry with its type and size, read without
// following a symbolic link.
type walkEntry struct {
	name string
	mode fs.FileMode // type bits only
	size int64
	id   dirID
}

const dirFlags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC

// openWalkRoot opens a directory named by the user (a symbolic link named
// explicitly is followed).
func openWalkRoot(path string) (*walkDir, dirID, error) {
	fd, err := openat(unix.AT_FDCWD, path, dirFlags)
	if err != nil {
		return nil, dirID{}, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return newWalkDir(fd, path)
}

func newWalkDir(fd int, name string) (*walkDir, dirID, error) {
	d := &walkDir{f: os.NewFile(uintptr(fd), name)}
	id, err := d.id()
	if err != nil {
		d.close()
		return nil, dirID{}, err
	}
	return d, id, nil
}

// id returns the identity of the open directory.
func (d *walkDir) id() (dirID, error) {
	var st unix.Stat_t
	if err := unix.Fstat(int(d.f.Fd()), &st); err != nil {
		return dirID{}, &os.PathError{Op: "fstat", Path: d.f.Name(), Err: err}
	}
	return dirID{uint64(st.Dev), uint64(st.Ino)}, nil
}

// openat retries on EINTR.
func openat(dir int, name string, flags int) (int, error) {
	for {
		fd, err := unix.Openat(dir, name, flags, 0)
		if !errors.Is(err, unix.EINTR) {
			return fd, err
		}
	}
}

// openChild opens the subdirectory name, refusing a symbolic link.
func (d *walkDir) openChild(name string) (*walkDir, dirID, error) {
	fd, err := openat(int(d.f.Fd()), name, dirFlags|unix.O_NOFOLLOW)
	if err != nil {
		return nil, dirID{}, err
	}
	return newWalkDir(fd, name)
}

// openParent opens "..": the walk goes back up without holding every
// ancestor open, so a deep tree needs one descriptor, not one per level.
func (d *walkDir) openParent() (*walkDir, dirID, error) {
	fd, err := openat(int(d.f.Fd()), "..", dirFlags|unix.O_NOFOLLOW)
	if err != nil {
		return nil, dirID{}, err
	}
	return newWalkDir(fd, "..")
}

// entries lists the directory, sorted by name, with each entry's type
// and size from fstatat (no path is built, so no length limit applies).
// An entry removed meanwhile is left out.
func (d *walkDir) entries() ([]walkEntry, error) {
	names, err := d.f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	out := make([]walkEntry, 0, len(names))
	fd := int(d.f.Fd())
	for _, n := range names {
		var st unix.Stat_t
		for {
			err = unix.Fstatat(fd, n, &st, unix.AT_SYMLINK_NOFOLLOW)
			if !errors.Is(err, unix.EINTR) {
				break
			}
		}
		if errors.Is(err, unix.ENOENT) {
			continue // removed while walking
		}
		e := walkEntry{name: n}
		if err != nil {
			e.mode = fs.ModeIrregular // reported when read
		} else {
			e.mode = unixType(uint32(st.Mode))
			e.size = st.Size
			e.id = dirID{uint64(st.Dev), uint64(st.Ino)}
		}
		out = append(out, e)
	}
	return out, nil
}

func unixType(m uint32) fs.FileMode {
	switch m & unix.S_IFMT {
	case unix.S_IFREG:
		return 0
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFLNK:
		return fs.ModeSymlink
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFSOCK:
		return fs.ModeSocket
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}

// openFile opens the regular file name of the directory (an ignore file).
func (d *walkDir) openFile(name string) (*os.File, error) {
	fd, err := openat(int(d.f.Fd()), name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK)
	if err != nil {
		return nil, err
	}
	return checkRegular(os.NewFile(uintptr(fd), name))
}

// fileOpener returns how a worker opens a regular file found by the walk:
// without following a symbolic link in its place, without blocking on a
// FIFO in its place. full is its path, rel its path under the walk root,
// whose [os.Root] root returns.
func fileOpener(full string, rel []string, root func() (*os.Root, error)) func() (*os.File, error) {
	const flags = os.O_RDONLY | unix.O_NOFOLLOW | unix.O_NONBLOCK | unix.O_CLOEXEC
	return func() (*os.File, error) {
		if len(full) < shortPath {
			f, err := os.OpenFile(full, flags, 0)
			if err != nil {
				return nil, err
			}
			return checkRegular(f)
		}
		r, err := root()
		if err != nil {
			return nil, err
		}
		f, err := r.OpenFile(filepath.Join(rel...), flags, 0)
		if err != nil {
			return nil, err
		}
		return checkRegular(f)
	}
}
