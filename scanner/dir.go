package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gitignore"
	"github.com/keylint/keylint/internal/trust"

	"github.com/keylint/keylint/internal/plural"
)

// Dir is a [Source] that walks files and directories as they are on disk.
// Directories are walked in lexical order; ".git" is never entered;
// .gitignore files (and .git/info/exclude of a walked repository root) are
// honoured unless NoIgnore is set. Symbolic links inside a walked
// directory are not followed, so a scan never leaves the tree and never
// loops; a path named explicitly is followed.
//
// The walk holds directories open and opens each entry relative to its
// directory (openat), with an explicit stack: the depth of a tree and the
// length of its paths do not matter. A directory or file that cannot be
// read is a warning (the scan is then incomplete), never silently left out.
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
			open := func() (*os.File, error) { return os.Open(p) }
			if err := yield(fileItem(open, filepath.ToSlash(filepath.Clean(p)), fi.Size())); err != nil {
				return err
			}
			continue
		}
		var pats []gitignore.Pattern
		if !d.NoIgnore {
			pats = readIgnoreInto(nil, filepath.Join(p, ".git", "info", "exclude"), nil)
		}
		if err := d.walk(ctx, p, pats, yield); err != nil {
			return err
		}
	}
	return nil
}

// shortPath is the longest path a file is opened by; longer ones (past
// PATH_MAX on some systems, which is 1024 bytes on macOS) are opened
// through an [os.Root] of the walk root, one component at a time.
const shortPath = 1000

// walkFrame is a directory on the walk's stack, with the entries of it
// not visited yet. Its path is not stored per frame (a tree 10,000
// directories deep would hold 10,000 paths of up to 10,000 names): the
// walk keeps the current path once, and frame i's path is its first i
// names.
type walkFrame struct {
	dispLen int // length of its display path in the walk's buffer
	ents    []walkEntry
	next    int
	id      dirID
	pats    []gitignore.Pattern
}

// treeWalk is the state of one walk of a directory tree.
type treeWalk struct {
	d       *Dir
	root    string
	yield   func(Item) error
	stack   []walkFrame
	path    []string // names from the root to the top frame's directory
	disp    []byte   // display path of the last directory or entry built
	cur     *walkDir // the top frame's directory, or nil when it was lost
	deep    *os.Root // the walk root, to open files too deep to open by path
	deepErr error
}

// walk visits the tree under root depth first, with an explicit stack.
// Only the directory being listed is held open: the walk descends with
// openat and comes back up through "..", checked against the directory it
// left, so neither depth nor path length is limited.
func (d *Dir) walk(ctx context.Context, root string, pats []gitignore.Pattern, yield func(Item) error) error {
	w := &treeWalk{d: d, root: root, yield: yield}
	cur, id, err := openWalkRoot(root)
	if err != nil {
		return yield(failedItem(root, fmt.Errorf("cannot read directory: %w", err)))
	}
	w.cur = cur
	defer func() { w.cur.close() }()
	if c := filepath.Clean(root); c != "." {
		w.disp = append(w.disp, c...) // else entries are shown as "name", as filepath.Join(".", name)
	}
	if err := w.push(id, pats); err != nil {
		return err
	}
	for n := 0; len(w.stack) > 0; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		fr := &w.stack[len(w.stack)-1]
		if fr.next == len(fr.ents) {
			if err := w.pop(); err != nil {
				return err
			}
			continue
		}
		e := fr.ents[fr.next]
		fr.next++
		if w.cur == nil || e.name == ".git" {
			continue // a lost directory is reported when leaving it
		}
		disp := w.join(fr.dispLen, e.name)
		isDir := e.mode.IsDir()
		var err error
		switch {
		case e.mode&fs.ModeSymlink != 0:
			err = yield(skipItem(disp, "symlink"))
		case len(fr.pats) > 0 && gitignore.Match(fr.pats, append(w.path, e.name), isDir):
			err = yield(skipItem(disp, "ignored"))
		case isDir:
			err = w.descend(e, fr.pats)
		case e.mode.IsRegular():
			var rel []string
			if len(disp) >= shortPath {
				rel = append(slices.Clone(w.path), e.name)
			}
			err = yield(fileItem(fileOpener(disp, rel, w.rootFS), slashPath(disp), e.size))
		case e.mode&fs.ModeIrregular != 0:
			err = yield(failedItem(disp, errors.New("cannot read its type")))
		default:
			err = yield(skipItem(disp, "special"))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// join sets the display buffer to the path of the entry name of the
// directory whose display path is the buffer's first dirLen bytes.
func (w *treeWalk) join(dirLen int, name string) string {
	w.disp = w.disp[:dirLen]
	if dirLen > 0 && !os.IsPathSeparator(w.disp[dirLen-1]) {
		w.disp = append(w.disp, filepath.Separator)
	}
	w.disp = append(w.disp, name...)
	return string(w.disp)
}

// dirDisp returns the display path of the directory whose display path is
// the buffer's first n bytes ("" is the walk root ".").
func (w *treeWalk) dirDisp(n int) string {
	if n == 0 {
		return "."
	}
	return string(w.disp[:n])
}

func (w *treeWalk) rootFS() (*os.Root, error) {
	if w.deep == nil && w.deepErr == nil {
		w.deep, w.deepErr = os.OpenRoot(w.root)
	}
	return w.deep, w.deepErr
}

// push lists the current directory, whose display path is the buffer,
// onto the stack. One that cannot be listed is pushed empty, so the walk
// comes back up from it.
func (w *treeWalk) push(id dirID, pats []gitignore.Pattern) error {
	fr := walkFrame{dispLen: len(w.disp), id: id}
	ents, err := w.cur.entries()
	if err != nil {
		w.stack = append(w.stack, fr)
		return w.yield(failedItem(w.dirDisp(len(w.disp)), fmt.Errorf("cannot read directory: %w", err)))
	}
	if !w.d.NoIgnore && slices.ContainsFunc(ents, func(e walkEntry) bool { return e.name == ".gitignore" && e.mode.IsRegular() }) {
		if f, err := w.cur.openFile(".gitignore"); err == nil {
			pats = readIgnoreFrom(pats, f, slices.Clone(w.path))
			f.Close()
		}
	}
	fr.ents, fr.pats = ents, pats
	w.stack = append(w.stack, fr)
	return nil
}

// descend enters the subdirectory e of the current directory (its display
// path is in the buffer): opened relative to the current one, without
// following a symbolic link, and checked to be the directory listed.
func (w *treeWalk) descend(e walkEntry, pats []gitignore.Pattern) error {
	child, id, err := w.cur.openChild(e.name)
	if err == nil && id != e.id {
		child.close()
		err = errors.New("it changed during the scan")
	}
	if err != nil {
		return w.yield(failedItem(string(w.disp), fmt.Errorf("cannot read directory: %w", err)))
	}
	w.cur.close()
	w.cur = child
	w.path = append(w.path, e.name)
	return w.push(id, pats)
}

// pop leaves the top directory for its parent, which must be the
// directory the walk came from; if it cannot be reached, the rest of it is
// reported as not scanned.
func (w *treeWalk) pop() error {
	w.stack = w.stack[:len(w.stack)-1]
	if len(w.stack) == 0 {
		return nil
	}
	w.path = w.path[:len(w.stack)-1]
	parent := &w.stack[len(w.stack)-1]
	up, err := w.reenter(parent)
	w.cur.close()
	w.cur = up
	if err == nil {
		return nil
	}
	rest := len(parent.ents) - parent.next
	parent.next = len(parent.ents)
	if rest == 0 {
		return nil
	}
	return w.yield(failedItem(w.dirDisp(parent.dispLen), fmt.Errorf("changed during the scan (%v): %d %s not scanned",
		err, rest, plural.Of(rest, "entry", "entries"))))
}

// reenter opens fr, the parent of the current directory, through ".."
// or, if that does not lead back to it (something was moved), from the
// walk root down its path (w.path). Either way it is the directory the
// walk listed, or an error.
func (w *treeWalk) reenter(fr *walkFrame) (*walkDir, error) {
	if w.cur != nil {
		up, id, err := w.cur.openParent()
		if err == nil && id == fr.id {
			return up, nil
		}
		up.close()
	}
	d, _, err := openWalkRoot(w.root)
	for _, name := range w.path {
		if err != nil {
			break
		}
		var next *walkDir
		next, _, err = d.openChild(name)
		d.close()
		d = next
	}
	if err != nil {
		return nil, err
	}
	if id, err := d.id(); err != nil || id != fr.id {
		d.close()
		if err == nil {
			err = errors.New("it was moved or replaced")
		}
		return nil, err
	}
	return d, nil
}

// failedItem is an item whose reading fails with err: a warning.
func failedItem(path string, err error) Item {
	return Item{Path: slashPath(path), Size: -1, Read: func([]byte, int64) ([]byte, error) { return nil, err }}
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
	return readIgnoreFrom(parent, bytes.NewReader(data), domain)
}

// readIgnoreFrom returns parent's patterns plus those read from f (at
// most 1 MiB).
func readIgnoreFrom(parent []gitignore.Pattern, f io.Reader, domain []string) []gitignore.Pattern {
	return gitignore.Parse(parent[:len(parent):len(parent)], f, domain)
}

// fileItem makes the item for one regular file, opened by open.
func fileItem(open func() (*os.File, error), display string, size int64) Item {
	return Item{Path: display, Size: size, InHead: true, Read: func(dst []byte, limit int64) ([]byte, error) {
		f, err := open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readLimited(f, dst, limit, display)
	}, Open: func() (io.ReadCloser, error) {
		f, err := open()
		if err != nil {
			return nil, err
		}
		return f, nil
	}}
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

// Paths is the source of the paths a command line names: files and
// directories, with "-" for stdin (nothing is "."). start is where the
// configuration is looked for from: the first path that is not "-", else
// ".". A path that cannot be scanned is a usage error (keylint exits 2).
func Paths(paths []string, stdin io.Reader, noIgnore bool) (start string, src Source, err error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var srcs Multi
	var dirs []string
	for _, p := range paths {
		if p == "-" {
			srcs = append(srcs, &Reader{Name: "stdin", R: stdin})
			continue
		}
		if _, err := os.Stat(p); err != nil {
			const hint = "check the path, or use \"-\" to read stdin"
			if errors.Is(err, fs.ErrNotExist) {
				return "", nil, clierr.Usagef(hint, "%s does not exist", p)
			}
			return "", nil, clierr.Usagef(hint, "cannot scan %q: %v", p, errors.Unwrap(err))
		}
		dirs = append(dirs, p)
	}
	if len(dirs) == 0 {
		return ".", srcs, nil
	}
	return dirs[0], append(Multi{&Dir{Paths: dirs, NoIgnore: noIgnore}}, srcs...), nil
}
