package main

import (
	"bytes"
	"fmt"
	"io"
	"sort"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
)

// configCmd prints the effective configuration, or converts a gitleaks
// configuration into keylint's format.
func (e *env) configCmd(args []string) (int, error) {
	c, pos, err := e.parseCommand("config", args, nil)
	if err != nil {
		return 0, err
	}
	if len(pos) > 0 && pos[0] == "convert" {
		if len(pos) != 2 {
			return 0, usagef("for example: keylint config convert .gitleaks.toml --output .keylint.toml", "usage: keylint config convert FILE")
		}
		return e.convertConfig(c, pos[1])
	}
	if len(pos) > 1 {
		return 0, usagef("run `keylint config [PATH]` or `keylint config convert FILE`", "too many arguments")
	}
	start := "."
	if len(pos) == 1 {
		start = pos[0]
	}
	l, err := config.LoadContext(e.ctx, config.Options{Path: c.config, Disabled: c.noConfig, Start: start})
	if err != nil {
		return 0, err
	}
	def, err := rules.Default()
	if err != nil {
		return 0, err
	}
	var b bytes.Buffer
	b.WriteString("# keylint effective configuration\n")
	fmt.Fprintf(&b, "# built-in rules: %d (rules/default.toml, embedded)\n", len(def.Rules()))
	if len(l.Files) == 0 {
		b.WriteString("# configuration files: none\n")
	} else {
		b.WriteString("# configuration files applied, in order:\n")
		for _, f := range l.Files {
			fmt.Fprintf(&b, "#   %s\n", report.Sanitize(f))
		}
	}
	for _, n := range l.Notices {
		fmt.Fprintf(&b, "# notice: %s\n", report.Sanitize(n))
	}
	fmt.Fprintf(&b, "# active rules: %d (list them with `keylint rules`)\n\n", len(l.Ruleset.Rules()))
	eff := effective(def, l.Ruleset)
	if err := rules.EncodeFile(&b, eff); err != nil {
		return 0, err
	}
	_, err = e.stdout.Write(b.Bytes())
	return exitClean, err
}

// effective describes a ruleset as a configuration file over the built-in
// rules: the built-in rules that are off, the rules that are new or
// changed, the global allowlists and the file size limit.
func effective(def, rs *rules.Ruleset) *rules.File {
	f := &rules.File{MaxFileSize: rs.MaxFileSize, Allow: rs.Allowlists()}
	active := map[string]*rules.Rule{}
	for _, r := range rs.Rules() {
		active[r.ID] = r
	}
	for _, r := range def.Rules() {
		if active[r.ID] == nil {
			f.Disable = append(f.Disable, r.ID)
		}
	}
	for _, r := range rs.Rules() {
		if d := def.Rule(r.ID); d != r { // new, replaced or overridden
			f.Rules = append(f.Rules, r)
		}
	}
	sort.Strings(f.Disable)
	return f
}

// convertConfig writes the keylint equivalent of a gitleaks configuration
// and lists, on stderr, what could not be converted.
func (e *env) convertConfig(c *common, path string) (int, error) {
	f, unsupported, err := config.ReadFileContext(e.ctx, path)
	if err != nil {
		return 0, err
	}
	if !config.IsGitleaks(path) {
		return 0, usagef("name the gitleaks file, e.g. .gitleaks.toml", "%s is not a gitleaks configuration (its name does not say gitleaks)", path)
	}
	for _, u := range unsupported {
		fmt.Fprintf(e.stderr, "keylint: warning: %s: not converted: %s\n", report.Sanitize(path), report.Sanitize(u))
	}
	write := func(w io.Writer) error {
		if _, err := fmt.Fprintf(w, "# Converted from %s by `keylint config convert`.\n\n", report.Sanitize(path)); err != nil {
			return err
		}
		return rules.EncodeFile(w, f)
	}
	if c.output == "" {
		return exitClean, write(e.stdout)
	}
	if err := writeOutput(e.ctx, c.output, write); err != nil {
		return 0, err
	}
	if !c.quiet {
		fmt.Fprintf(e.stderr, "keylint: wrote %s (%d rules, %d not converted)\n", report.Sanitize(c.output), len(f.Rules), len(unsupported))
	}
	return exitClean, nil
}
