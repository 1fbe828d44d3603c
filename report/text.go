package report

import (
	"bufio"
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// palette holds the colours of the text format and the summary. Each
// reporter owns its palette, with colour switched on or off explicitly, so
// the package-level color.NoColor switch is never read or written.
type palette struct {
	location, rule, secret, label, good, bad, warn *color.Color
	critical, high, medium, low, other             *color.Color
}

func newPalette(on bool) *palette {
	p := &palette{
		location: color.New(color.Bold),
		rule:     color.New(color.FgCyan),
		secret:   color.New(color.FgMagenta),
		label:    color.New(color.Faint),
		good:     color.New(color.FgGreen),
		bad:      color.New(color.FgRed, color.Bold),
		warn:     color.New(color.FgYellow),
		critical: color.New(color.FgRed, color.Bold),
		high:     color.New(color.FgRed),
		medium:   color.New(color.FgYellow),
		low:      color.New(color.FgBlue),
		other:    color.New(),
	}
	for _, c := range []*color.Color{
		p.location, p.rule, p.secret, p.label, p.good, p.bad, p.warn,
		p.critical, p.high, p.medium, p.low,
	} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	p.other.DisableColor() // unknown severities stay plain
	return p
}

// severity returns the colour for s.
func (p *palette) severity(s rules.Severity) *color.Color {
	switch s {
	case rules.Critical:
		return p.critical
	case rules.High:
		return p.high
	case rules.Medium:
		return p.medium
	case rules.Low:
		return p.low
	}
	return p.other
}

// textReporter writes findings for a human, grouped by file.
type textReporter struct {
	p *palette
	// fixed maps each fix already printed in this report to the rule it
	// was printed for: a fix is printed once, later entries refer to it.
	fixed map[string]string
}

func newTextReporter(opts Options) textReporter {
	return textReporter{p: newPalette(opts.Color)}
}

// textEntry is one finding's locations within one file.
type textEntry struct {
	f    *scanner.Finding
	locs []scanner.Location
}

// Report writes, per file (sorted by path), every location of every finding
// as path:line:col followed by rule id, severity, provider and the secret;
// commit details and the line excerpt under it; then one line of
// remediation per finding. It writes nothing when there are no findings.
func (r textReporter) Report(w io.Writer, findings []scanner.Finding, _ scanner.Summary) error {
	if len(findings) == 0 {
		return nil
	}
	fs := sortFindings(findings)

	byPath := make(map[string][]textEntry)
	var orphans []textEntry // findings without a location
	for i := range fs {
		f := &fs[i]
		if len(f.Locations) == 0 {
			orphans = append(orphans, textEntry{f: f})
			continue
		}
		// Locations are sorted by path, so each path is one run.
		for locs := f.Locations; len(locs) > 0; {
			n := 1
			p := locPath(locs[0])
			for n < len(locs) && locPath(locs[n]) == p {
				n++
			}
			byPath[p] = append(byPath[p], textEntry{f: f, locs: locs[:n]})
			locs = locs[n:]
		}
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	slices.Sort(paths)

	bw := bufio.NewWriter(w)
	r.fixed = map[string]string{}
	for i, path := range paths {
		if i > 0 {
			bw.WriteByte('\n')
		}
		entries := byPath[path]
		slices.SortStableFunc(entries, func(a, b textEntry) int {
			return cmp.Or(
				compareLocations(a.locs[0], b.locs[0]),
				strings.Compare(a.f.RuleID, b.f.RuleID),
				strings.Compare(a.f.Fingerprint, b.f.Fingerprint),
			)
		})
		for _, e := range entries {
			r.writeEntry(bw, e)
		}
	}
	if len(orphans) > 0 {
		if len(paths) > 0 {
			bw.WriteByte('\n')
		}
		for _, e := range orphans {
			r.writeEntry(bw, e)
		}
	}
	return bw.Flush()
}

// writeEntry writes one finding's locations in one file, then its fix.
func (r textReporter) writeEntry(bw *bufio.Writer, e textEntry) {
	p, f := r.p, e.f
	head := func(where string) {
		bw.WriteString(p.location.Sprint(where))
		bw.WriteString("  ")
		bw.WriteString(p.rule.Sprint(Sanitize(f.RuleID)))
		if f.Severity != "" {
			bw.WriteString("  ")
			bw.WriteString(p.severity(f.Severity).Sprint(Sanitize(string(f.Severity))))
		}
		if f.Provider != "" {
			bw.WriteString("  ")
			bw.WriteString(Sanitize(f.Provider))
		}
		if f.Secret != "" {
			bw.WriteString("  ")
			bw.WriteString(p.secret.Sprint(Sanitize(f.Secret)))
		}
		if b := statusLabel(f.Verification); b != "" && b != "UNVERIFIED" {
			c := p.warn
			switch f.Verification.Status {
			case scanner.Live:
				c = p.bad
			case scanner.Revoked:
				c = p.good
			}
			bw.WriteString("  ")
			bw.WriteString(c.Sprint(b))
		}
		bw.WriteByte('\n')
	}
	if len(e.locs) == 0 {
		head("(no location)")
	}
	for _, l := range e.locs {
		head(SafeLineStart(Sanitize(locPath(l))) + ":" + strconv.Itoa(max(l.Line, 1)) + ":" + strconv.Itoa(max(l.Column, 1)))
		if l.Commit != "" {
			parts := []string{Sanitize(shortCommit(l.Commit))}
			if who := author(l); who != "" {
				parts = append(parts, Sanitize(who))
			}
			if !l.Date.IsZero() {
				parts = append(parts, l.Date.Format("2006-01-02"))
			}
			if s := subject(l.Message); s != "" {
				parts = append(parts, Sanitize(s))
			}
			if !f.InHead {
				parts = append(parts, "(no longer in HEAD)")
			}
			r.sub(bw, "commit", strings.Join(parts, "  "))
		}
		if x := strings.TrimSpace(l.LineExcerpt); x != "" {
			r.sub(bw, "line", Sanitize(x))
		}
	}
	if f.Verification != nil {
		r.sub(bw, "verify", verificationText(f.Verification))
	}
	if len(f.Owners) > 0 {
		r.sub(bw, "owners", Sanitize(strings.Join(f.Owners, " ")))
	}
	if x := exposureText(f); x != "" {
		r.sub(bw, "since", x)
	}
	if f.Context != "" {
		r.sub(bw, "note", Sanitize(f.Context))
	}
	fix := Sanitize(remediation(*f))
	if id, ok := r.fixed[fix]; ok && r.fixed != nil {
		r.sub(bw, "fix", "as for "+id+" above")
		return
	}
	if r.fixed != nil {
		r.fixed[fix] = Sanitize(f.RuleID)
	}
	r.sub(bw, "fix", fix)
}

// sub writes an indented, labelled detail line. text is already sanitized.
func (r textReporter) sub(bw *bufio.Writer, label, text string) {
	bw.WriteString("    ")
	bw.WriteString(r.p.label.Sprintf("%-6s", label))
	bw.WriteString(" ")
	bw.WriteString(text)
	bw.WriteByte('\n')
}

// author formats a location's author as "Name <email>".
func author(l scanner.Location) string {
	switch {
	case l.Author != "" && l.Email != "":
		return l.Author + " <" + l.Email + ">"
	case l.Email != "":
		return "<" + l.Email + ">"
	}
	return l.Author
}

// subject returns the first line of a commit message, shortened to 72
// characters.
func subject(msg string) string {
	msg = strings.TrimSpace(msg)
	if i := strings.IndexAny(msg, "\r\n"); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	const limit = 72
	if utf8.RuneCountInString(msg) <= limit {
		return msg
	}
	n := 0
	for i := range msg {
		if n == limit-1 {
			return msg[:i] + "…"
		}
		n++
	}
	return msg
}
