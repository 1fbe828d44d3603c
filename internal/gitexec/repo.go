package gitexec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/keylint/keylint/internal/safeio"
)

// ErrNotRepository is returned, wrapped, for a directory that is not
// inside a git repository, by [Find] and by everything that looks for a
// repository through it (the staged and range sources, the history scan,
// hook installation). Test it with errors.Is.
var ErrNotRepository = errors.New("not a git repository")

// Repository is where a repository is on disk.
type Repository struct {
	// GitDir is the git directory: the per-worktree one for a linked
	// worktree.
	GitDir string
	// Root is the top of the working tree: the directory holding ".git".
	// It is "" for a bare repository and when GIT_DIR names the git
	// directory.
	Root string
}

// Find returns the repository holding path (a directory, or a file whose
// directory is used), found as git finds it: GIT_DIR when env sets it
// (relative to path); else, from path's directory upwards, the first
// ".git" that is a directory with a HEAD file or a "gitdir: DIR" file
// naming one, or the first directory that is itself a git directory (see
// [IsGitDir]: a bare repository). Any other ".git" directory is passed
// over, as git does; a ".git" that is neither a directory nor a regular file (a FIFO,
// a device) ends the search, since git refuses it too and reading it
// could block. The error wraps [ErrNotRepository] when there is no
// repository.
//
// Every command that needs the repository of a directory finds it here.
func Find(path string, env []string) (Repository, error) {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GIT_DIR="); ok && v != "" {
			if !filepath.IsAbs(v) {
				v = filepath.Join(path, v)
			}
			abs, err := filepath.Abs(v)
			if err != nil {
				return Repository{}, err
			}
			return Repository{GitDir: abs}, nil
		}
	}
	if path == "" {
		path = "."
	}
	dir, err := filepath.Abs(path)
	if err != nil {
		return Repository{}, err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return Repository{}, fmt.Errorf("%q: %w", path, ErrNotRepository)
	}
	if !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		gd, found, err := dotGit(dir)
		if err != nil {
			return Repository{}, fmt.Errorf("%q: %w: %v", path, ErrNotRepository, err)
		}
		if found && hasHead(gd) {
			return Repository{GitDir: gd, Root: dir}, nil
		}
		if IsGitDir(dir) {
			return Repository{GitDir: dir}, nil // a bare repository
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return Repository{}, fmt.Errorf("%q: %w (or any of the parent directories)", path, ErrNotRepository)
		}
		dir = parent
	}
}

// dotGit reads the ".git" of dir: the git directory it is or names, and
// whether there is one. The error, an [*UnsafeRepositoryError], is for a
// ".git" that is neither a directory nor a regular file, or a ".git" file
// that cannot be read. [Find] and the safety check of the directories git
// could use ([Options.gitDirs]) both read ".git" through it.
func dotGit(dir string) (gitDir string, found bool, err error) {
	p := filepath.Join(dir, ".git")
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		return "", false, nil
	case fi.IsDir():
		return p, true, nil
	case !fi.Mode().IsRegular():
		return "", false, &UnsafeRepositoryError{Path: p, Reason: fmt.Sprintf("is not a regular file nor a directory (%s)", safeio.Kind(fi.Mode()))}
	}
	data, err := readSmall(p)
	if err != nil {
		return "", false, err
	}
	gitDir, found = parseGitFile(dir, data)
	return gitDir, found, nil
}

// parseGitFile reads a ".git" file of dir, "gitdir: PATH", and returns the
// git directory it names, made absolute against dir and cleaned; found is
// false for any other content.
func parseGitFile(dir string, data []byte) (gitDir string, found bool) {
	gd, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
	if gd = strings.TrimSpace(gd); !ok || gd == "" {
		return "", false
	}
	if !filepath.IsAbs(gd) {
		gd = filepath.Join(dir, gd)
	}
	return filepath.Clean(gd), true
}

// hasHead reports whether dir has a HEAD file: what makes a ".git" the
// repository's, even when it is too damaged to read (the history scan then
// says so rather than scanning an enclosing repository).
func hasHead(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "HEAD"))
	return err == nil && fi.Mode().IsRegular()
}

// IsGitDir reports whether dir looks like a git directory: a HEAD file and
// objects and refs directories, or a HEAD file and a commondir file (the
// git directory of a linked worktree).
func IsGitDir(dir string) bool {
	if !hasHead(dir) {
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, "commondir")); err == nil {
		return true
	}
	for _, d := range []string{"objects", "refs"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			return false
		}
	}
	return true
}
