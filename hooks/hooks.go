package hooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gitexec"
)

// The hooks keylint installs.
const (
	PreCommit = "pre-commit"
	PrePush   = "pre-push"
)

// PreviousSuffix is appended to a hook's name for the hook that was there
// before keylint's: keylint's script runs it first, and [Uninstall] puts
// it back.
const PreviousSuffix = ".keylint-previous"

// marker starts the line that identifies a script written by keylint.
const marker = "# keylint-hook: "

// ErrBare is returned for a bare repository, where nothing is committed.
var ErrBare = errors.New("a bare repository has no working tree to commit from")

// Chosen returns the hooks `keylint hook install` or `uninstall` acts on:
// install writes the pre-commit hook and, with prePush, the pre-push hook
// too; uninstall removes every hook (nil), or with prePush only the
// pre-push hook.
func Chosen(install, prePush bool) []string {
	switch {
	case install && prePush:
		return []string{PreCommit, PrePush}
	case install:
		return []string{PreCommit}
	case prePush:
		return []string{PrePush}
	}
	return nil
}

// Options configure [Install].
type Options struct {
	// Dir is a directory inside the repository; "" is the current one.
	Dir string
	// Hooks lists the hooks to install: [PreCommit], [PrePush] or both
	// (default [PreCommit]).
	Hooks []string
	// Force replaces a hook that is already there instead of running it
	// before keylint. The hook is still kept, and [Uninstall] restores it.
	Force bool
	// Keylint is the absolute path of the keylint binary that the script
	// runs; when it is gone, the script looks for keylint on PATH. ""
	// records no path.
	Keylint string
}

// Action says what happened to one hook.
type Action string

// The actions of [Install] and [Uninstall].
const (
	Installed Action = "installed" // written where there was no hook
	Updated   Action = "updated"   // keylint's script rewritten
	Chained   Action = "chained"   // written; the hook that was there runs first
	Replaced  Action = "replaced"  // written over a hook (Force), which is kept
	Removed   Action = "removed"   // keylint's script removed; there was no hook before
	Restored  Action = "restored"  // keylint's script removed and the previous hook put back
	Absent    Action = "absent"    // nothing of keylint's to remove or restore
	Foreign   Action = "foreign"   // a hook that is not keylint's, left alone
)

// Change is what [Install] or [Uninstall] did to one hook.
type Change struct {
	Hook   string
	Path   string // the hook file
	Action Action
	// Previous is where the hook that was there before is kept, when one is.
	Previous string
	// PreviousRuns is set when keylint's script runs the kept hook first.
	PreviousRuns bool
}

// Dir returns the directory git runs the hooks of the repository holding
// dir from: core.hooksPath when set (relative to the top of the working
// tree, as git reads it), else the hooks folder of the common git
// directory, shared by all linked worktrees.
//
// Outside a repository the error wraps [gitexec.ErrNotRepository].
func Dir(ctx context.Context, dir string) (string, error) {
	if _, err := gitexec.Find(dir, nil); err != nil {
		return "", err
	}
	out, err := gitexec.Options{RepoHooksPath: true}.Output(ctx, dir,
		"rev-parse", "--is-bare-repository", "--git-path", "hooks")
	if err != nil {
		var ge *gitexec.Error
		if errors.As(err, &ge) && strings.Contains(ge.Stderr, "not a git repository") {
			return "", fmt.Errorf("%w: %s", gitexec.ErrNotRepository, strings.TrimSpace(ge.Stderr))
		}
		return "", err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != 2 {
		return "", fmt.Errorf("git rev-parse: unexpected output %q", out)
	}
	if lines[0] == "true" {
		return "", ErrBare
	}
	p := lines[1]
	if !filepath.IsAbs(p) {
		base, err := filepath.Abs(dir)
		if err != nil {
			return "", err
		}
		p = filepath.Join(base, p)
	}
	return filepath.Clean(p), nil
}

// Install writes keylint's hooks into the repository holding opts.Dir.
// Its errors say what to do next ([clierr.Hint]); outside a repository and
// in a bare one they are usage errors.
func Install(ctx context.Context, opts Options) (_ []Change, err error) {
	defer func() { err = withHint(err, "install") }()
	names, err := hookNames(opts.Hooks)
	if err != nil {
		return nil, err
	}
	dir, err := Dir(ctx, opts.Dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the hooks directory: %w", err)
	}
	var changes []Change
	for _, name := range names {
		c, err := install(dir, name, opts)
		if err != nil {
			return changes, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}

func install(dir, name string, opts Options) (Change, error) {
	path := filepath.Join(dir, name)
	prev := path + PreviousSuffix
	c := Change{Hook: name, Path: path}
	hasPrev := exists(prev)
	switch ours, err := isOurs(path); {
	case errors.Is(err, fs.ErrNotExist):
		c.Action = Installed
	case err != nil:
		return c, err
	case ours:
		c.Action = Updated
	case hasPrev:
		return c, fmt.Errorf("%s is not keylint's hook, and %s already holds an earlier one: move one of them away first", path, prev)
	default:
		if err := os.Rename(path, prev); err != nil {
			return c, fmt.Errorf("keeping the existing hook: %w", err)
		}
		hasPrev = true
		c.Action = Chained
		if opts.Force {
			c.Action = Replaced
		}
	}
	if hasPrev {
		c.Previous = prev
	}
	chain := hasPrev && !opts.Force
	c.PreviousRuns = chain
	if err := writeScript(path, Script(name, opts.Keylint, chain)); err != nil {
		if c.Action == Chained || c.Action == Replaced {
			_ = os.Rename(prev, path) // put the user's hook back
		}
		return c, err
	}
	return c, nil
}

// Uninstall removes keylint's hooks (all of them when names is empty) from
// the repository holding dir, and puts back the hooks that were there
// before. A hook that is not keylint's is left alone. Its errors are
// those of [Install].
func Uninstall(ctx context.Context, dir string, names ...string) (_ []Change, err error) {
	defer func() { err = withHint(err, "uninstall") }()
	if len(names) == 0 {
		names = []string{PreCommit, PrePush}
	}
	names, err = hookNames(names)
	if err != nil {
		return nil, err
	}
	hd, err := Dir(ctx, dir)
	if err != nil {
		return nil, err
	}
	var changes []Change
	for _, name := range names {
		path := filepath.Join(hd, name)
		prev := path + PreviousSuffix
		c := Change{Hook: name, Path: path}
		ours, err := isOurs(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			c.Action = Absent
			if exists(prev) {
				// keylint's script was deleted by hand: the kept hook
				// still belongs here.
				if err := os.Rename(prev, path); err != nil {
					return changes, fmt.Errorf("restoring the previous hook: %w", err)
				}
				c.Action = Restored
			}
		case err != nil:
			return changes, err
		case !ours:
			c.Action = Foreign
		default:
			if err := os.Remove(path); err != nil {
				return changes, fmt.Errorf("removing %s: %w", path, err)
			}
			c.Action = Removed
			if exists(prev) {
				if err := os.Rename(prev, path); err != nil {
					return changes, fmt.Errorf("restoring the previous hook: %w", err)
				}
				c.Action = Restored
			}
		}
		if c.Action != Restored && exists(prev) {
			c.Previous = prev
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// withHint gives an error of `keylint hook COMMAND` its hint: where to
// run the command, or that nothing was lost.
func withHint(err error, command string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gitexec.ErrNotRepository):
		return clierr.Usage(err, "run `keylint hook "+command+"` inside a git repository")
	case errors.Is(err, ErrBare):
		return clierr.Usage(err, "install the hook in a clone with a working tree")
	}
	return clierr.WithHint(err, "nothing was lost: a hook that was already there is either in place or kept next to it with the suffix "+PreviousSuffix)
}

// hookNames checks names and defaults to the pre-commit hook.
func hookNames(names []string) ([]string, error) {
	if len(names) == 0 {
		return []string{PreCommit}, nil
	}
	for _, n := range names {
		if n != PreCommit && n != PrePush {
			return nil, fmt.Errorf("unknown hook %q (keylint installs pre-commit and pre-push)", n)
		}
	}
	return names, nil
}

// isOurs reports whether path is a script keylint wrote; a symbolic link
// is never keylint's.
func isOurs(path string) (bool, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return false, err
	}
	if !fi.Mode().IsRegular() {
		return false, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	return bytes.Contains(data, []byte("\n"+marker)), nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// writeScript writes an executable script atomically.
func writeScript(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".keylint-*")
	if err != nil {
		return fmt.Errorf("writing the hook: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o755)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing the hook: %w", werr)
	}
	return nil
}

// Script returns keylint's script for hook. keylint is the absolute path
// of the binary to run ("" for PATH only); chain makes the script run the
// previous hook (NAME.keylint-previous, next to it) first.
func Script(hook, keylint string, chain bool) []byte {
	var b strings.Builder
	w := func(lines ...string) {
		for _, l := range lines {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	w("#!/bin/sh",
		marker+hook+" v1",
		"# Written by `keylint hook install`. `keylint hook uninstall` removes it",
		"# and puts back the hook that was here before, if any.",
		"")
	previous := hook + PreviousSuffix
	readsStdin := hook == PrePush
	if chain {
		w("# The hook that was here before keylint runs first, as git would run it.",
			`previous="$(dirname -- "$0")/`+previous+`"`)
		if readsStdin {
			w(`input=$(cat)`,
				`if [ -x "$previous" ]; then`,
				`	if [ -n "$input" ]; then printf '%s\n' "$input"; fi | "$previous" "$@" || exit $?`,
				`fi`)
		} else {
			w(`if [ -x "$previous" ]; then`,
				`	"$previous" "$@" || exit $?`,
				`fi`)
		}
		w("")
	}
	w("# keylint as installed, else as found on PATH.",
		"recorded="+shellQuote(keylint),
		`keylint=$recorded`,
		`if [ -z "$keylint" ] || [ ! -x "$keylint" ]; then`,
		`	keylint=$(command -v keylint 2>/dev/null) || keylint=`,
		`fi`,
		`if [ -z "$keylint" ]; then`,
		`	echo "keylint: error: the `+hook+` hook cannot run keylint: it is not at ${recorded:-(no path recorded)} nor on PATH" >&2`,
		"\techo \"keylint: hint: install keylint again and run 'keylint hook install', or remove the hook with 'keylint hook uninstall'\" >&2",
		`	exit 1`,
		`fi`)
	args := `staged`
	if hook == PrePush {
		args = `hook run pre-push -- "$@"`
	}
	if chain && readsStdin {
		w(`if [ -n "$input" ]; then printf '%s\n' "$input"; fi | "$keylint" ` + args)
	} else {
		w(`exec "$keylint" ` + args)
	}
	return []byte(b.String())
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
