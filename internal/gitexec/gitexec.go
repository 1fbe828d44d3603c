// Package gitexec runs the git binary safely on repositories keylint does
// not trust: nothing configured by the scanned repository (hooks, fsmonitor,
// external diff and textconv drivers, pagers, credential helpers) can run,
// and git never prompts.
package gitexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// safeConfig neutralises every repository setting that could make git run
// a program of the repository's choosing.
var safeConfig = []string{
	"-c", "core.fsmonitor=false",
	"-c", "core.hooksPath=/dev/null",
	"-c", "core.pager=cat",
	"-c", "core.sshCommand=false",
	"-c", "credential.helper=",
	"-c", "diff.external=",
	"-c", "protocol.allow=never",
	"-c", "core.untrackedCache=false",
	"-c", "gc.auto=0",
	"-c", "maintenance.auto=false",
}

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
	return append(out,
		"GIT_TERMINAL_PROMPT=0",
		"GIT_PAGER=cat",
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_ASKPASS=",
		"LC_ALL=C",
	)
}

// Command returns a git command run in dir with the safe configuration.
// Callers add --no-ext-diff and --no-textconv to diff-like commands; [Run]
// and [Output] do not add them because not every subcommand accepts them.
func Command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	full := append(append([]string{}, safeConfig...), args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Dir = dir
	cmd.Env = env()
	return cmd
}

// Error is a failed git command with its stderr.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Output runs git in dir and returns its stdout.
func Output(ctx context.Context, dir string, args ...string) ([]byte, error) {
	return output(ctx, Command(ctx, dir, args...), args)
}

func output(ctx context.Context, cmd *exec.Cmd, args []string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
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
}

// Command is [Command] with the options applied.
func (o Options) Command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	full := make([]string, 0, len(safeConfig)+len(args))
	for i := 0; i+1 < len(safeConfig); i += 2 {
		if o.RepoHooksPath && strings.HasPrefix(safeConfig[i+1], "core.hooksPath=") {
			continue
		}
		full = append(full, safeConfig[i], safeConfig[i+1])
	}
	cmd := exec.CommandContext(ctx, "git", append(full, args...)...)
	cmd.Dir = dir
	cmd.Env = append(env(), o.Env...)
	return cmd
}

// Output is [Output] with the options applied.
func (o Options) Output(ctx context.Context, dir string, args ...string) ([]byte, error) {
	return output(ctx, o.Command(ctx, dir, args...), args)
}
