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
	cmd := Command(ctx, dir, args...)
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
