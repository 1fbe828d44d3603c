package triage

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/keylint/keylint/rules/gitleaks"
	"github.com/keylint/keylint/scanner"
)

// GitleaksIgnore is a parsed .gitleaksignore file: gitleaks finding
// fingerprints, one a line, in either of gitleaks' two forms:
//
//	commit:file:rule-id:start-line   ignores the finding in that commit only
//	file:rule-id:start-line          ignores it wherever the file is scanned
//
// Blank lines and lines starting with "#" are skipped; backslashes in paths
// are read as slashes, as gitleaks does. Rule ids are gitleaks ids, compared
// after mapping them to keylint's ids (see [gitleaks.RuleIDs]).
//
// These fingerprints are keyed on line numbers, so they break when code
// moves; keylint's own baseline does not. A GitleaksIgnore is only read
// after parsing and is safe for concurrent use.
type GitleaksIgnore struct {
	entries map[ignoreKey][]ignoreRule
	// Invalid describes the lines that are not fingerprints ("line 3: ...");
	// they are skipped, and the rest of the file is still used.
	Invalid []string
	n       int
}

// ignoreKey is everything before the rule id (a path, or commit:path) and
// the start line.
type ignoreKey struct {
	prefix string
	line   int
}

// ignoreRule is a fingerprint's rule id and the keylint ids it stands for.
type ignoreRule struct {
	gitleaks string
	keylint  []string
	// line and text are where the fingerprint is in the file.
	line int
	text string
}

func (r ignoreRule) matches(id string) bool {
	if id == r.gitleaks {
		return true
	}
	for _, k := range r.keylint {
		if k == id {
			return true
		}
	}
	return false
}

// ParseGitleaksIgnore reads a .gitleaksignore file. Lines that are not
// fingerprints are listed in Invalid rather than failing the parse; the
// error is only for a failed read.
func ParseGitleaksIgnore(r io.Reader) (*GitleaksIgnore, error) {
	g := &GitleaksIgnore{entries: map[ignoreKey][]ignoreRule{}}
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read .gitleaksignore: %w", err)
		}
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		g.add(n, line)
		if err != nil {
			return g, nil
		}
	}
}

func (g *GitleaksIgnore) add(n int, line string) {
	line = strings.TrimSpace(line) // also drops a Windows "\r"
	if line == "" || strings.HasPrefix(line, "#") {
		return
	}
	// Fingerprints end in :rule-id:start-line. Parse from the right so a
	// colon in a path (a Windows drive letter) stays part of the path.
	fp := strings.ReplaceAll(line, `\`, "/")
	lineSep := strings.LastIndexByte(fp, ':')
	ruleSep := -1
	if lineSep > 0 {
		ruleSep = strings.LastIndexByte(fp[:lineSep], ':')
	}
	if ruleSep <= 0 || ruleSep == lineSep-1 {
		g.invalid(n, line)
		return
	}
	start, err := strconv.ParseUint(fp[lineSep+1:], 10, 31)
	if err != nil {
		g.invalid(n, line)
		return
	}
	id := fp[ruleSep+1 : lineSep]
	k := ignoreKey{prefix: cleanPrefix(fp[:ruleSep]), line: int(start)}
	for _, r := range g.entries[k] {
		if r.gitleaks == id {
			return // a duplicate line
		}
	}
	g.entries[k] = append(g.entries[k], ignoreRule{gitleaks: id, keylint: gitleaks.RuleIDs(id), line: n, text: line})
	g.n++
}

func (g *GitleaksIgnore) invalid(n int, line string) {
	const maxShown = 120
	if len(line) > maxShown {
		line = line[:maxShown] + "..."
	}
	g.Invalid = append(g.Invalid, fmt.Sprintf("line %d: %q is not a gitleaks fingerprint (commit:file:rule-id:start-line or file:rule-id:start-line)", n, line))
}

// Len returns the number of fingerprints.
func (g *GitleaksIgnore) Len() int {
	if g == nil {
		return 0
	}
	return g.n
}

// Ignores reports whether a fingerprint names a finding of the rule at the
// location: same path and start line, and the same commit when the
// fingerprint has one. A fingerprint without a commit matches in any commit
// and in plain file scans; one with a commit matches only findings from
// that commit.
func (g *GitleaksIgnore) Ignores(ruleID string, loc scanner.Location) bool {
	if g == nil || len(g.entries) == 0 {
		return false
	}
	path := cleanPath(loc.Path)
	if g.match(ignoreKey{cleanPrefix(path), loc.Line}, ruleID) {
		return true
	}
	return loc.Commit != "" && g.match(ignoreKey{loc.Commit + ":" + path, loc.Line}, ruleID)
}

// Unmatched returns the fingerprints that name none of the findings'
// locations, as "line N: fingerprint", in file order: after a scan of
// everything, they are stale (the code moved, or the secret is gone).
func (g *GitleaksIgnore) Unmatched(fs []scanner.Finding) []string {
	if g == nil {
		return nil
	}
	type hit struct {
		k  ignoreKey
		id string
	}
	used := map[hit]bool{}
	for _, f := range fs {
		for _, loc := range f.Locations {
			path := cleanPath(loc.Path)
			keys := []ignoreKey{{cleanPrefix(path), loc.Line}}
			if loc.Commit != "" {
				keys = append(keys, ignoreKey{loc.Commit + ":" + path, loc.Line})
			}
			for _, k := range keys {
				for _, r := range g.entries[k] {
					if r.matches(f.RuleID) {
						used[hit{k, r.gitleaks}] = true
					}
				}
			}
		}
	}
	type entry struct {
		line int
		text string
	}
	var out []entry
	for k, rs := range g.entries {
		for _, r := range rs {
			if !used[hit{k, r.gitleaks}] {
				out = append(out, entry{r.line, r.text})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].line < out[j].line })
	lines := make([]string, len(out))
	for i, e := range out {
		lines[i] = fmt.Sprintf("line %d: %s", e.line, e.text)
	}
	return lines
}

func (g *GitleaksIgnore) match(k ignoreKey, ruleID string) bool {
	for _, r := range g.entries[k] {
		if r.matches(ruleID) {
			return true
		}
	}
	return false
}

// cleanPrefix cleans the path of what precedes a fingerprint's rule id:
// a path, or a commit, a colon and a path.
func cleanPrefix(p string) string {
	if commit, path, ok := strings.Cut(p, ":"); ok && isCommitHash(commit) {
		return commit + ":" + cleanPath(path)
	}
	return cleanPath(p)
}

func isCommitHash(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// cleanPath makes paths of fingerprints and findings comparable: slashes
// only, no leading "./".
func cleanPath(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	return p
}
