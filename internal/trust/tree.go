package trust

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/gitexec"
)

// Tree reads trust files from one commit of a repository with git, never
// from the work tree. Paths are slash-separated and relative to the root
// of the commit's tree. Symbolic links stored in the tree (mode 120000) are
// followed inside the tree only: one that leads out of it is refused, never
// followed to the disk of the machine keylint runs on.
type Tree struct {
	// Dir is the repository: its work tree or its git directory.
	Dir string
	// Rev is the commit, best given as a full object id.
	Rev string
}

// state is what git says of a path in a tree.
type state int

const (
	found   state = iota // an object: see typ
	missing              // no such path (or a dangling link, or a file used as a directory)
	outside              // a symbolic link leading out of the tree
	loop                 // symbolic links that lead to each other
)

// entry is git's answer about one path: the object it leads to once the
// tree's symbolic links are followed.
type entry struct {
	state  state
	oid    string
	typ    string
	size   int64
	target string // where an outside link leads
}

// lookup asks git, in one process, what each of the object names
// ("rev:path") leads to, following symbolic links inside the tree.
func lookup(ctx context.Context, dir string, names []string) ([]entry, error) {
	var in bytes.Buffer
	for _, n := range names {
		if strings.ContainsAny(n, "\n\x00") {
			return nil, refuse(n, errors.New("the path holds a newline or NUL byte"))
		}
		in.WriteString(n)
		in.WriteByte('\n')
	}
	args := []string{"cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)", "--follow-symlinks"}
	cmd := gitexec.Command(ctx, dir, args...)
	cmd.Stdin = &in
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &gitexec.Error{Args: args, Stderr: stderr.String(), Err: err}
	}
	br := bufio.NewReader(&out)
	es := make([]entry, 0, len(names))
	for _, n := range names {
		e, err := parseEntry(br, n)
		if err != nil {
			return nil, fmt.Errorf("git cat-file --batch-check about %s: %w", n, err)
		}
		es = append(es, e)
	}
	return es, nil
}

// parseEntry reads git's answer about name from the output of cat-file
// --batch-check --follow-symlinks.
func parseEntry(br *bufio.Reader, name string) (entry, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return entry{}, fmt.Errorf("unexpected end of output: %w", err)
	}
	line = strings.TrimSuffix(line, "\n")
	if line == name+" missing" {
		return entry{state: missing}, nil
	}
	f := strings.Fields(line)
	if len(f) == 2 {
		// "symlink|dangling|loop|notdir SIZE", then SIZE bytes and a newline.
		size, err := strconv.Atoi(f[1])
		if err != nil || size < 0 || size > 1<<20 {
			return entry{}, fmt.Errorf("unexpected line %q", line)
		}
		body := make([]byte, size+1)
		if _, err := io.ReadFull(br, body); err != nil {
			return entry{}, fmt.Errorf("unexpected end of output: %w", err)
		}
		switch f[0] {
		case "symlink":
			return entry{state: outside, target: string(body[:size])}, nil
		case "dangling", "notdir":
			return entry{state: missing}, nil
		case "loop":
			return entry{state: loop}, nil
		}
		return entry{}, fmt.Errorf("unexpected line %q", line)
	}
	if len(f) != 3 {
		return entry{}, fmt.Errorf("unexpected line %q", line)
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return entry{}, fmt.Errorf("unexpected line %q", line)
	}
	return entry{state: found, oid: f[0], typ: f[1], size: size}, nil
}

// CleanPath checks that name is a relative path that stays inside a tree
// and returns it cleaned ("./a/../b" is "b"). A path leaving the tree is an
// *Error with ErrOutside.
func CleanPath(name string) (string, error) {
	slash := filepath.ToSlash(name)
	if slash == "" {
		return "", refuse(name, fmt.Errorf("%w: empty path", ErrNotRegular))
	}
	if path.IsAbs(slash) || filepath.IsAbs(name) || filepath.VolumeName(name) != "" {
		return "", refuse(name, fmt.Errorf("%w: an absolute path", ErrOutside))
	}
	if strings.ContainsAny(slash, "\n\x00") {
		return "", refuse(name, errors.New("the path holds a newline or NUL byte"))
	}
	c := path.Clean(slash)
	switch {
	case c == ".":
		return "", refuse(name, fmt.Errorf("%w (it is the repository root)", ErrNotRegular))
	case c == ".." || strings.HasPrefix(c, "../"):
		return "", refuse(name, fmt.Errorf("%w: the path climbs above the repository root", ErrOutside))
	}
	return c, nil
}

// Read returns the content of the file at name in the tree. A path the
// tree does not hold is an error satisfying errors.Is(err, fs.ErrNotExist);
// a directory, a link leading out of the tree or a blob over MaxSize is an
// *Error.
func (t *Tree) Read(ctx context.Context, name string) ([]byte, error) {
	e, err := t.entry(ctx, name)
	if err != nil {
		return nil, err
	}
	if err := e.check(t, name); err != nil {
		return nil, err
	}
	data, err := gitexec.Output(ctx, t.Dir, "cat-file", "blob", e.oid)
	if err != nil {
		return nil, fmt.Errorf("reading %s from commit %s: %w", name, short(t.Rev), err)
	}
	return data, nil
}

// Exists reports whether the tree holds a file at name. It is an error for
// name to leave the tree, or to be a link that does.
func (t *Tree) Exists(ctx context.Context, name string) (bool, error) {
	e, err := t.entry(ctx, name)
	if err != nil {
		return false, err
	}
	if err := e.check(t, name); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

func (t *Tree) entry(ctx context.Context, name string) (entry, error) {
	c, err := CleanPath(name)
	if err != nil {
		return entry{}, err
	}
	es, err := lookup(ctx, t.Dir, []string{t.Rev + ":" + c})
	if err != nil {
		return entry{}, err
	}
	return es[0], nil
}

// check turns an entry that is not a readable file into an error.
func (e entry) check(t *Tree, name string) error {
	switch e.state {
	case missing:
		return &fs.PathError{Op: "read from commit " + short(t.Rev), Path: name, Err: fs.ErrNotExist}
	case outside:
		return &Error{Path: name, Err: fmt.Errorf("%w: in commit %s it is a symbolic link to %q, which keylint does not follow out of the repository", ErrOutside, short(t.Rev), e.target),
			Hint: "make it a regular file, or a link to a file inside the repository, on the base branch"}
	case loop:
		return refuse(name, fmt.Errorf("%w: in commit %s it is a loop of symbolic links", ErrNotRegular, short(t.Rev)))
	}
	if e.typ != "blob" {
		return refuse(name, fmt.Errorf("%w (in commit %s it is a %s)", ErrNotRegular, short(t.Rev), e.typ))
	}
	if e.size > MaxSize {
		return refuse(name, ErrTooLarge)
	}
	return nil
}

// Changed returns the names whose file differs between the tree and the
// commit other: added, removed, edited, or reached through a link that
// now leads elsewhere. Names that leave the tree are skipped.
func (t *Tree) Changed(ctx context.Context, other string, names []string) ([]string, error) {
	var keep, objs []string
	for _, n := range names {
		c, err := CleanPath(n)
		if err != nil {
			continue
		}
		keep = append(keep, n)
		objs = append(objs, t.Rev+":"+c, other+":"+c)
	}
	if len(objs) == 0 {
		return nil, nil
	}
	es, err := lookup(ctx, t.Dir, objs)
	if err != nil {
		return nil, err
	}
	var changed []string
	for i, n := range keep {
		if es[2*i] != es[2*i+1] {
			changed = append(changed, n)
		}
	}
	return changed, nil
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// Root returns the top directory of the work tree dir belongs to.
func Root(ctx context.Context, dir string) (string, error) {
	out, err := gitexec.Output(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", err
	}
	root := strings.TrimSuffix(string(out), "\n")
	if root == "" {
		return "", fmt.Errorf("%s has no work tree", dir)
	}
	return root, nil
}

// TreePath turns a path spelled on the command line into the path of the
// same file inside the repository whose work tree is root, without
// following any symbolic link of the work tree (the pull request controls
// those): "x", "./x", "a/../x" and root+"/x" are all "x". A relative path
// is taken from cwd when cwd is inside the work tree (as in a workflow
// step), else from root. A path outside the work tree, even one reached
// through a link outside it that leads in, ends in the work tree only if
// the links outside lead there; anything else is an *Error with ErrOutside.
func TreePath(root, cwd, spelled string) (string, error) {
	if spelled == "" {
		return "", refuse(spelled, fmt.Errorf("%w: empty path", ErrNotRegular))
	}
	roots := rootForms(root)
	p := spelled
	if !filepath.IsAbs(p) {
		p = filepath.Join(relativeBase(roots, cwd), p)
	}
	p = filepath.Clean(p)
	for _, r := range roots {
		if rel, ok := within(r, p); ok {
			return CleanPath(rel)
		}
	}
	// Outside as spelled: the work tree may be reached through a link
	// outside it (the workspace under another name). Follow links only
	// until the path enters the work tree.
	real := roots[len(roots)-1]
	vol := filepath.VolumeName(p)
	comps := strings.Split(strings.TrimPrefix(p[len(vol):], string(filepath.Separator)), string(filepath.Separator))
	prefix := vol + string(filepath.Separator)
	for i, c := range comps {
		prefix = filepath.Join(prefix, c)
		r, err := filepath.EvalSymlinks(prefix)
		if err != nil {
			break
		}
		if rel, ok := within(real, r); ok {
			return CleanPath(filepath.Join(append([]string{rel}, comps[i+1:]...)...))
		}
	}
	return "", &Error{Path: spelled, Err: fmt.Errorf("%w (%s)", ErrOutside, root),
		Hint: "in a pull request keylint reads configuration and baselines from the base commit only: name a file inside the repository, committed on the base branch"}
}

// relativeBase is the directory relative paths are taken from: cwd when
// it is inside the work tree (as spelled, or once its links are resolved,
// as os.Getwd may give either), else the work tree's root.
func relativeBase(roots []string, cwd string) string {
	if cwd == "" {
		return roots[0]
	}
	forms := []string{filepath.Clean(cwd)}
	if r, err := filepath.EvalSymlinks(cwd); err == nil {
		forms = append(forms, r)
	}
	for _, c := range forms {
		for _, r := range roots {
			if _, ok := within(r, c); ok {
				return c
			}
		}
	}
	return roots[0]
}

// rootForms returns root cleaned and, when different, with its symbolic
// links resolved (last).
func rootForms(root string) []string {
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = filepath.Clean(root)
	}
	out := []string{abs}
	if r, err := filepath.EvalSymlinks(abs); err == nil && r != abs {
		out = append(out, r)
	}
	return out
}

// within returns p relative to root when p is inside root (or is root).
func within(root, p string) (string, bool) {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return rel, true
}
