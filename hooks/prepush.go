package hooks

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gitexec"
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

// Destination is where a push goes, as git names it to a pre-push hook:
// the remote's name, or its URL when the push names no configured remote
// (git then passes the URL as the name too).
type Destination struct {
	Remote string
	URL    string
}

// trackingPrefix returns refs/remotes/<remote>/, the prefix of the
// remote-tracking refs of a push to a named remote, or "" when the push
// goes to a URL or the name cannot be a remote's (it could not be matched
// literally).
func (d Destination) trackingPrefix() string {
	name := d.Remote
	if name == "" || name == d.URL || strings.ContainsAny(name, "*?[\\:\x00\n ") ||
		strings.HasPrefix(name, "-") || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") ||
		strings.Contains(name, "..") || strings.Contains(name, "//") {
		return ""
	}
	return "refs/remotes/" + name + "/"
}

// Pushed returns the commits a push to dest already published: the
// remote's side of every update (git read it from the remote itself), and
// the tips of the destination's remote-tracking refs (refs/remotes/<name>/*,
// none when the push goes to a URL). Only those that exist in the
// repository are returned, so they can be given to git as revisions; what
// another remote holds never counts. dir and env are as for
// [gitexec.Options].
func Pushed(ctx context.Context, dir string, env []string, dest Destination, updates []PushUpdate) ([]string, error) {
	o, err := gitexec.Options{Env: env}.Prepare(ctx, dir)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, u := range updates {
		if !isZeroID(u.RemoteID) {
			ids = append(ids, u.RemoteID)
		}
	}
	if prefix := dest.trackingPrefix(); prefix != "" {
		out, err := o.Output(ctx, dir, "for-each-ref", "--format=%(objectname)", prefix)
		if err != nil {
			return nil, fmt.Errorf("listing the refs of remote %q: %w", dest.Remote, err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if isObjectID(l) {
				ids = append(ids, l)
			}
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	// A remote id the repository lacks (the remote moved on since the
	// last fetch), or a tracking ref to a missing commit, cannot bound the
	// scan: it is left out.
	out, err := o.OutputStdin(ctx, dir, strings.NewReader(strings.Join(ids, "\n")+"\n"), "cat-file", "--batch-check")
	if err != nil {
		return nil, fmt.Errorf("checking the pushed commits: %w", err)
	}
	var have []string
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) == 3 && isObjectID(f[0]) && f[1] != "missing" {
			have = append(have, f[0])
		}
	}
	return have, nil
}

// Push is what git tells a pre-push hook: where the push goes and the refs
// it updates.
type Push struct {
	Dest    Destination
	Updates []PushUpdate
}

// ReadPush reads what git hands a pre-push hook: args are the arguments
// after the hook's name (the remote's name and URL, when git gives them)
// and stdin the ref updates ([ParsePrePush]). Its error carries a hint.
func ReadPush(args []string, stdin io.Reader) (Push, error) {
	var p Push
	if len(args) > 0 {
		p.Dest.Remote = args[0]
	}
	if len(args) > 1 {
		p.Dest.URL = args[1]
	}
	var err error
	if p.Updates, err = ParsePrePush(stdin); err != nil {
		return Push{}, clierr.WithHint(err, "keylint hook run pre-push reads what git writes to a pre-push hook")
	}
	return p, nil
}

// Range is the commits one pushed ref publishes: those reachable from
// Include and not from Exclude.
type Range struct {
	Include, Exclude []string
}

// Ranges returns, for each update that does not delete a ref (deleting
// publishes nothing), the commits it publishes: those reachable from its
// local commit that the destination does not already have ([Pushed]).
// dir and env are as for [gitexec.Options]. Its error carries a hint.
func (p Push) Ranges(ctx context.Context, dir string, env []string) ([]Range, error) {
	if len(p.Updates) == 0 {
		return nil, nil
	}
	pushed, err := Pushed(ctx, dir, env, p.Dest, p.Updates)
	if err != nil {
		return nil, clierr.WithHint(err, "run it from the repository you push from; nothing was pushed")
	}
	var out []Range
	for _, u := range p.Updates {
		if !u.Deletes() {
			out = append(out, Range{Include: []string{u.LocalID}, Exclude: pushed})
		}
	}
	return out, nil
}
