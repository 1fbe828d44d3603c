package gitobj

import (
	"encoding/hex"
	"errors"
	"fmt"
)

// ID is a SHA-1 object id.
type ID [20]byte

// ParseID parses a 40-character hexadecimal object id.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*len(id) {
		return id, fmt.Errorf("invalid object id %q", s)
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("invalid object id %q", s)
	}
	return id, nil
}

// String returns the id in lower-case hexadecimal.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether id is all zeros.
func (id ID) IsZero() bool { return id == ID{} }

// Type is an object type as stored in packs.
type Type uint8

// Object types. The values are those of the pack format.
const (
	TypeCommit Type = 1
	TypeTree   Type = 2
	TypeBlob   Type = 3
	TypeTag    Type = 4

	typeOfsDelta Type = 6
	typeRefDelta Type = 7
)

func (t Type) String() string {
	switch t {
	case TypeCommit:
		return "commit"
	case TypeTree:
		return "tree"
	case TypeBlob:
		return "blob"
	case TypeTag:
		return "tag"
	case typeOfsDelta:
		return "ofs-delta"
	case typeRefDelta:
		return "ref-delta"
	}
	return fmt.Sprintf("type(%d)", t)
}

// ParseType parses "commit", "tree", "blob" or "tag".
func ParseType(s string) (Type, bool) {
	switch s {
	case "commit":
		return TypeCommit, true
	case "tree":
		return TypeTree, true
	case "blob":
		return TypeBlob, true
	case "tag":
		return TypeTag, true
	}
	return 0, false
}

// ErrNotFound is returned for an object that is in no pack and not loose:
// in a partial clone, a blob that was never fetched.
var ErrNotFound = errors.New("object not found")

// CorruptError describes malformed data in a pack, an index or an object.
type CorruptError struct {
	File string // the pack, index or loose object file
	Msg  string
}

func (e *CorruptError) Error() string { return "gitobj: " + e.File + ": " + e.Msg }

func corrupt(file, format string, args ...any) error {
	return &CorruptError{File: file, Msg: fmt.Sprintf(format, args...)}
}
