// Package gitexec runs the git binary safely on repositories keylint does
// not trust: nothing configured by the scanned repository (hooks, fsmonitor,
// signature verification, external diff and textconv drivers, filters,
// pagers, credential helpers, transports) can run, no file it names is read
// in place of the repository's own, and git never prompts nor waits on a
// FIFO. Every git command keylint runs goes through this package.
//
// Before each command, the git directories git could use are checked (see
// [UnsafeRepositoryError]), then git lists the configured keys and [Overrides]
// turns them into -c arguments that neutralise each dangerous one, the
// keys whose name a configuration chooses (diff.<driver>.textconv) as well
// as the fixed ones. [Options.Prepare] does this once for many commands.
//
// The environment: every GIT_* variable of keylint's own environment is
// dropped (GIT_DIR, GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM, GIT_CONFIG_COUNT,
// GIT_EXEC_PATH, GIT_SSH, GIT_SSH_COMMAND, GIT_EXTERNAL_DIFF,
// GIT_PROXY_COMMAND, GIT_ALLOW_PROTOCOL ...) except GIT_CONFIG_NOSYSTEM: they
// are the user's, but a hook inherits git's own, and keylint's read
// commands need none of them. The user's ~/.gitconfig and /etc/gitconfig are
// read as usual, with the same overrides.
package gitexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// env is the environment git runs with: the caller's, minus variables that
// redirect git to another repository or make it prompt, run a pager or an
// askpass program.
func env() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "GIT_") && k != "GIT_CONFIG_NOSYSTEM":
			continue // GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CONFIG_* ...
		case k == "PAGER" || k == "SSH_ASKPASS":
			continue
		}
		out = append(out, kv)
	}
	for _, kv := range neutralEnv {
		out = append(out, kv[0]+"="+kv[1])
	}
	return append(out,
		"GIT_TERMINAL_PROMPT=0",
		"GIT_PAGER=cat",
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_ASKPASS=",
		"LC_ALL=C",
	)
}

// Command returns a git command run in dir with the safe configuration
// (see [Options.Command]).
// Callers add --no-ext-diff and --no-textconv to diff-like commands; [Run]
// and [Output] do not add them because not every subcommand accepts them.
func Command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	return Options{}.Command(ctx, dir, args...)
}

// Error is a failed git command with its stderr.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

// Error gives the command and git's message.
func (e *Error) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), msg)
}

// Unwrap returns the error of the process.
func (e *Error) Unwrap() error { return e.Err }

// Output runs git in dir and returns its stdout.
func Output(ctx context.Context, dir string, args ...string) ([]byte, error) {
	return Options{}.Output(ctx, dir, args...)
}

// outputBuffer is where [output] collects stdout.
type outputBuffer interface {
	io.Writer
	Bytes() []byte
}

func output(ctx context.Context, cmd *exec.Cmd, args []string, stdout outputBuffer) ([]byte, error) {
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Run(); err != nil {
		if cmd.Err != nil && !errors.Is(err, exec.ErrNotFound) {
			return nil, err // the repository was not safe to run git on
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) || stderr.Len() > 0 {
			return nil, &Error{Args: args, Stderr: stderr.String(), Err: err}
		}
		return nil, fmt.Errorf("cannot run git (is it installed and on PATH?): %w", err)
	}
	return stdout.Bytes(), nil
}

// hookVars are the variables git exports to a hook to name the repository,
// work tree and index the hook is about. During `git commit -a` or
// `git commit PATH` GIT_INDEX_FILE names a temporary index: a hook that
// reads the default index instead sees the wrong content.
var hookVars = []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"}

// HookEnv returns the variables of [hookVars] set in the current process,
// as KEY=VALUE with relative paths made absolute against the current
// directory (git gives them relative to the directory it started the hook
// in, which need not be the directory a command later runs in). Pass the
// result as [Options.Env] when keylint runs inside a hook, or on behalf of
// a user who set them.
func HookEnv() []string {
	var out []string
	for _, k := range hookVars {
		v, ok := os.LookupEnv(k)
		if !ok || v == "" {
			continue
		}
		if !filepath.IsAbs(v) {
			if abs, err := filepath.Abs(v); err == nil {
				v = abs
			}
		}
		out = append(out, k+"="+v)
	}
	return out
}

// Options adjust how [Options.Command] and [Options.Output] run git. The
// zero value runs git exactly as [Command] and [Output] do.
type Options struct {
	// Env lists KEY=VALUE variables added after the safe environment, such
	// as the result of [HookEnv].
	Env []string
	// RepoHooksPath leaves core.hooksPath as the repository configures it
	// instead of pointing it at /dev/null. Set it only for commands that
	// report the setting (git rev-parse --git-path hooks), never for one
	// that could run a hook.
	RepoHooksPath bool

	// overrides, when set by Prepare, are the arguments that neutralise
	// the repository's configuration.
	overrides []string
	prepared  string // the directory they were computed for
}

// Prepare checks the repository holding dir and lists its configuration
// once, and returns options whose commands in dir reuse the result instead
// of doing it again for each command. The error is an
// [*UnsafeRepositoryError] when git must not run on the repository at all.
func (o Options) Prepare(ctx context.Context, dir string) (Options, error) {
	o.overrides, o.prepared = nil, ""
	ov, err := o.overridesFor(ctx, dir)
	if err != nil {
		return o, err
	}
	o.overrides, o.prepared = ov, dir
	return o, nil
}

// Command returns git with args, run in dir, with every setting that could
// run a program or redirect a read neutralised, and the safe environment
// followed by o.Env. When the repository cannot be made safe (see
// [UnsafeRepositoryError]), the command is returned with its Err field set, so
// that starting it fails with that error and runs nothing.
func (o Options) Command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	ov := o.overrides
	var err error
	if ov == nil || o.prepared != dir {
		ov, err = o.overridesFor(ctx, dir)
	}
	cmd := o.raw(ctx, dir, ov, args...)
	if err != nil {
		cmd.Err = err
	}
	return cmd
}

// raw returns git with the overrides ov (minus core.hooksPath with
// RepoHooksPath) and args, in dir, with the safe environment and o.Env.
func (o Options) raw(ctx context.Context, dir string, ov []string, args ...string) *exec.Cmd {
	full := make([]string, 0, len(ov)+len(args))
	for i := 0; i < len(ov); i++ {
		if ov[i] == "-c" && i+1 < len(ov) {
			if o.RepoHooksPath && strings.HasPrefix(strings.ToLower(ov[i+1]), "core.hookspath=") {
				i++
				continue
			}
			full = append(full, ov[i], ov[i+1])
			i++
			continue
		}
		full = append(full, ov[i])
	}
	cmd := exec.CommandContext(ctx, "git", append(full, args...)...)
	cmd.Dir = dir
	cmd.Env = append(env(), o.Env...)
	return cmd
}

// Output is [Output] with the options applied.
func (o Options) Output(ctx context.Context, dir string, args ...string) ([]byte, error) {
	return output(ctx, o.Command(ctx, dir, args...), args, new(bytes.Buffer))
}

// OutputStdin is [Options.Output] with stdin fed to git.
func (o Options) OutputStdin(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := o.Command(ctx, dir, args...)
	cmd.Stdin = stdin
	return output(ctx, cmd, args, new(bytes.Buffer))
}
