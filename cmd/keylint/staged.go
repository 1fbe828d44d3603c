package main

import (
	"errors"
	"fmt"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/scanner"
)

// staged is `keylint staged`: the change staged for the next commit, as
// the pre-commit hook runs it.
func (e *env) staged(args []string) (int, error) {
	f, pos, err := e.parseCommand("staged", args, nil)
	if err != nil {
		return 0, err
	}
	if len(pos) > 0 {
		return 0, clierr.Usagef("keylint staged scans the whole staged change; use keylint scan PATH for files", "keylint staged takes no arguments, got %q", pos[0])
	}
	// git diffs the index while the rules load.
	src := &scanner.Staged{Env: gitexec.HookEnv()}
	stop := src.Start(e.ctx)
	defer stop()
	s, err := settings.Load(e.ctx, quietHook(*f), ".")
	if err != nil {
		return 0, err
	}
	src.MaxFileSize = s.MaxFileSize
	return e.runHookScan(s, src, helpText("staged-advice"), "run `keylint staged` inside a git repository")
}

// quietHook makes a hook's scan quiet unless --verbose.
func quietHook(f settings.Flags) settings.Flags {
	if !f.Verbose {
		f.Quiet = true
	}
	return f
}

// runHookScan runs a scan for a git hook: the text report goes to stderr
// (git shows a hook's stderr; its stdout is for machine-readable formats),
// nothing is printed when the change is clean, and findings that fail the
// gate are followed by advice.
func (e *env) runHookScan(s settings.Settings, src scanner.Source, advice, repoHint string) (int, error) {
	he := *e
	if s.Format == "text" && s.Output == "" {
		he.Out = e.ErrOut
	}
	// A file the hook could not read is never passed in silence.
	code, err := he.runScan(s, scope{listSkipped: true}, func(sc *scanner.Scanner) (*scanner.Result, error) { return sc.Scan(e.ctx, src) })
	if errors.Is(err, gitexec.ErrNotRepository) {
		return 0, clierr.Usagef(repoHint, "%v", err)
	}
	if err == nil && code != exitClean {
		fmt.Fprint(e.ErrOut, advice)
	}
	return code, err
}
