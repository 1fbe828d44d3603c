package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// EscapeData escapes a workflow command's message as the GitHub Actions
// toolkit does, so a message can never end the command or start another.
func EscapeData(s string) string {
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
			msg += verificationNote(f)
			fmt.Fprintf(bw, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n",
				annotationLevel(f.Severity),
				escapeProperty(Sanitize(l.Path)),
				max(l.Line, 1), max(l.Column, 1), max(l.EndLine, l.Line, 1), max(l.EndColumn, 1),
				escapeProperty(Sanitize(title)),
				EscapeData(Sanitize(msg)))
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
			EscapeData(Sanitize(ce.Error())))
	}
	return bw.Flush()
}

// WriteStepSummary writes the Markdown summary shown on a GitHub Actions
// run page ($GITHUB_STEP_SUMMARY): a headline, the files that were not
// scanned (skipped, as returned by [Unscanned]), a table of findings and
// any notes (configuration changed by the pull request, inline allows
// added). Every value from the scan is escaped by [markdownCell], so a
// file name can neither break the table nor inject markup or HTML.
//
// unnamed counts more files that were not scanned, whose paths the scan
// did not record.
func WriteStepSummary(w io.Writer, findings []scanner.Finding, sum scanner.Summary, notes []string, skipped []scanner.SkippedFile, unnamed int) error {
	bw := bufio.NewWriter(w)
	fs := sortFindings(findings)
	switch {
	case len(fs) > 0:
		fmt.Fprintf(bw, "## keylint: %s found\n\n", plural.Count(len(fs), "secret", "secrets"))
	case len(skipped)+unnamed > 0:
		fmt.Fprintf(bw, "## keylint: no secrets found, but %s not scanned\n\n", plural.Count(len(skipped)+unnamed, "file was", "files were"))
	default:
		bw.WriteString("## keylint: no secrets found\n\n")
	}
	fmt.Fprintf(bw, "Scanned %s (%s)", plural.Count(sum.Files, "file", "files"), humanBytes(sum.Bytes))
	if n := len(skipped) + unnamed; n > 0 {
		fmt.Fprintf(bw, "; %s skipped", plural.Count(n, "file", "files"))
		if len(skipped) > 0 {
			bw.WriteString(": " + skippedList(skipped, maxListed))
		}
		if unnamed > 0 {
			fmt.Fprintf(bw, " (%d without a recorded path)", unnamed)
		}
	}
	bw.WriteString(".")
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
	if len(skipped)+unnamed > 0 {
		bw.WriteString("> [!WARNING]\n> Files that were not scanned may hold secrets. " + markdownCell(skipAdvice(skipped)) + "\n\n")
	}
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
				secret := codeCell(f.Secret)
				if b := statusLabel(f.Verification); b == "LIVE" || b == "REVOKED" {
					secret += " **" + b + "**"
				}
				fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n",
					markdownCell(string(f.Severity)), markdownCell(f.RuleID), markdownCell(f.Provider),
					secret, markdownCell(loc), markdownCell(remediation(f)+verificationNote(f)))
			}
		}
		bw.WriteString("\nSecrets are redacted. Revoke and rotate every key that was pushed: deleting it from the branch does not make it secret again.\n")
	}
	return bw.Flush()
}

// maxListed is how many skipped files the step summary names inline.
const maxListed = 10

// skippedList names up to limit skipped files with their reasons, as
// escaped Markdown: "big.bin (too-large), … and 3 more".
func skippedList(skipped []scanner.SkippedFile, limit int) string {
	parts := make([]string, 0, min(len(skipped), limit)+1)
	for i, s := range skipped {
		if i == limit {
			parts = append(parts, fmt.Sprintf("and %d more (see the warnings on the files)", len(skipped)-i))
			break
		}
		parts = append(parts, markdownCell(s.Path)+" ("+markdownCell(s.Reason)+")")
	}
	return strings.Join(parts, ", ")
}

// markdownCell makes text safe inside a Markdown table cell or paragraph:
// control characters escaped by [Sanitize]; HTML-significant characters
// written as entities, so no tag can be injected; and the characters that
// start Markdown markup (emphasis, code spans, links and images, table
// cells, headings) escaped with a backslash, so a file name such as
// "a|b" or "[x](javascript:…)" is shown as text and cannot break the table.
func markdownCell(s string) string {
	s = Sanitize(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\\', '`', '*', '_', '[', ']', '|', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeCell shows s as a Markdown code span inside a table cell. In a code
// span, entities and backslash escapes are shown as they are, so only what
// could end the span or the cell is changed: backticks become quotes, and
// pipes and backslashes are escaped (GitHub splits table cells before it
// reads code spans), so a secret shows with its backslashes doubled.
func codeCell(s string) string {
	return "`" + strings.NewReplacer("`", "'", "|", `\|`, `\`, `\\`).Replace(Sanitize(s)) + "`"
}
