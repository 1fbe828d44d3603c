package scanner

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
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

	started *gitProc // see Start
	gitDir  string
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
func (s *Staged) Start(ctx context.Context) (stop func()) {
	s.gitDir = gitDir(s.Dir, s.Env)
	if s.gitDir == "" {
		return func() {}
	}
	p, err := gitRunner{dir: s.Dir, env: s.Env}.start(ctx, nil, diffStaged()...)
	if err != nil {
		return func() {} // Items runs git again and reports the error
	}
	s.started = p
	return func() {
		if s.started == p {
			s.started = nil
			p.kill()
		}
	}
}

// ErrNotRepository is returned by the git sources ([Staged], [Commits])
// when their directory is not inside a git repository.
var ErrNotRepository = errors.New("not a git repository")

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
	g := gitRunner{dir: s.Dir, env: s.Env}
	limit := s.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	started := s.started
	s.started = nil
	gd := s.gitDir
	if started == nil || gd == "" {
		gd = gitDir(s.Dir, s.Env)
	}
	if gd == "" {
		// Outside a repository git diff would fall back to --no-index.
		return fmt.Errorf("%w (or any of the parent directories)", ErrNotRepository)
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
		err = started.finish(ctx, p.parse)
	} else {
		err = g.stream(ctx, nil, p.parse, diffStaged()...)
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

// gitDir returns the git directory of the repository holding dir, or "",
// found as git finds it: GIT_DIR when set, else the nearest .git directory
// or "gitdir:" file upwards.
func gitDir(dir string, env []string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GIT_DIR="); ok {
			return v
		}
	}
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(d, ".git")
		if fi, err := os.Stat(p); err == nil {
			if fi.IsDir() {
				return p
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return ""
			}
			gd, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
			if !ok {
				return ""
			}
			gd = strings.TrimSpace(gd)
			if !filepath.IsAbs(gd) {
				gd = filepath.Join(d, gd)
			}
			return gd
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// gitRunner runs git for a source.
type gitRunner struct {
	dir string
	env []string
}

// stream runs git with args, feeding it stdin, and hands its stdout to
// read. It returns read's error, else git's failure with its stderr.
func (g gitRunner) stream(ctx context.Context, stdin io.Reader, read func(io.Reader) error, args ...string) error {
	p, err := g.start(ctx, stdin, args...)
	if err != nil {
		return err
	}
	return p.finish(ctx, read)
}

// gitProc is a running git command whose output is still to be read.
type gitProc struct {
	cmd    *exec.Cmd
	cancel context.CancelFunc
	out    io.ReadCloser
	stderr bytes.Buffer
	args   []string
}

// start starts git with args; finish reads its output.
func (g gitRunner) start(ctx context.Context, stdin io.Reader, args ...string) (*gitProc, error) {
	ctx, cancel := context.WithCancel(ctx)
	p := &gitProc{cancel: cancel, args: args}
	p.cmd = gitexec.Options{Env: g.env}.Command(ctx, g.dir, args...)
	p.cmd.Stdin = stdin
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	p.out = out
	if err := p.cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("cannot run git (is it installed and on PATH?): %w", err)
	}
	return p, nil
}

// finish hands git's stdout to read and waits for git. It returns ctx's
// error if ctx is done, then read's error, else git's failure with its
// stderr.
func (p *gitProc) finish(ctx context.Context, read func(io.Reader) error) error {
	defer p.cancel()
	stop := context.AfterFunc(ctx, p.cancel)
	defer stop()
	rerr := read(p.out)
	if rerr != nil {
		p.cancel() // git may still be writing: stop it
	} else {
		_, _ = io.Copy(io.Discard, p.out)
	}
	werr := p.cmd.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if werr != nil && (rerr == nil || p.stderr.Len() > 0) {
		return &gitexec.Error{Args: p.args, Stderr: p.stderr.String(), Err: werr}
	}
	return rerr
}

// kill stops git without reading its output.
func (p *gitProc) kill() {
	p.cancel()
	_ = p.cmd.Wait()
}

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
	if err := g.stream(ctx, nil, p.parse, args...); err != nil {
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
	return g.stream(ctx, strings.NewReader(in.String()), func(r io.Reader) error {
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
