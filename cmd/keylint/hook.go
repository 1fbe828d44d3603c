package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/hooks"
	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/cliflag"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/internal/suggest"
	"github.com/keylint/keylint/scanner"
)

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
		return 0, clierr.Usagef("use keylint hook install, uninstall or run pre-push", "keylint hook needs a subcommand")
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "install", "uninstall":
		return e.hookInstall(sub, rest)
	case "run":
		return e.hookRun(rest)
	case "help", "-h", "--help":
		writeCommandHelp(e.Out, "hook", hookFlags())
		return exitClean, nil
	default:
		return 0, clierr.Usagef("use keylint hook install, uninstall or run pre-push", "%s",
			suggest.Unknown("hook subcommand", sub, []string{"install", "uninstall", "run"}, "keylint hook "))
	}
}

func (e *env) hookInstall(sub string, args []string) (int, error) {
	fs := flag.NewFlagSet("hook "+sub, flag.ContinueOnError)
	prePush := fs.Bool("pre-push", false, "the pre-push hook too (uninstall: only it)")
	force := false
	if sub == "install" {
		fs.BoolVar(&force, "force", false, "replace an existing hook instead of chaining it")
	}
	pos, err := cliflag.Parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.Out, "hook", hookFlags())
		return exitClean, nil
	}
	if err != nil {
		return 0, err
	}
	if len(pos) > 0 {
		return 0, clierr.Usagef("run it inside the repository", "keylint hook %s takes no arguments, got %q", sub, pos[0])
	}
	var changes []hooks.Change
	names := hooks.Chosen(sub == "install", *prePush)
	if sub == "install" {
		self, warn := hooks.Executable()
		if warn != "" {
			fmt.Fprintf(e.ErrOut, "keylint: warning: %s\n", warn)
		}
		changes, err = hooks.Install(e.ctx, hooks.Options{Hooks: names, Force: force, Keylint: self})
	} else {
		changes, err = hooks.Uninstall(e.ctx, "", names...)
	}
	for _, c := range changes {
		fmt.Fprintln(e.Out, console.HookChange(c))
	}
	return exitClean, err
}

// hookRun is `keylint hook run pre-push [REMOTE URL]`.
func (e *env) hookRun(args []string) (int, error) {
	fs := flag.NewFlagSet("hook run", flag.ContinueOnError)
	var f settings.Flags
	registerFlags(fs, &f)
	pos, err := cliflag.Parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.Out, "hook", hookFlags())
		return exitClean, nil
	}
	if err != nil {
		return 0, err
	}
	if len(pos) == 0 || pos[0] != hooks.PrePush {
		return 0, clierr.Usagef("the pre-commit hook runs `keylint staged`", "usage: keylint hook run pre-push [REMOTE URL]")
	}
	if len(pos) > 3 {
		return 0, clierr.Usagef("git passes the remote's name and URL", "too many arguments for keylint hook run pre-push")
	}
	if err := f.Validate(); err != nil {
		return 0, err
	}
	push, err := hooks.ReadPush(pos[1:], e.In)
	if err != nil {
		return 0, err
	}
	s, err := settings.Load(e.ctx, quietHook(f), ".")
	if err != nil {
		return 0, err
	}
	env := gitexec.HookEnv()
	ranges, err := push.Ranges(e.ctx, "", env)
	if err != nil {
		return 0, err
	}
	var src scanner.Multi
	for _, r := range ranges {
		src = append(src, &scanner.Commits{Env: env, Include: r.Include, Exclude: r.Exclude, MaxFileSize: s.MaxFileSize})
	}
	return e.runHookScan(s, src, helpText("push-advice"), "the pre-push hook runs inside a git repository")
}
