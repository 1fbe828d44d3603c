// Package scanner turns sources of content (a directory walk, stdin, git
// history, a staged change) into findings. It runs a bounded pool of
// workers, skips oversized content, sniffs the first bytes of each item
// (UTF-8, UTF-8 with a BOM and UTF-16 are decoded to text; binary content
// is read through its printable strings by the distinctive rules; zip
// archives and gzip data are opened, within bounds), reads files in bounded windows,
// hands text to the [rules.Matcher], locates each match (line, column,
// excerpt), filters
// (inline allows, allowlists, added lines) and groups matches into one
// [Finding] per distinct secret per rule.
//
// It never prints: warnings and counts come back in the [Result], and the
// report package renders them.
package scanner
