// Package config finds and loads keylint's configuration: the project's
// .keylint.toml (found from a scanned path up to the repository root), a
// file named with --config, and the files they extend, merged over the
// built-in rules.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
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
}

// Load returns the built-in rules merged with the project configuration.
func Load(opt Options) (*Loaded, error) {
	out := &Loaded{}
	path := opt.Path
	if path == "" && !opt.Disabled {
		path = Find(opt.Start)
		if path == "" {
			if gl := findGitleaks(opt.Start); gl != "" {
				path = gl
				out.Notices = append(out.Notices, fmt.Sprintf("no %s: using the gitleaks configuration %s (convert it with `keylint config convert %s`)", FileName, gl, gl))
			}
		}
	}
	if path != "" {
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
	chain, notes, err := readChain(path)
	if err != nil {
		return nil, err
	}
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
	}
	out.Ruleset = rs
	return out, nil
}

type link struct {
	path string
	file *rules.File
}

// readChain reads path and the files it extends, base first. A cycle is an
// error naming the files.
func readChain(path string) ([]link, []string, error) {
	var chain []link
	var notes []string
	seen := map[string]bool{}
	for i := 0; path != ""; i++ {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, nil, err
		}
		if seen[abs] {
			return nil, nil, &rules.ConfigError{File: path, Err: errors.New("extends cycle: this file is already part of the chain")}
		}
		if i == maxExtends {
			return nil, nil, &rules.ConfigError{File: path, Err: fmt.Errorf("extends chain longer than %d files", maxExtends)}
		}
		seen[abs] = true
		f, unsupported, err := readFile(path)
		if err != nil {
			return nil, nil, err
		}
		for _, u := range unsupported {
			notes = append(notes, fmt.Sprintf("%s: not supported, ignored: %s", path, u))
		}
		chain = append([]link{{path, f}}, chain...)
		next := f.Extends
		if next != "" && !filepath.IsAbs(next) {
			next = filepath.Join(filepath.Dir(path), next)
		}
		path = next
	}
	return chain, notes, nil
}

// readFile reads a keylint or gitleaks configuration file; for gitleaks it
// also returns what could not be converted.
func readFile(path string) (*rules.File, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, &rules.ConfigError{File: path, Err: fmt.Errorf("cannot read configuration: %w", errors.Unwrap(err))}
	}
	if IsGitleaks(path) {
		return rules.ParseGitleaks(path, data)
	}
	f, err := rules.Parse(path, data)
	return f, nil, err
}

// ReadFile reads one configuration file, keylint's or gitleaks', without
// following extends. For gitleaks files the second result lists what could
// not be converted.
func ReadFile(path string) (*rules.File, []string, error) { return readFile(path) }

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

// repoRoot returns the first directory holding .git from start upwards,
// or start's own directory when there is none.
func repoRoot(start string) string {
	if root := walkUp(start, isRepoRoot); root != "" {
		return root
	}
	return walkUp(start, func(string) bool { return true })
}

// GitleaksIgnore reads the .gitleaksignore at the repository root of start,
// if there is one.
func GitleaksIgnore(start string) (*scanner.GitleaksIgnore, string, error) {
	dir := repoRoot(start)
	if dir == "" {
		return nil, "", nil
	}
	path := filepath.Join(dir, ".gitleaksignore")
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil
	}
	defer f.Close()
	g, err := scanner.ParseGitleaksIgnore(f)
	if err != nil {
		return nil, path, fmt.Errorf("%s: %w", path, err)
	}
	return g, path, nil
}

// Find looks for .keylint.toml in start's directory and its parents,
// stopping at the repository root (the first directory holding .git).
// It returns "" when there is none.
func Find(start string) string {
	found := ""
	walkUp(start, func(dir string) bool {
		cand := filepath.Join(dir, FileName)
		if fi, err := os.Stat(cand); err == nil && !fi.IsDir() {
			found = cand
			return true
		}
		return isRepoRoot(dir)
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

func isRepoRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}
