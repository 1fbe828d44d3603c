package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/keylint/keylint/internal/safeio"
)

// This file is where keylint's output leaves the process: standard output
// (a pipe that may close early, a closed descriptor, a full disk) and the
// files named by --output, --sarif and the baseline commands (which may be
// a device, a FIFO or a symbolic link).
//
// The behaviour, documented in the README:
//
//   - The reader of standard output went away (EPIPE, `keylint scan | head`):
//     keylint stops writing, quietly, and exits with the code it would have
//     had (1 when there are findings), like git and ripgrep. SIGPIPE does
//     not kill the process (main asks for it to be delivered as a signal,
//     which keylint ignores, so writes return EPIPE instead).
//   - Any other failure to write standard output (closed, /dev/full, a
//     disk that filled up): an error on stderr and exit code 4
//     (exitOutput), for every command.
//   - Standard output closed at start (`keylint scan >&-`): the Go runtime
//     puts /dev/null, opened read-write, in its place; keylint recognises
//     it and fails the first write, so the report is never silently lost.
//     A /dev/null that the shell opened (`> /dev/null`) is write-only and
//     is a normal, deliberate destination.

// errStdoutClosed is the write error for a standard output that was closed
// when keylint started.
var errStdoutClosed = errors.New("standard output is closed")

// stdoutWriter is the command's standard output. It records the first
// write error, and after EPIPE discards everything quietly.
type stdoutWriter struct {
	w      io.Writer
	closed bool  // closed at start: every write fails
	gone   bool  // the reader went away: writes are discarded
	err    error // the first write error other than EPIPE
}

// newStdoutWriter wraps w, once. A *os.File that is the read-write
// /dev/null the Go runtime opens for a closed descriptor counts as closed.
func newStdoutWriter(w io.Writer) *stdoutWriter {
	if s, ok := w.(*stdoutWriter); ok {
		return s
	}
	s := &stdoutWriter{w: w}
	if f, ok := w.(*os.File); ok {
		s.closed = replacedByRuntime(f)
	}
	return s
}

// Write writes p, or reports why it cannot.
func (s *stdoutWriter) Write(p []byte) (int, error) {
	switch {
	case s.gone:
		return len(p), nil
	case s.err != nil:
		return 0, s.err
	case s.closed:
		s.err = errStdoutClosed
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err != nil {
		if readerGone(err) {
			s.gone = true
			return len(p), nil
		}
		s.err = err
	}
	return n, err
}

// readerGone reports whether err means that the reader of a pipe went away.
func readerGone(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrClosedPipe)
}

// result returns the error a command ends with, given the error it
// returned: a failed write to standard output becomes an *outputError
// (unless the command failed for another reason first).
func (s *stdoutWriter) result(err error) error {
	if s.err == nil || (err != nil && !errors.Is(err, errHelp) && !errors.Is(err, s.err)) {
		return err
	}
	return &outputError{
		err:  fmt.Errorf("cannot write to standard output: %w", s.err),
		hint: "write the report to a file with --output FILE, or redirect standard output (> /dev/null discards it on purpose)",
	}
}

// outputError is a report that could not be written: exit code exitOutput.
type outputError struct {
	err  error
	hint string
}

func (e *outputError) Error() string { return e.err.Error() }
func (e *outputError) Unwrap() error { return e.err }

// outputFailed wraps a failure to write the file name.
func outputFailed(name string, err error, hint string) error {
	return &outputError{err: fmt.Errorf("cannot write %s: %w", name, err), hint: hint}
}

// writeFileAtomic is writeOutput without cancellation (a FIFO waits for
// its reader until one comes).
func writeFileAtomic(name string, write func(io.Writer) error) error {
	return writeOutput(context.Background(), name, write)
}

// writeOutput writes a report (or baseline, or converted configuration) to
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
func writeOutput(ctx context.Context, name string, write func(io.Writer) error) error {
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		target, _, err := resolveLinks(name)
		if err != nil {
			return outputFailed(name, err, "check the symbolic links on the way to the file")
		}
		return writeAtomic(target, write)
	case err != nil:
		return outputFailed(name, err, "check that the path is correct and the directory is readable")
	case fi.Mode().IsRegular():
		target, magic, err := resolveLinks(name)
		if err != nil {
			return outputFailed(name, err, "check the symbolic links on the way to the file")
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
		return usagef("give a file name, e.g. --output "+filepath.Join(name, "keylint-report"),
			"cannot write the report to %s: it is a directory", name)
	case fi.Mode()&fs.ModeCharDevice != 0, fi.Mode()&fs.ModeNamedPipe != 0:
		return writeInPlace(ctx, name, write, 0)
	default:
		return usagef("write the report to a regular file, a character device such as /dev/null, or a FIFO",
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
		return outputFailed(name, err, "check that the directory exists and is writable")
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return outputFailed(name, err, "")
	}
	fw := &fileWriter{w: tmp}
	bw := bufio.NewWriterSize(fw, 64<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		if fw.err != nil {
			return outputFailed(name, fw.err, "free some disk space and run again; the previous file was left untouched")
		}
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return outputFailed(name, err, "free some disk space and run again; the previous file was left untouched")
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return outputFailed(name, err, "")
	}
	if err := tmp.Close(); err != nil {
		return outputFailed(name, err, "")
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return outputFailed(name, err, "check that the directory is writable")
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
		return outputFailed(name, err, "check that you may write to it")
	}
	fw := &fileWriter{w: f}
	bw := bufio.NewWriterSize(fw, 64<<10)
	if err := write(bw); err != nil {
		f.Close()
		if fw.err != nil {
			return outputFailed(name, fw.err, "")
		}
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return outputFailed(name, err, "")
	}
	if err := f.Close(); err != nil {
		return outputFailed(name, err, "")
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
