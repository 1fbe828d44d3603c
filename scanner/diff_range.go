package scanner

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/textdecode"
)

// Commits is a [Source] over the changes made by a set of commits: those
// reachable from Include but not from Exclude nor, with ExcludeRemotes,
// from any remote-tracking ref. It is what a pre-push hook scans: the
// commits the remote does not have yet.
//
// Every commit is scanned on its own, so a key added by one commit and
// removed by the next is still found: both are about to be published. As
// for [Staged], each item is a whole new blob restricted to the lines the
// commit adds (for a merge, the lines new relative to every parent), and
// is attributed to its commit.
type Commits struct {
	// Dir is a directory inside the repository; "" is the current one.
	Dir string
	// Env is passed to git (see [gitexec.Options]).
	Env []string
	// Include lists the tips whose history is scanned (commit ids or
	// other revisions; none may start with "-").
	Include []string
	// Exclude lists commits whose history is not scanned. When one does
	// not exist in the repository (the remote moved on since the last
	// fetch), the remote-tracking refs are excluded instead, as with
	// ExcludeRemotes, rather than scanning the whole history again.
	Exclude []string
	// ExcludeRemotes leaves out every commit reachable from a
	// remote-tracking ref: it has been pushed already.
	ExcludeRemotes bool
	// MaxFileSize is the largest blob read (default [DefaultMaxFileSize]).
	MaxFileSize int64
}

// pendingCommit is one commit as git diff-tree -m reports it: one group of
// file diffs per parent whose diff is not empty.
type pendingCommit struct {
	commit  *Commit
	parents int
	groups  [][]*fileDiff
}

// Items implements [Source].
func (s *Commits) Items(ctx context.Context, yield func(Item) error) error {
	g := gitRunner{gitexec.Runner{Dir: s.Dir, Env: s.Env}}
	limit := s.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	for _, r := range append(append([]string{}, s.Include...), s.Exclude...) {
		if r == "" || strings.HasPrefix(r, "-") || strings.ContainsAny(r, " \t\n") {
			return fmt.Errorf("invalid revision %q", r)
		}
	}
	if len(s.Include) == 0 {
		return nil
	}
	if _, err := gitexec.Find(s.Dir, s.Env); err != nil {
		return err
	}
	// One check of the repository for the several commands below.
	opts, err := gitexec.Options{Env: s.Env}.Prepare(ctx, s.Dir)
	if err != nil {
		return err
	}
	g.Opts = &opts
	exclude, err := g.existing(ctx, s.Exclude)
	if err != nil {
		return err
	}
	args := []string{"log", "-z", "--topo-order", "--reverse",
		"--format=%H%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%B"}
	args = append(args, s.Include...)
	args = append(args, "--not")
	args = append(args, exclude...)
	if s.ExcludeRemotes || len(exclude) < len(s.Exclude) {
		args = append(args, "--remotes")
	}
	args = append(args, "--")
	out, err := g.output(ctx, args...)
	if err != nil {
		return err
	}
	meta := map[string]*pendingCommit{}
	var ids strings.Builder
	for _, rec := range strings.Split(string(out), "\x00") {
		f := strings.SplitN(strings.TrimPrefix(rec, "\n"), "\x1f", 6)
		if len(f) != 6 || !isObjectID([]byte(f[0])) {
			continue
		}
		secs, _ := strconv.ParseInt(f[4], 10, 64)
		meta[f[0]] = &pendingCommit{
			commit: &Commit{Hash: f[0], Author: f[2], Email: f[3], Date: time.Unix(secs, 0).UTC(),
				Message: strings.TrimSpace(f[5])},
			parents: len(strings.Fields(f[1])),
		}
		ids.WriteString(f[0])
		ids.WriteByte('\n')
	}
	if len(meta) == 0 {
		return nil
	}
	head, err := g.headBlobs(ctx)
	if err != nil {
		return err
	}

	type later struct {
		f *fileDiff
		c *pendingCommit
	}
	var laters []later
	// file handles the new side of one file of pc; others are the file
	// diffs against the other parents of a merge.
	file := func(pc *pendingCommit, f *fileDiff, others [][]*fileDiff) error {
		if f.Deleted {
			return nil
		}
		for _, o := range others {
			f.Added = intersect(f.Added, addedIn(o, f.Path))
		}
		switch {
		case f.Mode == "160000":
			return yield(skippedItem(f.Path, -1, "submodule"))
		case f.Binary:
			if f.Blob != "" {
				laters = append(laters, later{f, pc})
			}
			return nil
		case len(f.Added) == 0:
			return nil
		case f.TooLarge:
			return yield(skippedItem(f.Path, f.Size, "too-large"))
		case !f.whole():
			f.Content = nil
			laters = append(laters, later{f, pc})
			return nil
		}
		it := contentItem(f.Path, f.Content, f.Added, pc.commit)
		it.InHead = head[f.Path] == f.Blob
		return yield(it)
	}
	// merge handles a merge once the diffs against all its parents are in.
	merge := func(pc *pendingCommit) error {
		if pc == nil || pc.parents < 2 || len(pc.groups) < pc.parents {
			// Not a merge, or one identical to one of its parents.
			return nil
		}
		for _, f := range pc.groups[0] {
			if err := file(pc, f, pc.groups[1:]); err != nil {
				return err
			}
		}
		return nil
	}

	var cur *pendingCommit
	p := &diffParser{keep: true, limit: limit}
	p.onCommit = func(id string) error {
		pc := meta[id]
		if pc == nil {
			return fmt.Errorf("git diff-tree: unexpected commit %s", id)
		}
		if pc != cur {
			if err := merge(cur); err != nil {
				return err
			}
			cur = pc
		}
		cur.groups = append(cur.groups, nil)
		return nil
	}
	p.onFile = func(f *fileDiff) error {
		if cur == nil || len(cur.groups) == 0 {
			return fmt.Errorf("%w: a file before any commit", errMalformed)
		}
		if cur.parents < 2 {
			return file(cur, f, nil) // nothing to wait for
		}
		k := len(cur.groups) - 1
		if k > 0 {
			f.Content = nil // the first parent's diff carries the content
		}
		cur.groups[k] = append(cur.groups[k], f)
		return nil
	}
	args = diffArgs("diff-tree", "--stdin", "-r", "-m", "--root", fullContext)
	if err := g.Stream(ctx, strings.NewReader(ids.String()), p.parse, args...); err != nil {
		return err
	}
	if err := merge(cur); err != nil {
		return err
	}
	if len(laters) == 0 {
		return nil
	}

	fs := make([]*fileDiff, len(laters))
	owner := map[*fileDiff]*pendingCommit{}
	for i, l := range laters {
		fs[i] = l.f
		owner[l.f] = l.c
	}
	var texts []*fileDiff
	err = g.catBlobs(ctx, fs, limit, func(f *fileDiff, size int64, data []byte) error {
		pc := owner[f]
		switch {
		case data == nil:
			return yield(skippedItem(f.Path, size, "too-large"))
		case !f.Binary:
			it := contentItem(f.Path, data, f.Added, pc.commit)
			it.InHead = head[f.Path] == f.Blob
			return yield(it)
		case textdecode.Sniff(data) == textdecode.Binary:
			// Binary to keylint too: git has no lines to say what was
			// added, so the whole blob's printable strings are scanned.
			it := contentItem(f.Path, data, nil, pc.commit)
			it.InHead = head[f.Path] == f.Blob
			return yield(it)
		}
		f.Content = data
		texts = append(texts, f)
		return nil
	})
	if err != nil {
		return err
	}
	// Text that git calls binary (a diff attribute, UTF-16, a stray NUL):
	// ask git for its added lines with --text, commit by commit.
	for _, f := range texts {
		pc := owner[f]
		var groups [][]*fileDiff
		q := &diffParser{
			onCommit: func(string) error { groups = append(groups, nil); return nil },
			onFile: func(d *fileDiff) error {
				if len(groups) > 0 {
					groups[len(groups)-1] = append(groups[len(groups)-1], d)
				}
				return nil
			},
		}
		args := diffArgs("diff-tree", "-r", "-m", "--root", "--text", "-U0", "--always", pc.commit.Hash, "--", f.Path)
		if err := g.Stream(ctx, nil, q.parse, args...); err != nil {
			return err
		}
		if len(groups) < pc.parents || len(groups) == 0 {
			continue
		}
		added := addedIn(groups[0], f.Path)
		for _, grp := range groups[1:] {
			added = intersect(added, addedIn(grp, f.Path))
		}
		if len(added) > 0 {
			it := contentItem(f.Path, f.Content, added, pc.commit)
			it.InHead = head[f.Path] == f.Blob
			if err := yield(it); err != nil {
				return err
			}
		}
	}
	return nil
}

// addedIn returns the added lines of path in one parent's file diffs.
func addedIn(fs []*fileDiff, path string) []LineRange {
	for _, f := range fs {
		if f.Path == path && !f.Deleted {
			return f.Added
		}
	}
	return nil
}

// output runs git and returns its stdout.
func (g gitRunner) output(ctx context.Context, args ...string) ([]byte, error) {
	var buf bytes.Buffer
	err := g.Stream(ctx, nil, func(r io.Reader) error {
		_, err := buf.ReadFrom(r)
		return err
	}, args...)
	return buf.Bytes(), err
}

// existing returns the revisions of revs that name objects present in the
// repository.
func (g gitRunner) existing(ctx context.Context, revs []string) ([]string, error) {
	if len(revs) == 0 {
		return nil, nil
	}
	var in strings.Builder
	for _, r := range revs {
		in.WriteString(r)
		in.WriteByte('\n')
	}
	var out []string
	err := g.Stream(ctx, strings.NewReader(in.String()), func(r io.Reader) error {
		sc := bufio.NewScanner(r)
		for i := 0; sc.Scan(); i++ {
			if i < len(revs) && !strings.HasSuffix(sc.Text(), " missing") {
				out = append(out, revs[i])
			}
		}
		return sc.Err()
	}, "cat-file", "--batch-check")
	return out, err
}

// headBlobs maps every path of HEAD's tree to its blob id. It is only used
// to tell whether a finding is still in the checked-out tree, so any
// failure (there is no HEAD yet) gives an empty map.
func (g gitRunner) headBlobs(ctx context.Context) (map[string]string, error) {
	m := map[string]string{}
	err := g.Stream(ctx, nil, func(r io.Reader) error {
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			rec, err := br.ReadString(0)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			// "<mode> <type> <id>\t<path>\0"
			info, path, ok := strings.Cut(strings.TrimSuffix(rec, "\x00"), "\t")
			if f := strings.Fields(info); ok && len(f) == 3 {
				m[path] = f[2]
			}
		}
	}, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return m, nil
}
