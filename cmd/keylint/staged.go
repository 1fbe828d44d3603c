package main

import (
	"errors"
	"fmt"

	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/scanner"
)

// stagedAdvice follows the findings of a blocked commit.
const stagedAdvice = `keylint: the staged change adds the secrets above; the commit is blocked.
  - Remove each secret from the file and read it at run time instead, from an
    environment variable or a secret manager; then stage the file again.
  - If the secret was ever pushed or shared, rotate it with its provider:
    deleting it from the code does not make it secret again.
  - A false positive? Put "keylint:allow" on its line (or "keylint:allow RULE-ID").
  - Only as a last resort, "git commit --no-verify" skips the check.
`

// pushAdvice follows the findings of a blocked push. The commits exist
// already: an inline allow added now would not change them.
const pushAdvice = `keylint: the commits above add secrets the remote does not have yet; the push is blocked.
  - Remove each secret from the commits that add it, and read it at run time
    instead, from an environment variable or a secret manager:
      the last commit:  edit the file, then "git add FILE" and "git commit --amend"
      an older one:     "git rebase -i COMMIT^", mark that commit "edit", fix the
                        file, "git add FILE", "git commit --amend", "git rebase --continue"
    then push again.
  - If the secret was ever pushed or shared anywhere, rotate it with its
    provider: rewriting history does not make it secret again.
  - A false positive? Record it in the baseline: "keylint baseline", with
    baseline = ".keylint-baseline" in .keylint.toml; commit both, then push.
    (A "keylint:allow" comment added now would not change the commits already made.)
  - Only as a last resort, "git push --no-verify" skips the check.
`

// staged is `keylint staged`: the change staged for the next commit, as
// the pre-commit hook runs it.
func (e *env) staged(args []string) (int, error) {
	f, pos, err := e.parseCommand("staged", args, nil)
	if err != nil {
		return 0, err
	}
	if len(pos) > 0 {
		return 0, usagef("keylint staged scans the whole staged change; use keylint scan PATH for files", "keylint staged takes no arguments, got %q", pos[0])
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
	return e.runHookScan(s, src, stagedAdvice, "run `keylint staged` inside a git repository")
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
		he.stdout = e.stderr
	}
	// A file the hook could not read is never passed in silence.
	code, err := he.runScan(s, scope{listSkipped: true}, func(sc *scanner.Scanner) (*scanner.Result, error) { return sc.Scan(e.ctx, src) })
	if errors.Is(err, gitexec.ErrNotRepository) {
		return 0, usagef(repoHint, "%v", err)
	}
	if err == nil && code != exitClean {
		fmt.Fprint(e.stderr, advice)
	}
	return code, err
}
