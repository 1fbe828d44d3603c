// Package iostreams holds the streams a keylint command talks through
// (standard input, output and error, and the environment), tells a
// terminal from a file or a pipe, and handles standard output's failure
// modes. [Test] gives a command in-memory streams, either of which may pass
// for a terminal, so that colour and progress are tested in-process.
//
// Standard output's behaviour, documented in the README:
//
//   - The reader of standard output went away (EPIPE, `keylint scan | head`):
//     keylint stops writing, quietly, and exits with the code it would have
//     had (1 when there are findings), like git and ripgrep. SIGPIPE does
//     not kill the process (main asks for it to be delivered as a signal,
//     which keylint ignores, so writes return EPIPE instead).
//   - Any other failure to write standard output (closed, /dev/full, a
//     disk that filled up): the command fails (exit code 4).
//   - Standard output closed at start (`keylint scan >&-`): the Go runtime
//     puts /dev/null, opened read-write, in its place; keylint recognises
//     it and fails the first write, so the report is never silently lost.
//     A /dev/null that the shell opened (`> /dev/null`) is write-only and
//     is a normal, deliberate destination.
package iostreams

import (
	"bytes"
	"errors"
	"io"
	"os"
	"syscall"

	"github.com/mattn/go-isatty"
)

// IOStreams are a command's streams and environment.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// Getenv reads an environment variable.
	Getenv func(string) string
}

// System returns the process's streams and environment.
func System() IOStreams {
	return IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, Getenv: os.Getenv}
}

// Test returns in-memory streams and an empty environment (set
// variables in env). Set Terminal on out or errOut to make that stream
// pass for a terminal.
func Test(env map[string]string) (ios IOStreams, in *bytes.Buffer, out, errOut *Buffer) {
	in, out, errOut = &bytes.Buffer{}, &Buffer{}, &Buffer{}
	return IOStreams{In: in, Out: out, ErrOut: errOut, Getenv: func(k string) string { return env[k] }}, in, out, errOut
}

// Buffer is an in-memory output stream for tests.
type Buffer struct {
	bytes.Buffer
	// Terminal makes the buffer pass for a terminal.
	Terminal bool
}

// IsTerminal reports whether the buffer passes for a terminal.
func (b *Buffer) IsTerminal() bool { return b.Terminal }

// terminal is a stream that knows whether it is a terminal.
type terminal interface{ IsTerminal() bool }

// IsTerminal reports whether w is a terminal: not a file, a pipe or
// /dev/null (which is a character device too).
func IsTerminal(w io.Writer) bool {
	switch w := w.(type) {
	case terminal:
		return w.IsTerminal()
	case *os.File:
		return isatty.IsTerminal(w.Fd())
	}
	return false
}

// errStdoutClosed is the write error for a standard output that was closed
// when keylint started.
var errStdoutClosed = errors.New("standard output is closed")

// Stdout is a command's standard output. It records the first write error,
// and after EPIPE discards everything quietly.
type Stdout struct {
	w      io.Writer
	closed bool  // closed at start: every write fails
	gone   bool  // the reader went away: writes are discarded
	err    error // the first write error other than EPIPE
}

// NewStdout wraps w, once. A *os.File that is the read-write /dev/null the
// Go runtime opens for a closed descriptor counts as closed.
func NewStdout(w io.Writer) *Stdout {
	if s, ok := w.(*Stdout); ok {
		return s
	}
	s := &Stdout{w: w}
	if f, ok := w.(*os.File); ok {
		s.closed = replacedByRuntime(f)
	}
	return s
}

// Write writes p, or reports why it cannot.
func (s *Stdout) Write(p []byte) (int, error) {
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
		if ReaderGone(err) {
			s.gone = true
			return len(p), nil
		}
		s.err = err
	}
	return n, err
}

// Err is the first write error other than the reader going away.
func (s *Stdout) Err() error { return s.err }

// IsTerminal reports whether the wrapped stream is a terminal.
func (s *Stdout) IsTerminal() bool { return IsTerminal(s.w) }

// ReaderGone reports whether err means that the reader of a pipe went away.
func ReaderGone(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrClosedPipe)
}
