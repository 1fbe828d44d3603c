package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/keylint/keylint/internal/trust"
)

// BaseOptions say where a pull request's suppressing inputs are named.
// Paths are as the user spelled them (--config, --baseline): relative,
// "./x", "a/../x", or absolute inside the work tree.
type BaseOptions struct {
	// Repo is the checkout (a directory of the work tree).
	Repo string
	// Cwd is the current directory; relative paths are taken from it when
	// it is inside the work tree, else from the work tree's root.
	Cwd string
	// Base and Head are the pull request's base and head commits.
	Base, Head string
	// Config is --config, or "" to discover .keylint.toml (else a gitleaks
	// configuration) at the root of the base commit.
	Config string
	// Disabled is --no-config: no configuration and no .gitleaksignore.
	Disabled bool
	// Baseline is --baseline, or "" for the baseline the base commit's
	// configuration names, if any.
	Baseline string
}

// Base is everything that can silence a finding of a pull request, read
// from its base commit and never from the work tree: the configuration
// and the files it extends (with their allowlists and path rules), the
// .gitleaksignore and the baseline.
type Base struct {
	// Config is the configuration; the built-in rules when there is none.
	Config *Loaded
	// Ignore is the base commit's .gitleaksignore, unparsed; nil when none.
	Ignore []byte
	// Baseline is the base commit's version of --baseline, unparsed; nil
	// when none. The triage package parses both.
	Baseline []byte
	// BaselinePath is the baseline's path in the tree; "" when none.
	BaselinePath string
	// Warnings are for the pull request's reviewers: inputs the pull
	// request changes, inputs missing from the base commit.
	Warnings []string
}

// watched is an input whose change by the pull request is reported.
type watched struct {
	name, kind string
}

// LoadBase reads a pull request's suppressing inputs from its base commit.
// A path outside the work tree, an input that is not a regular file of at
// most [trust.MaxSize] bytes, a link in the base tree leading out of it, or
// an extends leaving the tree is an error (a *trust.Error, or a
// *rules.ConfigError for a broken configuration). An input missing from
// the base commit (a named configuration or baseline, a file an extends
// names) is a warning, and the scan runs without it.
func LoadBase(ctx context.Context, opt BaseOptions) (*Base, error) {
	root, err := trust.Root(ctx, opt.Repo)
	if err != nil {
		return nil, fmt.Errorf("finding the work tree of %s: %w", opt.Repo, err)
	}
	tree := &trust.Tree{Dir: opt.Repo, Rev: opt.Base}
	out := &Base{}
	var watch []watched

	switch {
	case opt.Disabled:
		out.Config, err = LoadContext(ctx, Options{Disabled: true})
	case opt.Config != "":
		var name string
		var ok bool
		if name, err = trust.TreePath(root, opt.Cwd, opt.Config); err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
		watch = append(watch, watched{name, "configuration"})
		if ok, err = tree.Exists(ctx, name); err != nil {
			return nil, err
		}
		if ok {
			out.Config, err = LoadContext(ctx, Options{Path: name, Tree: tree})
		} else {
			out.Warnings = append(out.Warnings, fmt.Sprintf("the keylint configuration %s is not in the base commit %.12s; the scan ran without it (built-in rules only)", name, opt.Base))
			out.Config, err = LoadContext(ctx, Options{Disabled: true})
		}
	default:
		for _, n := range append([]string{FileName}, gitleaksNames...) {
			watch = append(watch, watched{n, "configuration"})
		}
		out.Config, err = LoadContext(ctx, Options{Tree: tree})
	}
	if err != nil {
		return nil, err
	}
	for _, f := range out.Config.Files {
		watch = append(watch, watched{f, "configuration"})
	}
	for _, m := range out.Config.Missing {
		watch = append(watch, watched{m, "configuration"})
		out.Warnings = append(out.Warnings, fmt.Sprintf("the keylint configuration %s, which %s extends, is not in the base commit %.12s; the scan ran without it", m, out.Config.Files[0], opt.Base))
	}

	if !opt.Disabled {
		watch = append(watch, watched{GitleaksIgnoreName, "ignore file"})
		out.Ignore, _, err = LoadGitleaksIgnore(ctx, Options{Tree: tree})
		if err != nil {
			return nil, err
		}
	}

	if opt.Baseline != "" || out.Config.Baseline != "" {
		name := out.Config.Baseline // already a path in the tree
		if opt.Baseline != "" {
			if name, err = trust.TreePath(root, opt.Cwd, opt.Baseline); err != nil {
				return nil, fmt.Errorf("--baseline: %w", err)
			}
		}
		watch = append(watch, watched{name, "baseline"})
		data, err := tree.Read(ctx, name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out.Warnings = append(out.Warnings, fmt.Sprintf("the baseline %s is not in the base commit %.12s; the scan ran without it", name, opt.Base))
		case err != nil:
			return nil, err
		default:
			if data == nil {
				data = []byte{}
			}
			out.Baseline, out.BaselinePath = data, name
		}
	}

	warn, err := changes(ctx, tree, opt.Head, watch)
	if err != nil {
		return nil, err
	}
	out.Warnings = append(out.Warnings, warn...)
	return out, nil
}

// changes returns a warning for each watched input the head changes.
func changes(ctx context.Context, tree *trust.Tree, head string, watch []watched) ([]string, error) {
	seen := map[string]bool{}
	var names []string
	kinds := map[string]string{}
	for _, w := range watch {
		if !seen[w.name] {
			seen[w.name] = true
			names = append(names, w.name)
			kinds[w.name] = w.kind
		}
	}
	changed, err := tree.Changed(ctx, head, names)
	if err != nil {
		return nil, fmt.Errorf("comparing the keylint configuration of the base and head commits: %w", err)
	}
	var out []string
	for _, n := range changed {
		tail := "the scan used the base branch's version"
		if ok, err := tree.Exists(ctx, n); err == nil && !ok {
			tail = "the base commit has no such file, so the scan ran without it"
		}
		out = append(out, fmt.Sprintf("this pull request changes the keylint %s (%s); %s", kinds[n], n, tail))
	}
	return out, nil
}
