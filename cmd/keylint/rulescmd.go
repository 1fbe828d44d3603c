package main

import (
	"errors"
	"io"
	"os"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/outfile"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/internal/suggest"
	"github.com/keylint/keylint/rules"
)

func (e *env) rules(args []string) (int, error) {
	f, pos, err := e.parseCommand("rules", args, nil)
	if err != nil {
		return 0, err
	}
	sub := "list"
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	switch sub {
	case "help":
		return e.code, e.dispatch("rules", []string{"--help"})
	case "list":
		if len(pos) > 0 {
			return 0, clierr.Usagef("run `keylint rules show ID` for one rule", "keylint rules list takes no arguments, got %q", pos[0])
		}
		if f.Format != "text" && f.Format != "json" {
			return 0, clierr.Usagef("use --format text or json", "keylint rules list writes text or json, not %q", f.Format)
		}
		s, err := settings.Load(e.ctx, *f, ".")
		if err != nil {
			return 0, err
		}
		return exitClean, e.writeRuleList(s.Format, s.Output, s.Ruleset)
	case "show":
		if len(pos) != 1 {
			return 0, clierr.Usagef("run `keylint rules list` to see the ids", "usage: keylint rules show ID")
		}
		s, err := settings.Load(e.ctx, *f, ".")
		if err != nil {
			return 0, err
		}
		r, err := s.Ruleset.Lookup(pos[0])
		if err != nil {
			return 0, err
		}
		// rules.EncodeFile escapes what must not reach a terminal raw.
		return exitClean, rules.EncodeFile(e.Out, &rules.File{Rules: []*rules.Rule{r}})
	case "test":
		if len(pos) != 1 {
			return 0, clierr.Usagef("give one rule or configuration file, e.g. keylint rules test .keylint.toml", "usage: keylint rules test FILE")
		}
		return e.rulesTest(pos[0])
	}
	return 0, clierr.Usagef("use keylint rules list, show ID or test FILE", "%s",
		suggest.Unknown("rules subcommand", sub, []string{"list", "show", "test", "help"}, "keylint rules "))
}

// writeRuleList writes the rule list to stdout or to output.
func (e *env) writeRuleList(format, output string, rs *rules.Ruleset) error {
	if output == "" {
		return console.RuleList(e.Out, format, rs)
	}
	return outfile.Write(e.ctx, output, func(w io.Writer) error { return console.RuleList(w, format, rs) })
}

// rulesTest is `keylint rules test FILE`: FILE is a rule file or a whole
// configuration (extends, overrides and disables of built-in rules
// included); the examples of the rules it defines are checked against the
// rules as the configuration makes them. Missing examples and other
// conventions of the built-in rules are warnings; an example that
// misbehaves is a failure.
func (e *env) rulesTest(path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, clierr.Usagef("check the path", "cannot read %q: %v", path, errors.Unwrap(err))
	}
	l, err := config.LoadContext(e.ctx, config.Options{Path: path})
	if err != nil {
		return 0, err
	}
	f, _, err := config.ReadFileContext(e.ctx, path)
	if err != nil {
		return 0, err
	}
	// The file's own rules, and the built-in rules it overrides: their
	// examples must still hold with the new severity and entropy.
	ids := f.DefinedIDs()
	fails := console.RuleExamples(e.Out, path, l.Ruleset, ids)
	if fails > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}
