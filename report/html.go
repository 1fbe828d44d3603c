package report

import (
	"bytes"
	"cmp"
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
	First, Last    *htmlCommit
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
	Locations      []htmlLocation
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
		return cmp.Compare(fs[b].Severity.Rank(), fs[a].Severity.Rank())
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
				First:          htmlCommitOf(s.FirstCommit),
				Last:           htmlCommitOf(s.LastCommit),
				SameCommit:     s.FirstCommit != nil && s.LastCommit != nil && s.FirstCommit.Commit == s.LastCommit.Commit,
				Authors:        authors(s.finding),
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
	out = append(out, "Removing a secret from the code does not make it safe: each one must be revoked with its provider. The checklist for each secret is below, most urgent first.")
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

// checklist returns the remediation steps for f, in the order they should
// be done: revoke, rotate, replace with a secret-manager reference, purge
// the history (only when the secret is in it), review the provider's access
// logs, tell the owners.
func checklist(f *scanner.Finding) []htmlStep {
	provider := "the provider"
	if f.Provider != "" {
		provider = Sanitize(f.Provider)
	}
	paths := map[string]bool{}
	commits := map[string]bool{}
	var authors []string
	for _, l := range f.Locations {
		paths[locPath(l)] = true
		if l.Commit != "" {
			commits[l.Commit] = true
		}
		if a := author(l); a != "" {
			authors = append(authors, Sanitize(a))
		}
	}
	slices.Sort(authors)
	authors = slices.Compact(authors)
	since := "it was first committed"
	if t := firstSeen(f); !t.IsZero() {
		since = humanDate(t) + ", when it was first committed"
	}

	steps := []htmlStep{
		{
			Title:  "Revoke the key",
			Detail: Sanitize(remediation(*f)),
			Notes:  []string{"Do this first: until the key is revoked, anyone who has seen it can use it."},
		},
		{
			Title: "Rotate: issue a replacement",
			Detail: "Create a new key at " + provider + " with only the permissions it needs, and put it everywhere the old one was used (" +
				plural.Count(len(paths), "file", "files") + " listed above).",
		},
		{
			Title:  "Replace it with a secret-manager reference",
			Detail: "Keep the new key out of the code: have the application read it at run time from a secret manager (such as Vault, AWS Secrets Manager, Google Secret Manager or Azure Key Vault) or from the CI system's secret store.",
		},
	}
	if f.BrowserExposed {
		steps[2].Notes = append(steps[2].Notes, "Every visitor's browser can read this key. Move the calls that need it to a backend that holds the key, and keep it out of front-end code and public build variables.")
	}
	if inHistory(f) {
		d := "The key stays readable in every copy of the repository"
		if n := len(commits); n > 0 {
			d += " (it is in " + plural.Count(n, "commit", "commits") + ")"
		}
		d += ". If your policy or the key's sensitivity requires it, rewrite the history with git filter-repo or BFG Repo-Cleaner, force-push, and ask everyone to clone again. Forks, caches and old clones may still hold copies, so revoking the key is what protects you."
		steps = append(steps, htmlStep{Title: "Purge it from the git history", Detail: d})
	}
	steps = append(steps,
		htmlStep{
			Title:  "Review the provider's access logs",
			Detail: "Look in " + provider + "'s access or audit logs for any use of the key since " + since + ", especially from unknown places, and investigate anything you cannot explain.",
		},
		htmlStep{
			Title:  "Tell the owners",
			Detail: "Tell the key's owner and your security team what leaked, for how long, and what was done.",
		},
	)
	if len(authors) > 0 {
		steps[len(steps)-1].Notes = append(steps[len(steps)-1].Notes, "Committed by: "+strings.Join(authors, ", ")+".")
	}
	return steps
}

// inHistory reports whether f was found in git history: it has a commit, or
// it is gone from HEAD.
func inHistory(f *scanner.Finding) bool {
	if !f.InHead {
		return true
	}
	for _, l := range f.Locations {
		if l.Commit != "" {
			return true
		}
	}
	return false
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

// The timeline is drawn in a fixed coordinate space that the browser
// scales to the page width.
const (
	tlWidth   = 960
	tlLeft    = 56  // x of the earliest date
	tlRight   = 904 // x of the latest date
	tlTop     = 14  // space above the highest mark
	tlRadius  = 6
	tlLane    = 16 // vertical distance between stacked marks
	tlGap     = 14 // space between the lowest mark and the axis
	tlBottom  = 34 // space for the tick labels
	tlMaxLane = 12 // marks beyond this many lanes overlap
)

// htmlTimeline is the inline SVG of when each secret entered the history.
type htmlTimeline struct {
	Width, Height int
	AxisY         int
	Left, Right   int
	TickTop       int
	LabelY        int
	From, To      string
	Ticks         []htmlTick
	Marks         []htmlMark
	Legend        []htmlLegend
}

// htmlLegend is one entry of the timeline's legend.
type htmlLegend struct {
	Class, Label string
}

// htmlTick is a labelled date on the timeline's axis.
type htmlTick struct {
	X     string
	Label string
}

// htmlMark is one secret on the timeline.
type htmlMark struct {
	X, Y   string
	Radius int
	Class  string
	Title  string
	Anchor string
}

// newTimeline places each finding that has a dated location at the
// earliest of its dates. It returns nil when no finding has a date, and
// the number of findings left out for having none.
func newTimeline(fs []scanner.Finding, anchor map[*scanner.Finding]string) (*htmlTimeline, int) {
	type point struct {
		t time.Time
		f *scanner.Finding
	}
	var pts []point
	undated := 0
	for i := range fs {
		if t := firstSeen(&fs[i]); !t.IsZero() {
			pts = append(pts, point{t, &fs[i]})
		} else {
			undated++
		}
	}
	if len(pts) == 0 {
		return nil, undated
	}
	// fs is sorted, so ties keep a fixed order.
	slices.SortStableFunc(pts, func(a, b point) int {
		return cmp.Or(a.t.Compare(b.t), cmp.Compare(b.f.Severity.Rank(), a.f.Severity.Rank()))
	})

	first, last := pts[0].t, pts[len(pts)-1].t
	lo, hi := first.UTC(), last.UTC()
	if span := hi.Sub(lo); span < 24*time.Hour {
		mid := lo.Add(span / 2)
		lo, hi = mid.Add(-15*24*time.Hour), mid.Add(15*24*time.Hour)
	} else {
		pad := max(span/25, 12*time.Hour)
		lo, hi = lo.Add(-pad), hi.Add(pad)
	}
	x := func(t time.Time) float64 {
		return tlLeft + float64(t.Sub(lo))/float64(hi.Sub(lo))*(tlRight-tlLeft)
	}

	// Stack marks that would overlap into lanes, lowest lane first.
	var laneEnd []float64
	lanes := make([]int, len(pts))
	for i, p := range pts {
		px := x(p.t)
		lane := -1
		for j, end := range laneEnd {
			if px-end >= 2*tlRadius+2 {
				lane = j
				break
			}
		}
		if lane < 0 && len(laneEnd) < tlMaxLane {
			lane = len(laneEnd)
			laneEnd = append(laneEnd, 0)
		}
		if lane < 0 { // all lanes busy: use the one that frees up first
			lane = 0
			for j, end := range laneEnd {
				if end < laneEnd[lane] {
					lane = j
				}
			}
		}
		laneEnd[lane] = px
		lanes[i] = lane
	}

	axisY := tlTop + tlRadius + (len(laneEnd)-1)*tlLane + tlRadius + tlGap
	tl := &htmlTimeline{
		Width: tlWidth, Height: axisY + tlBottom, AxisY: axisY,
		Left: tlLeft - 16, Right: tlRight + 16,
		TickTop: axisY + 5, LabelY: axisY + 22,
		From: humanDate(first), To: humanDate(last),
	}
	for _, t := range ticks(lo, hi) {
		tl.Ticks = append(tl.Ticks, htmlTick{X: coord(x(t.at)), Label: t.label})
	}
	present := map[string]bool{}
	for i, p := range pts {
		present[severityClass(p.f.Severity)] = true
		state := "live"
		if !p.f.InHead {
			state = "gone"
		}
		present[state] = true
		where := ""
		if len(p.f.Locations) > 0 {
			where = " in " + p.f.Locations[0].Path
		}
		tl.Marks = append(tl.Marks, htmlMark{
			X:      coord(x(p.t)),
			Y:      strconv.Itoa(axisY - tlGap - tlRadius - lanes[i]*tlLane),
			Radius: tlRadius,
			Class:  "mark " + severityClass(p.f.Severity) + " " + state,
			Title: Sanitize(severityName(p.f.Severity) + ": " + cmp.Or(p.f.Description, p.f.RuleID) + " (" + p.f.Secret + "), first committed " +
				humanDate(p.t) + where),
			Anchor: anchor[p.f],
		})
	}
	for _, e := range []htmlLegend{
		{"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"}, {"low", "Low"}, {"other", "Other"},
		{"live", "Filled: still in the current code"}, {"gone", "Ring: in the history only"},
	} {
		if present[e.Class] {
			tl.Legend = append(tl.Legend, e)
		}
	}
	return tl, undated
}

// coord formats an SVG coordinate with one decimal.
func coord(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// tick is a date on the timeline's axis and its label.
type tick struct {
	at    time.Time
	label string
}

// tickSteps are the axis spacings tried, finest first.
var tickSteps = [...]struct {
	years, months, days int
	layout              string
}{
	{0, 0, 1, "2 Jan 2006"},
	{0, 0, 2, "2 Jan 2006"},
	{0, 0, 7, "2 Jan 2006"},
	{0, 0, 14, "2 Jan 2006"},
	{0, 1, 0, "Jan 2006"},
	{0, 2, 0, "Jan 2006"},
	{0, 3, 0, "Jan 2006"},
	{0, 6, 0, "Jan 2006"},
	{1, 0, 0, "2006"},
	{2, 0, 0, "2006"},
	{5, 0, 0, "2006"},
	{10, 0, 0, "2006"},
	{25, 0, 0, "2006"},
	{50, 0, 0, "2006"},
	{100, 0, 0, "2006"},
}

// ticks returns at most 7 evenly spaced calendar dates (UTC) between lo
// and hi, on the finest step that gives no more than that.
func ticks(lo, hi time.Time) []tick {
	const most = 7
	for _, s := range tickSteps {
		// Align the first tick to a whole step.
		var t time.Time
		switch {
		case s.years > 0:
			t = time.Date(lo.Year()/s.years*s.years, 1, 1, 0, 0, 0, 0, time.UTC)
		case s.months > 0:
			m := (int(lo.Month())-1)/s.months*s.months + 1
			t = time.Date(lo.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		default:
			t = time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, time.UTC)
		}
		var out []tick
		for ; !t.After(hi) && len(out) <= most; t = t.AddDate(s.years, s.months, s.days) {
			if !t.Before(lo) {
				out = append(out, tick{t, t.Format(s.layout)})
			}
		}
		if len(out) <= most {
			return out
		}
	}
	return nil
}

// htmlTemplate is parsed on first use, once; a parsed template is safe for concurrent
// use and never changes.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(htmlSource))
})

// htmlSource is the report's only markup and style. It must stay free of
// scripts and of anything that loads a resource: the Content-Security-Policy
// forbids both anyway.
const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="keylint {{.Version}}">
<title>Secret audit: {{if .Total}}{{.Total}} {{if eq .Total 1}}secret{{else}}secrets{{end}} found{{else}}no secrets found{{end}}</title>
<style>
:root {
  --ink: #1d2430; --muted: #5b6574; --line: #dfe3ea; --panel: #ffffff; --page: #f4f6f9; --accent: #23395d;
  --critical: #c0262d; --critical-bg: #fde8e8; --critical-ink: #8c1a1f;
  --high: #e0680b; --high-bg: #fff0e1; --high-ink: #8f3f06;
  --medium: #d4a20a; --medium-bg: #fdf6d8; --medium-ink: #6d5304;
  --low: #2f74d0; --low-bg: #e3eefc; --low-ink: #1c4a87;
  --other: #7b8494; --other-bg: #eef0f3; --other-ink: #3e4552;
  --browser: #6b3fb8; --browser-bg: #f0e9fb;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
a { color: var(--accent); }
.top { background: var(--accent); color: #fff; padding: 28px 0 30px; }
.eyebrow { margin: 0 0 4px; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; opacity: .8; }
.top h1 { margin: 0 0 10px; font-size: 30px; line-height: 1.2; font-weight: 650; }
.lede { margin: 0 0 6px; max-width: 62em; font-size: 16px; opacity: .95; }
main { padding: 8px 0 40px; }
section { margin-top: 28px; }
h2 { font-size: 20px; margin: 0 0 4px; }
h2 + .intro { margin-top: 0; }
.intro { color: var(--muted); margin: 0 0 14px; max-width: 62em; }
.stats { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin-top: 12px; }
.stat { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.stat .num { display: block; font-size: 30px; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
.stat .label { color: var(--muted); font-size: 14px; }
.stat.live .num { color: var(--critical); }
.stat.browser .num { color: var(--browser); }
.stat.sev { border-left: 6px solid var(--other); }
.stat.sev.critical { border-left-color: var(--critical); }
.stat.sev.high { border-left-color: var(--high); }
.stat.sev.medium { border-left-color: var(--medium); }
.stat.sev.low { border-left-color: var(--low); }
.stat.zero .num { color: #a3abb8; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.timeline svg { display: block; width: 100%; height: auto; }
.axis { stroke: #9aa3b1; stroke-width: 1.5; }
.tick { stroke: #9aa3b1; stroke-width: 1; }
.ticklabel { fill: var(--muted); font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.mark { stroke-width: 2.5; }
.mark.critical { fill: var(--critical); stroke: var(--critical); }
.mark.high { fill: var(--high); stroke: var(--high); }
.mark.medium { fill: var(--medium); stroke: var(--medium); }
.mark.low { fill: var(--low); stroke: var(--low); }
.mark.other { fill: var(--other); stroke: var(--other); }
.mark.gone { fill: #fff; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%; border: 2.5px solid var(--other); background: var(--other); }
.dot.critical { background: var(--critical); border-color: var(--critical); }
.dot.high { background: var(--high); border-color: var(--high); }
.dot.medium { background: var(--medium); border-color: var(--medium); }
.dot.low { background: var(--low); border-color: var(--low); }
.dot.gone { background: #fff; }
.empty { color: var(--muted); font-style: italic; margin: 0; }
.provider { margin-top: 18px; }
.provider h3 { font-size: 17px; margin: 0 0 8px; }
.provider h3 .count { color: var(--muted); font-weight: 400; font-size: 14px; margin-left: 6px; }
.table-wrap { overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 9px 12px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; background: #f9fafc; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
td ul { margin: 0; padding: 0; list-style: none; }
td li + li { margin-top: 2px; }
.path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.86em; overflow-wrap: break-word; word-break: break-word; }
.secret { font-weight: 600; background: #f1f3f6; border-radius: 4px; padding: 1px 5px; overflow-wrap: break-word; word-break: break-word; }
.rule { white-space: nowrap; }
.narrow { width: 1%; white-space: nowrap; }
.inv { table-layout: fixed; min-width: 880px; }
.inv td { overflow-wrap: break-word; word-break: break-word; }
.inv .c-key { width: 15%; } .inv .c-sev { width: 9%; } .inv .c-status { width: 14%; } .inv .c-paths { width: 20%; }
.inv .c-first { width: 14%; } .inv .c-last { width: 11%; } .inv .c-authors { width: 17%; }
.inv.plain { min-width: 560px; }
.inv.plain .c-key { width: 24%; } .inv.plain .c-sev { width: 13%; } .inv.plain .c-status { width: 18%; } .inv.plain .c-paths { width: 45%; }
.timeline { overflow-x: auto; }
.timeline svg { min-width: 640px; }
.muted { color: var(--muted); }
.small { font-size: 13px; }
.nowrap { white-space: nowrap; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 650; letter-spacing: .02em; white-space: nowrap; background: var(--other-bg); color: var(--other-ink); border: 1px solid var(--other); }
.badge.critical { background: var(--critical-bg); color: var(--critical-ink); border-color: var(--critical); }
.badge.high { background: var(--high-bg); color: var(--high-ink); border-color: var(--high); }
.badge.medium { background: var(--medium-bg); color: var(--medium-ink); border-color: var(--medium); }
.badge.low { background: var(--low-bg); color: var(--low-ink); border-color: var(--low); }
.pill { display: inline-block; border-radius: 4px; padding: 0 7px; font-size: 12px; font-weight: 600; white-space: nowrap; margin: 1px 0; }
.pill.live { background: var(--critical-bg); color: var(--critical-ink); }
.pill.gone { background: var(--other-bg); color: var(--other-ink); }
.pill.browser { background: var(--browser-bg); color: var(--browser); }
.finding { background: var(--panel); border: 1px solid var(--line); border-left: 6px solid var(--other); border-radius: 10px; padding: 16px 20px 8px; margin-top: 16px; }
.finding.critical { border-left-color: var(--critical); }
.finding.high { border-left-color: var(--high); }
.finding.medium { border-left-color: var(--medium); }
.finding.low { border-left-color: var(--low); }
.finding h3 { font-size: 18px; margin: 6px 0 8px; }
.finding h4 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 16px 0 6px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.exposure { background: var(--browser-bg); border-left: 4px solid var(--browser); padding: 8px 12px; border-radius: 6px; margin: 12px 0 0; }
.note { background: var(--other-bg); padding: 8px 12px; border-radius: 6px; margin: 12px 0 0; }
.checklist { counter-reset: step; list-style: none; margin: 0 0 8px; padding: 0; }
.checklist li { counter-increment: step; position: relative; padding: 8px 0 8px 44px; border-top: 1px solid var(--line); }
.checklist li:first-child { border-top: 0; }
.checklist li::before { content: counter(step); position: absolute; left: 0; top: 8px; width: 26px; height: 26px; border: 2px solid var(--accent); border-radius: 6px; color: var(--accent); font-weight: 700; font-size: 13px; text-align: center; line-height: 22px; }
.checklist strong { display: block; }
.checklist p { margin: 2px 0 0; }
.checklist .hint { color: var(--muted); font-size: 13px; }
.inlist { margin: 0; }
footer { margin-top: 36px; padding-top: 14px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
footer p { margin: 2px 0; }
.clean { border-left: 6px solid #2e8540; }
@media (max-width: 720px) {
  .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
@media (max-width: 640px) {
  .wrap { padding: 0 14px; }
  .top h1 { font-size: 24px; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 6px; }
}
@media print {
  @page { margin: 14mm; }
  body { background: #fff; font-size: 10.5pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .wrap { max-width: none; padding: 0; }
  .top { background: #fff; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid var(--accent); }
  .stat, .panel, .table-wrap, .finding { border-color: #c9ced6; }
  .table-wrap { overflow: visible; }
  .stats { grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; }
  .stat .num { font-size: 22pt; }
  .inv, .inv.plain { min-width: 0; font-size: 9pt; }
  th, td { padding: 6px 7px; }
  th { white-space: normal; font-size: 7.5pt; }
  .badge, .pill { font-size: 7.5pt; padding: 0 5px; }
  .timeline svg { min-width: 0; }
  .finding, .stat, .panel, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
</style>
</head>
<body>
<header class="top">
<div class="wrap">
<p class="eyebrow">keylint · secret audit</p>
<h1>{{if .Total}}{{.Total}} {{if eq .Total 1}}secret{{else}}secrets{{end}} found{{else}}No secrets found{{end}}</h1>
{{range .Lede}}<p class="lede">{{.}}</p>
{{end}}</div>
</header>
<main class="wrap">
<section aria-labelledby="overview">
<h2 id="overview">At a glance</h2>
<div class="stats">
<div class="stat"><span class="num">{{.Total}}</span><span class="label">distinct secrets</span></div>
<div class="stat live{{if not .Live}} zero{{end}}"><span class="num">{{.Live}}</span><span class="label">still live in the current code (HEAD)</span></div>
<div class="stat{{if not .HistoryOnly}} zero{{end}}"><span class="num">{{.HistoryOnly}}</span><span class="label">in the git history only</span></div>
<div class="stat browser{{if not .Browser}} zero{{end}}"><span class="num">{{.Browser}}</span><span class="label">exposed to web browsers</span></div>
</div>
<div class="stats">
{{range .Severities}}<div class="stat sev {{.Class}}{{if not .Count}} zero{{end}}"><span class="num">{{.Count}}</span><span class="label">{{.Name}}</span></div>
{{end}}</div>
</section>
{{if .Total}}<section aria-labelledby="timeline">
<h2 id="timeline">When the secrets entered the history</h2>
{{with .Timeline}}<p class="intro">Each mark is one secret, placed at the date of the earliest commit it was found in{{if eq .From .To}}: all on {{.From}}{{else}}, from {{.From}} to {{.To}}{{end}}. Select a mark to go to its checklist.</p>
<div class="panel timeline">
<svg viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="Timeline of when each secret was first committed{{if eq .From .To}}: all on {{.From}}{{else}}, from {{.From}} to {{.To}}{{end}}">
<line class="axis" x1="{{.Left}}" y1="{{.AxisY}}" x2="{{.Right}}" y2="{{.AxisY}}"/>
{{range .Ticks}}<line class="tick" x1="{{.X}}" y1="{{$.Timeline.AxisY}}" x2="{{.X}}" y2="{{$.Timeline.TickTop}}"/>
<text class="ticklabel" x="{{.X}}" y="{{$.Timeline.LabelY}}" text-anchor="middle">{{.Label}}</text>
{{end}}{{range .Marks}}<a href="#{{.Anchor}}"><circle class="{{.Class}}" cx="{{.X}}" cy="{{.Y}}" r="{{.Radius}}"><title>{{.Title}}</title></circle></a>
{{end}}</svg>
<ul class="legend">
{{range .Legend}}<li><span class="dot {{.Class}}"></span>{{.Label}}</li>
{{end}}</ul>
</div>
{{if $.Undated}}<p class="intro small">{{$.Undated}} {{if eq $.Undated 1}}secret has{{else}}secrets have{{end}} no history information and {{if eq $.Undated 1}}is{{else}}are{{end}} not shown.</p>
{{end}}{{else}}<p class="panel empty">No history information: this scan did not read the git history, so there are no dates to show.</p>
{{end}}</section>
<section aria-labelledby="inventory">
<h2 id="inventory">Key inventory</h2>
<p class="intro">Every secret, grouped by the service it belongs to: which key it is{{if .HasCommits}}, where it is used, and who committed it{{else}} and where it is used{{end}}. Use it to find what each key powers before you revoke it.</p>
{{range .Providers}}<div class="provider">
<h3>{{.Name}}<span class="count">{{.Count}}</span></h3>
<div class="table-wrap">
<table class="inv{{if not $.HasCommits}} plain{{end}}">
<colgroup><col class="c-key"><col class="c-sev"><col class="c-status"><col class="c-paths">{{if $.HasCommits}}<col class="c-first"><col class="c-last"><col class="c-authors">{{end}}</colgroup>
<thead><tr><th scope="col">Key</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Used in</th>{{if $.HasCommits}}<th scope="col">First commit</th><th scope="col">Last commit</th><th scope="col">Authors</th>{{end}}</tr></thead>
<tbody>
{{range .Secrets}}<tr>
<td><code class="secret">{{.Secret}}</code><br><span class="small rule">{{.RuleID}}</span><br><span class="small muted mono" title="fingerprint {{.FingerprintTip}}">{{.Fingerprint}}</span><br><a class="small" href="#{{.Anchor}}">checklist</a></td>
<td><span class="badge {{.Class}}">{{.Severity}}</span></td>
<td>{{if .InHead}}<span class="pill live">Live in HEAD</span>{{else}}<span class="pill gone">History only</span>{{end}}{{if .BrowserExposed}}<br><span class="pill browser">Exposed to browsers</span>{{end}}</td>
<td><ul>{{range .Paths}}<li class="path">{{.}}</li>{{end}}</ul></td>
{{if $.HasCommits}}<td>{{with .First}}{{template "commit" .}}{{else}}<span class="muted">not from history</span>{{end}}</td>
<td>{{if .SameCommit}}<span class="muted">same commit</span>{{else}}{{with .Last}}{{template "commit" .}}{{else}}<span class="muted">not from history</span>{{end}}{{end}}</td>
<td>{{if .Authors}}<ul>{{range .Authors}}<li>{{.Name}}{{if .Email}}<br><span class="small muted">{{.Email}}</span>{{end}}</li>{{end}}</ul>{{else}}<span class="muted">unknown</span>{{end}}</td>
{{end}}</tr>
{{end}}</tbody>
</table>
</div>
</div>
{{end}}</section>
<section aria-labelledby="checklists">
<h2 id="checklists">What to do, secret by secret</h2>
<p class="intro">Most urgent first. Work through each checklist in order; revoking the key comes before everything else.</p>
{{range $f := .Findings}}<article class="finding {{.Class}}" id="{{.Anchor}}">
<span class="badge {{.Class}}">{{.Severity}}</span> {{if .InHead}}<span class="pill live">Live in HEAD</span>{{else}}<span class="pill gone">History only</span>{{end}}{{if .BrowserExposed}} <span class="pill browser">Exposed to browsers</span>{{end}}
<h3>{{.Title}}</h3>
<dl class="facts">
<dt>Key</dt><dd><code class="secret">{{.Secret}}</code></dd>
<dt>Service</dt><dd>{{.Provider}}</dd>
<dt>Rule</dt><dd><code>{{.RuleID}}</code></dd>
<dt>Fingerprint</dt><dd><code>{{.Fingerprint}}</code></dd>
</dl>
{{if .Exposure}}<p class="{{if .BrowserExposed}}exposure{{else}}note{{end}}">{{if .BrowserExposed}}<strong>Readable by every visitor:</strong>{{else}}<strong>Public by design:</strong>{{end}} {{.Exposure}}</p>
{{end}}<h4>Where it occurs</h4>
{{if .Locations}}<div class="table-wrap">
<table>
<thead><tr><th scope="col">File</th><th scope="col" class="narrow">Line</th>{{if .HasCommits}}<th scope="col">Commit</th>{{end}}</tr></thead>
<tbody>
{{range .Locations}}<tr><td class="path">{{.Path}}</td><td class="narrow">{{.Line}}</td>{{if $f.HasCommits}}<td>{{with .Commit}}{{template "commit" .}}{{if .Author}}<br><span class="small">{{.Author}}</span>{{end}}{{else}}<span class="muted">no commit recorded</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
</div>
{{else}}<p class="empty">No location recorded.</p>
{{end}}<h4>Checklist</h4>
<ol class="checklist">
{{range .Steps}}<li><strong>{{.Title}}</strong><p>{{.Detail}}</p>{{range .Notes}}<p class="hint">{{.}}</p>{{end}}</li>
{{end}}</ol>
</article>
{{end}}</section>
{{else}}<section>
<p class="panel clean">Nothing to do: no secret was found in what was scanned.</p>
</section>
{{end}}<footer>
{{range .About}}<p>{{.}}</p>
{{end}}<p>Report written by keylint {{.Version}}. Secrets are shown as the scan recorded them: redacted unless it was run with --show-secrets.</p>
</footer>
</main>
</body>
</html>
{{define "commit"}}<code title="{{.Full}}">{{.Short}}</code>{{if .Date}} <time class="nowrap" datetime="{{.DateTime}}">{{.Date}}</time>{{end}}{{if .Subject}}<br><span class="small muted">{{.Subject}}</span>{{end}}{{end}}`
