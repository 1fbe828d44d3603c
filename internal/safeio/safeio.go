// Package safeio opens and reads files that someone else may have put in
// place (a scanned repository's files, configuration files) without ever
// blocking on them: a FIFO planted where a regular file is expected would
// block a plain open until a writer comes, and a device would feed a read
// without end. It is a leaf package: it imports nothing of keylint's.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped by the error for a path that is (or leads by
// symbolic links to) a FIFO, device, socket, directory or anything else
// but a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error for a file larger than a read's
// limit.
var ErrTooLarge = errors.New("file too large")

// Open opens path for reading and fails, with an *fs.PathError wrapping
// [ErrNotRegular], unless it is a regular file. The kind is checked before
// the open (a device is never opened) and again on the opened file, and the
// open is non-blocking where the system has O_NONBLOCK, so that a FIFO put
// in place between the two does not block it either; reads of a regular
// file are unaffected.
func Open(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	if fi, err = f.Stat(); err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, fi.Mode())
	}
	return f, nil
}

func notRegular(path string, m fs.FileMode) error {
	return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, Kind(m))}
}

// ReadFile reads the whole regular file at path (see [Open]), refusing one
// of more than max bytes with an error wrapping [ErrTooLarge]; a negative
// max reads any size. A missing file is an error satisfying
// errors.Is(err, fs.ErrNotExist).
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if max < 0 {
		return readAll(f)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: larger than %d bytes", ErrTooLarge, max)}
	}
	return data, nil
}

// readAll reads f to its end into a buffer sized from its length, so that
// a file read whole is allocated once.
func readAll(f *os.File) ([]byte, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	data := make([]byte, 0, fi.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// Kind names the type of a file that is not a regular file, for messages:
// "a FIFO", "a character device", "a block device", "a directory" and so
// on.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "not a regular file (" + m.Type().String() + ")"
}
