// Package codeowners reads GitHub CODEOWNERS files and says who owns a
// path.
//
// It follows GitHub's documented rules
// (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners):
// the file is looked for in .github/, the root and docs/, in that order,
// and the first found is used; each line is a pattern followed by owners
// (@user, @org/team or an e-mail address); "#" starts a comment; patterns
// follow .gitignore rules, except that "!" negation and "[ ]" ranges are
// not supported (such lines never match); the last matching pattern
// wins, and a pattern without owners means the path has none.
//
// The file comes from the repository being scanned, so it only ever names
// people: nothing in it runs or decides what is trusted.
package codeowners

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// MaxSize is the largest CODEOWNERS file read; GitHub ignores larger ones.
const MaxSize = 3 << 20

// Locations are where GitHub looks for the file, in its order of
// precedence.
var Locations = [...]string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// File is a parsed CODEOWNERS file.
type File struct {
	// Path is where the file was read from.
	Path  string
	rules []rule
	// Skipped counts lines that were neither a rule nor a comment (an
	// unsupported pattern, an owner of the wrong form).
	Skipped int
}

type rule struct {
	pattern pattern
	owners  []string
	line    int
}

// Parse reads a CODEOWNERS file. It never fails: lines it cannot use are
// counted in Skipped.
func Parse(data []byte) *File {
	f := &File{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxSize+1)
	n := 0
	for sc.Scan() {
		n++
		fields := splitLine(sc.Text())
		if len(fields) == 0 {
			continue
		}
		p, ok := compile(fields[0])
		if !ok {
			f.Skipped++
			continue
		}
		r := rule{pattern: p, line: n, owners: []string{}}
		bad := false
		for _, o := range fields[1:] {
			if !validOwner(o) {
				bad = true
				continue
			}
			r.owners = append(r.owners, o)
		}
		if bad {
			f.Skipped++
		}
		f.rules = append(f.rules, r)
	}
	return f
}

// splitLine splits a line into its pattern and owners, dropping comments:
// "#" at the start of a field starts one, and "\#" at the start of the
// line is a pattern beginning with "#". A backslash escapes a space in the
// pattern.
func splitLine(line string) []string {
	var out []string
	var cur strings.Builder
	inField := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '#' || line[i+1] == '\t'):
			cur.WriteByte(line[i+1])
			i++
			inField = true
			continue
		case c == ' ' || c == '\t' || c == '\r':
			if inField {
				out = append(out, cur.String())
				cur.Reset()
				inField = false
			}
			continue
		case c == '#' && !inField:
			return out // a comment, to the end of the line
		}
		cur.WriteByte(c)
		inField = true
	}
	if inField {
		out = append(out, cur.String())
	}
	return out
}

// validOwner accepts @user, @org/team and e-mail addresses.
func validOwner(o string) bool {
	if name, ok := strings.CutPrefix(o, "@"); ok {
		if name == "" || strings.Count(name, "/") > 1 || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") {
			return false
		}
		for _, r := range name {
			if !(r == '-' || r == '_' || r == '/' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
				return false
			}
		}
		return true
	}
	at := strings.IndexByte(o, '@')
	return at > 0 && at < len(o)-1 && !strings.ContainsAny(o, "<>,;\"'") && strings.Contains(o[at:], ".")
}

// Owners returns the owners of path (slash-separated, relative to the
// repository root): those of the last rule that matches it. It returns
// nil when no rule matches or the last match names no owner.
func (f *File) Owners(path string) []string {
	if f == nil {
		return nil
	}
	segs := splitPath(path)
	if len(segs) == 0 {
		return nil
	}
	for i := len(f.rules) - 1; i >= 0; i-- {
		if f.rules[i].pattern.match(segs) {
			if len(f.rules[i].owners) == 0 {
				return nil
			}
			return append([]string(nil), f.rules[i].owners...)
		}
	}
	return nil
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(strings.TrimPrefix(p, "./"), "/") {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

// Reader reads a file of the repository by its slash-separated path;
// a missing file is an error satisfying errors.Is(err, fs.ErrNotExist).
// internal/trust's Tree (a commit: HEAD, or the base commit in CI) is one.
type Reader interface {
	Read(ctx context.Context, name string) ([]byte, error)
}

// Load reads the first CODEOWNERS file of [Locations] that r holds. It
// returns nil, nil when there is none.
func Load(ctx context.Context, r Reader) (*File, error) {
	for _, loc := range Locations {
		data, err := r.Read(ctx, loc)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", loc, err)
		}
		if len(data) > MaxSize {
			return nil, fmt.Errorf("%s is larger than %d bytes, which GitHub ignores too", loc, MaxSize)
		}
		f := Parse(data)
		f.Path = loc
		return f, nil
	}
	return nil, nil
}
