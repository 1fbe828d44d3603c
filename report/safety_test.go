package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// hostileValues are attacks on the outputs, one per entry, each with
// relatives: another line break, another escape, another spelling of the
// same injection. Every field of a finding gets every one of them.
var hostileValues = []string{
	// New lines that start a workflow command when the output is printed
	// in a GitHub Actions step.
	"evil\n::error title=pwned::owned.txt",
	"evil\r::warning::x",
	"a\r\n  ::add-mask::x",
	"x\u2028::error::y",  // line separator
	"x\u2029::error::y",  // paragraph separator
	"x\u0085::notice::y", // NEL, a C1 line break
	"x\v\f::error::y",    // vertical tab, form feed
	"::error file=a::b",  // at the start of a value
	"\t ::set-output::x", // after white space
	"##[error]x",         // the older command syntax
	"%0A::error::x%0D",   // already percent-escaped
	"tok\n::stop-commands::tok\n::error::x",
	// Terminal escape sequences, 7-bit and 8-bit.
	"\x1b[31mred\x1b[0m",
	"\x1b]0;title\x07",
	"\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
	"\u009b31m\u009d0;t\u009c",
	"\x9b31m raw byte",
	"\x00nul\x7fdel\x08bs",
	// Text that reorders itself (Trojan Source).
	"safe\u202Etxt.exe",
	"\u202A\u202B\u202C\u202D",
	"\u2066x\u2067y\u2068z\u2069",
	"\u200E\u200F\u061C",
	"\xff\xfe not UTF-8 \xc0",
	// Spreadsheet formulas.
	"=cmd|' /C calc'!A0",
	"+1+1", "-2+3", "@SUM(A1)", " =1+1", "\t=1", "\r=1", "\uFF1D1+1", "\uFF20SUM(1)",
	// Markdown and HTML.
	"a|b|c", "`code` span", "<script>alert(1)</script>", "[x](javascript:alert(1))",
	"![img](https://evil.example/x.png)", "<img src=x onerror=alert(1)>", "&lt;b&gt;", "\\|",
	"*bold* _it_ ~strike~", "</td></tr><tr><td>", "\">'<svg onload=alert(1)>",
	// Literal escapes, which must stay readable.
	`\x1b[31m`, `\u{202E}`,
}

// hostileFields are the values of one hostile finding.
type hostileFields struct {
	Path, Author, Email, Message, Description, Secret, Excerpt, RuleID, Provider, Remediation, Reason string
}

// set returns f with the field named by i set to v.
func (f hostileFields) set(i int, v string) hostileFields {
	p := []*string{&f.Path, &f.Author, &f.Email, &f.Message, &f.Description, &f.Secret, &f.Excerpt, &f.RuleID, &f.Provider, &f.Remediation, &f.Reason}
	*p[i%len(p)] = v
	return f
}

const hostileFieldCount = 11

func benignFields() hostileFields {
	return hostileFields{
		Path: "app/config.py", Author: "Ada", Email: "ada@example.com", Message: "add config",
		Description: "GitHub token", Secret: "ghp_…", Excerpt: "TOKEN = \"ghp_…\"", RuleID: "github-pat",
		Provider: "GitHub", Remediation: "Revoke it.", Reason: "too-large",
	}
}

// hostileInput builds findings (one from history with a commit, one from
// the working tree), a summary and skipped files from f.
func hostileInput(f hostileFields) ([]scanner.Finding, scanner.Summary, []scanner.SkippedFile) {
	date := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	fs := []scanner.Finding{{
		RuleID: f.RuleID, Description: f.Description, Provider: f.Provider, Severity: rules.High,
		Secret: f.Secret, Fingerprint: "c0ffee", Entropy: 4, Remediation: f.Remediation, Exposure: f.Message,
		Locations: []scanner.Location{
			{Path: f.Path, Line: 3, Column: 2, EndLine: 3, EndColumn: 9, Commit: "0123456789abcdef0123456789abcdef01234567",
				Author: f.Author, Email: f.Email, Date: date, Message: f.Message, LineExcerpt: f.Excerpt},
			{Path: f.Path + "2", Line: 1, Column: 1, EndLine: 1, EndColumn: 5, LineExcerpt: f.Excerpt},
		},
	}, {
		RuleID: f.RuleID + "-b", Description: f.Description, Severity: rules.Severity(f.Reason), Secret: f.Secret,
		Fingerprint: "c0ffef", Locations: []scanner.Location{{Path: f.Author, Line: 1, Column: 1}},
	}}
	skipped := []scanner.SkippedFile{{Path: f.Path, Reason: f.Reason}, {Path: f.Email, Reason: "too-large"}}
	sum := scanner.Summary{
		Files: 2, Bytes: 100, Findings: 2, BySeverity: map[rules.Severity]int{rules.High: 1, rules.Severity(f.Reason): 1},
		Skipped: map[string]int{f.Reason: 1, "too-large": 1}, SkippedFiles: skipped,
		Silenced: map[string]int{f.Reason: 1}, Rejected: map[string]int{f.Reason: 2}, Warnings: 1,
	}
	return fs, sum, skipped
}

// output kinds, which decide what syntax of its own an output may have.
const (
	kindText        = "text"
	kindAnnotations = "annotations"
	kindMarkdown    = "markdown"
	kindCSV         = "csv"
	kindJSON        = "json"
	kindJSONL       = "jsonl"
	kindHTML        = "html"
)

// renderAll renders f in every output keylint prints or writes that want
// selects by name.
func renderAll(t testing.TB, f hostileFields, want func(name string) bool) map[string]string {
	t.Helper()
	fs, sum, skipped := hostileInput(f)
	out := map[string]string{}
	for _, format := range Formats() {
		if !want(format) {
			continue
		}
		r, err := New(format, Options{ToolVersion: "v1"})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.Report(&buf, fs, sum); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out[format] = buf.String()
	}
	var buf bytes.Buffer
	if err := newTextReporter(Options{Color: true}).Report(&buf, fs, sum); err != nil {
		t.Fatal(err)
	}
	if err := WriteSummary(&buf, sum, Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	// keylint's own colours are the only escape sequences allowed.
	out["text-color"] = sgr.ReplaceAllString(buf.String(), "")
	buf.Reset()
	if err := WriteAnnotations(&buf, fs); err != nil {
		t.Fatal(err)
	}
	if err := WriteSkippedAnnotations(&buf, skipped); err != nil {
		t.Fatal(err)
	}
	out["annotations"] = buf.String()
	buf.Reset()
	if err := WriteStepSummary(&buf, fs, sum, []string{"a note about " + f.Path}, skipped, 1); err != nil {
		t.Fatal(err)
	}
	out["step-summary"] = buf.String()
	buf.Reset()
	if err := WriteSummary(&buf, sum, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteSkipped(&buf, skipped, 1); err != nil {
		t.Fatal(err)
	}
	out["summary"] = buf.String()
	return out
}

// kindOf maps an output to its kind.
func kindOf(name string) string {
	switch name {
	case "text", "summary", "text-color", "compact":
		return kindText
	case "annotations":
		return kindAnnotations
	case "step-summary":
		return kindMarkdown
	case "csv":
		return kindCSV
	case "json", "sarif":
		return kindJSON
	case "jsonl":
		return kindJSONL
	case "html":
		return kindHTML
	}
	panic("unknown output " + name)
}

// sgr matches the colour escape sequences keylint writes itself.
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// ownCommand is the only workflow command an output may start a line with:
// keylint's own annotation, whose properties cannot hold ':' or ','.
var ownCommand = regexp.MustCompile(`^::(error|warning|notice) file=[^,:]*(,line=\d+,col=\d+,endLine=\d+,endColumn=\d+)?,title=[^,:]*::`)

// unsafeInText reports whether r must never appear raw in an output: a
// control character other than the line feed, DEL, a C1 control, a line or
// paragraph separator, or a bidirectional control.
func unsafeInText(r rune) bool {
	switch {
	case r < 0x20 && r != '\n', r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	case r >= 0x2028 && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// checkOutput checks one output against the safety properties of every
// output and those of its kind. It returns the problems found.
func checkOutput(name, out string, wantAnnotations int) []string {
	var bad []string
	kind := kindOf(name)
	if !utf8.ValidString(out) {
		bad = append(bad, "output is not valid UTF-8")
	}
	for i, r := range out {
		if unsafeInText(r) {
			bad = append(bad, fmt.Sprintf("raw %U at byte %d", r, i))
			break
		}
	}
	annotations := 0
	for n, line := range strings.Split(out, "\n") {
		t := strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(t, "::") && !strings.HasPrefix(t, "##[") {
			continue
		}
		if kind == kindAnnotations && ownCommand.MatchString(line) {
			annotations++
			continue
		}
		bad = append(bad, fmt.Sprintf("line %d is a workflow command: %q", n+1, line))
	}
	if kind == kindAnnotations && annotations != wantAnnotations {
		bad = append(bad, fmt.Sprintf("%d annotations, want %d", annotations, wantAnnotations))
	}
	switch kind {
	case kindCSV:
		bad = append(bad, checkCSV(out)...)
	case kindJSON:
		if !json.Valid([]byte(out)) {
			bad = append(bad, "invalid JSON")
		}
	case kindJSONL:
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if !json.Valid([]byte(l)) {
				bad = append(bad, "invalid JSON line "+l)
			}
		}
	case kindMarkdown:
		bad = append(bad, checkMarkdown(out)...)
	case kindHTML:
		bad = append(bad, checkHTMLStructure(out)...)
	}
	return bad
}

// checkCSV checks that the csv output parses into whole rows of 15 cells
// and that no cell would be read as a formula.
func checkCSV(out string) []string {
	var bad []string
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		return []string{"csv does not parse: " + err.Error()}
	}
	if len(recs) != 1+3 { // header, two locations, one more finding
		bad = append(bad, fmt.Sprintf("%d csv rows, want 4", len(recs)))
	}
	for _, rec := range recs {
		if len(rec) != len(csvHeader) {
			bad = append(bad, fmt.Sprintf("csv row of %d cells", len(rec)))
		}
		for _, c := range rec {
			t := strings.TrimLeft(c, " \u00A0\u3000")
			if t != "" && strings.ContainsRune("=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20", []rune(t)[0]) {
				bad = append(bad, fmt.Sprintf("csv cell %q starts a formula", c))
			}
		}
	}
	return bad
}

// checkMarkdown checks that every table row of the step summary has its 6
// cells, and that no value adds markup: outside the secret's code span,
// every backtick, bracket, '<' and '>' is escaped.
func checkMarkdown(out string) []string {
	var bad []string
	for n, line := range strings.Split(out, "\n") {
		if line == "> [!WARNING]" || line == "" {
			continue
		}
		cells := splitUnescaped(line, '|')
		if strings.HasPrefix(line, "|") {
			if len(cells) != 8 || cells[0] != "" || cells[7] != "" {
				bad = append(bad, fmt.Sprintf("line %d: table row of %d cells: %q", n+1, len(cells)-2, line))
				continue
			}
			cells = cells[1:7]
		} else {
			if len(cells) != 1 {
				bad = append(bad, fmt.Sprintf("line %d: unescaped pipe outside the table: %q", n+1, line))
			}
			cells = []string{strings.TrimPrefix(strings.TrimPrefix(line, "## "), "> ")}
		}
		for _, c := range cells {
			c = strings.TrimSpace(c)
			if len(c) >= 2 && c[0] == '`' && c[len(c)-1] == '`' && !strings.Contains(c[1:len(c)-1], "`") {
				continue // a code span: nothing in it is markup
			}
			if r, ok := firstUnescaped(c, "`[]<>"); ok {
				bad = append(bad, fmt.Sprintf("line %d: raw %q in %q", n+1, r, c))
			}
		}
	}
	return bad
}

// splitUnescaped splits s at every sep not escaped by a backslash.
func splitUnescaped(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// firstUnescaped returns the first byte of s from set not escaped by a
// backslash.
func firstUnescaped(s, set string) (byte, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.IndexByte(set, s[i]) >= 0 {
			return s[i], true
		}
	}
	return 0, false
}

// checkHTMLStructure checks that every '<' of the html report opens one of
// its own elements, with no event handler or script URL.
func checkHTMLStructure(out string) []string {
	var bad []string
	body := strings.TrimPrefix(styleRE.ReplaceAllString(out, "<style></style>"), "<!DOCTYPE html>")
	tags := tagRE.FindAllStringSubmatch(body, -1)
	if n := strings.Count(body, "<"); n != len(tags) {
		bad = append(bad, fmt.Sprintf("%d '<' but %d tags", n, len(tags)))
	}
	for _, m := range tags {
		if !allowedTags[strings.ToLower(m[2])] {
			bad = append(bad, "element <"+m[2]+">")
		}
		for _, a := range attrRE.FindAllStringSubmatch(m[3], -1) {
			key, val := strings.ToLower(a[1]), strings.ToLower(a[2])
			if strings.HasPrefix(key, "on") || strings.Contains(val, "javascript:") || key == "src" {
				bad = append(bad, fmt.Sprintf("attribute %s=%q", key, a[2]))
			}
		}
	}
	return bad
}

// checkAll renders f in the outputs want selects and reports every broken
// property.
func checkAll(t testing.TB, f hostileFields, want func(name string) bool) {
	t.Helper()
	for name, out := range renderAll(t, f, want) {
		if !want(name) {
			continue
		}
		for _, p := range checkOutput(name, out, 3+2) {
			t.Errorf("%s output, input %+q: %s\n%s", name, f, p, out)
		}
	}
}

// TestHostileOutputIsSafe puts every hostile value in every field a scan
// result carries (path, author, email, commit message, rule id and
// description from a custom configuration, provider, remediation, secret
// and excerpt, skip reason) and checks every output keylint prints or
// writes: no raw control, C1, bidi or line-separator character; no line
// that is a workflow command other than keylint's own annotations; CSV rows
// whole and free of formulas; Markdown tables whole and free of markup;
// HTML free of injected elements.
func TestHostileOutputIsSafe(t *testing.T) {
	t.Parallel()
	for field := range hostileFieldCount {
		for _, v := range hostileValues {
			checkAll(t, benignFields().set(field, v), func(string) bool { return true })
		}
	}
}

// FuzzOutputsAreSafe checks the properties of TestHostileOutputIsSafe for
// any values, in every output but html (FuzzHTMLIsSafe), which takes a
// hundred times longer to render.
func FuzzOutputsAreSafe(f *testing.F) {
	fuzzOutputs(f, func(name string) bool { return name != "html" })
}

// FuzzHTMLIsSafe is FuzzOutputsAreSafe for the html report.
func FuzzHTMLIsSafe(f *testing.F) {
	fuzzOutputs(f, func(name string) bool { return name == "html" })
}

func fuzzOutputs(f *testing.F, want func(string) bool) {
	for i, v := range hostileValues {
		b := benignFields().set(i, v)
		f.Add(b.Path, b.Author, b.Email, b.Message, b.Description, b.Secret, b.Excerpt, b.RuleID, b.Provider, b.Remediation, b.Reason)
	}
	f.Fuzz(func(t *testing.T, path, author, email, message, description, secret, excerpt, ruleID, provider, remediation, reason string) {
		checkAll(t, hostileFields{path, author, email, message, description, secret, excerpt, ruleID, provider, remediation, reason}, want)
	})
}

// TestMarkdownCell pins the escaping of Markdown table cells.
func TestMarkdownCell(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"a.go", "a.go"},
		{"a|b", `a\|b`},
		{"<script>", "&lt;script&gt;"},
		{"[x](javascript:alert(1))", `\[x\](javascript:alert(1))`},
		{"`x`", "\\`x\\`"},
		{"my_file*.go", `my\_file\*.go`},
		{"a\nb", `a\\x0Ab`},
		{`a\|b`, `a\\\|b`},
	}
	for _, tt := range tests {
		if got := markdownCell(tt.in); got != tt.want {
			t.Errorf("markdownCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
