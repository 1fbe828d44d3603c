package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/keylint/keylint/hooks"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
)

// hookAbout is the description in keylint hook's help.
const hookAbout = `install writes a pre-commit hook (and with --pre-push a pre-push hook) that
runs keylint. A hook already there is kept and runs first; --force replaces
it instead (it is still kept). uninstall removes keylint's hooks (with
--pre-push only that one) and puts back what was there before.
run pre-push is what the pre-push hook runs: it reads git's lines on stdin
and scans the commits the remote does not have yet. Only the remote's side
of git's lines and REMOTE's own remote-tracking refs (refs/remotes/REMOTE/*,
none for a push to a URL) count as pushed: another remote's do not.`

// hookFlags are the flags of keylint hook install, for its help.
func hookFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("hook", flag.ContinueOnError)
	fs.Bool("pre-push", false, "install: the pre-push hook too; uninstall: only the pre-push hook")
	fs.Bool("force", false, "install: replace an existing hook instead of chaining it (it is still kept)")
	return fs
}

// hook is `keylint hook install|uninstall|run`.
func (e *env) hook(args []string) (int, error) {
	if len(args) == 0 {
		return 0, usagef("use keylint hook install, uninstall or run pre-push", "keylint hook needs a subcommand")
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "install", "uninstall":
		return e.hookInstall(sub, rest)
	case "run":
		return e.hookRun(rest)
	case "help", "-h", "--help":
		writeCommandHelp(e.stdout, "hook", hookFlags())
		return exitClean, nil
	default:
		msg := fmt.Sprintf("unknown hook subcommand %q", sub)
		if s := closest(sub, []string{"install", "uninstall", "run"}); len(s) > 0 {
			msg += fmt.Sprintf("; did you mean `keylint hook %s`?", s[0])
		}
		return 0, usagef("use keylint hook install, uninstall or run pre-push", "%s", msg)
	}
}

func (e *env) hookInstall(sub string, args []string) (int, error) {
	fs := flag.NewFlagSet("hook "+sub, flag.ContinueOnError)
	prePush := fs.Bool("pre-push", false, "the pre-push hook too (uninstall: only it)")
	force := false
	if sub == "install" {
		fs.BoolVar(&force, "force", false, "replace an existing hook instead of chaining it")
	}
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.stdout, "hook", hookFlags())
		return exitClean, nil
	}
	if err != nil {
		return 0, err
	}
	if len(pos) > 0 {
		return 0, usagef("run it inside the repository", "keylint hook %s takes no arguments, got %q", sub, pos[0])
	}
	var changes []hooks.Change
	if sub == "install" {
		names := []string{hooks.PreCommit}
		if *prePush {
			names = append(names, hooks.PrePush)
		}
		self, warn := keylintPath()
		if warn != "" {
			fmt.Fprintf(e.stderr, "keylint: warning: %s\n", warn)
		}
		changes, err = hooks.Install(e.ctx, hooks.Options{Hooks: names, Force: force, Keylint: self})
	} else {
		var names []string
		if *prePush {
			names = []string{hooks.PrePush}
		}
		changes, err = hooks.Uninstall(e.ctx, "", names...)
	}
	for _, c := range changes {
		fmt.Fprintln(e.stdout, describe(c))
	}
	switch {
	case errors.Is(err, gitexec.ErrNotRepository):
		return 0, usagef("run `keylint hook "+sub+"` inside a git repository", "%v", err)
	case errors.Is(err, hooks.ErrBare):
		return 0, usagef("install the hook in a clone with a working tree", "%v", err)
	case err != nil:
		return 0, withHint(err, "nothing was lost: a hook that was already there is either in place or kept next to it with the suffix "+hooks.PreviousSuffix)
	}
	return exitClean, nil
}

// describe says what happened to a hook, in one line.
func describe(c hooks.Change) string {
	p := report.Sanitize(c.Path)
	prev := report.Sanitize(c.Previous)
	switch c.Action {
	case hooks.Installed, hooks.Updated:
		msg := fmt.Sprintf("keylint: %s hook %s: %s", c.Hook, c.Action, p)
		switch {
		case c.PreviousRuns:
			msg += fmt.Sprintf(" (the earlier hook kept at %s runs first)", prev)
		case prev != "":
			msg += fmt.Sprintf(" (the earlier hook kept at %s does not run; uninstall puts it back)", prev)
		}
		return msg
	case hooks.Chained:
		return fmt.Sprintf("keylint: %s hook installed: %s; the hook that was there is kept at %s and runs first", c.Hook, p, prev)
	case hooks.Replaced:
		return fmt.Sprintf("keylint: %s hook installed over the existing one (--force): %s; it is kept at %s and no longer runs", c.Hook, p, prev)
	case hooks.Removed:
		return fmt.Sprintf("keylint: %s hook removed: %s", c.Hook, p)
	case hooks.Restored:
		return fmt.Sprintf("keylint: %s hook removed; the previous hook is back at %s", c.Hook, p)
	case hooks.Foreign:
		if prev != "" {
			return fmt.Sprintf("keylint: %s: %s is not keylint's hook, left alone (an earlier hook is kept at %s)", c.Hook, p, prev)
		}
		return fmt.Sprintf("keylint: %s: %s is not keylint's hook, left alone", c.Hook, p)
	default:
		return fmt.Sprintf("keylint: %s: no keylint hook at %s", c.Hook, p)
	}
}

// keylintPath is the absolute path the hook records: the name on PATH when
// it is this binary (a package manager's symlink survives upgrades), else
// the executable itself. It warns when the binary is a temporary build.
func keylintPath() (string, string) {
	self, err := os.Executable()
	if err != nil {
		return "", "cannot tell where keylint is installed; the hook will look for it on PATH"
	}
	if onPath, err := exec.LookPath("keylint"); err == nil {
		if abs, err := filepath.Abs(onPath); err == nil && sameFile(abs, self) {
			return abs, ""
		}
	}
	if strings.Contains(self, string(filepath.Separator)+"go-build") {
		return "", "keylint runs from a temporary build (go run); the hook will look for keylint on PATH"
	}
	return self, ""
}

func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// hookRun is `keylint hook run pre-push [REMOTE URL]`.
func (e *env) hookRun(args []string) (int, error) {
	fs := flag.NewFlagSet("hook run", flag.ContinueOnError)
	var f settings.Flags
	registerFlags(fs, &f)
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.stdout, "hook", hookFlags())
		return exitClean, nil
	}
	if err != nil {
		return 0, err
	}
	if len(pos) == 0 || pos[0] != hooks.PrePush {
		return 0, usagef("the pre-commit hook runs `keylint staged`", "usage: keylint hook run pre-push [REMOTE URL]")
	}
	if len(pos) > 3 {
		return 0, usagef("git passes the remote's name and URL", "too many arguments for keylint hook run pre-push")
	}
	if err := validateFlags(&f); err != nil {
		return 0, err
	}
	updates, err := hooks.ParsePrePush(e.stdin)
	if err != nil {
		return 0, withHint(err, "keylint hook run pre-push reads what git writes to a pre-push hook")
	}
	s, err := settings.Load(e.ctx, quietHook(f), ".")
	if err != nil {
		return 0, err
	}
	env := gitexec.HookEnv()
	var dest hooks.Destination
	if len(pos) > 1 {
		dest.Remote = pos[1]
	}
	if len(pos) > 2 {
		dest.URL = pos[2]
	}
	var src scanner.Multi
	if len(updates) > 0 {
		// What the destination already has: nothing another remote holds.
		pushed, err := hooks.Pushed(e.ctx, "", env, dest, updates)
		if err != nil {
			return 0, withHint(err, "run it from the repository you push from; nothing was pushed")
		}
		for _, u := range updates {
			if u.Deletes() {
				continue // deleting a remote ref publishes nothing
			}
			src = append(src, &scanner.Commits{Env: env, Include: []string{u.LocalID}, Exclude: pushed, MaxFileSize: s.MaxFileSize})
		}
	}
	return e.runHookScan(s, src, pushAdvice, "the pre-push hook runs inside a git repository")
}
