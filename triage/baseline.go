package triage

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/keylint/keylint/scanner"
)

// BaselineHeader starts every baseline file.
const BaselineHeader = "# keylint baseline: findings judged and accepted. One entry per line:\n" +
	"# <fingerprint> <rule-id> <path>. The fingerprint is a hash of the rule id and\n" +
	"# the secret; this file never contains a secret. Regenerate with `keylint baseline`,\n" +
	"# drop stale entries with `keylint baseline --prune`.\n"

// BaselineEntry accepts one secret (by fingerprint) at one path. Entries
// are not keyed on line numbers, so moving code never invalidates them, and
// a different secret on the same line is still reported.
type BaselineEntry struct {
	Fingerprint string
	RuleID      string
	Path        string
}

func (e BaselineEntry) String() string {
	p := e.Path
	if p == "" || strings.ContainsAny(p, "\"\\\n\r\t") || p != strings.TrimSpace(p) || !strconv.CanBackquote(p) {
		p = strconv.Quote(p)
	}
	return e.Fingerprint + " " + e.RuleID + " " + p
}

// Baseline is a set of accepted findings.
type Baseline struct {
	entries map[BaselineEntry]bool
}

// NewBaseline records every location of every finding.
func NewBaseline(fs []scanner.Finding) *Baseline {
	b := &Baseline{entries: map[BaselineEntry]bool{}}
	for _, f := range fs {
		for _, l := range f.Locations {
			b.entries[BaselineEntry{f.Fingerprint, f.RuleID, l.Path}] = true
		}
	}
	return b
}

// ParseBaseline reads a baseline file. Comment and blank lines are
// ignored; a malformed line is an error naming its line number.
func ParseBaseline(r io.Reader) (*Baseline, error) {
	b := &Baseline{entries: map[BaselineEntry]bool{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		fp, rest, ok1 := strings.Cut(line, " ")
		id, path, ok2 := strings.Cut(rest, " ")
		if !ok1 || !ok2 || len(fp) != 32 || !isHex(fp) || id == "" || path == "" {
			return nil, fmt.Errorf("baseline line %d: want \"<fingerprint> <rule-id> <path>\"", n)
		}
		if strings.HasPrefix(path, `"`) {
			p, err := strconv.Unquote(path)
			if err != nil {
				return nil, fmt.Errorf("baseline line %d: bad quoted path: %w", n, err)
			}
			path = p
		}
		b.entries[BaselineEntry{fp, id, path}] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	return b, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Entries returns the entries sorted by path, rule id, fingerprint.
func (b *Baseline) Entries() []BaselineEntry {
	out := make([]BaselineEntry, 0, len(b.entries))
	for e := range b.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if a.Path != c.Path {
			return a.Path < c.Path
		}
		if a.RuleID != c.RuleID {
			return a.RuleID < c.RuleID
		}
		return a.Fingerprint < c.Fingerprint
	})
	return out
}

// WriteTo writes the baseline: a fixed header and sorted entries, no
// timestamps, so that two branches that each add entries merge cleanly.
func (b *Baseline) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	buf.WriteString(BaselineHeader)
	for _, e := range b.Entries() {
		buf.WriteString(e.String())
		buf.WriteByte('\n')
	}
	return buf.WriteTo(w)
}

// Len is the number of entries.
func (b *Baseline) Len() int { return len(b.entries) }

// Filter removes baselined locations from findings. A finding whose every
// location is baselined disappears; it returns the kept findings, how many
// locations were baselined (also of findings that keep others), and the
// entries that matched nothing
// (stale: the secret is gone from that path, or the rule changed).
func (b *Baseline) Filter(fs []scanner.Finding) (kept []scanner.Finding, silenced int, stale []BaselineEntry) {
	used := map[BaselineEntry]bool{}
	for _, f := range fs {
		var locs []scanner.Location
		for _, l := range f.Locations {
			e := BaselineEntry{f.Fingerprint, f.RuleID, l.Path}
			if b.entries[e] {
				used[e] = true
				continue
			}
			locs = append(locs, l)
		}
		silenced += len(f.Locations) - len(locs)
		if len(locs) == 0 {
			continue
		}
		f.Locations = locs
		kept = append(kept, f)
	}
	for _, e := range b.Entries() {
		if !used[e] {
			stale = append(stale, e)
		}
	}
	return kept, silenced, stale
}

// Prune returns a baseline without the given stale entries.
func (b *Baseline) Prune(stale []BaselineEntry) *Baseline {
	out := &Baseline{entries: map[BaselineEntry]bool{}}
	drop := map[BaselineEntry]bool{}
	for _, e := range stale {
		drop[e] = true
	}
	for e := range b.entries {
		if !drop[e] {
			out.entries[e] = true
		}
	}
	return out
}

// RecordBaseline makes the baseline `keylint baseline` writes: the
// findings of res, or with prune the baseline read from path without the
// entries res no longer finds (returned as stale). An incomplete scan
// cannot prune: what it could not read would look stale and be dropped.
func RecordBaseline(ctx context.Context, res *scanner.Result, path string, prune bool) (b *Baseline, stale []BaselineEntry, err error) {
	if !prune {
		return NewBaseline(res.Findings), nil, nil
	}
	if incomplete := Incomplete(res, ""); incomplete != nil {
		return nil, nil, fmt.Errorf("%w; the baseline was not pruned", incomplete)
	}
	old, err := ReadBaseline(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	_, _, stale = old.Filter(res.Findings)
	return old.Prune(stale), stale, nil
}
