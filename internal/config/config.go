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

	"github.com/keylint/keylint/rules"
)

// FileName is the project configuration file found at a repository root.
const FileName = ".keylint.toml"

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
	// up from another tool).
	Notices []string
}

// Load returns the built-in rules merged with the project configuration.
func Load(opt Options) (*Loaded, error) {
	out := &Loaded{}
	path := opt.Path
	if path == "" && !opt.Disabled {
		path = Find(opt.Start)
	}
	if opt.Disabled || path == "" {
		rs, err := rules.Default()
		if err != nil {
			return nil, fmt.Errorf("the built-in rules are broken: %w", err)
		}
		out.Ruleset = rs
		return out, nil
	}
	chain, err := readChain(path)
	if err != nil {
		return nil, err
	}
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
func readChain(path string) ([]link, error) {
	var chain []link
	seen := map[string]bool{}
	for i := 0; path != ""; i++ {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		if seen[abs] {
			return nil, &rules.ConfigError{File: path, Err: errors.New("extends cycle: this file is already part of the chain")}
		}
		if i == maxExtends {
			return nil, &rules.ConfigError{File: path, Err: fmt.Errorf("extends chain longer than %d files", maxExtends)}
		}
		seen[abs] = true
		f, err := readFile(path)
		if err != nil {
			return nil, err
		}
		chain = append([]link{{path, f}}, chain...)
		next := f.Extends
		if next != "" && !filepath.IsAbs(next) {
			next = filepath.Join(filepath.Dir(path), next)
		}
		path = next
	}
	return chain, nil
}

func readFile(path string) (*rules.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &rules.ConfigError{File: path, Err: fmt.Errorf("cannot read configuration: %w", errors.Unwrap(err))}
	}
	return rules.Parse(path, data)
}

// Find looks for .keylint.toml in start's directory and its parents,
// stopping at the repository root (the first directory holding .git).
// It returns "" when there is none.
func Find(start string) string {
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
		cand := filepath.Join(dir, FileName)
		if fi, err := os.Stat(cand); err == nil && !fi.IsDir() {
			return cand
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
