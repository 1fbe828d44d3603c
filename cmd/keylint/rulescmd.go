package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/report"
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
			return 0, usagef("run `keylint rules show ID` for one rule", "keylint rules list takes no arguments, got %q", pos[0])
		}
		if f.Format != "text" && f.Format != "json" {
			return 0, usagef("use --format text or json", "keylint rules list writes text or json, not %q", f.Format)
		}
		s, err := settings.Load(e.ctx, *f, ".")
		if err != nil {
			return 0, err
		}
		return exitClean, e.writeRuleList(s.Format, s.Output, s.Ruleset)
	case "show":
		if len(pos) != 1 {
			return 0, usagef("run `keylint rules list` to see the ids", "usage: keylint rules show ID")
		}
		s, err := settings.Load(e.ctx, *f, ".")
		if err != nil {
			return 0, err
		}
		r := s.Ruleset.Rule(pos[0])
		if r == nil {
			return 0, unknownRule(s.Ruleset, pos[0])
		}
		// rules.EncodeFile escapes what must not reach a terminal raw.
		return exitClean, rules.EncodeFile(e.stdout, &rules.File{Rules: []*rules.Rule{r}})
	case "test":
		if len(pos) != 1 {
			return 0, usagef("give one rule or configuration file, e.g. keylint rules test .keylint.toml", "usage: keylint rules test FILE")
		}
		return e.rulesTest(pos[0])
	}
	msg := fmt.Sprintf("unknown rules subcommand %q", sub)
	if s := closest(sub, []string{"list", "show", "test", "help"}); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean `keylint rules %s`?", s[0])
	}
	return 0, usagef("use keylint rules list, show ID or test FILE", "%s", msg)
}

// unknownRule is the error for a rule id that is not active, naming the
// closest ids.
func unknownRule(rs *rules.Ruleset, id string) error {
	var ids []string
	for _, r := range rs.Rules() {
		ids = append(ids, r.ID)
	}
	msg := fmt.Sprintf("no active rule %q", id)
	if s := closest(id, ids); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %s?", strings.Join(s, ", "))
	}
	return usagef("run `keylint rules list` to see the ids", "%s", msg)
}

// ruleInfo is a rule in `keylint rules list --format json`.
type ruleInfo struct {
	ID          string         `json:"id"`
	Provider    string         `json:"provider"`
	Severity    rules.Severity `json:"severity"`
	Description string         `json:"description"`
	Source      string         `json:"source"`
}

func (e *env) writeRuleList(format, output string, rs *rules.Ruleset) error {
	w := e.stdout
	if output != "" {
		return writeOutput(e.ctx, output, func(w io.Writer) error {
			ec := *e
			ec.stdout = w
			return ec.writeRuleList(format, "", rs)
		})
	}
	if format == "json" {
		list := make([]ruleInfo, 0, len(rs.Rules()))
		for _, r := range rs.Rules() {
			src, _ := r.Source()
			list = append(list, ruleInfo{r.ID, r.Provider, r.Severity, r.Description, src})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROVIDER\tSEVERITY\tDESCRIPTION")
	for _, r := range rs.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", report.Sanitize(r.ID), report.Sanitize(r.Provider), report.Sanitize(string(r.Severity)), report.Sanitize(r.Description))
	}
	return tw.Flush()
}

// rulesTest is `keylint rules test FILE`: FILE is a rule file or a whole
// configuration (extends, overrides and disables of built-in rules
// included); the examples of the rules it defines are checked against the
// rules as the configuration makes them. Missing examples and other
// conventions of the built-in rules are warnings; an example that
// misbehaves is a failure.
func (e *env) rulesTest(path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, usagef("check the path", "cannot read %q: %v", path, errors.Unwrap(err))
	}
	l, err := config.LoadContext(e.ctx, config.Options{Path: path})
	if err != nil {
		return 0, err
	}
	f, _, err := config.ReadFileContext(e.ctx, path)
	if err != nil {
		return 0, err
	}
	var ids []string
	for _, r := range f.Rules {
		ids = append(ids, r.ID)
	}
	rs := l.Ruleset.Only(ids...)
	fails, warns := 0, 0
	for _, fl := range rules.CheckExamples(rs, 1) {
		if fl.Kind == "lint" && !strings.HasPrefix(fl.Reason, "invalid regex") {
			warns++
			fmt.Fprintf(e.stdout, "WARN %s\n", report.Sanitize(fl.Error()))
			continue
		}
		fails++
		fmt.Fprintf(e.stdout, "FAIL %s\n", report.Sanitize(fl.Error()))
	}
	if len(ids) > len(rs.Rules()) {
		fmt.Fprintf(e.stdout, "note: %d of the file's rules are disabled by the configuration and were not tested\n", len(ids)-len(rs.Rules()))
	}
	fmt.Fprintf(e.stdout, "%s: %d %s tested, %d %s, %d %s\n", report.Sanitize(path), len(rs.Rules()), plural.Of(len(rs.Rules()), "rule", "rules"),
		fails, plural.Of(fails, "failure", "failures"), warns, plural.Of(warns, "warning", "warnings"))
	if fails > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}
