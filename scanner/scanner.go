package scanner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keylint/keylint/rules"
)

// DefaultMaxFileSize is the size above which files are skipped.
const DefaultMaxFileSize = 10 << 20

// Options configure a [Scanner]. The zero value is usable.
type Options struct {
	// Workers bounds the number of items scanned at once (default: CPUs).
	Workers int
	// MaxFileSize skips larger items (default [DefaultMaxFileSize]).
	MaxFileSize int64
	// ShowSecrets puts whole secrets in findings and excerpts instead of
	// redacted ones.
	ShowSecrets bool
}

// Scanner runs a [rules.Matcher] over the items of a [Source].
type Scanner struct {
	m   *rules.Matcher
	opt Options
	// window is how much text one matcher pass sees (see DefaultWindow);
	// overlap and binOverlap are how much consecutive windows of text and
	// of binary content share: twice the longest match extent, in bytes
	// of text and (two per character in UTF-16 strings) of binary content.
	window, overlap, binOverlap int
	// peakBuf is the largest buffer an item scan allocated.
	peakBuf atomic.Int64
	// locWork, when set (by tests), adds up the bytes Locate searched.
	locWork *atomic.Int64
}

// New returns a Scanner. The matcher is shared by every worker.
func New(m *rules.Matcher, opt Options) *Scanner {
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	// The distinctive rules are a subset: the bound of all rules holds for
	// them, and the distinctive matcher is not built until a binary file
	// needs it (a hook's start-up should not pay for it).
	ext := m.MaxExtent()
	s := &Scanner{m: m, opt: opt, overlap: 2 * ext, binOverlap: 4 * ext}
	s.window = max(DefaultWindow, 4*max(s.overlap, s.binOverlap))
	return s
}

// Warning is a problem with one item that did not stop the scan. Unless
// Expected is set, what it names could not be scanned: the scan is
// incomplete (see [Result.Incomplete]).
type Warning struct {
	Path string
	Err  error
	// Expected marks a gap that is what the repository is, not damage: a
	// shallow clone's boundary, a partial clone's blobs not fetched.
	Expected bool
}

func (w Warning) Error() string { return w.Path + ": " + w.Err.Error() }

// Unscanned reports whether the warning names something that could not be
// scanned: neither an Expected gap nor a file whose findings were cut
// short at the per-rule limit (that file was scanned, and its warning
// says so loudly).
func (w Warning) Unscanned() bool {
	var ce *CapError
	return !w.Expected && !errors.As(w.Err, &ce)
}

// Incomplete returns the warnings that name what could not be scanned
// ([Warning.Unscanned]: an unreadable file or directory, a damaged
// repository). A scan with any is incomplete, however many findings it
// has.
func (r *Result) Incomplete() []Warning {
	var out []Warning
	for _, w := range r.Warnings {
		if w.Unscanned() {
			out = append(out, w)
		}
	}
	return out
}

// CapError is the warning for a file in which a rule reached
// [rules.MaxFindingsPerRule] findings: its further findings in that file
// were not reported.
type CapError struct {
	Rule  string
	Limit int
}

// Error says which rule was cut short and what to do about it.
func (e *CapError) Error() string {
	return fmt.Sprintf("rule %s found more than %d secrets in this file and reported only the first %d: "+
		"if the file is generated test data, exclude it with a path allowlist; otherwise remove the reported secrets and scan again to see the rest",
		e.Rule, e.Limit, e.Limit)
}

// Result is what a scan found, with counts of everything it skipped,
// silenced or rejected.
type Result struct {
	Findings []Finding
	Summary  Summary
	// Warnings are sorted by path.
	Warnings []Warning
	// Allowed lists the matches silenced by inline comments, sorted by
	// location (for --verbose, and for reviewers of a pull request).
	Allowed []Silenced
}

// Silenced is a match that was not reported, and why.
type Silenced struct {
	RuleID string
	Reason string
	Location
	// Added is set when the silenced match is on an added line of a change
	// (or the scan is not of a change).
	Added bool
}

// Recount recomputes the finding counts of the summary after findings were
// removed (by a baseline, say).
func (r *Result) Recount() {
	r.Summary.Findings = len(r.Findings)
	r.Summary.BySeverity = map[rules.Severity]int{}
	for _, f := range r.Findings {
		r.Summary.BySeverity[f.Severity]++
	}
}

// Hit is one located match before grouping into findings.
type Hit struct {
	Rule    *rules.Rule
	Secret  string
	Entropy float64
	Loc     Location
	InHead  bool
	// File marks a path-rule hit: Secret is the path, shown unredacted.
	File bool
	// Exposure says why the secret is readable by browsers ("" if not);
	// Raise is set when that makes the finding critical.
	Exposure string
	Raise    bool
}

// NewSummary returns an empty Summary with its maps made, for a source's
// scan to add up into.
func NewSummary() Summary {
	return Summary{
		BySeverity: map[rules.Severity]int{},
		Skipped:    map[string]int{},
		Silenced:   map[string]int{},
		Rejected:   map[string]int{},
		Capped:     map[string]int{},
	}
}

// Options returns the scanner's options, with the defaults [New] filled
// in.
func (s *Scanner) Options() Options { return s.opt }

// WithWorkers returns a Scanner like s (same matcher and options) with n
// workers, for a caller that shares its worker budget between several
// scans at once.
func (s *Scanner) WithWorkers(n int) *Scanner {
	opt := s.opt
	opt.Workers = n
	return New(s.m, opt)
}

// WithMatcher returns a Scanner like s (same options, same windows of
// text and overlaps) matching with m, a matcher narrowed from s's by
// [rules.Matcher.Only]: content is cut into the same windows as s cuts
// it, so m sees what s's matcher sees.
func (s *Scanner) WithMatcher(m *rules.Matcher) *Scanner {
	return &Scanner{m: m, opt: s.opt, window: s.window, overlap: s.overlap, binOverlap: s.binOverlap, locWork: s.locWork}
}

// Matcher returns the scanner's matcher.
func (s *Scanner) Matcher() *rules.Matcher { return s.m }

// PathAllowed reports whether a global allowlist silences every rule for
// path, so that a file there need not be read at all.
func (s *Scanner) PathAllowed(path string) bool { return s.m.PathAllowed(path) }

// ItemResult is what [Scanner.ScanItem] learned from one item.
type ItemResult struct {
	// Hits are the matches found, located.
	Hits []Hit
	// Skipped is the reason the item was not scanned ("binary",
	// "too-large", ...), or "".
	Skipped string
	// Warning is why the item could not be read, or nil.
	Warning error
	// Bytes is how much content was scanned.
	Bytes int64
	// Silenced counts matches silenced, by reason.
	Silenced map[string]int
	// Stats are the matcher's counts (candidates rejected, by reason).
	Stats rules.Stats
	// Extra lists skipped files inside the item (archive entries).
	Extra []SkippedFile
	// Capped has one error per rule that reached its finding limit.
	Capped []*CapError
	// Matches are the matches located into Hits when the item was read
	// whole and is UTF-8 text (nil otherwise, and when nothing matched):
	// [Scanner.Locate] of the item, its content and these matches gives
	// the same Hits again, without matching (a history cache replays
	// them).
	Matches []rules.Match
}

// ScanItem scans one item exactly as [Scanner.Scan] scans each item of a
// source (size and binary checks, path rules, matching, inline allows,
// locating), for a source that drives its own workers, such as the history
// scan. *bp is a buffer the scan may reuse and replace; it is never kept
// by the scanner.
func (s *Scanner) ScanItem(it Item, bp *[]byte) ItemResult {
	r := s.scanItem(it, bp)
	return ItemResult{Hits: r.hits, Skipped: r.skipped, Warning: r.warning, Bytes: r.bytes,
		Silenced: r.silenced, Stats: r.stats, Extra: r.extra, Capped: r.capped, Matches: r.matches}
}

// itemResult is what one worker learned from one item.
type itemResult struct {
	hits     []Hit
	skipped  string
	warning  error
	bytes    int64
	silenced map[string]int
	allowed  []Silenced
	stats    rules.Stats
	// extra lists skipped files inside the item (archive entries).
	extra   []SkippedFile
	capped  []*CapError   // one per rule that reached the limit
	matches []rules.Match // see ItemResult.Matches
}

// Scan scans every item of src and returns the grouped findings. It returns
// an error only when the source itself fails (an unreadable repository, a
// cancelled context); problems with single items are warnings.
func (s *Scanner) Scan(ctx context.Context, src Source) (*Result, error) {
	start := time.Now()
	res := &Result{Summary: NewSummary()}
	var (
		mu   sync.Mutex
		hits []Hit
	)
	bufs := sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}
	// A fixed set of workers, each keeping its goroutine (and grown stack)
	// for every item it takes. No item can fail the scan (its problems are
	// warnings), so the workers return nothing; a cancelled context stops
	// the source and makes the workers pass over what is still queued.
	items := make(chan Item)
	var wg sync.WaitGroup
	for range s.opt.Workers {
		wg.Go(func() {
			for it := range items {
				if ctx.Err() != nil {
					continue
				}
				s.collect(it, &bufs, &mu, res, &hits)
			}
		})
	}
	srcErr := src.Items(ctx, func(it Item) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case items <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(items)
	wg.Wait()
	if srcErr == nil {
		srcErr = ctx.Err()
	}
	if srcErr != nil {
		return nil, srcErr
	}
	res.Findings = Group(hits, s.opt.ShowSecrets)
	res.Recount()
	sort.Slice(res.Warnings, func(i, j int) bool { return res.Warnings[i].Path < res.Warnings[j].Path })
	sort.Slice(res.Summary.SkippedFiles, func(i, j int) bool {
		a, b := res.Summary.SkippedFiles[i], res.Summary.SkippedFiles[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Reason < b.Reason
	})
	sort.Slice(res.Allowed, func(i, j int) bool {
		if res.Allowed[i].Location != res.Allowed[j].Location {
			return locLess(res.Allowed[i].Location, res.Allowed[j].Location)
		}
		return res.Allowed[i].RuleID < res.Allowed[j].RuleID
	})
	res.Summary.Warnings = len(res.Warnings)
	res.Summary.Duration = time.Since(start)
	return res, nil
}

// collect scans one item and adds what it found to res and hits under mu.
func (s *Scanner) collect(it Item, bufs *sync.Pool, mu *sync.Mutex, res *Result, hits *[]Hit) {
	bp := bufs.Get().(*[]byte)
	r := s.scanItem(it, bp)
	bufs.Put(bp)
	mu.Lock()
	defer mu.Unlock()
	switch {
	case r.warning != nil:
		res.Warnings = append(res.Warnings, Warning{Path: it.Path, Err: r.warning})
		// Listed as skipped too, so that a summary of skips
		// names every file that was not read in full.
		res.Summary.Skipped["unreadable"]++
		res.Summary.SkippedFiles = append(res.Summary.SkippedFiles, SkippedFile{Path: it.Path, Reason: "unreadable"})
	case r.skipped != "":
		res.Summary.Skipped[r.skipped]++
		res.Summary.SkippedFiles = append(res.Summary.SkippedFiles, SkippedFile{Path: it.Path, Reason: r.skipped})
	default:
		res.Summary.Files++
		res.Summary.Bytes += r.bytes
	}
	for _, e := range r.extra {
		res.Summary.Skipped[e.Reason]++
		res.Summary.SkippedFiles = append(res.Summary.SkippedFiles, e)
	}
	for k, v := range r.silenced {
		res.Summary.Silenced[k] += v
	}
	res.Allowed = append(res.Allowed, r.allowed...)
	for k, v := range r.stats.Rejected {
		res.Summary.Rejected[k] += v
	}
	for _, c := range r.capped {
		res.Warnings = append(res.Warnings, Warning{Path: it.Path, Err: c})
		res.Summary.Capped[c.Rule]++
	}
	*hits = append(*hits, r.hits...)
}

func (s *Scanner) scanItem(it Item, bp *[]byte) itemResult {
	return s.scanItemAt(it, bp, 0, nil)
}

// scanItemAt scans an item that is depth archives deep, whose inflating
// is charged to b (nil outside archives).
func (s *Scanner) scanItemAt(it Item, bp *[]byte, depth int, b *budget) (r itemResult) {
	defer r.noteCapped()
	if s.m.PathAllowed(it.Path) {
		r.skipped = "allowlisted-path"
		return r
	}
	if it.Size > s.opt.MaxFileSize {
		r.skipped = "too-large"
		r.fileOnly(s, it)
		return r
	}
	if it.Open != nil {
		s.scanStream(it, bp, &r, depth, b)
		return r
	}
	data, err := it.Read((*bp)[:0], s.opt.MaxFileSize)
	if cap(data) > cap(*bp) && cap(data) <= 4*DefaultMaxFileSize {
		*bp = data[:0] // keep the grown buffer for the next item
	}
	if err != nil {
		var se *SkipError
		if errors.As(err, &se) {
			r.skipped = se.Reason
			if se.Reason == "too-large" {
				r.fileOnly(s, it)
			}
		} else {
			r.warning = err
		}
		return r
	}
	if int64(len(data)) > s.opt.MaxFileSize {
		r.skipped = "too-large"
		r.fileOnly(s, it)
		return r
	}
	s.scanContent(it, data, &r, depth, b)
	return r
}

// noteCapped turns each rule that reached [rules.MaxFindingsPerRule]
// findings in the item into a warning.
func (r *itemResult) noteCapped() {
	for _, id := range slices.Sorted(maps.Keys(r.stats.Capped)) {
		r.capped = append(r.capped, &CapError{Rule: id, Limit: rules.MaxFindingsPerRule})
	}
}

// fileOnly runs the path rules that need no content on an item that is not
// scanned (binary, oversized): committing such a file can be the leak.
func (r *itemResult) fileOnly(s *Scanner, it Item) {
	r.hits = s.Locate(it, nil, s.m.FindFile(it.Path, &r.stats), r.silence)
}

// Locate turns the matches found in one item's content into located hits:
// line and column, excerpt, commit attribution and browser exposure. It
// drops matches silenced by an inline comment or outside the item's added
// lines, reporting each through silence.
func (s *Scanner) Locate(it Item, data []byte, matches []rules.Match, silence func(Silenced)) []Hit {
	return s.locateIn(it, data, matches, silence, nil)
}

// locateIn is [Scanner.Locate] for data that is a piece of the item's
// content placed by org (nil: the whole content).
func (s *Scanner) locateIn(it Item, data []byte, matches []rules.Match, silence func(Silenced), org *origin) []Hit {
	if len(matches) == 0 {
		return nil
	}
	loc := newLocator(data)
	loc.org = org
	spans := make([]span, 0, len(matches))
	for _, mt := range matches {
		if !mt.File {
			spans = append(spans, span{mt.SecretStart, mt.SecretEnd})
		}
	}
	secrets := newSecretSpans(spans)
	secrets.texts = secretTexts(data, spans)
	var hits []Hit
	for _, mt := range matches {
		var l Location
		switch {
		case mt.File && mt.End == 0:
			// The file itself is the finding.
			l = Location{Line: 1, Column: 1, EndLine: 1, EndColumn: 1}
			if it.Added != nil && len(it.Added) == 0 {
				silence(Silenced{RuleID: mt.Rule.ID, Reason: "unchanged-line", Location: Location{Path: it.Path, Line: 1, Column: 1}})
				continue
			}
		default:
			l = loc.locate(mt.SecretStart, mt.SecretEnd)
			if reason := inlineAllow(loc, mt.SecretStart, mt.SecretEnd, mt.Rule.ID); reason != "" {
				sl := l
				sl.Path = it.Path
				if c := it.Commit; c != nil {
					sl.Commit = c.Hash
				}
				// Only an allow on an added line is news (a pull request that
				// silences its own finding must be visible to reviewers).
				added := it.Added == nil || overlaps(it.Added, l.Line, l.EndLine)
				silence(Silenced{RuleID: mt.Rule.ID, Reason: reason, Location: sl, Added: added})
				continue
			}
			if it.Added != nil && !mt.File && !overlaps(it.Added, l.Line, l.EndLine) {
				silence(Silenced{RuleID: mt.Rule.ID, Reason: "unchanged-line", Location: Location{Path: it.Path, Line: l.Line, Column: l.Column}})
				continue
			}
			if !mt.File {
				// A file finding shows no excerpt: its content match is a
				// marker, and the rest of the line may hold the credential.
				l.LineExcerpt = excerpt(data, loc, mt.SecretStart, mt.SecretEnd, secrets, s.opt.ShowSecrets)
			}
		}
		l.Path = it.Path
		if c := it.Commit; c != nil {
			l.Commit, l.Author, l.Email, l.Date, l.Message = c.Hash, c.Author, c.Email, c.Date, c.Message
		}
		h := Hit{Rule: mt.Rule, Secret: mt.Secret, Entropy: mt.Entropy, Loc: l, InHead: it.InHead, File: mt.File}
		if !mt.File {
			h.Exposure, h.Raise = exposure(it.Path, loc, mt)
		}
		hits = append(hits, h)
	}
	if s.locWork != nil {
		s.locWork.Add(loc.work)
	}
	return hits
}

func (r *itemResult) silence(sl Silenced) {
	if r.silenced == nil {
		r.silenced = map[string]int{}
	}
	r.silenced[sl.Reason]++
	if sl.Reason == "inline-allow" {
		r.allowed = append(r.allowed, sl)
	}
}

func overlaps(rs []LineRange, start, end int) bool {
	for _, lr := range rs {
		if start <= lr.End && lr.Start <= end {
			return true
		}
	}
	return false
}

// Fingerprint is the stable identifier of a secret under a rule: a SHA-256
// of the rule id and the secret. It never contains the secret.
func Fingerprint(ruleID, secret string) string {
	h := sha256.New()
	fmt.Fprintf(h, "keylint/v1\x00%s\x00%s", ruleID, secret)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// pemKind names a PEM block by its label ("RSA private key" for
// -----BEGIN RSA PRIVATE KEY-----), or returns "" for other secrets.
func pemKind(secret string) string {
	rest, ok := strings.CutPrefix(secret, "-----BEGIN ")
	if !ok {
		return ""
	}
	label, _, ok := strings.Cut(rest, "-----")
	if !ok || label == "" || len(label) > 40 {
		return ""
	}
	words := strings.Fields(label)
	for i, w := range words {
		switch w {
		case "PRIVATE", "PUBLIC", "KEY", "ENCRYPTED", "BLOCK", "MESSAGE", "CERTIFICATE":
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

// Redact shows the first characters of a secret (at most 4, never more than
// a third of it) followed by "…".
func Redact(secret string) string {
	if kind := pemKind(secret); kind != "" {
		// "----…" says nothing; the key's type says what to rotate.
		return kind + "…"
	}
	n := min(4, len(secret)/3)
	// Do not cut a multi-byte character in half.
	for n > 0 && n < len(secret) && secret[n]&0xC0 == 0x80 {
		n--
	}
	return secret[:n] + "…"
}

// Group merges hits into one finding per (rule, secret), sorted by first
// location then rule id; locations sorted by path, line, column, commit.
// Secrets are redacted unless show is set (path-rule secrets are paths and
// are never redacted). A generic rule's finding whose every location is in a
// test, example or documentation file is one severity lower than its rule.
func Group(hits []Hit, show bool) []Finding {
	type key struct{ rule, secret string }
	byKey := map[key]*Finding{}
	var order []*Finding
	lower := map[*Finding]bool{} // generic, and only in tests, examples or docs (context.go)
	for _, h := range hits {
		k := key{h.Rule.ID, h.Secret}
		f := byKey[k]
		if f == nil {
			r := h.Rule
			shown := h.Secret
			if !show && !h.File {
				shown = Redact(h.Secret)
			}
			f = &Finding{
				RuleID: r.ID, Description: r.Description, Provider: r.Provider, Severity: r.Severity,
				Secret: shown, Fingerprint: Fingerprint(r.ID, h.Secret),
				Entropy: float64(int(h.Entropy*1000+0.5)) / 1000, Remediation: r.Remediation,
				raw: h.Secret,
			}
			byKey[k] = f
			order = append(order, f)
			lower[f] = r.Generic
		}
		lower[f] = lower[f] && inTestOrDocs(h.Loc.Path)
		f.InHead = f.InHead || h.InHead
		if h.Raise && !f.BrowserExposed {
			f.BrowserExposed = true
			f.Severity = rules.Critical
			f.Exposure = h.Exposure
		} else if h.Exposure != "" && f.Exposure == "" {
			f.Exposure = h.Exposure
		}
		f.Locations = append(f.Locations, locationSeverity(h))
	}
	out := make([]Finding, 0, len(order))
	for _, f := range order {
		if lower[f] && !f.BrowserExposed {
			f.Severity = lowerSeverity(f.Severity)
			f.Context = lowContextNote
		}
		sort.Slice(f.Locations, func(i, j int) bool { return locLess(f.Locations[i], f.Locations[j]) })
		f.Locations = dedupLocations(f.Locations)
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Locations[0], out[j].Locations[0]
		if a != b {
			return locLess(a, b)
		}
		if out[i].RuleID != out[j].RuleID {
			return out[i].RuleID < out[j].RuleID
		}
		return out[i].Fingerprint < out[j].Fingerprint
	})
	return out
}

func locLess(a, b Location) bool {
	switch {
	case a.Repository != b.Repository:
		return a.Repository < b.Repository
	case a.Path != b.Path:
		return a.Path < b.Path
	case a.Line != b.Line:
		return a.Line < b.Line
	case a.Column != b.Column:
		return a.Column < b.Column
	case !a.Date.Equal(b.Date):
		return a.Date.Before(b.Date)
	default:
		return a.Commit < b.Commit
	}
}

func dedupLocations(ls []Location) []Location {
	out := ls[:0]
	for i, l := range ls {
		if i > 0 && l.Repository == ls[i-1].Repository && l.Path == ls[i-1].Path && l.Line == ls[i-1].Line && l.Column == ls[i-1].Column && l.Commit == ls[i-1].Commit {
			continue
		}
		out = append(out, l)
	}
	return out
}
