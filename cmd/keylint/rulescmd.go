package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
)

func (e *env) rules(args []string) (int, error) {
	c, pos, err := e.parseCommand("rules", args, nil)
	if err != nil {
		return 0, err
	}
	sub := "list"
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	switch sub {
	case "list":
		rs, err := loadRuleset(e.ctx, c, ".")
		if err != nil {
			return 0, err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPROVIDER\tSEVERITY\tDESCRIPTION")
		for _, r := range rs.Rules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", report.Sanitize(r.ID), report.Sanitize(r.Provider), report.Sanitize(string(r.Severity)), report.Sanitize(r.Description))
		}
		return exitClean, tw.Flush()
	case "show":
		if len(pos) != 1 {
			return 0, usagef("run `keylint rules list` to see the ids", "usage: keylint rules show ID")
		}
		rs, err := loadRuleset(e.ctx, c, ".")
		if err != nil {
			return 0, err
		}
		r := rs.Rule(pos[0])
		if r == nil {
			return 0, usagef("run `keylint rules list` to see the ids", "no active rule %q", pos[0])
		}
		// rules.EncodeFile escapes what must not reach a terminal raw.
		return exitClean, rules.EncodeFile(e.stdout, &rules.File{Rules: []*rules.Rule{r}})
	case "test":
		if len(pos) != 1 {
			return 0, usagef("give one rule file, e.g. keylint rules test my-rules.toml", "usage: keylint rules test FILE")
		}
		data, err := trust.ReadFile(e.ctx, pos[0])
		if err != nil {
			var te *trust.Error
			if e.ctx.Err() != nil || errors.As(err, &te) {
				return 0, err
			}
			return 0, usagef("check the path", "cannot read %q: %v", pos[0], errors.Unwrap(err))
		}
		f, err := rules.Parse(pos[0], data)
		if err != nil {
			return 0, err
		}
		def, err := rules.Default()
		if err != nil {
			return 0, err
		}
		rs := def.Only() // the file's rules with the default global allowlists
		if err := rs.Apply(f); err != nil {
			return 0, err
		}
		fails := rules.CheckExamples(rs, 1)
		for _, fl := range fails {
			fmt.Fprintf(e.stdout, "FAIL %s\n", report.Sanitize(fl.Error()))
		}
		fmt.Fprintf(e.stdout, "%s: %d rules, %d failures\n", report.Sanitize(pos[0]), len(rs.Rules()), len(fails))
		if len(fails) > 0 {
			return exitFindings, nil
		}
		return exitClean, nil
	}
	return 0, usagef("use keylint rules list, show ID or test FILE", "unknown rules subcommand %q", sub)
}
