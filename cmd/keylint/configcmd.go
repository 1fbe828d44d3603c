package main

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
)

// configCmd prints the effective configuration, or converts a gitleaks
// configuration into keylint's format.
func (e *env) configCmd(args []string) (int, error) {
	f, pos, err := e.parseCommand("config", args, nil)
	if err != nil {
		return 0, err
	}
	if len(pos) > 0 && pos[0] == "convert" {
		if len(pos) != 2 {
			return 0, usagef("for example: keylint config convert .gitleaks.toml --output .keylint.toml", "usage: keylint config convert FILE")
		}
		return e.convertConfig(f, pos[1])
	}
	if len(pos) > 1 {
		return 0, usagef("run `keylint config [PATH]` or `keylint config convert FILE`", "too many arguments")
	}
	start := "."
	if len(pos) == 1 {
		start = pos[0]
	}
	l, err := config.LoadContext(e.ctx, config.Options{Path: f.Config, Disabled: f.NoConfig, Start: start})
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
	fmt.Fprintf(&b, "# active rules: %d (list them with `keylint rules`)\n", len(l.Ruleset.Rules()))
	if l.Baseline != "" {
		fmt.Fprintf(&b, "# baseline applied by every command: %s\n", report.Sanitize(l.Baseline))
	}
	if l.FailOn != "" {
		fmt.Fprintf(&b, "# fail_on: %s\n", report.Sanitize(string(l.FailOn)))
	}
	writeBuiltinAllowlists(&b, l.Ruleset)
	b.WriteString("\n")
	eff := effective(def, l.Ruleset)
	eff.Baseline, eff.FailOn = l.Baseline, l.FailOn
	if err := rules.EncodeFile(&b, eff); err != nil {
		return 0, err
	}
	_, err = e.stdout.Write(b.Bytes())
	return exitClean, err
}

// writeBuiltinAllowlists lists, as comments, the path allowlists that
// built-in rules carry (what the summary counts as allowlist-path): each
// distinct one once, with the rules using it and its patterns.
func writeBuiltinAllowlists(b *bytes.Buffer, rs *rules.Ruleset) {
	type group struct {
		desc     string
		patterns []string
		ids      []string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, r := range rs.Rules() {
		if src, _ := r.Source(); src != rules.DefaultFile {
			continue
		}
		for _, a := range r.Allow {
			pats := append(append([]string{}, a.Globs...), a.Paths...)
			if len(pats) == 0 {
				continue
			}
			key := a.Description + "\x00" + strings.Join(pats, "\x00")
			g := byKey[key]
			if g == nil {
				g = &group{desc: a.Description, patterns: pats}
				byKey[key] = g
				groups = append(groups, g)
			}
			g.ids = append(g.ids, r.ID)
		}
	}
	if len(groups) == 0 {
		return
	}
	b.WriteString("#\n# Built-in path allowlists: the rules named skip these files (the summary\n# counts them as allowlist-path). Scan them anyway with your own rule.\n")
	for _, g := range groups {
		ids := g.ids
		more := ""
		if len(ids) > 4 {
			more = fmt.Sprintf(" and %d more", len(ids)-4)
			ids = ids[:4]
		}
		fmt.Fprintf(b, "#\n#   %s\n#   rules: %s%s\n#   files:", report.Sanitize(g.desc), report.Sanitize(strings.Join(ids, ", ")), more)
		width := 80
		for i, p := range g.patterns {
			p = report.Sanitize(p)
			if i < len(g.patterns)-1 {
				p += ","
			}
			if width+1+len(p) > 78 {
				b.WriteString("\n#     ")
				width = 7
			} else {
				b.WriteString(" ")
				width++
			}
			b.WriteString(p)
			width += len(p)
		}
		b.WriteString("\n")
	}
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
func (e *env) convertConfig(flags *settings.Flags, path string) (int, error) {
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
	if flags.Output == "" {
		return exitClean, write(e.stdout)
	}
	if err := writeOutput(e.ctx, flags.Output, write); err != nil {
		return 0, err
	}
	if !flags.Quiet {
		fmt.Fprintf(e.stderr, "keylint: wrote %s (%d rules, %d not converted)\n", report.Sanitize(flags.Output), len(f.Rules), len(unsupported))
	}
	return exitClean, nil
}
