package gitleaks

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/keylint/keylint/rules"
)

// Remediation is the remediation text of a rule converted from a
// gitleaks configuration, which has no such field.
const Remediation = "Converted from gitleaks; rotate the credential at its issuer."

// The gitleaks v8 configuration format, as documented in gitleaks' README
// and read by its config package. Keys are matched ignoring case, as
// gitleaks (through viper) does.
type glConfig struct {
	Title       string        `toml:"title"`
	Description string        `toml:"description"`
	Extend      glExtend      `toml:"extend"`
	Rules       []glRule      `toml:"rules"`
	Allowlist   *glAllowlist  `toml:"allowlist"`  // before v8.25
	Allowlists  []glAllowlist `toml:"allowlists"` // since v8.25
}

type glExtend struct {
	UseDefault    bool     `toml:"useDefault"`
	Path          string   `toml:"path"`
	URL           string   `toml:"url"`
	DisabledRules []string `toml:"disabledRules"`
}

type glRule struct {
	ID          string        `toml:"id"`
	Description string        `toml:"description"`
	Regex       string        `toml:"regex"`
	SecretGroup int           `toml:"secretGroup"`
	Entropy     float64       `toml:"entropy"`
	Keywords    []string      `toml:"keywords"`
	Path        string        `toml:"path"`
	Tags        []string      `toml:"tags"`
	Allowlist   *glAllowlist  `toml:"allowlist"`  // before v8.21
	Allowlists  []glAllowlist `toml:"allowlists"` // since v8.21
	Required    []glRequired  `toml:"required"`   // composite rules, v8.28
	SkipReport  bool          `toml:"skipReport"`
}

type glRequired struct {
	ID            string `toml:"id"`
	WithinLines   *int   `toml:"withinLines"`
	WithinColumns *int   `toml:"withinColumns"`
}

type glAllowlist struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	RegexTarget string   `toml:"regexTarget"`
	Regexes     []string `toml:"regexes"`
	StopWords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"` // global [[allowlists]] only
}

// Parse converts a gitleaks v8 configuration file into a keylint
// [rules.File]. name is used in errors and as the rules' source.
//
// What converts:
//   - [[rules]] id, description, regex, secretGroup, entropy and keywords;
//     a rule with a path and no regex becomes a keylint path rule.
//     The first tag becomes the provider ("Custom" without tags); every rule
//     gets severity high and the remediation [Remediation]. Ids are
//     made kebab-case. A rule without keywords (or with a keyword shorter
//     than 2 bytes) gets keywords derived from the literals its regex
//     requires in every match; when there is no such literal of 3 or more
//     bytes the rule is not converted. Without secretGroup gitleaks takes the
//     first non-empty capture group: keylint takes group 1 when it is in
//     every match, and the whole match otherwise.
//   - [[rules.allowlists]] and the older [rules.allowlist]: description,
//     condition (OR, AND, || and &&), paths, regexes, regexTarget and
//     stopwords.
//   - The global [allowlist] and [[allowlists]]; an allowlist with
//     targetRules is added to each target rule instead.
//   - [extend] useDefault = true keeps keylint's built-in rules (its File has
//     Defaults nil); without it the File has Defaults false and starts from
//     an empty rule set. A [[rules]] entry whose id is a default gitleaks
//     rule that keylint also has (see [RuleID]) extends keylint's
//     rule as gitleaks extends its own: set fields replace, keywords and
//     allowlists are added. disabledRules turn off keylint's equivalents.
//
// Everything else is listed in the second result, never dropped silently:
// each entry names the field as a path into the gitleaks file (for example
// "rules[3].allowlists[0].commits" or "extend.path"), then a colon and what
// was done instead. title and description only label the file and are not
// kept. Matching differs from gitleaks in two ways worth knowing: keylint
// runs a rule's regex only near its keyword hits (gitleaks runs it over the
// whole file once any keyword occurs), and keylint's placeholder detection
// also applies to converted rules.
//
// The error is a *[rules.ConfigError] when the file is not TOML or when gitleaks
// itself would reject it (bad regex, unknown condition or regexTarget,
// secretGroup beyond the regex's groups, empty allowlist, both useDefault
// and path).
func Parse(name string, data []byte) (*rules.File, []string, error) {
	c := &glConverter{name: name, data: data}
	return c.convert()
}

type glConverter struct {
	name  string
	data  []byte
	cfg   glConfig
	notes []string

	out   *rules.File
	lines map[*rules.Rule]int // each rule's line in the gitleaks file
	byID  map[string]int      // keylint id -> index in out.Rules
	// byGitleaksID maps a gitleaks rule id of this file to the keylint id
	// it became, or "" when it was not converted.
	byGitleaksID map[string]string
	defaults     map[string]*rules.Rule // keylint's built-in rules, when extended
}

func (c *glConverter) note(field, format string, args ...any) {
	c.notes = append(c.notes, field+": "+fmt.Sprintf(format, args...))
}

func (c *glConverter) errorf(line int, ruleID, format string, args ...any) error {
	return &rules.ConfigError{File: c.name, Line: line, RuleID: ruleID, Err: fmt.Errorf(format, args...)}
}

func (c *glConverter) convert() (*rules.File, []string, error) {
	md, err := toml.NewDecoder(bytes.NewReader(c.data)).Decode(&c.cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, nil, &rules.ConfigError{File: c.name, Line: pe.Position.Line, Col: pe.Position.Col, Err: errors.New(pe.Message)}
		}
		return nil, nil, &rules.ConfigError{File: c.name, Err: err}
	}
	cfg := &c.cfg
	c.out = &rules.File{}
	c.lines = map[*rules.Rule]int{}
	c.byID = map[string]int{}
	c.byGitleaksID = map[string]string{}

	ext := cfg.Extend
	if ext.UseDefault && ext.Path != "" {
		return nil, nil, c.errorf(rules.KeyLine(c.data, "[extend]"), "", "extend: useDefault and path cannot both be set")
	}
	if ext.UseDefault {
		def, err := rules.Defaults()
		if err != nil {
			return nil, nil, err
		}
		c.defaults = make(map[string]*rules.Rule, len(def.Rules))
		for _, r := range def.Rules {
			c.defaults[r.ID] = r
		}
	} else {
		c.out.Defaults = new(bool) // start from an empty rule set
	}
	if ext.Path != "" {
		c.note("extend.path", "extending %q is not supported; convert that file too and list it in extends", ext.Path)
	}
	if ext.URL != "" {
		c.note("extend.url", "extending a URL is not supported")
	}

	headers := rules.HeaderLines(c.data, "rules")
	for i := range cfg.Rules {
		line := 0
		if i < len(headers) {
			line = headers[i]
		}
		if err := c.rule(i, &cfg.Rules[i], line); err != nil {
			return nil, nil, err
		}
	}

	if cfg.Allowlist != nil {
		if err := c.globalAllowlist("allowlist", cfg.Allowlist, rules.KeyLine(c.data, "[allowlist]")); err != nil {
			return nil, nil, err
		}
	}
	for i := range cfg.Allowlists {
		if err := c.globalAllowlist(fmt.Sprintf("allowlists[%d]", i), &cfg.Allowlists[i], rules.KeyLine(c.data, "[[allowlists]]")); err != nil {
			return nil, nil, err
		}
	}

	c.disabledRules()

	if und := md.Undecoded(); len(und) > 0 {
		var raw map[string]any
		if _, err := toml.NewDecoder(bytes.NewReader(c.data)).Decode(&raw); err == nil {
			c.unknownKeys("", raw, glTopKeys)
		}
	}

	// Validate as rules.Parse does, so the File is ready for [rules.Ruleset.Apply].
	if err := rules.Prepare(c.name, c.out, c.lines); err != nil {
		return nil, nil, err
	}
	return c.out, c.notes, nil
}

// rule converts the i-th gitleaks rule.
func (c *glConverter) rule(i int, g *glRule, line int) error {
	field := fmt.Sprintf("rules[%d]", i)
	gid := strings.TrimSpace(g.ID)
	if gid == "" {
		return c.errorf(line, "", "%s: rule id is missing or empty", field)
	}
	if _, seen := c.byGitleaksID[gid]; !seen {
		c.byGitleaksID[gid] = ""
	}

	var re *syntax.Regexp
	if g.Regex != "" {
		if _, err := regexp.Compile(g.Regex); err != nil {
			return c.errorf(line, gid, "invalid regex: %v", err)
		}
		re, _ = syntax.Parse(g.Regex, syntax.Perl)
		if g.SecretGroup > re.MaxCap() {
			return c.errorf(line, gid, "secretGroup %d but the regex has %d groups", g.SecretGroup, re.MaxCap())
		}
	}
	if g.Path != "" {
		if _, err := regexp.Compile(g.Path); err != nil {
			return c.errorf(line, gid, "invalid path regex: %v", err)
		}
	}

	allow, err := c.ruleAllowlists(field, g, line, gid)
	if err != nil {
		return err
	}
	if len(g.Required) > 0 {
		c.note(field+".required", "composite rules are not supported; rule %q reports its own matches without its required rules", gid)
	}
	if g.SkipReport {
		c.note(field+".skipReport", "rule %q only serves composite rules, which are not supported; not converted", gid)
		return nil
	}

	// A rule extending one of keylint's built-in rules.
	if c.defaults != nil {
		if kid := c.defaultEquivalent(gid); kid != "" {
			return c.extendDefault(field, g, re, allow, kid, line)
		}
	}

	switch {
	case g.Regex == "" && g.Path != "":
		return c.pathRule(field, g, allow, line)
	case g.Regex == "" && c.cfg.Extend.Path != "":
		c.note(field, "rule %q has no regex and extends a rule of extend.path, which is not supported; not converted", gid)
		return nil
	case g.Regex == "" && c.cfg.Extend.UseDefault:
		c.note(field, "rule %q extends a gitleaks default rule that keylint has no equivalent for; not converted", gid)
		return nil
	case g.Regex == "":
		return c.errorf(line, gid, "both regex and path are empty, this rule will have no effect")
	}
	if g.Entropy > 8 {
		c.note(field+".entropy", "%v is above the maximum of 8 bits per byte, so rule %q can never match; not converted", g.Entropy, gid)
		return nil
	}

	kw, ok := c.keywords(field, g, re)
	if !ok {
		return nil
	}
	r := &rules.Rule{
		Description: g.Description,
		Window:      windowFor(g.Regex, re, kw),
		Provider:    "Custom",
		Severity:    rules.High,
		Keywords:    kw,
		Regex:       g.Regex,
		SecretGroup: c.secretGroup(field, g, re),
		Entropy:     max(g.Entropy, 0),
		Remediation: Remediation,
		Allow:       allow,
	}
	if g.Path != "" {
		// gitleaks reports a match of the regex only in files whose path
		// matches: keylint's only_paths.
		r.OnlyPaths = []string{g.Path}
	}
	c.lines[r] = line
	c.finish(field, gid, g, r)
	return nil
}

// finish names a converted rule (description, provider from the first
// tag, a keylint id) and adds it.
func (c *glConverter) finish(field, gid string, g *glRule, r *rules.Rule) {
	if r.Description == "" {
		r.Description = gid
	}
	if len(g.Tags) > 0 && strings.TrimSpace(g.Tags[0]) != "" {
		r.Provider = strings.TrimSpace(g.Tags[0])
	}
	r.ID = c.newID(field, gid)
	c.add(gid, r)
}

// pathRule converts a gitleaks rule with a path and no regex: a keylint
// path rule, which reports every file whose path matches, as gitleaks does.
func (c *glConverter) pathRule(field string, g *glRule, allow []rules.Allowlist, line int) error {
	gid := strings.TrimSpace(g.ID)
	if len(g.Keywords) > 0 {
		c.note(field+".keywords", "a path rule reports every matching file; the keywords of rule %q (which gitleaks requires in the file) are not kept", gid)
	}
	r := &rules.Rule{
		Description: g.Description,
		Provider:    "Custom",
		Severity:    rules.High,
		Path:        g.Path,
		Remediation: Remediation,
		Allow:       allow,
	}
	c.lines[r] = line
	c.finish(field, gid, g, r)
	return nil
}

// add puts a converted rule in the output, replacing an earlier one of the
// same id (a later gitleaks rule with the same id wins, as in gitleaks).
func (c *glConverter) add(gid string, r *rules.Rule) {
	c.byGitleaksID[gid] = r.ID
	if i, ok := c.byID[r.ID]; ok {
		c.out.Rules[i] = r
		return
	}
	c.byID[r.ID] = len(c.out.Rules)
	c.out.Rules = append(c.out.Rules, r)
}

// newID returns the keylint id of a new (not built-in) rule.
func (c *glConverter) newID(field, gid string) string {
	id := kebabID(gid)
	if id == "" {
		id = "gitleaks-rule"
	}
	if prev, ok := c.byGitleaksID[gid]; ok && prev != "" {
		c.note(field+".id", "duplicate id %q: this rule replaces the earlier one, as in gitleaks", gid)
		return prev
	}
	if _, taken := c.byID[id]; taken {
		base := id
		for n := 2; ; n++ {
			id = base + "-" + strconv.Itoa(n)
			if _, taken := c.byID[id]; !taken {
				break
			}
		}
	}
	if id != gid {
		c.note(field+".id", "%q is not a keylint id (kebab-case, unique); the rule is %q", gid, id)
	}
	return id
}

// defaultEquivalent returns the id of keylint's built-in rule that a
// gitleaks id extends, or "" if keylint has none.
func (c *glConverter) defaultEquivalent(gid string) string {
	for _, id := range RuleIDs(gid) {
		if c.defaults[id] != nil {
			return id
		}
	}
	return ""
}

// base returns the current state of keylint's built-in rule kid in the
// output, adding a copy of it first if needed. The copy drops the rule's
// examples: they are real-looking fake secrets, and the converted file must
// not trip the scanner itself.
func (c *glConverter) base(kid string) *rules.Rule {
	if i, ok := c.byID[kid]; ok {
		return c.out.Rules[i]
	}
	cp := *c.defaults[kid] // a copy keeps every field, including ones added later
	r := &cp
	r.Keywords = slices.Clone(r.Keywords)
	r.Allow = slices.Clone(r.Allow)
	r.Matches, r.NonMatches = nil, nil
	c.byID[kid] = len(c.out.Rules)
	c.out.Rules = append(c.out.Rules, r)
	return r
}

// extendDefault merges a gitleaks rule into keylint's equivalent built-in
// rule the way gitleaks merges a rule into its default one: set fields
// replace, keywords and allowlists are added.
func (c *glConverter) extendDefault(field string, g *glRule, re *syntax.Regexp, allow []rules.Allowlist, kid string, line int) error {
	gid := strings.TrimSpace(g.ID)
	var kw []string
	if g.Regex != "" {
		var ok bool
		if kw, ok = c.keywords(field, g, re); !ok {
			return nil // reported; keylint's rule stays as it is
		}
	}
	r := c.base(kid)
	c.lines[r] = line
	c.byGitleaksID[gid] = kid
	if g.Description != "" {
		r.Description = g.Description
	}
	if g.Entropy > 8 {
		c.note(field+".entropy", "%v is above the maximum of 8 bits per byte; keylint's %q keeps %v", g.Entropy, kid, r.Entropy)
	} else if g.Entropy > 0 {
		r.Entropy = g.Entropy
	}
	switch {
	case g.Path != "" && r.Path != "" && g.Regex == "":
		r.Path = g.Path
	case g.Path != "" && r.Path == "":
		r.OnlyPaths = []string{g.Path}
	case g.Path != "":
		c.note(field+".path", "keylint's %q is a path rule with its own path; the gitleaks path is not kept", kid)
	}
	if len(g.Tags) > 0 {
		c.note(field+".tags", "tags of a rule extending a built-in rule are not kept; %q keeps provider %q", kid, r.Provider)
	}
	if g.Regex != "" {
		// A new regex: keylint's structural check and group no longer fit.
		r.Regex = g.Regex
		r.SecretGroup = c.secretGroup(field, g, re)
		r.Check = ""
		r.Keywords = kw
		if w := windowFor(g.Regex, re, kw); w > r.Window {
			r.Window = w
		}
	} else {
		if g.SecretGroup > 0 {
			c.note(field+".secretGroup", "a secret group for gitleaks' own regex does not apply to keylint's %q; ignored", kid)
		}
		for _, k := range g.Keywords {
			if len(k) >= 2 && !slices.ContainsFunc(r.Keywords, func(s string) bool { return strings.EqualFold(s, k) }) {
				r.Keywords = append(r.Keywords, k)
			}
		}
	}
	r.Allow = append(r.Allow, allow...)
	return nil
}

// keywords returns a rule's keywords, derived from its regex when gitleaks
// has none that keylint can use. ok is false (and the rule reported) when
// there are none.
func (c *glConverter) keywords(field string, g *glRule, re *syntax.Regexp) (kw []string, ok bool) {
	gid := strings.TrimSpace(g.ID)
	short := ""
	for _, k := range g.Keywords {
		if len(k) < 2 {
			short = k
			break
		}
		if !slices.ContainsFunc(kw, func(s string) bool { return strings.EqualFold(s, k) }) {
			kw = append(kw, k)
		}
	}
	if short == "" && len(kw) > 0 {
		return kw, true
	}
	derived := requiredLiterals(re, 3)
	if derived == nil {
		if short != "" {
			c.note(field+".keywords", "keyword %q is shorter than 2 bytes and the regex requires no literal of 3 or more bytes to use instead; rule %q not converted", short, gid)
		} else {
			c.note(field+".keywords", "rule %q has no keywords and its regex requires no literal of 3 or more bytes to use as one; not converted", gid)
		}
		return nil, false
	}
	if short != "" {
		c.note(field+".keywords", "keyword %q is shorter than 2 bytes; rule %q uses the literals its regex requires instead: %s", short, gid, strings.Join(derived, ", "))
	}
	return derived, true
}

// secretGroup maps gitleaks' secretGroup to keylint's. Without one gitleaks
// reports the first non-empty capture group, falling back to the whole match.
func (c *glConverter) secretGroup(field string, g *glRule, re *syntax.Regexp) int {
	if re == nil {
		return 0
	}
	if g.SecretGroup > 0 {
		return g.SecretGroup
	}
	n := re.MaxCap()
	if n == 0 || groupAlwaysSet(re, 1, true) {
		return min(n, 1)
	}
	c.note(field+".secretGroup", "not set, and capture group 1 of rule %q is not in every match: gitleaks takes the first non-empty of %d groups, keylint takes the whole match", strings.TrimSpace(g.ID), n)
	return 0
}

// ruleAllowlists converts a rule's [rules.allowlist] and [[rules.allowlists]].
func (c *glConverter) ruleAllowlists(field string, g *glRule, line int, gid string) ([]rules.Allowlist, error) {
	var out []rules.Allowlist
	conv := func(f string, a *glAllowlist) error {
		if len(a.TargetRules) > 0 {
			c.note(f+".targetRules", "only global [[allowlists]] target rules; ignored")
		}
		al, keep, err := c.allowlist(f, a)
		if err != nil {
			return c.errorf(line, gid, "%v", err)
		}
		if keep {
			out = append(out, al)
		}
		return nil
	}
	if g.Allowlist != nil {
		if err := conv(field+".allowlist", g.Allowlist); err != nil {
			return nil, err
		}
	}
	for j := range g.Allowlists {
		if err := conv(fmt.Sprintf("%s.allowlists[%d]", field, j), &g.Allowlists[j]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// allowlist converts one gitleaks allowlist. keep is false when nothing of
// it can be kept without silencing more than gitleaks does.
func (c *glConverter) allowlist(field string, a *glAllowlist) (al rules.Allowlist, keep bool, err error) {
	if len(a.Commits)+len(a.Paths)+len(a.Regexes)+len(a.StopWords) == 0 {
		return al, false, fmt.Errorf("%s: must contain at least one check for: commits, paths, regexes, or stopwords", field)
	}
	al.Description = a.Description
	switch strings.ToUpper(strings.TrimSpace(a.Condition)) {
	case "", "OR", "||":
	case "AND", "&&":
		al.Condition = "AND"
	default:
		return al, false, fmt.Errorf("%s: unknown condition %q (expected AND or OR)", field, a.Condition)
	}
	switch a.RegexTarget {
	case "", "secret":
	case "match", "line":
		al.RegexTarget = a.RegexTarget
	default:
		return al, false, fmt.Errorf("%s: unknown regexTarget %q (expected secret, match or line)", field, a.RegexTarget)
	}
	al.Paths = slices.Clone(a.Paths)
	al.Regexes = slices.Clone(a.Regexes)
	al.Stopwords = slices.Clone(a.StopWords)
	for _, id := range a.Commits {
		id = strings.TrimSpace(id)
		if !rules.IsCommitID(id) {
			return al, false, fmt.Errorf("%s: commit %q is not a commit id (7 to 64 hexadecimal digits)", field, id)
		}
		al.Commits = append(al.Commits, id)
	}
	if len(al.Commits) > 0 && al.Condition == "AND" && len(al.Regexes)+len(al.Stopwords) > 0 {
		// keylint applies commits after the scan, where only the path is
		// known: an AND of commits with regexes or stopwords cannot be
		// kept, and dropping any part would silence more than gitleaks.
		c.note(field+".commits", "keylint combines commits under condition AND only with paths, not regexes or stopwords; this allowlist is not converted")
		return al, false, nil
	}
	return al, true, nil
}

// globalAllowlist converts a global [allowlist] or [[allowlists]] entry.
func (c *glConverter) globalAllowlist(field string, a *glAllowlist, line int) error {
	al, keep, err := c.allowlist(field, a)
	if err != nil {
		return c.errorf(line, "", "%v", err)
	}
	if !keep {
		return nil
	}
	if len(a.TargetRules) == 0 {
		c.out.Allow = append(c.out.Allow, al)
		return nil
	}
	for _, t := range a.TargetRules {
		t = strings.TrimSpace(t)
		kid, inFile := c.byGitleaksID[t]
		switch {
		case inFile && kid == "":
			c.note(field+".targetRules", "rule %q was not converted; its allowlist is dropped", t)
			continue
		case !inFile && c.defaults != nil:
			kid = c.defaultEquivalent(t)
			if kid != "" {
				c.base(kid)
			}
		}
		i, ok := c.byID[kid]
		if kid == "" || !ok {
			c.note(field+".targetRules", "rule %q is not in this file nor a built-in keylint rule; its allowlist is dropped", t)
			continue
		}
		r := c.out.Rules[i]
		r.Allow = append(r.Allow, al)
	}
	return nil
}

// disabledRules maps [extend] disabledRules to keylint's Disable.
func (c *glConverter) disabledRules() {
	redefined := map[string]bool{}
	for _, kid := range c.byGitleaksID {
		redefined[kid] = true
	}
	for i, id := range c.cfg.Extend.DisabledRules {
		field := fmt.Sprintf("extend.disabledRules[%d]", i)
		switch {
		case c.cfg.Extend.Path != "":
			c.note(field, "%q is a rule of extend.path, which is not supported", id)
			continue
		case c.defaults == nil:
			c.note(field, "%q: disabledRules only apply to extended rules, and this file extends none", id)
			continue
		}
		var found bool
		for _, kid := range RuleIDs(id) {
			if c.defaults[kid] == nil {
				continue
			}
			found = true
			if redefined[kid] || slices.Contains(c.out.Disable, kid) {
				continue // the file's own rule replaces it, as in gitleaks
			}
			c.out.Disable = append(c.out.Disable, kid)
		}
		if !found {
			c.note(field, "keylint has no built-in rule equivalent to %q; nothing to disable", id)
		}
	}
}

// Keys gitleaks knows at each level, lower-cased: viper matches keys
// ignoring case.
var (
	glTopKeys       = []string{"title", "description", "extend", "rules", "allowlist", "allowlists"}
	glExtendKeys    = []string{"usedefault", "path", "url", "disabledrules"}
	glRuleKeys      = []string{"id", "description", "regex", "secretgroup", "entropy", "keywords", "path", "tags", "allowlist", "allowlists", "required", "skipreport"}
	glAllowKeys     = []string{"description", "condition", "commits", "paths", "regextarget", "regexes", "stopwords", "targetrules"}
	glRequiredKeys  = []string{"id", "withinlines", "withincolumns"}
	glKeysOfSection = map[string][]string{"extend": glExtendKeys, "rules": glRuleKeys, "allowlist": glAllowKeys, "allowlists": glAllowKeys, "required": glRequiredKeys}
)

// unknownKeys reports keys gitleaks does not know (gitleaks ignores them).
func (c *glConverter) unknownKeys(prefix string, m map[string]any, known []string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := k
		if prefix != "" {
			field = prefix + "." + k
		}
		lk := strings.ToLower(k)
		if prefix == "" && lk == "minversion" {
			c.note(field, "the gitleaks version this file needs; keylint does not check it, ignored")
			continue
		}
		if !slices.Contains(known, lk) {
			c.note(field, "not a gitleaks setting; ignored")
			continue
		}
		sub := glKeysOfSection[lk]
		if sub == nil || (prefix == "" && lk == "description") {
			continue
		}
		switch v := m[k].(type) {
		case map[string]any:
			c.unknownKeys(field, v, sub)
		case []map[string]any:
			for i, e := range v {
				c.unknownKeys(fmt.Sprintf("%s[%d]", field, i), e, sub)
			}
		}
	}
}

// kebabID turns a gitleaks rule id into a keylint one: lower-case letters,
// digits and single dashes.
func kebabID(id string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(id) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// gitleaksEquivalents maps ids of gitleaks' default rules to the ids of
// keylint's built-in rules that find the same credentials. Only ids of
// rules keylint actually ships are used (see [RuleIDs]); an id not
// listed maps to itself when keylint has a rule of that name.
var gitleaksEquivalents = map[string][]string{
	"alibaba-secret-key":                          {"alibaba-access-key-secret"},
	"anthropic-admin-api-key":                     {"anthropic-admin-key"},
	"atlassian-api-token":                         {"atlassian-api-token", "atlassian-legacy-api-token"},
	"aws-access-token":                            {"aws-access-key-id"},
	"azure-ad-client-secret":                      {"azure-entra-client-secret"},
	"cloudflare-api-key":                          {"cloudflare-api-token"},
	"cohere-api-token":                            {"cohere-api-key"},
	"digitalocean-access-token":                   {"digitalocean-oauth-access-token"},
	"digitalocean-pat":                            {"digitalocean-personal-access-token"},
	"digitalocean-refresh-token":                  {"digitalocean-oauth-refresh-token"},
	"doppler-api-token":                           {"doppler-personal-token"},
	"flyio-access-token":                          {"flyio-access-token", "flyio-macaroon-token"},
	"gcp-api-key":                                 {"google-api-key"},
	"github-app-token":                            {"github-user-to-server-token", "github-server-to-server-token"},
	"github-oauth":                                {"github-oauth-token"},
	"github-pat":                                  {"github-classic-pat"},
	"gitlab-cicd-job-token":                       {"gitlab-ci-job-token"},
	"gitlab-ptt":                                  {"gitlab-pipeline-trigger-token"},
	"gitlab-rrt":                                  {"gitlab-runner-registration-token"},
	"gitlab-runner-authentication-token-routable": {"gitlab-runner-authentication-token"},
	"hashicorp-tf-api-token":                      {"terraform-cloud-api-token"},
	"heroku-api-key-v2":                           {"heroku-platform-api-token"},
	"huggingface-organization-api-token":          {"huggingface-org-api-token"},
	"netlify-access-token":                        {"netlify-legacy-access-token", "netlify-personal-access-token"},
	"pkcs12-file":                                 {"sensitive-file-pkcs12"},
	"openai-api-key":                              {"openai-project-api-key", "openai-service-account-key", "openai-admin-key", "openai-legacy-api-key"},
	"plaid-api-token":                             {"plaid-access-token"},
	"plaid-secret-key":                            {"plaid-client-secret"},
	"private-key":                                 {"private-key", "pem-private-key"},
	"pulumi-api-token":                            {"pulumi-access-token"},
	"pypi-upload-token":                           {"pypi-api-token", "pypi-upload-token"},
	"rubygems-api-token":                          {"rubygems-api-key"},
	"sendgrid-api-token":                          {"sendgrid-api-key", "sendgrid-api-token"},
	"shopify-custom-access-token":                 {"shopify-custom-app-access-token"},
	"square-access-token":                         {"square-access-token", "square-legacy-access-token"},
	"stripe-access-token":                         {"stripe-secret-key", "stripe-test-secret-key", "stripe-restricted-key", "stripe-test-restricted-key"},
	"telegram-bot-api-token":                      {"telegram-bot-token", "telegram-bot-api-token"},
	"vault-batch-token":                           {"hashicorp-vault-batch-token"},
	"vault-service-token":                         {"hashicorp-vault-service-token", "hashicorp-vault-legacy-service-token"},
}

// genericRuleIDs are the ids of keylint's built-in generic-* rules (the
// catch-alls for assignments of keys, tokens, secrets and passwords), sorted.
// Generic rules gitleaks has its own rule for (jwt, curl) are not included.
var genericRuleIDs = sync.OnceValue(func() []string {
	var ids []string
	if f, err := rules.Defaults(); err == nil {
		for _, r := range f.Rules {
			if r.Generic && strings.HasPrefix(r.ID, "generic-") {
				ids = append(ids, r.ID)
			}
		}
	}
	sort.Strings(ids)
	return ids
})

var defaultRuleIDs = sync.OnceValue(func() map[string]bool {
	ids := map[string]bool{}
	if f, err := rules.Defaults(); err == nil {
		for _, r := range f.Rules {
			ids[r.ID] = true
		}
	}
	return ids
})

// RuleIDs returns the ids of keylint's built-in rules equivalent to
// a gitleaks rule id: one gitleaks rule may cover what keylint splits into
// several (gitleaks' openai-api-key is keylint's project, service account,
// admin and legacy key rules). When keylint has no equivalent it returns the
// gitleaks id made kebab-case, the id [Parse] gives a converted rule.
func RuleIDs(gitleaksID string) []string {
	if gitleaksID == "generic-api-key" {
		// gitleaks' catch-all is what keylint's generic rules do together.
		return genericRuleIDs()
	}
	ids := defaultRuleIDs()
	var out []string
	for _, id := range gitleaksEquivalents[gitleaksID] {
		if ids[id] {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		if k := kebabID(gitleaksID); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// RuleID returns the id of the keylint built-in rule equivalent to a
// gitleaks rule id (the first, if there are several: see
// [RuleIDs]), or the gitleaks id made kebab-case when keylint has no
// equivalent.
func RuleID(gitleaksID string) string {
	if ids := RuleIDs(gitleaksID); len(ids) > 0 {
		return ids[0]
	}
	return ""
}
