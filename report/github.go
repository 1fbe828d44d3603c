package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// escapeData escapes a workflow command's message as the GitHub Actions
// toolkit does, so a message can never end the command or start another.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command property value (file, title):
// also ":" and ",", which separate properties.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// annotationLevel maps a severity to a workflow command.
func annotationLevel(s rules.Severity) string {
	switch s {
	case rules.Critical, rules.High:
		return "error"
	case rules.Medium:
		return "warning"
	}
	return "notice"
}

// WriteAnnotations writes one GitHub Actions workflow command per location
// (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`),
// so the pull request shows each secret on its line. Messages carry the
// redacted secret and the remediation. Control characters are escaped
// before the toolkit's own escaping, so nothing in a file name, excerpt or
// commit message can become a command of its own.
func WriteAnnotations(w io.Writer, findings []scanner.Finding) error {
	bw := bufio.NewWriter(w)
	for _, f := range sortFindings(findings) {
		for _, l := range f.Locations {
			title := fmt.Sprintf("%s: %s (%s)", f.RuleID, f.Description, f.Severity)
			msg := fmt.Sprintf("%s secret %s found. %s", f.Provider, f.Secret, remediation(f))
			if f.Exposure != "" {
				msg += " Note: " + f.Exposure + "."
			}
			if l.Commit != "" {
				msg += fmt.Sprintf(" Introduced in %s.", shortCommit(l.Commit))
			}
			fmt.Fprintf(bw, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n",
				annotationLevel(f.Severity),
				escapeProperty(Sanitize(l.Path)),
				max(l.Line, 1), max(l.Column, 1), max(l.EndLine, l.Line, 1), max(l.EndColumn, 1),
				escapeProperty(Sanitize(title)),
				escapeData(Sanitize(msg)))
		}
	}
	return bw.Flush()
}

// WriteCapAnnotations writes a `::warning file=…` workflow command for
// each warning that a rule's findings in a file were cut short (a
// [scanner.CapError]), so the pull request shows which file holds
// unreported findings.
func WriteCapAnnotations(w io.Writer, warnings []scanner.Warning) error {
	bw := bufio.NewWriter(w)
	for _, wn := range warnings {
		var ce *scanner.CapError
		if !errors.As(wn.Err, &ce) {
			continue
		}
		fmt.Fprintf(bw, "::warning file=%s,title=%s::%s\n",
			escapeProperty(Sanitize(wn.Path)),
			escapeProperty("keylint: findings cut short ("+Sanitize(ce.Rule)+")"),
			escapeData(Sanitize(ce.Error())))
	}
	return bw.Flush()
}

// WriteStepSummary writes the Markdown summary shown on a GitHub Actions
// run page ($GITHUB_STEP_SUMMARY): a headline, a table of findings and any
// notes (configuration changed by the pull request, inline allows added).
func WriteStepSummary(w io.Writer, findings []scanner.Finding, sum scanner.Summary, notes []string) error {
	bw := bufio.NewWriter(w)
	fs := sortFindings(findings)
	if len(fs) == 0 {
		bw.WriteString("## keylint: no secrets found\n\n")
	} else {
		fmt.Fprintf(bw, "## keylint: %s found\n\n", plural(len(fs), "secret", "secrets"))
	}
	fmt.Fprintf(bw, "Scanned %s (%s).", plural(sum.Files, "file", "files"), humanBytes(sum.Bytes))
	var parts []string
	for _, sev := range []rules.Severity{rules.Critical, rules.High, rules.Medium, rules.Low} {
		if n := sum.BySeverity[sev]; n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+string(sev))
		}
	}
	if len(parts) > 0 {
		bw.WriteString(" By severity: " + strings.Join(parts, ", ") + ".")
	}
	bw.WriteString("\n\n")
	for _, n := range notes {
		bw.WriteString("> [!WARNING]\n> " + markdownCell(n) + "\n\n")
	}
	if len(sum.Capped) > 0 {
		var b strings.Builder
		cw := bufio.NewWriter(&b)
		writeCounts(cw, "Findings were cut short at the per-rule limit in", "file", "files", sum.Capped)
		cw.Flush()
		bw.WriteString("> [!WARNING]\n> " + markdownCell(strings.TrimSpace(b.String())) + ": the annotations name each file, and the rest of its findings are not listed.\n\n")
	}
	if len(fs) > 0 {
		bw.WriteString("| Severity | Rule | Provider | Secret | Location | What to do |\n")
		bw.WriteString("|---|---|---|---|---|---|\n")
		for _, f := range fs {
			for _, l := range f.Locations {
				loc := fmt.Sprintf("%s:%d:%d", l.Path, max(l.Line, 1), max(l.Column, 1))
				if l.Commit != "" {
					loc += " (" + shortCommit(l.Commit) + ")"
				}
				fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n",
					markdownCell(string(f.Severity)), markdownCell(f.RuleID), markdownCell(f.Provider),
					"`"+strings.ReplaceAll(markdownCell(f.Secret), "`", "'")+"`", markdownCell(loc), markdownCell(remediation(f)))
			}
		}
		bw.WriteString("\nSecrets are redacted. Revoke and rotate every key that was pushed: deleting it from the branch does not make it secret again.\n")
	}
	return bw.Flush()
}

// markdownCell makes text safe inside a Markdown table cell: control
// characters escaped, pipes and HTML-significant characters neutralised.
func markdownCell(s string) string {
	s = Sanitize(s)
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "\\x0A", " ").Replace(s)
}
