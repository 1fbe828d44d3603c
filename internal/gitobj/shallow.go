package gitobj

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// maxShallowFile bounds the size of a shallow file (41 bytes a boundary
// commit).
const maxShallowFile = 256 << 20

// ParseShallow parses a shallow file (.git/shallow): one commit id a line,
// the boundary commits of a shallow clone, whose parents are absent on
// purpose. Each line that is not a full object id is returned as an error
// wrapping [ErrBadRef]; the other lines are still parsed.
func ParseShallow(data []byte) ([]ID, []error) {
	var ids []ID
	var errs []error
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			continue
		}
		id, err := parseRefID(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("shallow file line %d: %w: %s", n, ErrBadRef, quoteSnippet(line)))
			continue
		}
		ids = append(ids, id)
	}
	return ids, errs
}

// ReadShallow reads and parses the shallow file of the git directory
// commonDir; a repository without one is not shallow (no ids, no error).
func ReadShallow(commonDir string) ([]ID, []error) {
	path := filepath.Join(commonDir, "shallow")
	data, err := readRefFile(path, maxShallowFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, []error{fmt.Errorf("%s: %w", path, err)}
	}
	return ParseShallow(data)
}
