// Package outfile writes keylint's output files (--output, --sarif, a
// baseline, a converted configuration): completely or not at all, with
// mode 0600, and without ever replacing what is not a regular file (a
// device, a FIFO, a link to an open descriptor).
package outfile

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/safeio"
)

// Error is output that could not be written (keylint exits 4).
type Error struct {
	err  error
	hint string
}

func (e *Error) Error() string { return e.err.Error() }
func (e *Error) Unwrap() error { return e.err }

// Hint says what to do about the error.
func (e *Error) Hint() string { return e.hint }

// Failed is the error for output to name (a file, or "standard output")
// that failed with err; hint says what to do.
func Failed(name string, err error, hint string) error {
	return &Error{err: fmt.Errorf("cannot write %s: %w", name, err), hint: hint}
}

// Write writes a report (or baseline, or converted configuration) to
// name, according to what name is:
//
//   - a new path or a regular file: a temporary file (mode 0600: reports
//     can hold secrets, and always say where they are) is written in the
//     same directory and renamed over name, so the file is complete or
//     unchanged;
//   - a symbolic link: followed, and the file it points to is replaced as
//     above, in that file's directory, so the link stays a link; a link to
//     nothing creates its target, as the shell's `>` does;
//   - a link to an open descriptor (/dev/stdout, /dev/fd/N) of a regular
//     file: appended to, since the file is someone's open descriptor;
//   - a character device (/dev/null, a terminal) or a FIFO: opened for
//     writing, without creating or truncating, and written in place, never
//     replaced. A FIFO waits for a reader, as the shell's `>` does, until
//     ctx is cancelled (Ctrl-C);
//   - a directory, a block device or a socket: an error, nothing written.
func Write(ctx context.Context, name string, write func(io.Writer) error) error {
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		target, _, err := resolveLinks(name)
		if err != nil {
			return Failed(name, err, "check the symbolic links on the way to the file")
		}
		return writeAtomic(target, write)
	case err != nil:
		return Failed(name, err, "check that the path is correct and the directory is readable")
	case fi.Mode().IsRegular():
		target, magic, err := resolveLinks(name)
		if err != nil {
			return Failed(name, err, "check the symbolic links on the way to the file")
		}
		if magic {
			// /dev/stdout redirected to a file: the file is an open
			// descriptor (maybe opened by >> to append), so the report
			// is appended to it, never replaced or truncated.
			return writeInPlace(ctx, name, write, os.O_APPEND)
		}
		if tfi, err := os.Stat(target); err != nil || !os.SameFile(fi, tfi) {
			// A link that resolves to another file than the path it
			// names: write through it.
			return writeInPlace(ctx, name, write, os.O_TRUNC)
		}
		return writeAtomic(target, write)
	case fi.IsDir():
		return clierr.Usagef("give a file name, e.g. --output "+filepath.Join(name, "keylint-report"),
			"cannot write the report to %s: it is a directory", name)
	case fi.Mode()&fs.ModeCharDevice != 0, fi.Mode()&fs.ModeNamedPipe != 0:
		return writeInPlace(ctx, name, write, 0)
	default:
		return clierr.Usagef("write the report to a regular file, a character device such as /dev/null, or a FIFO",
			"cannot write the report to %s: it is %s", name, safeio.Kind(fi.Mode()))
	}
}

// maxLinks bounds the symbolic links resolveLinks follows, as the kernel's
// ELOOP does.
const maxLinks = 40

// resolveLinks follows name while it is a symbolic link and returns the
// path it ends at, which may not exist yet (a dangling link). magic is set
// when a link on the way is one of procfs's (/dev/stdout, /dev/fd/N,
// /proc/self/fd/N), which name open descriptors rather than paths.
func resolveLinks(name string) (target string, magic bool, err error) {
	p := name
	for range maxLinks {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, magic, nil
		}
		if err != nil {
			return "", false, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, magic, nil
		}
		magic = magic || onProcFS(filepath.Dir(p))
		t, err := os.Readlink(p)
		if err != nil {
			return "", false, err
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(p), t)
		}
		p = t
	}
	return "", false, fmt.Errorf("more than %d symbolic links: %w", maxLinks, syscall.ELOOP)
}

// writeAtomic writes a new file at name, mode 0600, completely or not at
// all: a temporary file in the same directory, renamed over name.
func writeAtomic(name string, write func(io.Writer) error) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, ".keylint-*.tmp")
	if err != nil {
		return Failed(name, err, "check that the directory exists and is writable")
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return Failed(name, err, "")
	}
	fw := &fileWriter{w: tmp}
	bw := bufio.NewWriterSize(fw, 64<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		if fw.err != nil {
			return Failed(name, fw.err, "free some disk space and run again; the previous file was left untouched")
		}
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return Failed(name, err, "free some disk space and run again; the previous file was left untouched")
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return Failed(name, err, "")
	}
	if err := tmp.Close(); err != nil {
		return Failed(name, err, "")
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return Failed(name, err, "check that the directory is writable")
	}
	return nil
}

// writeInPlace writes to an existing file without replacing it: a device,
// a FIFO, or a link the kernel resolves. flag adds to O_WRONLY (O_TRUNC
// for a regular file); nothing is ever created.
func writeInPlace(ctx context.Context, name string, write func(io.Writer) error, flag int) error {
	f, err := openForWriting(ctx, name, os.O_WRONLY|syscall.O_NOCTTY|flag)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return Failed(name, err, "check that you may write to it")
	}
	fw := &fileWriter{w: f}
	bw := bufio.NewWriterSize(fw, 64<<10)
	if err := write(bw); err != nil {
		f.Close()
		if fw.err != nil {
			return Failed(name, fw.err, "")
		}
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return Failed(name, err, "")
	}
	if err := f.Close(); err != nil {
		return Failed(name, err, "")
	}
	return nil
}

// openForWriting opens name with flag. Opening a FIFO for writing blocks
// until a reader opens it; when ctx is cancelled first, openForWriting
// becomes the reader for a moment to release the blocked open, closes
// both ends, and returns ctx's error.
func openForWriting(ctx context.Context, name string, flag int) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.OpenFile(name, flag, 0)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
	}
	if r, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		o := <-ch
		if o.f != nil {
			o.f.Close()
		}
		r.Close()
	}
	return nil, ctx.Err()
}

// fileWriter records the first error of the file it writes to, so that a
// failure of the file (a full disk) is told apart from one of the writer.
type fileWriter struct {
	w   io.Writer
	err error
}

func (f *fileWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err != nil && f.err == nil {
		f.err = err
	}
	return n, err
}

// Append appends what write writes to the file name (created with mode
// 0644 if need be: the GitHub Actions step summary and outputs), in one
// write.
func Append(name string, write func(io.Writer) error) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := write(&b); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
