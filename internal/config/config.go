// Package config finds and loads keylint's configuration: the project's
// .keylint.toml (found from a scanned path up to the repository root), a
// file named with --config, and the files they extend, merged over the
// built-in rules.
package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/rules/gitleaks"
)

// FileName is the project configuration file found at a repository root.
const FileName = ".keylint.toml"

// gitleaksNames are the gitleaks configuration files picked up when a
// repository has no .keylint.toml.
var gitleaksNames = []string{".gitleaks.toml", "gitleaks.toml"}

// IsGitleaks reports whether a configuration file is in gitleaks' format,
// judged by its name.
func IsGitleaks(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	return strings.Contains(base, "gitleaks") && strings.HasSuffix(base, ".toml")
}

// maxExtends bounds a chain of extends, as a second guard beside cycle
// detection.
const maxExtends = 16

// Options say where configuration comes from.
type Options struct {
	// Path is an explicit configuration file (--config); empty to discover.
	Path string
	// Disabled ignores project configuration (--no-config).
	Disabled bool
	// Start is where discovery begins: a scanned path or the repository.
	Start string
	// Tree, when set, reads the configuration from a commit instead of
	// the disk (a pull request's base): Path is then a slash-separated
	// path inside the tree, discovery looks at the tree's root only, and
	// extends chains are resolved inside the tree and may not leave it;
	// an extended file the tree lacks ends the chain (see
	// [Loaded.Missing]). Start is not used.
	Tree *trust.Tree
}

// Loaded is the effective configuration.
type Loaded struct {
	Ruleset *rules.Ruleset
	// Files are the configuration files applied, base first.
	Files []string
	// Notices are messages for the user (such as a configuration picked
	// up from another tool, or what a gitleaks configuration could not
	// keep).
	Notices []string
	// Root is the directory the configuration was discovered in (the
	// repository root, or where the file was found); "" when none.
	Root string
	// Baseline is the baseline file the configuration names (the last
	// file of the chain that sets one decides), resolved against the
	// directory of that file: a path on disk, or a slash-separated path
	// in the tree. "" when none.
	Baseline string
	// FailOn is the configuration's fail_on; "" when unset.
	FailOn rules.Severity
	// Missing lists, for a configuration read from a tree, the files an
	// extends names that the tree does not hold: the chain stops there,
	// and the rules load without them. On disk a missing file is an
	// error.
	Missing []string
}

// Load is [LoadContext] without cancellation.
func Load(opt Options) (*Loaded, error) { return LoadContext(context.Background(), opt) }

// LoadContext returns the built-in rules merged with the project
// configuration. Every file is read with [trust.ReadFile] (or from
// opt.Tree): regular files only, at most [trust.MaxSize] bytes, and reading
// stops when ctx is cancelled. A configuration file found inside a
// repository, and every file extended from one, must stay inside that
// repository.
func LoadContext(ctx context.Context, opt Options) (*Loaded, error) {
	out := &Loaded{}
	path := opt.Path
	discovered := false
	if path == "" && !opt.Disabled {
		var err error
		if opt.Tree != nil {
			path, err = findInTree(ctx, opt.Tree)
		} else {
			path = Find(opt.Start)
			if path == "" {
				path = findGitleaks(opt.Start)
			}
		}
		if err != nil {
			return nil, err
		}
		if path != "" && IsGitleaks(path) {
			out.Notices = append(out.Notices, fmt.Sprintf("no %s: using the gitleaks configuration %s (convert it with `keylint config convert %s`)", FileName, path, path))
		}
		discovered = path != ""
	}
	if path != "" && opt.Tree == nil {
		out.Root = filepath.Dir(path)
	}
	if opt.Disabled || path == "" {
		rs, err := rules.Default()
		if err != nil {
			return nil, fmt.Errorf("the built-in rules are broken: %w", err)
		}
		out.Ruleset = rs
		return out, nil
	}
	chain, notes, missing, err := readChain(ctx, opt.Tree, path, discovered)
	if err != nil {
		return nil, err
	}
	out.Missing = missing
	out.Notices = append(out.Notices, notes...)
	// The first file of the chain (the base) decides whether the built-in
	// rules are the starting point.
	var rs *rules.Ruleset
	if d := chain[0].file.Defaults; d != nil && !*d {
		rs, err = rules.New()
	} else {
		rs, err = rules.Default()
	}
	if err != nil {
		return nil, err
	}
	for _, l := range chain {
		if err := rs.Apply(l.file); err != nil {
			return nil, err
		}
		out.Files = append(out.Files, l.path)
		if l.file.FailOn != "" {
			out.FailOn = l.file.FailOn
		}
		if l.file.Baseline != "" {
			if out.Baseline, err = baselinePath(opt.Tree, l.path, l.file.Baseline); err != nil {
				return nil, err
			}
		}
	}
	out.Ruleset = rs
	return out, nil
}

type link struct {
	path string
	file *rules.File
}

// readChain reads path and the files it extends, base first, from tree or
// (tree nil) the disk. A cycle is an error naming the files. discovered
// says path was found by discovery rather than named by the user. In a
// tree, an extended file the tree does not hold ends the chain and is
// returned as missing.
func readChain(ctx context.Context, tree *trust.Tree, path string, discovered bool) (chain []link, notes, missing []string, err error) {
	seen := map[string]bool{}
	if tree == nil && discovered {
		// A configuration discovered in a repository is the repository's:
		// it may not be a link to a file elsewhere on the disk.
		if err := stayInRepo(path, path, path); err != nil {
			return nil, nil, nil, err
		}
	}
	for i := 0; path != ""; i++ {
		key := path
		if tree == nil {
			abs, err := filepath.Abs(path)
			if err != nil {
				return nil, nil, nil, err
			}
			key = abs
		}
		if seen[key] {
			return nil, nil, nil, &rules.ConfigError{File: path, Err: errors.New("extends cycle: this file is already part of the chain")}
		}
		if i == maxExtends {
			return nil, nil, nil, &rules.ConfigError{File: path, Err: fmt.Errorf("extends chain longer than %d files", maxExtends)}
		}
		seen[key] = true
		f, unsupported, err := readFrom(ctx, tree, path)
		if tree != nil && i > 0 && errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, path)
			break
		}
		if err != nil {
			return nil, nil, nil, err
		}
		for _, u := range unsupported {
			notes = append(notes, fmt.Sprintf("%s: not supported, ignored: %s", path, u))
		}
		chain = append([]link{{path, f}}, chain...)
		next, err := extendsPath(tree, path, f.Extends)
		if err != nil {
			return nil, nil, nil, err
		}
		path = next
	}
	return chain, notes, missing, nil
}

// extendsPath resolves the extends of the file cur: relative to cur's
// directory, inside the tree for a tree, inside cur's repository for a file
// of a repository on disk.
func extendsPath(tree *trust.Tree, cur, ext string) (string, error) {
	if ext == "" {
		return "", nil
	}
	if tree != nil {
		slash := filepath.ToSlash(ext)
		if path.IsAbs(slash) || filepath.IsAbs(ext) {
			return "", &trust.Error{Path: cur, Err: fmt.Errorf("%w: extends %q: an absolute path leaves the base commit's tree", trust.ErrOutside, ext),
				Hint: "extend a file of the repository by a path relative to the extending file"}
		}
		next, err := trust.CleanPath(path.Join(path.Dir(cur), slash))
		if err != nil {
			return "", &trust.Error{Path: cur, Err: fmt.Errorf("%w: extends %q leaves the base commit's tree", trust.ErrOutside, ext),
				Hint: "extend a file of the repository by a path relative to the extending file"}
		}
		return next, nil
	}
	next := ext
	if !filepath.IsAbs(next) {
		next = filepath.Join(filepath.Dir(cur), next)
	}
	if err := stayInRepo(cur, next, ext); err != nil {
		return "", err
	}
	return next, nil
}

// baselinePath resolves the baseline named by the configuration file cur:
// relative to cur's directory; inside the tree for a tree.
func baselinePath(tree *trust.Tree, cur, name string) (string, error) {
	if tree == nil {
		if filepath.IsAbs(name) {
			return name, nil
		}
		return filepath.Join(filepath.Dir(cur), name), nil
	}
	slash := filepath.ToSlash(name)
	p, err := trust.CleanPath(path.Join(path.Dir(cur), slash))
	if err != nil || path.IsAbs(slash) || filepath.IsAbs(name) {
		return "", &trust.Error{Path: cur, Err: fmt.Errorf("%w: baseline %q leaves the base commit's tree", trust.ErrOutside, name),
			Hint: "name a baseline file of the repository by a path relative to the configuration file"}
	}
	return p, nil
}

// stayInRepo checks that target, named by the file from (as spelled),
// stays inside the repository holding from, once symbolic links are
// followed. A file outside any repository may lead anywhere.
func stayInRepo(from, target, spelled string) error {
	abs, err := filepath.Abs(from)
	if err != nil {
		return err
	}
	repo := workTree(filepath.Dir(abs))
	if repo == "" {
		return nil
	}
	realRepo, err := filepath.EvalSymlinks(repo)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(target)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// Lexically, then: reading it will say it is missing.
			real, err = filepath.Abs(target)
			if err != nil {
				return err
			}
			realRepo = repo
		} else {
			return err
		}
	}
	rel, err := filepath.Rel(realRepo, real)
	if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
		return nil
	}
	what := fmt.Sprintf("extends %q leads to %s", spelled, real)
	if from == target {
		what = "it is a link to " + real
	}
	return &trust.Error{Path: from, Err: fmt.Errorf("%w: %s, outside the repository %s", trust.ErrOutside, what, repo),
		Hint: "a repository's configuration may only use files of that repository: copy the file into it, or name a shared file with --config"}
}

// readFrom reads one configuration file from tree, or from the disk when
// tree is nil.
func readFrom(ctx context.Context, tree *trust.Tree, path string) (*rules.File, []string, error) {
	var data []byte
	var err error
	if tree != nil {
		data, err = tree.Read(ctx, path)
	} else {
		data, err = trust.ReadFile(ctx, path)
	}
	if err != nil {
		var te *trust.Error
		if ctx.Err() != nil || errors.As(err, &te) {
			return nil, nil, err
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		if tree != nil && errors.Is(err, fs.ErrNotExist) {
			err = fmt.Errorf("not in the base commit %.12s: %w", tree.Rev, err)
		}
		return nil, nil, &rules.ConfigError{File: path, Err: fmt.Errorf("cannot read configuration: %w", err)}
	}
	if IsGitleaks(path) {
		return gitleaks.Parse(path, data)
	}
	f, err := rules.Parse(path, data)
	return f, nil, err
}

// ReadFile reads one configuration file, keylint's or gitleaks', without
// following extends. For gitleaks files the second result lists what could
// not be converted.
func ReadFile(path string) (*rules.File, []string, error) {
	return ReadFileContext(context.Background(), path)
}

// Convert reads a gitleaks configuration for `keylint config convert`:
// the keylint rule file it converts to, and what could not be converted.
// A file whose name does not say gitleaks is a usage error.
func Convert(ctx context.Context, path string) (*rules.File, []string, error) {
	f, unsupported, err := ReadFileContext(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	if !IsGitleaks(path) {
		return nil, nil, clierr.Usagef("name the gitleaks file, e.g. .gitleaks.toml", "%s is not a gitleaks configuration (its name does not say gitleaks)", path)
	}
	return f, unsupported, nil
}

// ReadFileContext is [ReadFile] that stops when ctx is cancelled.
func ReadFileContext(ctx context.Context, path string) (*rules.File, []string, error) {
	return readFrom(ctx, nil, path)
}

// findInTree returns the configuration file at the root of tree:
// .keylint.toml, else a gitleaks configuration, else "".
func findInTree(ctx context.Context, tree *trust.Tree) (string, error) {
	for _, name := range append([]string{FileName}, gitleaksNames...) {
		ok, err := tree.Exists(ctx, name)
		if err != nil {
			return "", err
		}
		if ok {
			return name, nil
		}
	}
	return "", nil
}

// findGitleaks looks for a gitleaks configuration at the repository root
// of start (or in start's directory and its parents outside a repository).
func findGitleaks(start string) string {
	dir := repoRoot(start)
	if dir == "" {
		return ""
	}
	for _, name := range gitleaksNames {
		cand := filepath.Join(dir, name)
		if fi, err := os.Stat(cand); err == nil && !fi.IsDir() {
			return cand
		}
	}
	return ""
}

// repoRoot returns the top of the working tree holding start, or start's
// own directory when there is none.
func repoRoot(start string) string {
	if root := workTree(start); root != "" {
		return root
	}
	return walkUp(start, func(string) bool { return true })
}

// GitleaksIgnoreName is the gitleaks ignore file read at a repository root.
const GitleaksIgnoreName = ".gitleaksignore"

// LoadGitleaksIgnore reads the .gitleaksignore at the root of opt.Tree, or
// at the repository root of opt.Start, if there is one, and returns its
// contents unparsed (the triage package parses it) and its name. It returns
// nil and no error when there is none; one that is not a regular file, is
// too large or is a link leading out of the repository is an error.
func LoadGitleaksIgnore(ctx context.Context, opt Options) ([]byte, string, error) {
	var data []byte
	var name string
	var err error
	if opt.Tree != nil {
		name = GitleaksIgnoreName
		data, err = opt.Tree.Read(ctx, name)
	} else {
		dir := repoRoot(opt.Start)
		if dir == "" {
			return nil, "", nil
		}
		name = filepath.Join(dir, GitleaksIgnoreName)
		if _, lerr := os.Lstat(name); lerr != nil {
			return nil, "", nil
		}
		if err := stayInRepo(name, name, name); err != nil {
			return nil, name, err
		}
		data, err = trust.ReadFile(ctx, name)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", nil
	}
	if err != nil {
		return nil, name, err
	}
	if data == nil {
		data = []byte{}
	}
	return data, name, nil
}

// Find looks for .keylint.toml in start's directory and its parents,
// stopping at the repository root (the first directory holding .git).
// It returns "" when there is none.
func Find(start string) string {
	found := ""
	root := workTree(start)
	walkUp(start, func(dir string) bool {
		cand := filepath.Join(dir, FileName)
		if fi, err := os.Stat(cand); err == nil && !fi.IsDir() {
			found = cand
			return true
		}
		return dir == root
	})
	return found
}

// walkUp calls visit for start's directory and each parent in turn until
// visit returns true or the file system root is passed. It returns the
// directory visit stopped at, or "".
func walkUp(start string, visit func(dir string) bool) string {
	if start == "" {
		start = "."
	}
	dir, err := filepath.Abs(start)
	if err != nil {
		return ""
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		if visit(dir) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// workTree returns the top of the working tree of the repository holding
// start (see [gitexec.Find]), or "" outside one and in a bare repository.
func workTree(start string) string {
	if start == "" {
		start = "."
	}
	repo, err := gitexec.Find(start, nil)
	if err != nil {
		return ""
	}
	return repo.Root
}
