package report

import (
	"bytes"
	"cmp"
	_ "embed"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// htmlReporter writes a self-contained HTML audit report meant for people
// who are not developers: headline figures, a timeline, the key inventory
// and a remediation checklist per finding.
//
// The page has no script, loads nothing (no fonts, images, styles or
// links to fetch), and forbids both with a Content-Security-Policy, so it
// can be opened from disk, offline, and mailed around. Every value goes
// through html/template, after [Sanitize], so a hostile file name or commit
// message is shown as text and cannot reorder the page with bidi controls.
type htmlReporter struct {
	version string
}

// Report writes the HTML document. The output depends only on findings,
// sum (its counts, never its duration) and the tool version: it holds no
// generation time.
func (r htmlReporter) Report(w io.Writer, findings []scanner.Finding, sum scanner.Summary) error {
	v := newHTMLView(sortFindings(findings), sum, r.version)
	var buf bytes.Buffer
	if err := htmlTemplate().Execute(&buf, v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// htmlView is what the template renders. Every string in it is sanitized
// text; the template escapes it.
type htmlView struct {
	Version     string
	Total       int
	Live        int
	HistoryOnly int
	Browser     int
	Lede        []string
	Severities  []htmlSeverity
	Timeline    *htmlTimeline
	Undated     int
	// HasCommits is true when some finding has commit details; without
	// them the inventory has no commit and author columns.
	HasCommits bool
	Providers  []htmlProvider
	Findings   []htmlFinding
	About      []string
	// Verified counts the findings a provider was asked about;
	// LiveKeys those it accepted, RevokedKeys those it refused.
	Verified, LiveKeys, RevokedKeys int
}

// htmlSeverity is one severity's headline count.
type htmlSeverity struct {
	Name, Class string
	Count       int
}

// htmlProvider is one provider's group in the inventory.
type htmlProvider struct {
	Name    string
	Count   string
	Secrets []htmlSecret
}

// htmlSecret is one row of the inventory.
type htmlSecret struct {
	Anchor         string
	Secret         string
	RuleID         string
	Fingerprint    string
	FingerprintTip string
	Severity       string
	Class          string
	InHead         bool
	BrowserExposed bool
	Paths          []string
	// Repositories are the distinct repositories (an audit of several).
	Repositories []string
	// Status is the verification badge (LIVE, REVOKED, ...), StatusClass
	// its CSS class, Identity what the key opens; Owners the code owners.
	Status, StatusClass, Identity string
	Owners                        []string
	Exposed                       string
	First, Last                   *htmlCommit
	// SameCommit is true when the first and last commit are one.
	SameCommit bool
	Authors    []htmlAuthor
}

// htmlAuthor is a commit author.
type htmlAuthor struct {
	Name, Email string
}

// htmlCommit is a commit as shown in the inventory and location tables.
type htmlCommit struct {
	Short, Full string
	Date        string
	DateTime    string
	Author      string
	Subject     string
}

// htmlFinding is one finding's card: what it is, where, and what to do.
type htmlFinding struct {
	Anchor         string
	Title          string
	RuleID         string
	Provider       string
	Severity       string
	Class          string
	Secret         string
	Fingerprint    string
	InHead         bool
	BrowserExposed bool
	Exposure       string
	// Status, StatusClass and Verified say what the provider answered;
	// Owners are the code owners; Exposed since when the key leaked.
	Status, StatusClass, Verified string
	Owners                        string
	Exposed                       string
	Locations                     []htmlLocation
	// HasCommits is true when some location has a commit.
	HasCommits bool
	Steps      []htmlStep
}

// htmlLocation is one row of a finding's location table.
type htmlLocation struct {
	Path   string
	Line   int
	Commit *htmlCommit
}

// htmlStep is one item of a remediation checklist.
type htmlStep struct {
	Title  string
	Detail string
	Notes  []string
}

func newHTMLView(fs []scanner.Finding, sum scanner.Summary, version string) htmlView {
	v := htmlView{Version: cmp.Or(Sanitize(version), "development build"), Total: len(fs)}

	// Findings are shown most urgent first; anchors follow that order.
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(
			cmp.Compare(liveRank(&fs[b]), liveRank(&fs[a])),
			cmp.Compare(fs[b].Severity.Rank(), fs[a].Severity.Rank()),
		)
	})
	anchor := make(map[*scanner.Finding]string, len(fs))
	for n, i := range order {
		anchor[&fs[i]] = "finding-" + strconv.Itoa(n+1)
	}

	counts := map[rules.Severity]int{}
	for i := range fs {
		f := &fs[i]
		counts[f.Severity]++
		if f.InHead {
			v.Live++
		} else {
			v.HistoryOnly++
		}
		if f.BrowserExposed {
			v.Browser++
		}
		if f.Verification != nil {
			v.Verified++
			switch f.Verification.Status {
			case scanner.Live:
				v.LiveKeys++
			case scanner.Revoked:
				v.RevokedKeys++
			}
		}
		for _, l := range f.Locations {
			v.HasCommits = v.HasCommits || l.Commit != ""
		}
	}
	for _, s := range severities {
		v.Severities = append(v.Severities, htmlSeverity{Name: severityName(s), Class: severityClass(s), Count: counts[s]})
	}
	var other []string
	for s := range counts {
		if s.Rank() == 0 {
			other = append(other, string(s))
		}
	}
	slices.Sort(other)
	for _, s := range other {
		v.Severities = append(v.Severities, htmlSeverity{Name: severityName(rules.Severity(s)), Class: "other", Count: counts[rules.Severity(s)]})
	}
	v.Lede = lede(v)

	v.Timeline, v.Undated = newTimeline(fs, anchor)

	for _, p := range inventory(fs) {
		hp := htmlProvider{Name: providerName(p.Provider), Count: plural.Count(len(p.Secrets), "secret", "secrets")}
		for _, s := range p.Secrets {
			hp.Secrets = append(hp.Secrets, htmlSecret{
				Anchor:         anchor[s.finding],
				Secret:         Sanitize(s.Secret),
				RuleID:         Sanitize(s.RuleID),
				Fingerprint:    Sanitize(shortFingerprint(s.Fingerprint)),
				FingerprintTip: Sanitize(s.Fingerprint),
				Severity:       severityName(s.Severity),
				Class:          severityClass(s.Severity),
				InHead:         s.InHead,
				BrowserExposed: s.BrowserExposed,
				Paths:          sanitizeAll(s.Paths),
				Repositories:   sanitizeAll(s.Repositories),
				First:          htmlCommitOf(s.FirstCommit),
				Last:           htmlCommitOf(s.LastCommit),
				SameCommit:     s.FirstCommit != nil && s.LastCommit != nil && s.FirstCommit.Commit == s.LastCommit.Commit,
				Authors:        authors(s.finding),
				Status:         statusLabel(s.Verification),
				StatusClass:    statusClass(s.Verification),
				Identity:       identityLine(s.Verification),
				Owners:         sanitizeAll(s.Owners),
				Exposed:        exposureText(s.finding),
			})
		}
		v.Providers = append(v.Providers, hp)
	}

	for _, i := range order {
		v.Findings = append(v.Findings, newHTMLFinding(&fs[i], anchor[&fs[i]]))
	}
	v.About = about(sum)
	return v
}

// lede is the opening paragraph: the headline figures in words.
func lede(v htmlView) []string {
	if v.Total == 0 {
		return []string{"keylint found no secrets in what it scanned."}
	}
	var out []string
	s := "keylint found " + plural.Count(v.Total, "secret", "secrets") + "."
	switch {
	case v.HistoryOnly == 0:
		s += " All of them are still in the current code."
	case v.Live == 0:
		s += " None is in the current code any more, but the git history still holds them: anyone with a copy of the repository can read them."
	default:
		s += " " + strconv.Itoa(v.Live) + " " + plural.Of(v.Live, "is", "are") + " still in the current code; " +
			strconv.Itoa(v.HistoryOnly) + " only in the git history, where anyone with a copy of the repository can still read " + pronoun(v.HistoryOnly) + "."
	}
	out = append(out, s)
	if v.Browser > 0 {
		out = append(out, plural.Count(v.Browser, "secret is", "secrets are")+" shipped to web browsers, where every visitor can read "+pronoun(v.Browser)+".")
	}
	if v.Verified > 0 {
		s := strconv.Itoa(v.Verified) + " " + plural.Of(v.Verified, "key was", "keys were") + " checked with " + plural.Of(v.Verified, "its provider", "their providers") + ": " +
			strconv.Itoa(v.LiveKeys) + " " + plural.Of(v.LiveKeys, "is", "are") + " live, " + strconv.Itoa(v.RevokedKeys) + " refused."
		if v.LiveKeys > 0 {
			s += " Live keys open accounts right now: revoke them first."
		}
		out = append(out, s)
	}
	order := "most urgent first."
	if v.Verified > 0 {
		order = "live keys first, then the most urgent."
	}
	out = append(out, "Removing a secret from the code does not make it safe: each one must be revoked with its provider. The checklist for each secret is below, "+order)
	return out
}

func pronoun(n int) string { return plural.Of(n, "it", "them") }

// about describes the scan itself, from the summary's counts.
func about(sum scanner.Summary) []string {
	var out []string
	if sum.Files > 0 || sum.Bytes > 0 {
		out = append(out, "Scanned "+plural.Count(sum.Files, "file", "files")+" ("+humanBytes(sum.Bytes)+").")
	}
	for _, c := range []struct {
		what, one, many string
		counts          map[string]int
	}{
		{"skipped", "file was", "files were", sum.Skipped},
		{"silenced", "match was", "matches were", sum.Silenced},
	} {
		keys, total := sortedCounts(c.counts)
		if total == 0 {
			continue
		}
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = Sanitize(k) + " " + strconv.Itoa(c.counts[k])
		}
		out = append(out, plural.Count(total, c.one, c.many)+" "+c.what+" ("+strings.Join(parts, ", ")+").")
	}
	if sum.Warnings > 0 {
		out = append(out, plural.Count(sum.Warnings, "warning was", "warnings were")+" reported during the scan.")
	}
	return out
}

// sortedCounts returns the keys of counts with a positive count, sorted,
// and the total.
func sortedCounts(counts map[string]int) ([]string, int) {
	var keys []string
	total := 0
	for k, n := range counts {
		if n > 0 {
			keys = append(keys, k)
			total += n
		}
	}
	slices.Sort(keys)
	return keys, total
}

func newHTMLFinding(f *scanner.Finding, anchor string) htmlFinding {
	h := htmlFinding{
		Anchor:         anchor,
		Title:          Sanitize(cmp.Or(f.Description, f.RuleID, "Secret")),
		RuleID:         Sanitize(f.RuleID),
		Provider:       providerName(f.Provider),
		Severity:       severityName(f.Severity),
		Class:          severityClass(f.Severity),
		Secret:         Sanitize(f.Secret),
		Fingerprint:    Sanitize(f.Fingerprint),
		InHead:         f.InHead,
		BrowserExposed: f.BrowserExposed,
		Exposure:       Sanitize(f.Exposure),
		Status:         statusLabel(f.Verification),
		StatusClass:    statusClass(f.Verification),
		Owners:         Sanitize(strings.Join(f.Owners, ", ")),
		Exposed:        exposureText(f),
	}
	if v := f.Verification; v != nil {
		h.Verified = htmlVerified(v)
	}
	for _, l := range f.Locations {
		loc := htmlLocation{Path: Sanitize(locPath(l)), Line: max(l.Line, 1)}
		if l.Commit != "" {
			loc.Commit = htmlCommitOf(newInventoryCommit(l))
			h.HasCommits = true
		}
		h.Locations = append(h.Locations, loc)
	}
	h.Steps = checklist(f)
	return h
}

// authors returns the distinct authors of f's locations, sorted as in the
// inventory.
func authors(f *scanner.Finding) []htmlAuthor {
	var out []htmlAuthor
	for _, l := range f.Locations {
		if l.Author != "" || l.Email != "" {
			out = append(out, htmlAuthor{Name: l.Author, Email: l.Email})
		}
	}
	slices.SortFunc(out, func(a, b htmlAuthor) int {
		return cmp.Or(
			strings.Compare(author(scanner.Location{Author: a.Name, Email: a.Email}), author(scanner.Location{Author: b.Name, Email: b.Email})),
			strings.Compare(a.Name, b.Name),
			strings.Compare(a.Email, b.Email),
		)
	})
	out = slices.Compact(out)
	for i := range out {
		out[i] = htmlAuthor{Name: Sanitize(out[i].Name), Email: Sanitize(out[i].Email)}
	}
	return out
}

func htmlCommitOf(c *inventoryCommit) *htmlCommit {
	if c == nil {
		return nil
	}
	h := &htmlCommit{
		Short:   Sanitize(shortCommit(c.Commit)),
		Full:    Sanitize(c.Commit),
		Author:  Sanitize(c.Author),
		Subject: Sanitize(c.Subject),
	}
	if !c.Date.IsZero() {
		h.Date = humanDate(c.Date)
		h.DateTime = c.Date.Format(time.RFC3339)
	}
	return h
}

// firstSeen returns the earliest date among f's locations, or the zero
// time when none has a date.
func firstSeen(f *scanner.Finding) time.Time {
	var t time.Time
	for _, l := range f.Locations {
		if !l.Date.IsZero() && (t.IsZero() || l.Date.Before(t)) {
			t = l.Date
		}
	}
	return t
}

// humanDate formats t as "5 Mar 2024", in t's own zone.
func humanDate(t time.Time) string { return t.Format("2 Jan 2006") }

func sanitizeAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Sanitize(s)
	}
	return out
}

// providerName is the heading of a provider's group.
func providerName(p string) string {
	if p == "" {
		return "Other"
	}
	return Sanitize(p)
}

// shortFingerprint returns the first 12 characters of a fingerprint.
func shortFingerprint(fp string) string {
	if len(fp) > 12 {
		return fp[:12]
	}
	return fp
}

// severityName is the label of a severity: "Critical", or the unknown
// severity as is, or "Unrated".
func severityName(s rules.Severity) string {
	switch {
	case s == "":
		return "Unrated"
	case s.Rank() > 0:
		return strings.ToUpper(string(s[:1])) + string(s[1:])
	}
	return Sanitize(string(s))
}

// severityClass is the CSS class of a severity; unknown ones share "other".
func severityClass(s rules.Severity) string {
	if s.Rank() > 0 {
		return string(s)
	}
	return "other"
}

// The report's markup and style, embedded from html.tmpl and html.css.
// They must stay free of scripts and of anything that loads a resource:
// the Content-Security-Policy forbids both anyway.
var (
	//go:embed html.tmpl
	htmlSource string
	//go:embed html.css
	htmlCSS string
)

// htmlTemplate is parsed on first use, once; a parsed template is safe for
// concurrent use and never changes.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		// The style sheet is keylint's own constant, never data.
		"css": func() template.CSS { return template.CSS(htmlCSS) },
	}).Parse(htmlSource))
})

// statusClass is the CSS class of a verification badge.
func statusClass(v *scanner.Verification) string {
	if v == nil {
		return ""
	}
	switch v.Status {
	case scanner.Live:
		return "key-live"
	case scanner.Revoked:
		return "key-revoked"
	}
	return "key-unknown"
}

// identityLine is what a verified key opens, or why it could not be
// checked.
func identityLine(v *scanner.Verification) string {
	if v == nil {
		return ""
	}
	if p := identityParts(v.Identity); len(p) > 0 {
		return strings.Join(p, ", ")
	}
	return Sanitize(v.Error)
}

// htmlVerified is the provider's answer in words: "Live: account octocat,
// scopes repo (checked 1 Dec 2026)."
func htmlVerified(v *scanner.Verification) string {
	var s string
	switch v.Status {
	case scanner.Live:
		s = "Live: the provider accepts the key"
	case scanner.Revoked:
		s = "Revoked: the provider refuses the key"
	case scanner.Invalid:
		s = "Invalid: the key cannot work"
	default:
		s = "Not verified"
	}
	if p := identityParts(v.Identity); len(p) > 0 {
		s += "; it opens " + strings.Join(p, ", ")
	}
	if v.Error != "" {
		s += " (" + Sanitize(v.Error) + ")"
	}
	if !v.CheckedAt.IsZero() {
		s += ", checked " + humanDate(v.CheckedAt.UTC())
	}
	return s + "."
}
