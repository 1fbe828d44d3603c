package gitobj

import (
	"bytes"
	"errors"
	"strconv"
	"time"
)

var (
	errCommit = errors.New("malformed commit")
	errTree   = errors.New("malformed tree")
	errTag    = errors.New("malformed tag")
)

// CommitHeader is what a history walk needs of a commit.
type CommitHeader struct {
	Tree    ID
	Parents []ID
	// Time is the committer time in seconds since the Unix epoch.
	Time int64
}

// ParseCommitHeader parses the tree, parents and committer time of a
// commit, appending the parents to parents[:0] to reuse its storage.
func ParseCommitHeader(data []byte, parents []ID) (CommitHeader, error) {
	h := CommitHeader{Parents: parents[:0]}
	seenTree := false
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte{'\n'})
		data = rest
		if len(line) == 0 {
			break // end of headers
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "tree":
			if seenTree || !parseHexID(val, &h.Tree) {
				return h, errCommit
			}
			seenTree = true
		case "parent":
			var p ID
			if !parseHexID(val, &p) {
				return h, errCommit
			}
			h.Parents = append(h.Parents, p)
		case "committer":
			h.Time = ParseSignature(val).When.Unix()
		}
	}
	if !seenTree {
		return h, errCommit
	}
	return h, nil
}

// Signature is an author, committer or tagger line.
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

// ParseSignature parses "Name <email> 1700000000 +0100" leniently: what
// cannot be parsed is left empty.
func ParseSignature(b []byte) Signature {
	var s Signature
	lt := bytes.IndexByte(b, '<')
	gt := bytes.LastIndexByte(b, '>')
	if lt < 0 || gt < lt {
		s.Name = string(bytes.TrimSpace(b))
		return s
	}
	s.Name = string(bytes.TrimSpace(b[:lt]))
	s.Email = string(b[lt+1 : gt])
	f := bytes.Fields(b[gt+1:])
	if len(f) == 0 {
		return s
	}
	sec, err := strconv.ParseInt(string(f[0]), 10, 64)
	if err != nil {
		return s
	}
	loc := time.UTC
	if len(f) > 1 && len(f[1]) == 5 && (f[1][0] == '+' || f[1][0] == '-') {
		if hm, err := strconv.Atoi(string(f[1][1:])); err == nil {
			off := (hm/100*60 + hm%100) * 60
			if f[1][0] == '-' {
				off = -off
			}
			loc = time.FixedZone(string(f[1]), off)
		}
	}
	s.When = time.Unix(sec, 0).In(loc)
	return s
}

// Commit is a fully parsed commit.
type Commit struct {
	CommitHeader
	Author    Signature
	Committer Signature
	Message   string
}

// ParseCommit parses a commit.
func ParseCommit(data []byte) (*Commit, error) {
	h, err := ParseCommitHeader(data, nil)
	if err != nil {
		return nil, err
	}
	c := &Commit{CommitHeader: h}
	for len(data) > 0 {
		line, rest, found := bytes.Cut(data, []byte{'\n'})
		data = rest
		if len(line) == 0 {
			if found {
				c.Message = string(data)
			}
			break
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "author":
			c.Author = ParseSignature(val)
		case "committer":
			c.Committer = ParseSignature(val)
		}
	}
	return c, nil
}

// Tag is a parsed annotated tag.
type Tag struct {
	Object ID
	Type   Type
	Name   string
}

// ParseTag parses the target of an annotated tag.
func ParseTag(data []byte) (*Tag, error) {
	t := &Tag{}
	seen := false
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte{'\n'})
		data = rest
		if len(line) == 0 {
			break
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "object":
			if !parseHexID(val, &t.Object) {
				return nil, errTag
			}
			seen = true
		case "type":
			t.Type, _ = ParseType(string(val))
		case "tag":
			t.Name = string(val)
		}
	}
	if !seen || t.Type == 0 {
		return nil, errTag
	}
	return t, nil
}

func parseHexID(b []byte, id *ID) bool {
	if len(b) != 40 {
		return false
	}
	for i := range id {
		hi, ok1 := unhex(b[2*i])
		lo, ok2 := unhex(b[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		id[i] = hi<<4 | lo
	}
	return true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Tree entry modes.
const (
	ModeTree    = 0o040000
	ModeBlob    = 0o100644
	ModeExec    = 0o100755
	ModeSymlink = 0o120000
	ModeGitlink = 0o160000
)

// TreeEntry is one entry of a tree. Name aliases the tree's data.
type TreeEntry struct {
	Mode uint32
	Name []byte
	ID   ID
}

// IsTree reports whether the entry is a subdirectory.
func (e *TreeEntry) IsTree() bool { return e.Mode&0o170000 == ModeTree }

// IsGitlink reports whether the entry is a submodule commit.
func (e *TreeEntry) IsGitlink() bool { return e.Mode&0o170000 == ModeGitlink }

// TreeReader iterates over the entries of a tree without allocating.
type TreeReader struct {
	data []byte
	err  error
}

// NewTreeReader returns a reader over a tree's content.
func NewTreeReader(data []byte) TreeReader { return TreeReader{data: data} }

// Next parses the next entry into e and reports whether there was one.
// After it returns false, [TreeReader.Err] tells a clean end from
// malformed data.
func (t *TreeReader) Next(e *TreeEntry) bool {
	d := t.data
	if len(d) == 0 || t.err != nil {
		return false
	}
	// "<octal mode> <name>\x00<20-byte id>", scanned by hand: modes and
	// names are short, and a call per byte search costs more than the loop.
	mode := uint32(0)
	i := 0
	for ; i < len(d) && d[i] != ' '; i++ {
		c := d[i]
		if c < '0' || c > '7' || i >= 7 {
			t.err = errTree
			return false
		}
		mode = mode<<3 | uint32(c-'0')
	}
	if i == 0 || i >= len(d) {
		t.err = errTree
		return false
	}
	start := i + 1
	j := start
	for j < len(d) && d[j] != 0 {
		j++
	}
	if j == start || j+1+20 > len(d) {
		t.err = errTree
		return false
	}
	e.Mode = mode
	e.Name = d[start:j]
	e.ID = ID(d[j+1 : j+21])
	t.data = d[j+21:]
	return true
}

// Len returns the number of bytes not yet parsed.
func (t *TreeReader) Len() int { return len(t.data) }

// EntryLen returns the length of the first entry of the tree data d, or 0
// when d does not start with a complete entry. It finds entry boundaries
// without parsing the entry.
func EntryLen(d []byte) int {
	nul := bytes.IndexByte(d, 0)
	if nul <= 0 || nul+21 > len(d) {
		return 0
	}
	return nul + 21
}

// Err returns the error that stopped the iteration, if any.
func (t *TreeReader) Err() error { return t.err }

// CompareEntries orders tree entry names the way git sorts them: bytewise,
// with a directory's name followed by '/'.
func CompareEntries(a []byte, aTree bool, b []byte, bTree bool) int {
	n := min(len(a), len(b))
	if c := bytes.Compare(a[:n], b[:n]); c != 0 {
		return c
	}
	var ca, cb int
	switch {
	case len(a) > n:
		ca = int(a[n])
	case aTree:
		ca = '/'
	}
	switch {
	case len(b) > n:
		cb = int(b[n])
	case bTree:
		cb = '/'
	}
	return ca - cb
}
