package scanner

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
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/keylint/keylint/internal/trust"
)

// Dir is a [Source] that walks files and directories as they are on disk.
// Directories are walked in lexical order; ".git" is never entered;
// .gitignore files (and .git/info/exclude of a walked repository root) are
// honoured unless NoIgnore is set. Symbolic links inside a walked
// directory are not followed, so a scan never leaves the tree and never
// loops; a path named explicitly is followed.
type Dir struct {
	Paths    []string
	NoIgnore bool
}

// Items implements [Source].
func (d *Dir) Items(ctx context.Context, yield func(Item) error) error {
	for _, p := range d.Paths {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("cannot scan %q: %w", p, err)
		}
		if !fi.IsDir() {
			if err := yield(fileItem(p, filepath.ToSlash(filepath.Clean(p)), fi)); err != nil {
				return err
			}
			continue
		}
		var pats []gitignore.Pattern
		if !d.NoIgnore {
			pats = readIgnoreInto(nil, filepath.Join(p, ".git", "info", "exclude"), nil)
		}
		if err := d.walk(ctx, p, nil, pats, yield); err != nil {
			return err
		}
	}
	return nil
}

// walk visits dir, whose path relative to the walk root is rel.
func (d *Dir) walk(ctx context.Context, dir string, rel []string, pats []gitignore.Pattern, yield func(Item) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		// Report as a warning through a failing item; the walk goes on.
		return yield(Item{Path: slashPath(dir), Size: -1, Read: func([]byte, int64) ([]byte, error) {
			return nil, fmt.Errorf("cannot read directory: %w", err)
		}})
	}
	if !d.NoIgnore {
		pats = readIgnoreInto(pats, filepath.Join(dir, ".gitignore"), rel)
	}
	var m gitignore.Matcher
	if len(pats) > 0 {
		m = gitignore.NewMatcher(pats)
	}
	for _, e := range entries {
		name := e.Name()
		full := filepath.Join(dir, name)
		if name == ".git" {
			continue
		}
		childRel := append(rel[:len(rel):len(rel)], name)
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			if err := yield(skipItem(full, "symlink")); err != nil {
				return err
			}
			continue
		}
		if m != nil && m.Match(childRel, e.IsDir()) {
			if err := yield(skipItem(full, "ignored")); err != nil {
				return err
			}
			continue
		}
		switch {
		case e.IsDir():
			if err := d.walk(ctx, full, childRel, pats, yield); err != nil {
				return err
			}
		case typ.IsRegular():
			fi, err := e.Info()
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue // removed while walking
				}
				fi = nil
			}
			if err := yield(fileItem(full, slashPath(full), fi)); err != nil {
				return err
			}
		default:
			if err := yield(skipItem(full, "special")); err != nil {
				return err
			}
		}
	}
	return nil
}

// skipItem is an item the engine counts as skipped for reason.
func skipItem(p, reason string) Item {
	display := slashPath(p)
	return Item{Path: display, Size: -1, Read: func([]byte, int64) ([]byte, error) {
		return nil, &SkipError{Reason: reason, Path: display}
	}}
}

func slashPath(p string) string { return filepath.ToSlash(p) }

// readIgnoreInto returns parent's patterns plus those of one ignore file,
// whose directory is domain (relative to the walk root).
func readIgnoreInto(parent []gitignore.Pattern, file string, domain []string) []gitignore.Pattern {
	// Through trust.ReadFile: a FIFO or device named .gitignore (or
	// .git/info/exclude) is refused before it is opened, so it cannot
	// block the walk; the walk counts it as a skipped special file.
	data, err := trust.ReadFile(context.Background(), file)
	if err != nil {
		return parent
	}
	out := parent[:len(parent):len(parent)]
	sc := bufio.NewScanner(io.LimitReader(bytes.NewReader(data), 1<<20))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		out = append(out, gitignore.ParsePattern(line, domain))
	}
	return out
}

// fileItem makes the item for one regular file.
func fileItem(full, display string, fi fs.FileInfo) Item {
	size := int64(-1)
	if fi != nil {
		size = fi.Size()
	}
	return Item{Path: display, Size: size, InHead: true, Read: func(dst []byte, limit int64) ([]byte, error) {
		f, err := os.Open(full)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readLimited(f, dst, limit, display)
	}, Open: func() (io.ReadCloser, error) { return os.Open(full) }}
}

// readLimited reads r into dst, failing with a "too-large" skip past limit.
func readLimited(r io.Reader, dst []byte, limit int64, display string) ([]byte, error) {
	buf := bytes.NewBuffer(dst[:0])
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, &SkipError{Reason: "too-large", Path: display}
	}
	return buf.Bytes(), nil
}

// Reader is a [Source] of one stream, such as stdin.
type Reader struct {
	// Name is the path reported for the stream ("stdin").
	Name string
	R    io.Reader
}

// Items implements [Source].
func (r *Reader) Items(ctx context.Context, yield func(Item) error) error {
	return yield(Item{Path: r.Name, Size: -1, InHead: true, Read: func(dst []byte, limit int64) ([]byte, error) {
		return readLimited(r.R, dst, limit, r.Name)
	}, Open: func() (io.ReadCloser, error) { return io.NopCloser(r.R), nil }})
}

// Multi chains sources, in order.
type Multi []Source

// Items implements [Source].
func (m Multi) Items(ctx context.Context, yield func(Item) error) error {
	for _, s := range m {
		if err := s.Items(ctx, yield); err != nil {
			return err
		}
	}
	return nil
}
