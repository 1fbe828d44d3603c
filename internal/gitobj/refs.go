package gitobj

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/safeio"
)

// Ref is a reference as the files of a repository store it: a name and
// either the object it names or, for a symbolic ref, the ref it names.
type Ref struct {
	Name   string
	ID     ID
	Target string // a symbolic ref's target ("refs/heads/main"); "" otherwise
}

// ErrBadRef marks a ref whose file or packed-refs line is not what git
// writes. [ReadRefs] returns it wrapped in a *[RefError].
var ErrBadRef = errors.New("not an object id or a symbolic ref")

// RefError is a ref that could not be read: Name is the ref ("HEAD",
// "refs/heads/main"), or "packed-refs" for a line of that file that names
// no ref.
type RefError struct {
	Name string
	File string
	Err  error
}

func (e *RefError) Error() string {
	return fmt.Sprintf("ref %s (%s): %v", e.Name, e.File, e.Err)
}

func (e *RefError) Unwrap() error { return e.Err }

// Limits on ref files: a loose ref is one short line; packed-refs holds
// every ref of a repository, so it may be large but not unbounded.
const (
	maxLooseRef   = 4 << 10
	maxPackedRefs = 1 << 30
	maxRefFiles   = 1 << 22 // loose refs under refs/
)

// ParseRef parses the content of a loose ref file: 40 hexadecimal digits
// or "ref: " and a ref name, then a newline (optional). Anything else,
// "garbage", is an error wrapping [ErrBadRef].
func ParseRef(data []byte) (id ID, target string, err error) {
	line := bytes.TrimRight(data, "\n")
	if bytes.IndexByte(line, '\n') >= 0 {
		return id, "", fmt.Errorf("%w: more than one line", ErrBadRef)
	}
	if t, ok := bytes.CutPrefix(line, []byte("ref:")); ok {
		t = bytes.TrimSpace(t)
		if !validRefName(t) {
			return id, "", fmt.Errorf("%w: symbolic ref to %s", ErrBadRef, quoteSnippet(t))
		}
		return id, string(t), nil
	}
	id, err = parseRefID(line)
	if err != nil {
		return id, "", fmt.Errorf("%w: %s", ErrBadRef, quoteSnippet(line))
	}
	return id, "", nil
}

// ParsePackedRefs parses a packed-refs file, calling fn for each ref in
// order. Peeled lines ("^<id>", the object an annotated tag names) are
// checked and skipped; comment lines ("# pack-refs with: ...") are
// skipped. Each malformed line is returned as a *[RefError] wrapping
// [ErrBadRef] (naming the ref when the line has one); the other lines are
// still parsed.
func ParsePackedRefs(data []byte, fn func(name string, id ID)) []error {
	var errs []error
	bad := func(name string, n int, what string) {
		if name == "" {
			name = "packed-refs"
		}
		errs = append(errs, &RefError{Name: name, File: "packed-refs line " + strconv.Itoa(n), Err: fmt.Errorf("%w: %s", ErrBadRef, what)})
	}
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0 || line[0] == '#':
			continue
		case line[0] == '^':
			if _, err := parseRefID(line[1:]); err != nil {
				bad("", n, "bad peeled line "+quoteSnippet(line))
			}
			continue
		}
		hx, name, ok := bytes.Cut(line, []byte(" "))
		if !ok || !validRefName(name) {
			bad("", n, quoteSnippet(line))
			continue
		}
		id, err := parseRefID(hx)
		if err != nil {
			bad(string(name), n, quoteSnippet(hx))
			continue
		}
		fn(string(name), id)
	}
	return errs
}

// parseHexID parses exactly 40 hexadecimal digits; the all-zero id, which
// git never stores in a ref, is garbage too.
func parseRefID(b []byte) (ID, error) {
	if len(b) != 40 {
		return ID{}, errors.New("not 40 hexadecimal digits")
	}
	id, err := ParseID(string(b))
	if err == nil && id.IsZero() {
		err = errors.New("the null object id")
	}
	return id, err
}

// validRefName accepts what git accepts as a ref name, as far as a reader
// needs: HEAD-like names or names under refs/, without control
// characters, spaces, "..", or components starting with a dot.
func validRefName(b []byte) bool {
	if len(b) == 0 || len(b) > 4096 {
		return false
	}
	s := string(b)
	if !strings.HasPrefix(s, "refs/") && strings.ContainsRune(s, '/') {
		return false
	}
	for _, c := range b {
		if c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' || c == '\\' {
			return false
		}
	}
	if strings.Contains(s, "..") || strings.Contains(s, "//") || strings.HasSuffix(s, "/") || strings.HasSuffix(s, ".lock") {
		return false
	}
	for c := range strings.SplitSeq(s, "/") {
		if c == "" || c[0] == '.' {
			return false
		}
	}
	return true
}

// quoteSnippet shows the start of untrusted bytes, quoted, for a message.
func quoteSnippet(b []byte) string {
	if len(b) > 48 {
		return strconv.QuoteToASCII(string(b[:48])) + "…"
	}
	return strconv.QuoteToASCII(string(b))
}

// ReadRefs reads every ref of a repository as git stores them in files:
// HEAD (from gitDir, the per-worktree git directory), packed-refs and the
// loose refs under refs/ (from commonDir, where they are shared), loose
// refs overriding packed ones. Per-worktree refs (refs/worktree,
// refs/bisect, refs/rewritten) come from gitDir. Refs are returned sorted
// by name; every ref that cannot be read is returned as a *[RefError].
// Symbolic links and other special files under refs/ are not followed.
func ReadRefs(gitDir, commonDir string) ([]Ref, []error) {
	var errs []error
	byName := map[string]Ref{}
	if data, err := readRefFile(filepath.Join(commonDir, "packed-refs"), maxPackedRefs); err == nil {
		errs = append(errs, ParsePackedRefs(data, func(name string, id ID) { byName[name] = Ref{Name: name, ID: id} })...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, &RefError{Name: "packed-refs", File: filepath.Join(commonDir, "packed-refs"), Err: err})
	}
	perWorktree := func(name string) bool {
		for _, p := range []string{"refs/worktree/", "refs/bisect/", "refs/rewritten/"} {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
		return false
	}
	files := 0
	walk := func(base string, keep func(string) bool) {
		root := filepath.Join(base, "refs")
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					errs = append(errs, &RefError{Name: refName(base, path), File: path, Err: err})
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			name := refName(base, path)
			if !keep(name) || strings.HasSuffix(name, ".lock") {
				return nil
			}
			if files++; files > maxRefFiles {
				errs = append(errs, &RefError{Name: name, File: path, Err: fmt.Errorf("more than %d loose refs: the rest were not read", maxRefFiles)})
				return filepath.SkipAll
			}
			ref, err := readLooseRef(path, name)
			if err != nil {
				errs = append(errs, err)
				delete(byName, name) // the packed value is stale; git would not use it either
				return nil
			}
			byName[name] = ref
			return nil
		})
	}
	walk(commonDir, func(n string) bool { return gitDir == commonDir || !perWorktree(n) })
	if gitDir != commonDir {
		walk(gitDir, perWorktree)
	}
	if ref, err := readLooseRef(filepath.Join(gitDir, "HEAD"), "HEAD"); err != nil {
		errs = append(errs, err)
	} else {
		byName["HEAD"] = ref
	}
	refs := make([]Ref, 0, len(byName))
	for _, r := range byName {
		refs = append(refs, r)
	}
	slices.SortFunc(refs, func(a, b Ref) int { return strings.Compare(a.Name, b.Name) })
	return refs, errs
}

func refName(base, path string) string {
	rel, err := filepath.Rel(base, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

// readLooseRef reads and parses one loose ref file.
func readLooseRef(path, name string) (Ref, error) {
	data, err := readRefFile(path, maxLooseRef)
	if err != nil {
		return Ref{}, &RefError{Name: name, File: path, Err: err}
	}
	id, target, err := ParseRef(data)
	if err != nil {
		return Ref{}, &RefError{Name: name, File: path, Err: err}
	}
	return Ref{Name: name, ID: id, Target: target}, nil
}

// readRefFile reads a regular file of at most max bytes, refusing
// symbolic links, FIFOs and devices without opening them.
func readRefFile(path string, max int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file (%s)", ErrBadRef, fi.Mode().Type())
	}
	return safeio.ReadFile(path, max)
}
