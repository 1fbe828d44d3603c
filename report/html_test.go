package report

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// withoutHistory returns fs as a plain directory scan would report it: no
// commit details, everything in HEAD.
func withoutHistory(fs []scanner.Finding) []scanner.Finding {
	for i := range fs {
		fs[i].InHead = true
		locs := slices.Clone(fs[i].Locations)
		for j := range locs {
			locs[j] = scanner.Location{Path: locs[j].Path, Line: locs[j].Line, Column: locs[j].Column, EndLine: locs[j].EndLine, EndColumn: locs[j].EndColumn}
		}
		fs[i].Locations = locs
	}
	return fs
}

// htmlCases are the inputs of the html golden files and safety checks.
func htmlCases() []struct {
	name     string
	findings []scanner.Finding
	sum      scanner.Summary
} {
	return []struct {
		name     string
		findings []scanner.Finding
		sum      scanner.Summary
	}{
		{"html_history", historyFindings(), historySummary()},
		{"html_nohistory", withoutHistory(historyFindings()), historySummary()},
		{"html_empty", nil, scanner.Summary{Files: 40, Bytes: 81_920}},
		{"html_mixed", testFindings(), testSummary()},
	}
}

func TestHTMLGolden(t *testing.T) {
	t.Parallel()
	for _, tt := range htmlCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			golden(t, tt.name, render(t, "html", Options{ToolVersion: "v1.2.3"}, tt.findings, tt.sum))
		})
	}
}

// allowedTags are the only elements the report may contain.
var allowedTags = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
	"header": true, "main": true, "section": true, "article": true, "footer": true, "div": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "p": true, "span": true, "strong": true, "code": true,
	"br": true, "colgroup": true, "col": true, "ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true, "time": true, "a": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"svg": true, "line": true, "text": true, "circle": true,
}

var (
	tagRE   = regexp.MustCompile(`<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>`)
	attrRE  = regexp.MustCompile(`\s([^\s=/>]+)(?:="([^"]*)")?`)
	styleRE = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
)

// checkHTMLSafe fails unless out is a report that can run nothing and load
// nothing: no script, no event handler, no resource attribute, no link but
// to an anchor in the page, no CSS import or url(), and no full secret.
// html/template escapes every "<" and ">" in text and attribute values, so
// every "<" left in out starts a real element.
func checkHTMLSafe(t *testing.T, out string) {
	t.Helper()
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "javascript:", "<iframe", "<object", "<embed", "<img", "<link", "<base", "<form", "<!--"} {
		if strings.Contains(lower, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
	styles := styleRE.FindAllStringSubmatch(out, -1)
	if len(styles) != 1 {
		t.Fatalf("report has %d style elements, want 1", len(styles))
	}
	css := strings.ToLower(styles[0][1])
	for _, bad := range []string{"@import", "url(", "expression(", "http:", "https:", "//"} {
		if strings.Contains(css, bad) {
			t.Errorf("style contains %q", bad)
		}
	}
	body := styleRE.ReplaceAllString(out, "<style></style>")
	if !strings.HasPrefix(body, "<!DOCTYPE html>\n") {
		t.Error("report does not start with <!DOCTYPE html>")
	}
	body = strings.TrimPrefix(body, "<!DOCTYPE html>")
	tags := tagRE.FindAllStringSubmatch(body, -1)
	if n := strings.Count(body, "<"); n != len(tags) {
		t.Errorf("report has %d '<' but %d tags: some markup is not a plain element", n, len(tags))
	}
	for _, m := range tags {
		name, attrs := strings.ToLower(m[2]), m[3]
		if !allowedTags[name] {
			t.Errorf("report contains element <%s>", name)
		}
		for _, a := range attrRE.FindAllStringSubmatch(attrs, -1) {
			key, val := strings.ToLower(a[1]), strings.ToLower(a[2])
			switch {
			case strings.HasPrefix(key, "on"), key == "src", key == "srcset", key == "srcdoc", key == "style",
				key == "action", key == "formaction", key == "xlink:href", key == "data", key == "background", key == "poster":
				t.Errorf("element <%s> has attribute %s=%q", name, key, a[2])
			case key == "href" && !strings.HasPrefix(val, "#"):
				t.Errorf("link to %q: only anchors within the report are allowed", a[2])
			case key == "http-equiv" && val != "content-security-policy":
				t.Errorf("meta http-equiv=%q", a[2])
			case strings.Contains(val, "http:") || strings.Contains(val, "https:") || strings.Contains(val, "//"):
				t.Errorf("element <%s> attribute %s=%q names a URL", name, key, a[2])
			}
		}
	}
	for _, s := range fakeSecrets() {
		if strings.Contains(out, s.full) {
			t.Errorf("report holds the full secret of %s", s.rule)
		}
	}
}

func TestHTMLSafe(t *testing.T) {
	t.Parallel()
	for _, tt := range htmlCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkHTMLSafe(t, string(render(t, "html", Options{}, tt.findings, tt.sum)))
		})
	}
}

func TestHTMLEscapes(t *testing.T) {
	t.Parallel()
	out := string(render(t, "html", Options{}, historyFindings(), historySummary()))
	for _, want := range []string{
		"docs/&lt;script&gt;alert(1)&lt;/script&gt;.md",
		"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",
		`Eve \u{202E}evil\u{202C}`, // bidi controls shown, not obeyed
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if !strings.Contains(out, `content="default-src 'none'; style-src 'unsafe-inline';`) {
		t.Error("report lacks its Content-Security-Policy")
	}
	for _, f := range historyFindings() {
		if !strings.Contains(out, f.Secret) {
			t.Errorf("report lacks the redacted secret %q", f.Secret)
		}
	}
}

func TestHTMLHeadline(t *testing.T) {
	t.Parallel()
	out := string(render(t, "html", Options{}, historyFindings(), historySummary()))
	for _, want := range []string{
		`<span class="num">6</span><span class="label">distinct secrets</span>`,
		`<span class="num">4</span><span class="label">still live in the current code (HEAD)</span>`,
		`<span class="num">2</span><span class="label">in the git history only</span>`,
		`<span class="num">1</span><span class="label">exposed to web browsers</span>`,
		`<div class="stat sev critical"><span class="num">2</span><span class="label">Critical</span>`,
		`<div class="stat sev high"><span class="num">1</span><span class="label">High</span>`,
		`<div class="stat sev medium"><span class="num">2</span><span class="label">Medium</span>`,
		`<div class="stat sev low"><span class="num">1</span><span class="label">Low</span>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, "no history information") {
		t.Error("history report says it has no history information")
	}
	plain := string(render(t, "html", Options{}, withoutHistory(historyFindings()), historySummary()))
	if !strings.Contains(plain, "No history information") || strings.Contains(plain, "<svg") {
		t.Error("report without dates should say so instead of drawing a timeline")
	}
}

func TestChecklist(t *testing.T) {
	t.Parallel()
	titles := func(steps []htmlStep) []string {
		var out []string
		for _, s := range steps {
			title, _, _ := strings.Cut(s.Title, " since ")
			out = append(out, title)
		}
		return out
	}
	all := []string{
		"Revoke the key", "Replace it", "Purge it from the git history", "Audit its use", "Notify the owners and authors",
	}
	noPurge := slices.Delete(slices.Clone(all), 2, 3)

	fs := historyFindings()
	for _, f := range fs {
		steps := checklist(&f)
		if got := titles(steps); !slices.Equal(got, all) {
			t.Errorf("%s: steps %q, want %q", f.RuleID, got, all)
		}
		if steps[0].Detail != remediation(f) {
			t.Errorf("%s: first step's detail %q, want the rule's remediation %q", f.RuleID, steps[0].Detail, remediation(f))
		}
	}
	for _, f := range withoutHistory(historyFindings()) {
		if got := titles(checklist(&f)); !slices.Equal(got, noPurge) {
			t.Errorf("%s without history: steps %q, want %q", f.RuleID, got, noPurge)
		}
	}

	// A key gone from HEAD is in history even without commit details.
	gone := scanner.Finding{RuleID: "r", Locations: []scanner.Location{{Path: "a"}}}
	if got := titles(checklist(&gone)); !slices.Equal(got, all) {
		t.Errorf("history-only finding: steps %q, want %q", got, all)
	}
	// The browser-exposed key says to move the call to a backend.
	for _, f := range fs {
		if f.BrowserExposed && !strings.Contains(strings.Join(checklist(&f)[1].Notes, " "), "backend") {
			t.Errorf("%s: browser-exposed key's checklist does not mention a backend", f.RuleID)
		}
	}
}

func TestTimeline(t *testing.T) {
	t.Parallel()
	fs := sortFindings(historyFindings())
	tl, undated := newTimeline(fs, nil)
	if tl == nil || undated != 0 {
		t.Fatalf("timeline = %v, undated %d; want a timeline with every finding", tl, undated)
	}
	if len(tl.Marks) != len(fs) {
		t.Errorf("%d marks for %d findings", len(tl.Marks), len(fs))
	}
	if n := len(tl.Ticks); n < 2 || n > 7 {
		t.Errorf("%d ticks, want 2 to 7", n)
	}
	// The Stripe keys share a commit: their marks stack instead of overlapping.
	seen := map[[2]string]bool{}
	for _, m := range tl.Marks {
		k := [2]string{m.X, m.Y}
		if seen[k] {
			t.Errorf("two marks at %v", k)
		}
		seen[k] = true
	}
	if tl.From != "3 Nov 2022" || tl.To != "20 May 2024" {
		t.Errorf("timeline from %q to %q", tl.From, tl.To)
	}

	if tl, undated := newTimeline(withoutHistory(historyFindings()), nil); tl != nil || undated != 6 {
		t.Errorf("timeline without dates = %v, undated %d; want nil, 6", tl, undated)
	}

	// One date, or many secrets in one commit, still draws a sane chart.
	var many []scanner.Finding
	for i := range 40 {
		many = append(many, scanner.Finding{RuleID: "r", Fingerprint: string(rune('a' + i)), Severity: rules.High,
			Locations: []scanner.Location{{Path: "p", Commit: "c", Date: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}}})
	}
	tl, _ = newTimeline(many, nil)
	if tl == nil || len(tl.Marks) != 40 || tl.Height > 400 || len(tl.Ticks) == 0 {
		t.Errorf("40 secrets on one day: %+v", tl)
	}
}

func TestTicks(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		lo, hi time.Time
		want   []string
	}{
		{d(2024, 3, 1), d(2024, 3, 5), []string{"1 Mar 2024", "2 Mar 2024", "3 Mar 2024", "4 Mar 2024", "5 Mar 2024"}},
		{d(2024, 1, 15), d(2024, 6, 15), []string{"Feb 2024", "Mar 2024", "Apr 2024", "May 2024", "Jun 2024"}},
		{d(2019, 6, 1), d(2024, 6, 1), []string{"2020", "2021", "2022", "2023", "2024"}},
		{d(1970, 1, 1), d(2024, 6, 1), []string{"1970", "1980", "1990", "2000", "2010", "2020"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range ticks(tt.lo, tt.hi) {
			got = append(got, tk.label)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ticks(%s, %s) = %q, want %q", tt.lo.Format(time.DateOnly), tt.hi.Format(time.DateOnly), got, tt.want)
		}
	}
}
