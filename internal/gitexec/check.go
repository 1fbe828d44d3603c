package gitexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/keylint/keylint/internal/safeio"
)

// UnsafeRepositoryError is a repository whose git files keylint cannot let git
// read: a configuration file, an included file or another file git opens
// on start-up is not a regular file (a FIFO would make git wait forever, a
// device would feed it without end), is too large, or an include names a
// path keylint cannot resolve the way git would.
type UnsafeRepositoryError struct {
	Path   string // the offending file, or the configuration file naming it
	Reason string
}

// Error names the file, what is wrong with it, and what to do.
func (e *UnsafeRepositoryError) Error() string {
	return fmt.Sprintf("%s %s: keylint reads nothing of this repository, and runs no git command on it, until that is fixed or removed", e.Path, e.Reason)
}

// maxConfigFile bounds each configuration file keylint lets git read: a
// real one is a few kilobytes.
const maxConfigFile = 4 << 20

// maxConfigListing bounds the output of a configuration listing.
const maxConfigListing = 16 << 20

// maxIncludeDepth is git's own limit on nested includes.
const maxIncludeDepth = 10

// gitDirFiles are the files of a git directory that git may open before or
// while running a read command; each must be a regular file when present.
var gitDirFiles = []string{
	"config", "config.worktree", "HEAD", "commondir", "index", "packed-refs",
	"shallow", "info/attributes", "info/exclude", "info/grafts",
	"objects/info/alternates", "logs/refs/stash", "MERGE_HEAD", "ORIG_HEAD",
	"FETCH_HEAD",
}

// overridesFor checks the repository holding dir (see [checkRepository])
// and returns the arguments that neutralise its configuration, from the
// keys git lists for it. When no configuration file git reads holds a word
// that a key needing a dynamic override must contain ([mentionsDynamic]),
// the fixed overrides are all there is, and git is not asked.
func (o Options) overridesFor(ctx context.Context, dir string) ([]string, error) {
	mentions, err := o.checkRepository(ctx, dir)
	if err != nil {
		return nil, err
	}
	if !mentions && !o.userConfigMentions() {
		return Overrides(nil), nil
	}
	args := []string{"config", "--list", "--name-only", "-z"}
	data, err := limitedOutput(ctx, o.raw(ctx, dir, Overrides(nil), args...), args, maxConfigListing)
	if err != nil {
		return nil, fmt.Errorf("listing the git configuration: %w", err)
	}
	names, err := ParseConfigNames(data)
	if err != nil {
		return nil, fmt.Errorf("listing the git configuration: %w", err)
	}
	return Overrides(names), nil
}

// checkRepository finds every git directory git could use for dir (each
// ancestor's .git, and dir or an ancestor itself when it is a bare
// repository, or GIT_DIR from the options), and checks the files git opens
// there and every file their configuration includes, before any git
// command reads them. mentions reports whether one of those configuration
// files may set a key that needs a dynamic override.
func (o Options) checkRepository(ctx context.Context, dir string) (mentions bool, err error) {
	dirs, err := o.gitDirs(dir)
	if err != nil {
		return false, err
	}
	seen := map[string]bool{}
	for _, gd := range dirs {
		if err := checkFiles(gd); err != nil {
			return false, err
		}
		for _, name := range []string{"config", "config.worktree"} {
			m, err := o.checkIncludes(ctx, filepath.Join(gd, name), 0, seen)
			if err != nil {
				return false, err
			}
			mentions = mentions || m
		}
	}
	return mentions, nil
}

// dynamicWords are the words one of which every key that needs a dynamic
// override holds in its section or variable name (see [dynamicOverride]);
// git spells those names with letters, digits and "-" only, in any case,
// so a configuration file without any of them sets no such key.
var dynamicWords = [][]byte{
	[]byte("pager"), []byte("textconv"), []byte("command"), []byte("clean"),
	[]byte("smudge"), []byte("process"), []byte("required"), []byte("driver"),
	[]byte("helper"), []byte("program"), []byte("allowedsignersfile"),
	[]byte("revocationfile"), []byte("allow"), []byte("uploadpack"),
	[]byte("receivepack"), []byte("proxy"), []byte("cookiefile"),
	[]byte("sslcert"), []byte("sslkey"), []byte("sslcainfo"), []byte("sslcapath"),
}

// mentionsDynamic reports whether configuration text may set a key that
// needs a dynamic override.
func mentionsDynamic(data []byte) bool {
	lower := bytes.ToLower(data)
	for _, w := range dynamicWords {
		if bytes.Contains(lower, w) {
			return true
		}
	}
	return false
}

// userConfigMentions reports whether the system or global configuration
// (the user's own files, not checked like the repository's) may set a key
// that needs a dynamic override, or includes another file; when a file
// cannot be read it answers yes, so that git lists the keys.
func (o Options) userConfigMentions() bool {
	getenv := func(k string) string {
		v := ""
		for _, kv := range append(env(), o.Env...) {
			if val, ok := strings.CutPrefix(kv, k+"="); ok {
				v = val
			}
		}
		return v
	}
	home := getenv("HOME")
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" && home != "" {
		xdg = filepath.Join(home, ".config")
	}
	var files []string
	if home != "" {
		files = append(files, filepath.Join(home, ".gitconfig"))
	}
	if xdg != "" {
		files = append(files, filepath.Join(xdg, "git", "config"))
	}
	if v := strings.ToLower(getenv("GIT_CONFIG_NOSYSTEM")); v == "" || v == "0" || v == "false" || v == "no" || v == "off" {
		// git's system file is $(prefix)/etc/gitconfig, /etc/gitconfig
		// for the usual /usr prefix.
		files = append(files, "/etc/gitconfig")
		if p, err := exec.LookPath("git"); err == nil {
			if prefix := filepath.Dir(filepath.Dir(p)); prefix != "/usr" {
				files = append(files, filepath.Join(prefix, "etc", "gitconfig"))
			}
		}
	}
	for _, f := range files {
		data, err := readSmall(f)
		if err != nil || mentionsDynamic(data) || bytes.Contains(bytes.ToLower(data), []byte("include")) {
			return true
		}
	}
	return false
}

// CheckGitDir checks, before anything reads them, the files of the git
// directory gitDir (and of its common directory, for a linked worktree)
// that a reader of the repository opens: configuration, HEAD, packed and
// loose refs, shallow, alternates, the stash log, the index. Each must be
// a regular file when present; a FIFO would block the reader forever. It
// is for readers that do not run git (keylint's own); [Options.Command] does it
// itself. The error is an [*UnsafeRepositoryError].
func CheckGitDir(gitDir string) error {
	dirs, err := Options{}.withCommonDir([]string{gitDir})
	if err != nil {
		return err
	}
	for _, gd := range dirs {
		if err := checkFiles(gd); err != nil {
			return err
		}
	}
	return nil
}

// checkFiles checks the files of one git directory (see [CheckGitDir]).
func checkFiles(gd string) error {
	for _, name := range gitDirFiles {
		if _, err := statRegular(filepath.Join(gd, filepath.FromSlash(name)), -1); err != nil {
			return err
		}
	}
	// Packs, whose index every reader opens.
	packs, err := os.ReadDir(filepath.Join(gd, "objects", "pack"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		return &UnsafeRepositoryError{Path: filepath.Join(gd, "objects", "pack"), Reason: fmt.Sprintf("cannot be checked: %v", err)}
	}
	for _, e := range packs {
		if !e.Type().IsRegular() && !e.IsDir() {
			if _, err := statRegular(filepath.Join(gd, "objects", "pack", e.Name()), -1); err != nil {
				return err
			}
		}
	}
	// Loose refs: any entry that is neither a directory nor a regular file
	// (after symbolic links) is refused.
	root := filepath.Join(gd, "refs")
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return &UnsafeRepositoryError{Path: p, Reason: fmt.Sprintf("cannot be checked: %v", err)}
		}
		if d.Type().IsRegular() || d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(p); err == nil && (fi.Mode().IsRegular() || fi.IsDir()) {
				return nil // a symbolic ref of old, or a link to a real file
			}
		}
		_, err = statRegular(p, -1)
		if err == nil {
			err = &UnsafeRepositoryError{Path: p, Reason: "is not a regular file"}
		}
		return err
	})
}

// statRegular reports whether path exists, and fails unless it is a
// regular file (after symbolic links) of at most limit bytes (any size
// when limit is negative).
func statRegular(path string, limit int64) (bool, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return false, nil
	}
	if err != nil {
		return false, &UnsafeRepositoryError{Path: path, Reason: fmt.Sprintf("cannot be checked: %v", err)}
	}
	if !fi.Mode().IsRegular() {
		return false, &UnsafeRepositoryError{Path: path, Reason: fmt.Sprintf("is not a regular file (%s)", safeio.Kind(fi.Mode()))}
	}
	if limit >= 0 && fi.Size() > limit {
		return false, &UnsafeRepositoryError{Path: path, Reason: fmt.Sprintf("is larger than %d MiB", maxConfigFile>>20)}
	}
	return true, nil
}

// readSmall reads a small regular file without ever blocking on it (see
// [safeio.Open]). A missing file is no error: it returns nil.
func readSmall(path string) ([]byte, error) {
	data, err := safeio.ReadFile(path, maxConfigFile)
	var pe *fs.PathError
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return nil, nil
	case errors.Is(err, safeio.ErrNotRegular) && errors.As(err, &pe):
		return nil, &UnsafeRepositoryError{Path: path, Reason: "is " + pe.Err.Error()}
	case errors.Is(err, safeio.ErrTooLarge):
		return nil, &UnsafeRepositoryError{Path: path, Reason: fmt.Sprintf("is larger than %d MiB", maxConfigFile>>20)}
	}
	return nil, &UnsafeRepositoryError{Path: path, Reason: fmt.Sprintf("cannot be read: %v", err)}
}

// gitDirs lists the git directories git could use when run in dir.
func (o Options) gitDirs(dir string) ([]string, error) {
	for _, kv := range o.Env {
		if v, ok := strings.CutPrefix(kv, "GIT_DIR="); ok && v != "" {
			if !filepath.IsAbs(v) {
				abs, err := filepath.Abs(filepath.Join(dir, v))
				if err != nil {
					return nil, err
				}
				v = abs
			}
			return o.withCommonDir([]string{v})
		}
	}
	d, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for {
		gd, found, err := dotGit(d)
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, gd)
		}
		// A bare repository, or the inside of a git directory.
		if fi, err := os.Stat(filepath.Join(d, "objects")); err == nil && fi.IsDir() {
			if _, err := os.Lstat(filepath.Join(d, "HEAD")); err == nil {
				out = append(out, d)
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return o.withCommonDir(out)
}

// withCommonDir adds the common directory of each linked worktree's git
// directory.
func (o Options) withCommonDir(dirs []string) ([]string, error) {
	out := dirs
	for _, gd := range dirs {
		data, err := readSmall(filepath.Join(gd, "commondir"))
		if err != nil {
			return nil, err
		}
		if c := strings.TrimSpace(string(data)); c != "" {
			if !filepath.IsAbs(c) {
				c = filepath.Join(gd, c)
			}
			out = append(out, filepath.Clean(c))
		}
	}
	return out, nil
}

// checkIncludes checks that the configuration file path, when present, is
// a regular file, and so is every file it includes, to git's depth limit.
// Every include.path and includeIf.<condition>.path counts, whatever its
// condition.
func (o Options) checkIncludes(ctx context.Context, path string, depth int, seen map[string]bool) (mentions bool, err error) {
	if seen[path] {
		return false, nil
	}
	seen[path] = true
	data, err := readSmall(path)
	if err != nil || data == nil {
		return false, err
	}
	mentions = mentionsDynamic(data)
	if !bytes.Contains(bytes.ToLower(data), []byte("include")) {
		return mentions, nil // no [include] nor [includeIf] section
	}
	if depth >= maxIncludeDepth {
		return false, &UnsafeRepositoryError{Path: path, Reason: fmt.Sprintf("is included through more than %d levels", maxIncludeDepth)}
	}
	// git parses the file, on its own: outside any repository, includes
	// not followed.
	args := []string{"config", "--file", path, "--no-includes", "--list", "-z"}
	cmd := o.raw(ctx, "/", Overrides(nil), args...)
	cmd.Env = append(env(), "GIT_DIR=/dev/null")
	out, err := limitedOutput(ctx, cmd, args, maxConfigListing)
	if err != nil {
		return false, fmt.Errorf("reading the git configuration %s: %w", path, err)
	}
	entries, err := ParseConfigList(out, false)
	if err != nil {
		return false, fmt.Errorf("reading the git configuration %s: %w", path, err)
	}
	for _, e := range entries {
		if !isInclude(e.Name) || !e.HasValue {
			continue
		}
		target, err := includeTarget(path, e.Value)
		if err != nil {
			return false, &UnsafeRepositoryError{Path: path, Reason: fmt.Sprintf("sets %s = %q, which cannot be checked (%v)", e.Name, e.Value, err)}
		}
		m, err := o.checkIncludes(ctx, target, depth+1, seen)
		if err != nil {
			return false, err
		}
		mentions = mentions || m
	}
	return mentions, nil
}

// isInclude reports whether the key name is include.path or
// includeIf.<condition>.path.
func isInclude(name string) bool {
	section, sub, variable, ok := splitKey(name)
	if !ok || variable != "path" {
		return false
	}
	return section == "include" && sub == "" || section == "includeif" && sub != ""
}

// includeTarget resolves an include's path as git does: "~/" and "~user/"
// from the home directory, a relative path from the directory of the file
// that includes it.
func includeTarget(from, value string) (string, error) {
	p := value
	switch {
	case p == "":
		return "", errors.New("empty path")
	case strings.HasPrefix(p, "%(prefix)/"):
		return "", errors.New("a path relative to git's installation is not followed")
	case p == "~" || strings.HasPrefix(p, "~/"):
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = filepath.Join(home, strings.TrimPrefix(p, "~"))
	case strings.HasPrefix(p, "~"):
		name, rest, _ := strings.Cut(p[1:], "/")
		u, err := user.Lookup(name)
		if err != nil {
			return "", err
		}
		p = filepath.Join(u.HomeDir, rest)
	case !filepath.IsAbs(p):
		p = filepath.Join(filepath.Dir(from), p)
	}
	return p, nil
}

// limitedOutput runs cmd and returns its stdout, failing when it exceeds
// limit bytes.
func limitedOutput(ctx context.Context, cmd *exec.Cmd, args []string, limit int64) ([]byte, error) {
	stdout := &limitedBuffer{limit: limit}
	out, err := output(ctx, cmd, args, stdout)
	if stdout.over {
		return nil, fmt.Errorf("git %s: more than %d MiB of output", strings.Join(args, " "), limit>>20)
	}
	return out, err
}

// limitedBuffer keeps at most limit bytes and notes when more came.
type limitedBuffer struct {
	bytes.Buffer
	limit int64
	over  bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if int64(b.Len()+len(p)) > b.limit {
		b.over = true
		return 0, errors.New("too much output")
	}
	return b.Buffer.Write(p)
}
