// Package trust reads the files that decide what keylint does not report:
// configuration files and the files they extend, baselines, ignore files.
//
// Every such file is read through this package, so the same guarantees hold
// for each: it is a regular file (after following symbolic links, the
// target must be one: FIFOs, devices, sockets and directories are refused
// before they are opened), it is at most [MaxSize] bytes, and reading it
// stops when the context is cancelled. In a pull request these files come
// from the base commit ([Tree]), never from the work tree the pull request
// controls.
package trust

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/keylint/keylint/internal/safeio"
)

// MaxSize is the largest trust file keylint reads: far above any real
// configuration or baseline, far below what could exhaust memory.
const MaxSize = 16 << 20

// The reasons a trust file is refused; test them with errors.Is.
var (
	// ErrNotRegular: the path (or what its symbolic links lead to) is a
	// FIFO, device, socket, directory or anything else but a regular file.
	ErrNotRegular = safeio.ErrNotRegular
	// ErrTooLarge: the file is larger than MaxSize.
	ErrTooLarge = fmt.Errorf("larger than %d MiB", MaxSize>>20)
	// ErrOutside: the path leaves the repository or tree it must stay in.
	ErrOutside = errors.New("outside the repository")
)

// Error is a trust file keylint refuses to read, with what to do about it.
type Error struct {
	// Path names the file as the user or the extending file spelled it.
	Path string
	// Err is ErrNotRegular, ErrTooLarge or ErrOutside, possibly wrapped
	// with detail.
	Err error
	// Hint says what to do next.
	Hint string
}

// Error names the file and says why it was refused.
func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the reason, for errors.Is with ErrNotRegular, ErrTooLarge
// or ErrOutside.
func (e *Error) Unwrap() error { return e.Err }

const defaultHint = "configuration, baseline and ignore files must be regular files of at most 16 MiB inside the repository; point keylint at such a file"

func refuse(path string, err error) *Error {
	return &Error{Path: path, Err: err, Hint: defaultHint}
}

// ReadFile reads the trust file at path: a regular file of at most MaxSize
// bytes. A missing file is an error satisfying errors.Is(err,
// fs.ErrNotExist); a file of the wrong kind or size is an *Error.
func ReadFile(ctx context.Context, path string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Through safeio: opening a FIFO for reading blocks until a writer
	// comes, and reading a device never ends.
	f, err := safeio.Open(path)
	var pe *fs.PathError
	if errors.Is(err, ErrNotRegular) && errors.As(err, &pe) {
		return nil, refuse(path, pe.Err)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if fi.Size() > MaxSize {
		return nil, refuse(path, ErrTooLarge)
	}
	return Read(ctx, path, f)
}

// chunk is how much Read reads between two looks at the context.
const chunk = 256 << 10

// Read reads r to its end, refusing more than MaxSize bytes and stopping
// when ctx is cancelled; name is used in errors. Use it for trust inputs
// that are not files (a blob, a pipe the user chose).
func Read(ctx context.Context, name string, r io.Reader) ([]byte, error) {
	var buf []byte
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(buf) > MaxSize {
			return nil, refuse(name, ErrTooLarge)
		}
		if cap(buf)-len(buf) < chunk {
			grown := make([]byte, len(buf), min(2*cap(buf)+chunk, MaxSize+chunk+1))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), len(buf)+chunk)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			if len(buf) > MaxSize {
				return nil, refuse(name, ErrTooLarge)
			}
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
	}
}
