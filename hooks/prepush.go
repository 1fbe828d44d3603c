package hooks

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// PushUpdate is one line git writes to a pre-push hook's stdin: a local
// ref and the commit it pushes, and the remote ref with the commit the
// remote has. An all-zero id means "none": a deletion on the local side,
// a new ref on the remote side.
type PushUpdate struct {
	LocalRef  string
	LocalID   string
	RemoteRef string
	RemoteID  string
}

// Deletes reports whether the update deletes the remote ref.
func (u PushUpdate) Deletes() bool { return isZeroID(u.LocalID) }

// Creates reports whether the remote does not have the ref yet.
func (u PushUpdate) Creates() bool { return isZeroID(u.RemoteID) }

// maxPushLines bounds the input: git writes one line per pushed ref.
const maxPushLines = 1 << 20

// ParsePrePush reads the lines git gives a pre-push hook on stdin:
//
//	<local ref> SP <local id> SP <remote ref> SP <remote id> LF
//
// Empty lines are skipped. Anything else is an error: a hook that cannot
// tell what is pushed must not let the push through.
func ParsePrePush(r io.Reader) ([]PushUpdate, error) {
	var out []PushUpdate
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if n > maxPushLines {
			return nil, fmt.Errorf("pre-push input: more than %d lines", maxPushLines)
		}
		f := strings.Split(line, " ")
		if len(f) != 4 || f[0] == "" || f[2] == "" {
			return nil, fmt.Errorf("pre-push input line %d: want \"<local ref> <local id> <remote ref> <remote id>\", got %q", n, line)
		}
		for _, id := range []string{f[1], f[3]} {
			if !isObjectID(id) {
				return nil, fmt.Errorf("pre-push input line %d: %q is not an object id", n, id)
			}
		}
		out = append(out, PushUpdate{LocalRef: f[0], LocalID: f[1], RemoteRef: f[2], RemoteID: f[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("pre-push input: %w", err)
	}
	return out, nil
}

// isObjectID reports whether s is a full SHA-1 or SHA-256 id in hex.
func isObjectID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func isZeroID(s string) bool { return strings.Trim(s, "0") == "" }
