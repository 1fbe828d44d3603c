// Package report turns a scan's findings into output: one writer per format
// (text, json, jsonl, sarif, csv) and a short end-of-run summary.
//
// It is the last stage of keylint's pipeline. It receives finished
// [scanner.Finding] values and a [scanner.Summary], and writes them to a
// caller-owned [io.Writer]. It never scans, never reads files or git
// objects, never decides whether colour is wanted (the caller says so in
// [Options]) and never touches global state: two reporters with different
// options can run side by side.
//
// Output is deterministic: the same findings give byte-identical output,
// whatever order the scanner produced them in. Reporters order findings by
// their first location (path, line, column), then rule id and fingerprint,
// and never range over a map without sorting its keys. The summary's
// duration is the one value that changes from run to run.
//
// Output is also safe. The text format and the summary are meant for a
// terminal, so every value they print passes through [Sanitize], which makes
// control characters, C1 controls, line separators and bidirectional
// overrides visible instead of letting a crafted file name or line inject
// escape sequences. The JSON-based formats escape the same characters as
// \uXXXX inside their strings. The csv format escapes them as the text
// format does and neutralises cells that a spreadsheet would read as a
// formula; the GitHub step summary escapes Markdown and HTML too; the html
// format escapes them after html/template's escaping. No format starts a
// line with a GitHub workflow command ("::", "##[") except keylint's own
// annotations.
//
// Secrets are printed exactly as [scanner.Finding.Secret] holds them:
// redaction is the scanner's job, and the reporters never see more than it
// decided to show.
package report
