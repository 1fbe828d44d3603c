package rules

import (
	"regexp"
	"sync"
	"sync/atomic"
)

// lazyRegex compiles a rule's regex on first use, so a process that scans
// one small file does not pay for compiling hundreds of expressions.
type lazyRegex struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
	err  error

	// The DFA that answers "any match here?" is built once the regex has
	// looked at dfaAfter bytes: a short scan never pays for it.
	seen    atomic.Int64
	dfaOnce sync.Once
	dfa     atomic.Pointer[dfaProg]

	// pf is the literals one of which every match contains (see
	// prefilter.go), computed on first use.
	pfOnce sync.Once
	pf     prefilter

	// lead and leadMax are the rule's keywordLead (window.go), read once.
	leadOnce      sync.Once
	lead, leadMax int
}

// dfaAfter is how many bytes of keyword windows a regex examines before it
// gets a DFA. Building one costs about as much as compiling the regex.
const dfaAfter = 4 << 10

func (l *lazyRegex) get() (*regexp.Regexp, error) {
	l.once.Do(func() { l.re, l.err = regexp.Compile(l.src) })
	return l.re, l.err
}

// compileLater is regexp.MustCompile for the package's own fixed regexes,
// deferred to first use: a pre-commit hook's start-up should not pay for
// regexes that its change never needs.
func compileLater(src string) *lazyRegex { return &lazyRegex{src: src} }

// MatchString is regexp.Regexp.MatchString; it panics if the regex does
// not compile, which for compileLater's fixed regexes the tests rule out.
func (l *lazyRegex) MatchString(s string) bool {
	re, err := l.get()
	if err != nil {
		panic(err)
	}
	return re.MatchString(s)
}

// eagerDFA returns the regex's DFA, building it now if need be, or nil
// when it cannot be built (the caller then asks regexp alone).
func (l *lazyRegex) eagerDFA() *dfaProg {
	l.dfaOnce.Do(func() {
		if d, err := newDFA(l.src); err == nil {
			l.dfa.Store(d)
		}
	})
	return l.dfa.Load()
}

// matchAny reports whether re, the compiled form of l, matches anywhere in
// b, as re.Match does.
func (l *lazyRegex) matchAny(re *regexp.Regexp, b []byte) bool {
	if d := l.dfa.Load(); d != nil {
		return d.match(b)
	}
	if l.seen.Add(int64(len(b))) > dfaAfter {
		l.dfaOnce.Do(func() {
			// An expression regexp accepts always compiles here too; if
			// not, re.Match keeps answering.
			if d, err := newDFA(l.src); err == nil {
				l.dfa.Store(d)
			}
		})
		if d := l.dfa.Load(); d != nil {
			return d.match(b)
		}
	}
	return re.Match(b)
}

// Severity ranks how urgent a finding is.
type Severity string

// The severities a rule can carry, from most to least urgent.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Rank orders severities: critical is 4, low is 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// Rule describes one kind of secret and how to recognise it.
type Rule struct {
	// ID is kebab-case and stable forever: baselines and ignores refer to it.
	ID          string   `toml:"id"`
	Description string   `toml:"description"`
	Provider    string   `toml:"provider"`
	Severity    Severity `toml:"severity"`
	// Keywords are literals, one of which must occur near every match.
	// A path rule may omit them.
	Keywords []string `toml:"keywords"`
	// Path makes this a path rule: a regex over the slash-separated path.
	// Committing a matching file is the leak, whatever its content; the
	// file's path is the finding's "secret". With a Regex too, the file must
	// also contain a match (for example a .npmrc with an auth token).
	Path string `toml:"path"`
	// OnlyPaths limits a content rule (a Regex and no Path) to files whose
	// slash-separated path matches one of these regexes, as a gitleaks
	// rule with both path and regex is limited. Content without a path
	// (stdin) is not matched by such a rule. Its matches and non_matches
	// examples are written as a path rule's are: a path, a newline, then
	// the file's content.
	OnlyPaths []string `toml:"only_paths"`
	// Generic marks a catch-all rule (password assignments, bearer
	// headers, URLs with credentials): it yields to any specific rule that
	// finds an overlapping secret, so one secret is reported once, under
	// its most precise rule.
	Generic bool `toml:"generic"`
	// BrowserSafe marks key types that are meant to be public in browser
	// code (publishable keys, referrer-restricted keys, DSNs): findings in
	// browser-served files are not raised to critical.
	BrowserSafe bool `toml:"browser_safe"`
	// CaseSensitive makes the keyword prefilter match keywords exactly;
	// by default keywords match ignoring ASCII case.
	CaseSensitive bool `toml:"case_sensitive"`
	// Regex is a Go RE2 expression; SecretGroup names the capture group
	// that holds the secret (0: the whole match).
	Regex       string `toml:"regex"`
	SecretGroup int    `toml:"secret_group"`
	// Window is how many bytes around a keyword hit the regex sees
	// (default 256 on each side). Multi-line formats need more.
	Window int `toml:"window"`
	// Entropy is the minimum Shannon entropy (bits per byte) of the secret.
	Entropy float64 `toml:"entropy"`
	// Check names an offline structural check (see [Checks]).
	Check string `toml:"check"`
	// Placeholders turns placeholder and stopword detection on or off for
	// this rule (default on).
	Placeholders *bool  `toml:"placeholders"`
	Remediation  string `toml:"remediation"`
	// References name where the format is documented: the provider's own
	// documentation or announcement that the regex was written from.
	References []string `toml:"references"`
	// Matches must each be found by the rule; NonMatches must not.
	Matches    []string    `toml:"matches"`
	NonMatches []string    `toml:"non_matches"`
	Allow      []Allowlist `toml:"allow"`

	// Set by the loader.
	source string // file the rule came from
	line   int    // line of its [[rules]] header, 0 if unknown
	re     *lazyRegex
	pathRe *lazyRegex
	onlyRe *lazyRegex // OnlyPaths as one regex
}

// IsPathRule reports whether the rule matches files by path.
func (r *Rule) IsPathRule() bool { return r.Path != "" }

// Source returns the file the rule was loaded from and the line of its
// [[rules]] header (0 when unknown).
func (r *Rule) Source() (file string, line int) { return r.source, r.line }

// Compiled returns the rule's compiled regex, compiling it on first use.
func (r *Rule) Compiled() (*regexp.Regexp, error) {
	if r.re == nil || r.re.src != r.Regex {
		// A rule built by hand rather than loaded: compile without caching.
		return regexp.Compile(r.Regex)
	}
	return r.re.get()
}

// prefilter returns the rule's prefilter (nil for a rule built by hand).
func (r *Rule) prefilter() prefilter {
	if r.re == nil || r.re.src != r.Regex {
		return nil
	}
	r.re.pfOnce.Do(func() { r.re.pf = newPrefilter(r.Regex, r.Keywords) })
	return r.re.pf
}

// Match is one candidate that passed every check of its rule.
type Match struct {
	// Rule is the rule that matched.
	Rule *Rule
	// Start and End are byte offsets of the whole regex match.
	Start, End int
	// SecretStart and SecretEnd are byte offsets of the secret.
	SecretStart, SecretEnd int
	// Secret is a copy of the secret bytes.
	Secret string
	// Entropy is the Shannon entropy of the secret in bits per byte.
	Entropy float64
	// File is set for path rules: Secret is then the path, and the offsets
	// point at the content match (or are all 0).
	File bool
}
