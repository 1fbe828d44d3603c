package console

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
)

// NotConverted warns, one line each, of what `keylint config convert`
// could not convert from the gitleaks configuration at path.
func NotConverted(w io.Writer, path string, unsupported []string) {
	for _, u := range unsupported {
		fmt.Fprintf(w, "keylint: warning: %s: not converted: %s\n", report.Sanitize(path), report.Sanitize(u))
	}
}

// Converted writes the rule file f converted from the gitleaks
// configuration at path, after a comment naming it.
func Converted(w io.Writer, path string, f *rules.File) error {
	if _, err := fmt.Fprintf(w, "# Converted from %s by `keylint config convert`.\n\n", report.Sanitize(path)); err != nil {
		return err
	}
	return rules.EncodeFile(w, f)
}

// ConvertedTo says where `keylint config convert --output` wrote the
// converted file, and how many rules it converted and not.
func ConvertedTo(w io.Writer, out string, converted, unsupported int) {
	fmt.Fprintf(w, "keylint: wrote %s (%d rules, %d not converted)\n", report.Sanitize(out), converted, unsupported)
}

// EffectiveConfig describes the configuration l as `keylint config` prints
// it: comments saying where it comes from, then a configuration file over
// the built-in rules that has the same effect.
func EffectiveConfig(w io.Writer, l *config.Loaded) error {
	def, err := rules.Default()
	if err != nil {
		return err
	}
	io.WriteString(w, "# keylint effective configuration\n")
	fmt.Fprintf(w, "# built-in rules: %d (rules/default.toml, embedded)\n", len(def.Rules()))
	if len(l.Files) == 0 {
		io.WriteString(w, "# configuration files: none\n")
	} else {
		io.WriteString(w, "# configuration files applied, in order:\n")
		for _, f := range l.Files {
			fmt.Fprintf(w, "#   %s\n", report.Sanitize(f))
		}
	}
	for _, n := range l.Notices {
		fmt.Fprintf(w, "# notice: %s\n", report.Sanitize(n))
	}
	fmt.Fprintf(w, "# active rules: %d (list them with `keylint rules`)\n", len(l.Ruleset.Rules()))
	if l.Baseline != "" {
		fmt.Fprintf(w, "# baseline applied by every command: %s\n", report.Sanitize(l.Baseline))
	}
	if l.FailOn != "" {
		fmt.Fprintf(w, "# fail_on: %s\n", report.Sanitize(string(l.FailOn)))
	}
	writeBuiltinAllowlists(w, l.Ruleset)
	io.WriteString(w, "\n")
	eff := effective(def, l.Ruleset)
	eff.Baseline, eff.FailOn = l.Baseline, l.FailOn
	if err := rules.EncodeFile(w, eff); err != nil {
		return err
	}
	return nil
}

// writeBuiltinAllowlists lists, as comments, the path allowlists that
// built-in rules carry (what the summary counts as allowlist-path): each
// distinct one once, with the rules using it and its patterns.
func writeBuiltinAllowlists(b io.Writer, rs *rules.Ruleset) {
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
	io.WriteString(b, "#\n# Built-in path allowlists: the rules named skip these files (the summary\n# counts them as allowlist-path). Scan them anyway with your own rule.\n")
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
				io.WriteString(b, "\n#     ")
				width = 7
			} else {
				io.WriteString(b, " ")
				width++
			}
			io.WriteString(b, p)
			width += len(p)
		}
		io.WriteString(b, "\n")
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

// RuleInfo is a rule in `keylint rules list --format json`.
type RuleInfo struct {
	ID          string         `json:"id"`
	Provider    string         `json:"provider"`
	Severity    rules.Severity `json:"severity"`
	Description string         `json:"description"`
	Source      string         `json:"source"`
}

// RuleList lists the rules of rs as a table (format "text") or as JSON.
func RuleList(w io.Writer, format string, rs *rules.Ruleset) error {
	if format == "json" {
		list := make([]RuleInfo, 0, len(rs.Rules()))
		for _, r := range rs.Rules() {
			src, _ := r.Source()
			list = append(list, RuleInfo{r.ID, r.Provider, r.Severity, r.Description, src})
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

// RuleExamples checks the examples of the rules ids of rs (the rules a
// file defines, as its configuration makes them) and writes a line for
// each failure and warning, then a total. It returns the failures.
func RuleExamples(w io.Writer, path string, rs *rules.Ruleset, ids []string) int {
	rs = rs.Only(ids...)
	fails, warns := 0, 0
	for _, fl := range rules.CheckExamples(rs, 1) {
		if fl.Kind == "lint" && !strings.HasPrefix(fl.Reason, "invalid regex") {
			warns++
			fmt.Fprintf(w, "WARN %s\n", report.Sanitize(fl.Error()))
			continue
		}
		fails++
		fmt.Fprintf(w, "FAIL %s\n", report.Sanitize(fl.Error()))
	}
	if len(ids) > len(rs.Rules()) {
		fmt.Fprintf(w, "note: %d of the file's rules are disabled by the configuration and were not tested\n", len(ids)-len(rs.Rules()))
	}
	fmt.Fprintf(w, "%s: %d %s tested, %d %s, %d %s\n", report.Sanitize(path), len(rs.Rules()), plural.Of(len(rs.Rules()), "rule", "rules"),
		fails, plural.Of(fails, "failure", "failures"), warns, plural.Of(warns, "warning", "warnings"))
	return fails
}
