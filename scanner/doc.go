// Package scanner turns sources of content (a directory walk, stdin, git
// history, a staged change) into findings. It runs a bounded pool of
// workers, skips binary and oversized content, hands bytes to the
// [rules.Matcher], locates each match (line, column, excerpt), filters
// (inline allows, allowlists, added lines) and groups matches into one
// [Finding] per distinct secret per rule.
//
// It never prints: warnings and counts come back in the [Result], and the
// report package renders them.
package scanner
