package scanner

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/textdecode"
)

// Staged is a [Source] over the change staged for the next commit: every
// blob of the index that differs from HEAD (or, before the first commit,
// every blob of the index), as git will commit it. The working tree is
// never read, so a file staged with `git add -p` is scanned as staged.
//
// Each item is the whole new blob, so that a multi-line secret (a PEM key,
// a JSON service-account file) is matched whole, but it is restricted to
// the added lines of the change: a secret already in HEAD does not block
// an unrelated edit. Renames and copies add only the lines they change;
// deleted files are ignored; binary, oversized, submodule and unmerged
// entries are skipped and counted. During a merge, a line counts as added
// only when it is new relative to every parent, so a merge does not
// report what the merged branch already committed.
//
// Staged only reads: it runs git with optional locks off, and never
// writes the index or the working tree.
type Staged struct {
	// Dir is a directory inside the repository; "" is the current one.
	Dir string
	// Env is passed to git (see [gitexec.Options]). A pre-commit hook sets
	// it to [gitexec.HookEnv] so that git reads the index being committed:
	// `git commit -a` and `git commit PATH` commit a temporary index named
	// by GIT_INDEX_FILE.
	Env []string
	// MaxFileSize is the largest blob read (default [DefaultMaxFileSize]);
	// larger ones are skipped as "too-large". Set it to the scanner's.
	MaxFileSize int64

	started *startedDiff // see Start
	gitDir  string
}

// startedDiff is the git diff that [Staged.Start] started, with the
// options it checked the repository for (nil when it could not start).
type startedDiff struct {
	proc *gitexec.Proc
	opts *gitexec.Options
}

// diffStaged is the one git command a staged scan needs in the common
// case: the staged change with the whole content of every changed file.
func diffStaged(extra ...string) []string {
	return diffArgs("diff", append(append([]string{"--cached"}, extra...), fullContext, "--")...)
}

// Start runs git right away, so that git reads the index and diffs it
// while the caller does other work (such as loading the rules); [Items]
// then reads its output. Calling it is optional. Dir and Env must be set
// before; stop ends git if Items is never called, and is a no-op after.
//
// Checking the repository (see [gitexec.Options.Prepare]) and starting
// git happen before Start returns: git is what a staged scan waits for,
// so it starts before anything else, on the caller's goroutine (a new
// goroutine may wait for a thread while the caller loads the rules).
func (s *Staged) Start(ctx context.Context) (stop func()) {
	repo, err := gitexec.Find(s.Dir, s.Env)
	if err != nil {
		return func() {}
	}
	s.gitDir = repo.GitDir
	d := &startedDiff{}
	s.started = d
	if opts, err := (gitexec.Options{Env: s.Env}).Prepare(ctx, s.Dir); err == nil {
		d.opts = &opts
		if p, err := (gitexec.Runner{Dir: s.Dir, Env: s.Env, Opts: &opts}).Start(ctx, nil, diffStaged()...); err == nil {
			d.proc = p
		}
	}
	// else Items runs git again and reports the error.
	return func() {
		if s.started == d {
			s.started = nil
			if d.proc != nil {
				d.proc.Kill()
			}
		}
	}
}

// fullContext is a unified context larger than any file keylint reads, so
// that every changed file comes out of git diff as one hunk holding the
// whole new blob: one git process yields both the added lines and the
// content. (Twice it stays within a 32-bit long, as xdiff computes.)
const fullContext = "-U268435456"

// diffArgs are the options of every diff keylint reads: no program of the
// repository's choosing, no colour, stable prefixes and full blob ids,
// rename and copy detection, deletions left out.
func diffArgs(cmd string, extra ...string) []string {
	args := []string{
		"-c", "diff.relative=false",
		"-c", "diff.suppressBlankEmpty=false",
		"-c", "core.quotePath=true",
		"--literal-pathspecs",
		cmd,
		"--no-ext-diff", "--no-textconv", "--no-color",
		"--submodule=short", "--full-index", "-M", "-C", "--diff-filter=d",
		"--src-prefix=a/", "--dst-prefix=b/",
	}
	return append(args, extra...)
}

// Items implements [Source].
func (s *Staged) Items(ctx context.Context, yield func(Item) error) error {
	g := gitRunner{gitexec.Runner{Dir: s.Dir, Env: s.Env}}
	limit := s.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	var started *gitexec.Proc
	if d := s.started; d != nil {
		s.started = nil
		started, g.Opts = d.proc, d.opts
	}
	gd := s.gitDir
	if started == nil || gd == "" {
		// Outside a repository git diff would fall back to --no-index.
		repo, err := gitexec.Find(s.Dir, s.Env)
		if err != nil {
			return err
		}
		gd = repo.GitDir
	}
	if g.Opts == nil {
		opts, err := gitexec.Options{Env: s.Env}.Prepare(ctx, s.Dir)
		if err != nil {
			return err
		}
		g.Opts = &opts
	}
	parents := mergeHeads(gd)
	// During a merge, the lines added relative to each other parent.
	var others []map[string][]LineRange
	for _, p := range parents {
		m, err := g.addedLines(ctx, diffArgs("diff", "--cached", "-U0", p, "--"))
		if err != nil {
			return err
		}
		others = append(others, m)
	}
	restrict := func(path string, added []LineRange, others []map[string][]LineRange) []LineRange {
		for _, m := range others {
			added = intersect(added, m[path])
		}
		return added
	}

	var later []*fileDiff // read through git cat-file once the diff is done
	p := &diffParser{keep: true, limit: limit}
	p.onFile = func(f *fileDiff) error {
		switch {
		case f.Deleted:
			return nil
		case f.Unmerged:
			return yield(skippedItem(f.Path, -1, "unmerged"))
		case f.Mode == "160000":
			return yield(skippedItem(f.Path, -1, "submodule"))
		case f.Binary:
			if f.Blob != "" {
				later = append(later, f)
			}
			return nil
		}
		if f.Added = restrict(f.Path, f.Added, others); len(f.Added) == 0 {
			return nil
		}
		switch {
		case f.TooLarge:
			return yield(skippedItem(f.Path, f.Size, "too-large"))
		case !f.whole():
			f.Content = nil
			later = append(later, f)
			return nil
		}
		return yield(contentItem(f.Path, f.Content, f.Added, nil))
	}
	var err error
	if started != nil {
		err = started.Finish(ctx, p.parse)
	} else {
		err = g.Stream(ctx, nil, p.parse, diffStaged()...)
	}
	if err != nil || len(later) == 0 {
		return err
	}

	// Binary sections: git saw a NUL byte, or the path's diff attribute
	// says binary. Text to keylint (UTF-16, text with a stray NUL, an
	// attribute's choice) needs git to say which lines are added; for
	// UTF-16 the engine maps git's byte lines to the decoded text's.
	var texts []*fileDiff
	var textPaths []string
	err = g.catBlobs(ctx, later, limit, func(f *fileDiff, size int64, data []byte) error {
		switch {
		case data == nil:
			return yield(skippedItem(f.Path, size, "too-large"))
		case !f.Binary:
			return yield(contentItem(f.Path, data, f.Added, nil))
		case textdecode.Sniff(data) == textdecode.Binary:
			// Binary to keylint too: git has no lines to say what was
			// added, so the whole blob's printable strings are scanned.
			return yield(contentItem(f.Path, data, nil, nil))
		}
		f.Content = data
		texts = append(texts, f)
		textPaths = append(textPaths, f.Path)
		return nil
	})
	if err != nil || len(texts) == 0 {
		return err
	}
	added, err := g.addedLines(ctx, diffArgs("diff", append([]string{"--cached", "--text", "-U0", "--"}, textPaths...)...))
	if err != nil {
		return err
	}
	var textOthers []map[string][]LineRange
	for _, p := range parents {
		m, err := g.addedLines(ctx, diffArgs("diff", append([]string{"--cached", "--text", "-U0", p, "--"}, textPaths...)...))
		if err != nil {
			return err
		}
		textOthers = append(textOthers, m)
	}
	for _, f := range texts {
		if a := restrict(f.Path, added[f.Path], textOthers); len(a) > 0 {
			if err := yield(contentItem(f.Path, f.Content, a, nil)); err != nil {
				return err
			}
		}
	}
	return nil
}

// contentItem is an item whose content is already read.
func contentItem(path string, data []byte, added []LineRange, c *Commit) Item {
	return Item{
		Path: path, Size: int64(len(data)), Added: added, Commit: c, InHead: true,
		Read: func(dst []byte, limit int64) ([]byte, error) {
			if int64(len(data)) > limit {
				return dst, &SkipError{Reason: "too-large", Path: path}
			}
			return append(dst, data...), nil
		},
	}
}

// skippedItem is an item counted as skipped for reason.
func skippedItem(path string, size int64, reason string) Item {
	return Item{Path: path, Size: size, Read: func(dst []byte, _ int64) ([]byte, error) {
		return dst, &SkipError{Reason: reason, Path: path}
	}}
}

// mergeHeads returns the other parents of a merge in progress (the ids in
// MERGE_HEAD of the git directory gd), or nil.
func mergeHeads(gd string) []string {
	data, err := os.ReadFile(filepath.Join(gd, "MERGE_HEAD"))
	if err != nil {
		return nil
	}
	var ids []string
	for _, l := range strings.Fields(string(data)) {
		if isObjectID([]byte(l)) {
			ids = append(ids, l)
		}
	}
	return ids
}

// gitRunner runs git for a source, with the helpers the git sources
// share.
type gitRunner struct{ gitexec.Runner }

// addedLines runs a -U0 diff and returns the added lines of every new
// path.
func (g gitRunner) addedLines(ctx context.Context, args []string) (map[string][]LineRange, error) {
	m := map[string][]LineRange{}
	p := &diffParser{onFile: func(f *fileDiff) error {
		if !f.Deleted && len(f.Added) > 0 {
			m[f.Path] = f.Added
		}
		return nil
	}}
	if err := g.Stream(ctx, nil, p.parse, args...); err != nil {
		return nil, err
	}
	return m, nil
}

// catBlobs reads the blobs of fs through one git cat-file --batch and calls
// fn for each with its size and content; the content is nil when larger
// than limit.
func (g gitRunner) catBlobs(ctx context.Context, fs []*fileDiff, limit int64, fn func(f *fileDiff, size int64, data []byte) error) error {
	var in strings.Builder
	for _, f := range fs {
		in.WriteString(f.Blob)
		in.WriteByte('\n')
	}
	return g.Stream(ctx, strings.NewReader(in.String()), func(r io.Reader) error {
		br := bufio.NewReaderSize(r, 64<<10)
		for _, f := range fs {
			hdr, err := br.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: %w", err)
			}
			fields := strings.Fields(hdr)
			if len(fields) != 3 || fields[1] != "blob" {
				return fmt.Errorf("git cat-file: %s: unexpected answer %q", f.Path, strings.TrimSpace(hdr))
			}
			size, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil || size < 0 {
				return fmt.Errorf("git cat-file: %s: bad size %q", f.Path, fields[2])
			}
			var data []byte
			if size > limit {
				if _, err := io.CopyN(io.Discard, br, size+1); err != nil {
					return fmt.Errorf("git cat-file: %w", err)
				}
			} else {
				data = make([]byte, size+1)
				if _, err := io.ReadFull(br, data); err != nil {
					return fmt.Errorf("git cat-file: %w", err)
				}
				data = data[:size]
			}
			if err := fn(f, size, data); err != nil {
				return err
			}
		}
		return nil
	}, "cat-file", "--batch")
}
