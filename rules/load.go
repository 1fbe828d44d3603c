package rules

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

// DefaultFile is the name under which the built-in rule set is reported
// in errors. The set is edited as default.toml and compiled into the
// binary as default_rules.go (see TestDefaultRulesGenerated).
const DefaultFile = "default.toml"

// File is the content of one rule or configuration file.
type File struct {
	// Extends names another file whose content this one builds on.
	Extends string `toml:"extends"`
	// Defaults, when false, starts from an empty rule set instead of the
	// built-in rules (default true). Only the base file of an extends
	// chain decides.
	Defaults *bool `toml:"defaults"`
	// Disable lists rule ids to turn off.
	Disable []string `toml:"disable"`
	// MaxFileSize, when set, overrides the scanner's file size limit.
	MaxFileSize int64 `toml:"max_file_size"`
	// Baseline names the baseline file every command applies, relative to
	// the directory of the file that sets it (see keylint baseline).
	Baseline string `toml:"baseline"`
	// FailOn is the lowest severity that fails a run; lower findings are
	// still reported.
	FailOn Severity `toml:"fail_on"`
	// Rules are new rules, or replace rules of the same id.
	Rules []*Rule `toml:"rules"`
	// Override changes fields of existing rules without restating them.
	Override []Override `toml:"override"`
	// Allow lists global allowlists.
	Allow []Allowlist `toml:"allow"`

	name          string
	disableLine   int   // line of the disable key
	overrideLines []int // lines of the [[override]] headers
	// overrideIDLines are the lines of their id keys.
	overrideIDLines []int
}

// Override relaxes or tightens an existing rule.
type Override struct {
	ID       string   `toml:"id"`
	Severity Severity `toml:"severity"`
	Entropy  *float64 `toml:"entropy"`
}

// ConfigError is an error in a rule or configuration file, with the
// position of the problem where it is known.
type ConfigError struct {
	File   string
	Line   int // 0 when unknown
	Col    int // 0 when unknown
	RuleID string
	Err    error
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if e.RuleID != "" {
		fmt.Fprintf(&b, ": rule %q", e.RuleID)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// isKebab reports whether id is kebab-case: runs of lower-case ASCII
// letters and digits joined by single dashes, which is what
// ^[a-z0-9]+(?:-[a-z0-9]+)*$ matches. Every rule's id is checked at
// start-up, where a regex cost the hook a millisecond.
func isKebab(id string) bool {
	if id == "" || id[0] == '-' || id[len(id)-1] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' && id[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// Parse decodes a rule or configuration file. name is used in errors.
// Regexes are validated eagerly unless lazy is set (the embedded default set,
// whose regexes the test suite compiles, is parsed lazily).
func Parse(name string, data []byte) (*File, error) { return parse(name, data, false) }

func parse(name string, data []byte, lazy bool) (*File, error) {
	f := &File{name: name}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ConfigError{File: name, Line: pe.Position.Line, Col: pe.Position.Col, Err: errors.New(pe.Message)}
		}
		return nil, &ConfigError{File: name, Err: err}
	}
	headers := HeaderLines(data, "rules")
	f.disableLine = KeyLine(data, "disable")
	f.overrideLines = HeaderLines(data, "override")
	for _, h := range f.overrideLines {
		f.overrideIDLines = append(f.overrideIDLines, keyInTable(data, h, "id"))
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		line := KeyLine(data, k[len(k)-1])
		ce := &ConfigError{File: name, Line: line, Err: fmt.Errorf("unknown key %q%s", k.String(), didYouMean(k[len(k)-1]))}
		if len(k) > 1 && k[0] == "rules" {
			if i := ruleIndexAt(headers, line); i >= 0 && i < len(f.Rules) {
				ce.RuleID = f.Rules[i].ID
			}
		}
		return nil, ce
	}
	share := allowShare{}
	for i, r := range f.Rules {
		r.source = name
		if i < len(headers) {
			r.line = headers[i]
		}
		if err := r.prepare(lazy, share); err != nil {
			next := 0
			if i+1 < len(headers) {
				next = headers[i+1]
			}
			return nil, &ConfigError{File: name, Line: errorLine(data, r.line, next, err), RuleID: r.ID, Err: err}
		}
	}
	for i := range f.Allow {
		if lazy {
			f.Allow[i].compileLater()
			continue
		}
		if err := f.Allow[i].compile(); err != nil {
			return nil, &ConfigError{File: name, Line: allowErrorLine(data, i, err), Err: err}
		}
	}
	for i, o := range f.Override {
		if o.Severity != "" && o.Severity.Rank() == 0 {
			return nil, &ConfigError{File: name, Line: keyInTable(data, f.overrideLine(i), "severity"), RuleID: o.ID, Err: fmt.Errorf("override: severity %q is not one of critical, high, medium, low", o.Severity)}
		}
	}
	if f.MaxFileSize < 0 {
		return nil, &ConfigError{File: name, Line: KeyLine(data, "max_file_size"), Err: errors.New("max_file_size must not be negative")}
	}
	if f.FailOn != "" && f.FailOn.Rank() == 0 {
		return nil, &ConfigError{File: name, Line: KeyLine(data, "fail_on"), Err: fmt.Errorf("fail_on %q is not one of critical, high, medium, low", f.FailOn)}
	}
	return f, nil
}

// prepare validates a rule and sets up its lazy regex.
func (r *Rule) prepare(lazy bool, share allowShare) error {
	if r.ID == "" {
		return errors.New("rule has no id")
	}
	if !isKebab(r.ID) {
		return fmt.Errorf("id %q is not kebab-case (lower-case letters, digits and single dashes)", r.ID)
	}
	if r.Severity == "" {
		r.Severity = High
	}
	if r.Severity.Rank() == 0 {
		return fmt.Errorf("severity %q is not one of critical, high, medium, low", r.Severity)
	}
	if r.Regex == "" && r.Path == "" {
		return errors.New("rule has no regex (and no path)")
	}
	if len(r.Keywords) == 0 && r.Path == "" {
		return errors.New("rule has no keywords: every rule needs at least one literal keyword for the prefilter")
	}
	for _, k := range r.Keywords {
		if len(k) < 2 {
			return fmt.Errorf("keyword %q is too short (at least 2 bytes)", k)
		}
	}
	if r.Window < 0 || r.Window > MaxWindow {
		return fmt.Errorf("window %d is out of range (0 to %d)", r.Window, MaxWindow)
	}
	if r.Entropy < 0 || r.Entropy > 8 {
		return fmt.Errorf("entropy %v is out of range (0 to 8 bits per byte)", r.Entropy)
	}
	if r.Check != "" {
		if _, ok := checks[r.Check]; !ok {
			return fmt.Errorf("unknown check %q (known: %s)", r.Check, strings.Join(CheckNames(), ", "))
		}
	}
	if r.Regex != "" {
		r.re = &lazyRegex{src: r.Regex}
	}
	if r.Path != "" {
		r.pathRe = &lazyRegex{src: r.Path}
	}
	if len(r.OnlyPaths) > 0 {
		if r.Path != "" || r.Regex == "" {
			return errors.New("only_paths limits a content rule (a regex and no path); a path rule's path already says which files it is about")
		}
		for _, p := range r.OnlyPaths {
			if !lazy {
				if _, err := regexp.Compile(p); err != nil {
					return fmt.Errorf("invalid only_paths regex %q: %w", p, err)
				}
			}
		}
		r.onlyRe = &lazyRegex{src: onlyPathsRegex(r.OnlyPaths)}
	}
	if !lazy {
		if r.re != nil {
			re, err := r.re.get()
			if err != nil {
				return fmt.Errorf("invalid regex: %w", err)
			}
			if r.SecretGroup < 0 || r.SecretGroup > re.NumSubexp() {
				return fmt.Errorf("secret_group %d but the regex has %d groups", r.SecretGroup, re.NumSubexp())
			}
		}
		if r.pathRe != nil {
			if _, err := r.pathRe.get(); err != nil {
				return fmt.Errorf("invalid path regex: %w", err)
			}
		}
	}
	for i := range r.Allow {
		if err := share.prepare(&r.Allow[i], lazy); err != nil {
			return err
		}
	}
	return nil
}

// onlyPathsRegex is the one regex of a rule's only_paths: any of them ("" for
// none).
func onlyPathsRegex(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	alts := make([]string, len(paths))
	for i, p := range paths {
		alts[i] = "(?:" + p + ")"
	}
	return strings.Join(alts, "|")
}

// errorKeys maps the start of a rule error to the key it is about.
var errorKeys = []struct{ prefix, key string }{
	{"id ", "id"}, {"severity", "severity"}, {"keyword", "keywords"},
	{"window", "window"}, {"entropy", "entropy"}, {"unknown check", "check"}, {"invalid regex", "regex"},
	{"secret_group", "secret_group"}, {"invalid path regex", "path"},
	{"only_paths", "only_paths"}, {"invalid only_paths", "only_paths"},
	{"allowlist path", "paths"}, {"allowlist glob", "globs"}, {"allowlist regex_target", "regex_target"},
	{"allowlist regex", "regexes"}, {"allowlist condition", "condition"}, {"allowlist commit", "commits"},
}

// allowErrorLine is the line of the key an error of the i-th [[allow]]
// table is about, else of its header.
func allowErrorLine(data []byte, i int, err error) int {
	headers := HeaderLines(data, "allow")
	if i >= len(headers) {
		return 0
	}
	for _, ek := range errorKeys {
		if strings.HasPrefix(err.Error(), ek.prefix) {
			return keyInTable(data, headers[i], ek.key)
		}
	}
	return headers[i]
}

// keyInTable is the line of key inside the table whose header is on line
// header (up to the next table header), else header.
func keyInTable(data []byte, header int, key string) int {
	if header <= 0 {
		return header
	}
	lines := bytes.Split(data, []byte("\n"))
	for i := header; i < len(lines); i++ { // lines[header] is the line after the header
		t := strings.TrimSpace(string(lines[i]))
		if strings.HasPrefix(t, "[") && len(t) > 1 && (t[1] == '[' || isTableNameByte(t[1])) {
			break
		}
		if rest, ok := strings.CutPrefix(t, key); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
			return i + 1
		}
	}
	return header
}

func isTableNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '"' || c == '\''
}

// errorLine is the line of the key a rule error is about, inside the
// rule's table (from its header to the next header, 0 for the end of the
// file); the header's line when the key is not found.
func errorLine(data []byte, header, next int, err error) int {
	if header == 0 {
		return 0
	}
	msg := err.Error()
	for _, ek := range errorKeys {
		if !strings.HasPrefix(msg, ek.prefix) {
			continue
		}
		lines := bytes.Split(data, []byte("\n"))
		end := len(lines)
		if next > 0 {
			end = next - 1
		}
		for i := header; i < end && i < len(lines); i++ { // lines[header] is the line after the header
			t := strings.TrimSpace(string(lines[i]))
			if rest, ok := strings.CutPrefix(t, ek.key); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
				return i + 1
			}
		}
		break
	}
	return header
}

// HeaderLines returns the 1-based line numbers of every [[name]] header of
// a TOML file, for error positions.
func HeaderLines(data []byte, name string) []int {
	var out []int
	for i, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if bytes.HasPrefix(t, []byte("[["+name+"]]")) || bytes.HasPrefix(t, []byte("[[ "+name+" ]]")) {
			out = append(out, i+1)
		}
	}
	return out
}

func (f *File) overrideLine(i int) int {
	if i < len(f.overrideLines) {
		return f.overrideLines[i]
	}
	return 0
}

func (f *File) overrideIDLine(i int) int {
	if i < len(f.overrideIDLines) {
		return f.overrideIDLines[i]
	}
	return f.overrideLine(i)
}

func ruleIndexAt(headers []int, line int) int {
	return sort.SearchInts(headers, line+1) - 1
}

// KeyLine returns the 1-based number of the first line of a TOML file that
// sets key (or opens the table key), 0 if none, for error positions.
func KeyLine(data []byte, key string) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		t := strings.TrimSpace(string(line))
		if strings.HasPrefix(t, key) {
			rest := strings.TrimSpace(t[len(key):])
			if rest == "" || rest[0] == '=' || strings.HasPrefix(key, "[") {
				return i + 1
			}
		}
	}
	return 0
}

var knownKeys = []string{"extends", "defaults", "disable", "max_file_size", "baseline", "fail_on", "rules", "override", "allow",
	"id", "description", "provider", "severity", "keywords", "case_sensitive", "regex",
	"secret_group", "window", "entropy", "check", "placeholders", "remediation", "matches",
	"non_matches", "paths", "path", "browser_safe", "generic", "regexes", "stopwords", "globs", "condition", "regex_target", "commits", "only_paths"}

func didYouMean(key string) string {
	best, bestD := "", 3
	for _, k := range knownKeys {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// hasParts reports whether every dash-separated part of word is one of
// id's, in order.
func hasParts(id, word string) bool {
	parts := strings.Split(id, "-")
	i := 0
	for _, w := range strings.Split(word, "-") {
		for i < len(parts) && parts[i] != w {
			i++
		}
		if i == len(parts) {
			return false
		}
		i++
	}
	return true
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// defaultFile is the compiled-in default rules. The generator set them up
// as prepare would (TestDefaultRulesReady checks it): start-up neither
// copies nor writes them, and a rule's lazy state is written only when
// the rule is first used.
var defaultFile = sync.OnceValues(func() (*File, error) {
	f := defaultRules
	f.name = DefaultFile
	return &f, nil
})

// ready does for a file built in code what parse does after decoding (the
// lazy checks and set-up), on a heap copy of its rules.
func ready(f File) (*File, error) {
	f.name = DefaultFile
	share := allowShare{}
	// The compiled-in rules are copied to the heap before they are set
	// up: writing to them in place would copy, one fault at a time, every
	// page of the binary's data that holds one (a tenth of a hook's page
	// faults); reading them for the copy faults pages in by the dozen.
	rules := make([]Rule, len(f.Rules))
	ptrs := make([]*Rule, len(f.Rules))
	for i, r := range f.Rules {
		rules[i] = *r
		ptrs[i] = &rules[i]
	}
	f.Rules = ptrs
	for _, r := range f.Rules {
		r.source = DefaultFile
		if err := r.prepare(true, share); err != nil {
			return nil, &ConfigError{File: DefaultFile, Line: r.line, RuleID: r.ID, Err: err}
		}
	}
	for i := range f.Allow {
		f.Allow[i].compileLater()
	}
	return &f, nil
}

// Ruleset is an ordered set of active rules plus global allowlists. Rules are
// kept sorted by id. A Ruleset is built once, then only read.
type Ruleset struct {
	rules []*Rule
	allow []Allowlist
	// MaxFileSize is the file size limit set by configuration, 0 if unset.
	MaxFileSize int64
}

// Default returns a new Ruleset holding the embedded default rules.
func Default() (*Ruleset, error) {
	f, err := defaultFile()
	if err != nil {
		return nil, err
	}
	// What Apply makes of the default file, whose ids are distinct and
	// which overrides and disables nothing (TestDefaultRulesReady), in the
	// order the generator recorded instead of a sort.
	rs := &Ruleset{rules: make([]*Rule, len(defaultByID)), allow: slices.Clone(f.Allow), MaxFileSize: f.MaxFileSize}
	for i, k := range defaultByID {
		rs.rules[i] = f.Rules[k]
	}
	return rs, nil
}

// New returns a Ruleset holding only the rules of the given files, applied
// in order.
func New(files ...*File) (*Ruleset, error) {
	rs := &Ruleset{}
	for _, f := range files {
		if err := rs.Apply(f); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

// Apply merges a file into the set: its rules are added (replacing rules
// with the same id), its overrides and disables applied, its allowlists
// appended. Disabling an unknown id is an error.
func (rs *Ruleset) Apply(f *File) error {
	// Both maps sized up front: growing them cost the hook's start-up a
	// tenth of its time with a thousand rules.
	byID := make(map[string]int, len(rs.rules)+len(f.Rules))
	for i, r := range rs.rules {
		byID[r.ID] = i
	}
	seen := make(map[string]bool, len(f.Rules))
	for _, r := range f.Rules {
		if seen[r.ID] {
			return &ConfigError{File: f.name, Line: r.line, RuleID: r.ID, Err: errors.New("duplicate rule id")}
		}
		seen[r.ID] = true
		if i, ok := byID[r.ID]; ok {
			rs.rules[i] = r
		} else {
			byID[r.ID] = len(rs.rules)
			rs.rules = append(rs.rules, r)
		}
	}
	for oi, o := range f.Override {
		i, ok := byID[o.ID]
		if !ok {
			return &ConfigError{File: f.name, Line: f.overrideIDLine(oi), RuleID: o.ID, Err: fmt.Errorf("override: unknown rule id %q%s", o.ID, rs.suggest(o.ID))}
		}
		r := *rs.rules[i] // copy: the original may be shared with other sets
		if o.Severity != "" {
			r.Severity = o.Severity
		}
		if o.Entropy != nil {
			r.Entropy = *o.Entropy
		}
		rs.rules[i] = &r
	}
	if len(f.Disable) > 0 {
		off := map[string]bool{}
		for _, id := range f.Disable {
			if _, ok := byID[id]; !ok {
				return &ConfigError{File: f.name, Line: f.disableLine, RuleID: id, Err: fmt.Errorf("disable: unknown rule id %q%s", id, rs.suggest(id))}
			}
			off[id] = true
		}
		kept := rs.rules[:0:0]
		for _, r := range rs.rules {
			if !off[r.ID] {
				kept = append(kept, r)
			}
		}
		rs.rules = kept
	}
	rs.allow = append(rs.allow, f.Allow...)
	if f.MaxFileSize > 0 {
		rs.MaxFileSize = f.MaxFileSize
	}
	sort.Slice(rs.rules, func(i, j int) bool { return rs.rules[i].ID < rs.rules[j].ID })
	return nil
}

func (rs *Ruleset) suggest(id string) string {
	best, bestD := "", 4
	for _, r := range rs.rules {
		if d := editDistance(id, r.ID); d < bestD {
			best, bestD = r.ID, d
		}
	}
	if bestD > 1 {
		// An id that names every part of a longer one (github-pat:
		// github-classic-pat) is the likelier meaning: the shortest such.
		parts := ""
		for _, r := range rs.rules {
			if r.ID != id && hasParts(r.ID, id) && (parts == "" || len(r.ID) < len(parts)) {
				parts = r.ID
			}
		}
		if parts != "" {
			best = parts
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// Rules returns the active rules sorted by id. The slice must not be changed.
func (rs *Ruleset) Rules() []*Rule { return rs.rules }

// Rule returns the active rule with the id, or nil.
func (rs *Ruleset) Rule(id string) *Rule {
	i := sort.Search(len(rs.rules), func(i int) bool { return rs.rules[i].ID >= id })
	if i < len(rs.rules) && rs.rules[i].ID == id {
		return rs.rules[i]
	}
	return nil
}

// Only returns a copy of the set restricted to the rules with the given ids
// (global allowlists kept).
func (rs *Ruleset) Only(ids ...string) *Ruleset {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := &Ruleset{allow: rs.allow, MaxFileSize: rs.MaxFileSize}
	for _, r := range rs.rules {
		if want[r.ID] {
			out.rules = append(out.rules, r)
		}
	}
	return out
}

// PathAllowed reports whether a global allowlist silences every rule for
// the path, so that the file need not be scanned at all.
func (rs *Ruleset) PathAllowed(path string) bool {
	for i := range rs.allow {
		if rs.allow[i].pathOnly(path) {
			return true
		}
	}
	return false
}

// Allowlists returns the set's global allowlists. The slice must not be
// changed.
func (rs *Ruleset) Allowlists() []Allowlist { return rs.allow }

// HasCommitAllows reports whether an allowlist of the set, global or of a
// rule, names commits, so that callers can skip [Ruleset.AllowsCommit].
func (rs *Ruleset) HasCommitAllows() bool {
	for i := range rs.allow {
		if rs.allow[i].hasCommits() {
			return true
		}
	}
	for _, r := range rs.rules {
		for i := range r.Allow {
			if r.Allow[i].hasCommits() {
				return true
			}
		}
	}
	return false
}

// AllowsCommit reports whether a global allowlist or one of rule ruleID
// silences a finding's location at path in commit (a full commit id) by
// its commits. A location without a commit (a working-tree scan) is never
// silenced this way.
func (rs *Ruleset) AllowsCommit(ruleID, commit, path string) bool {
	if commit == "" {
		return false
	}
	if r := rs.Rule(ruleID); r != nil {
		for i := range r.Allow {
			if r.Allow[i].allowsCommit(commit, path) {
				return true
			}
		}
	}
	for i := range rs.allow {
		if rs.allow[i].allowsCommit(commit, path) {
			return true
		}
	}
	return false
}
