package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keylint/keylint/internal/gitobj"
	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// scan is one history scan: the scanner that scans each blob, and its
// options.
type scan struct {
	sc       *scanner.Scanner
	opt      scanner.Options
	cache    Cache
	cacheKey CacheKey
	repo     string // as given, for warnings
	// narrow holds the scanners narrowed to the rules the cache recorded
	// for a blob; ruleIDs the ids of the matcher's rules (cache.go).
	narrow  narrowedScanners
	commits *commitCache // commitcache.go
	ruleIDs struct {
		once sync.Once
		set  map[string]bool
	}
}

// Options selects the part of a repository's history that
// [Scan] scans. The zero value scans every commit reachable
// from any ref of the repository in the current directory.
type Options struct {
	// Repo is a path inside the repository: a working tree, a linked
	// worktree, a subdirectory, or a bare repository ("" is ".").
	Repo string
	// Branches restricts the scan to commits reachable from these branches
	// (or any ref or commit name). Empty means every ref: branches, tags,
	// remote-tracking refs, the stash and its older entries, and HEAD.
	Branches []string
	// Range, "A..B", restricts the scan to commits reachable from B but
	// not from A (either may be omitted for HEAD). It combines with
	// Branches as more starting points.
	Range string
	// Since and Until, when not zero, keep only commits whose committer
	// date is within the bounds (inclusive).
	Since, Until time.Time
	// MaxCommits, when positive, keeps only the newest N commits (in
	// topological order).
	MaxCommits int
	// Progress, when not nil, is updated while the scan runs.
	Progress *Progress
	// Cache, when not nil, holds the blobs (at a path) that earlier scans
	// with the same rules and settings scanned, each with the ids of the
	// rules that had findings in it: a clean blob is not decoded again,
	// and a blob with findings is matched with those rules only (which
	// finds the same, see rules.Matcher.Only). The blobs this scan scans
	// with every rule are added to it, unless one had a silenced match or
	// a warning at any of its paths, or was too large to decode. CacheKey
	// makes its keys; both or neither are set.
	Cache    Cache
	CacheKey CacheKey
}

// History scan phases, as reported in [Progress.Phase].
const (
	PhaseCommits   = iota // walking the commit graph
	PhaseTrees            // diffing trees to find the blobs each commit introduced
	PhaseBlobs            // decoding and scanning blobs
	PhaseAttribute        // attributing findings to commits
)

// Progress is updated atomically during [Scan] so a
// caller can display progress while it runs. Totals are known once their
// phase starts.
type Progress struct {
	Phase         atomic.Int32
	Commits       atomic.Int64 // commits read
	CommitsDiffed atomic.Int64
	CommitsTotal  atomic.Int64 // commits selected
	Blobs         atomic.Int64 // blobs decoded (or skipped)
	BlobsTotal    atomic.Int64
	Bytes         atomic.Int64 // blob bytes decoded
	Findings      atomic.Int64 // distinct secrets found so far
}

// Result is the [scanner.Result] of a history scan and what the scan
// learned about the repository.
type Result struct {
	scanner.Result
	// Commits is the number of commits scanned; Blobs the number of
	// distinct blobs they introduced (with a cache, those of the commits
	// diffed: see CachedCommits).
	Commits, Blobs int
	// Truncated is set when part of the history is absent: a shallow
	// clone's boundary, or commits that could not be read.
	Truncated bool
	// Shallow is the number of shallow boundary commits.
	Shallow int
	// Partial is set for a partial clone; Missing counts blobs absent from
	// the object database (not fetched), which were not scanned.
	Partial bool
	Missing int
	// Submodules lists, sorted, the paths of submodule entries seen: the
	// commits they point to, in other repositories, are not scanned.
	Submodules []string
	// Cached counts the blobs not read because [Options.Cache] knew them
	// clean; CachedReplayed the blobs with findings it knew whose recorded
	// matches were located again without matching; CachedNarrowed those
	// matched again with only the rules that had matched them; CachedAdded
	// the blobs this scan added to it; CachedCommits the commits it knew
	// introduced only clean blobs, which were not diffed (Blobs does not
	// count what they introduced).
	Cached, CachedReplayed, CachedNarrowed, CachedAdded, CachedCommits int
}

// scanRepo scans the history of a repository blob by blob: it walks
// the selected commits, finds with tree diffs every blob each commit
// introduced (and at which paths), decodes each distinct blob exactly once
// straight from the object database in pack order, scans it, and only
// then, for blobs with findings, attributes each location to the earliest
// commit (in topological order, merges included) that introduced that
// blob at that path. Each blob is scanned by sc exactly as a file of that
// content at that path would be. Findings are grouped by secret; a finding's InHead
// says whether the secret is still in the tree of HEAD.
//
// Errors are returned for an unreadable repository, an unknown revision
// (a *[RevisionError]) or a cancelled context; unreadable objects are
// warnings, and missing blobs of a partial clone are counted.
func scanRepo(ctx context.Context, sc *scanner.Scanner, h Options) (*Result, error) {
	s := &scan{sc: sc, opt: sc.Options(), cache: h.Cache, cacheKey: h.CacheKey}
	if s.cache != nil && s.cacheKey == nil {
		return nil, errors.New("history: Options.Cache without Options.CacheKey")
	}
	start := time.Now()
	prog := h.Progress
	if prog == nil {
		prog = &Progress{}
	}
	repo := h.Repo
	if repo == "" {
		repo = "."
	}
	s.repo = repo
	r, err := openHistRepo(repo)
	if err != nil {
		return nil, err
	}
	defer r.close()

	res := &Result{Partial: r.partial}
	res.Warnings = append(res.Warnings, r.problems...)
	res.Summary = scanner.NewSummary()

	// 1. Commits.
	prog.Phase.Store(PhaseCommits)
	w := newHistWalker(r, prog)
	selected, roots, err := s.selectCommits(ctx, r, w, h)
	if err != nil {
		return nil, err
	}
	res.Commits = len(selected)
	for _, c := range selected {
		if c.cut {
			res.Truncated = true
		}
	}
	for id := range r.shallow {
		if c := w.commits[id]; c != nil && c.topo >= 0 {
			res.Shallow++
		}
	}

	// 2. Tree diffs: which blobs each commit introduced, and where.
	prog.Phase.Store(PhaseTrees)
	prog.CommitsTotal.Store(int64(len(selected)))
	x, warns, err := s.diffTrees(ctx, r, w, selected, roots, prog)
	if err != nil {
		return nil, err
	}
	d := &histDiffer{rd: r.db.NewReader(8 << 20), x: x}
	res.Blobs = len(x.blobIDs)
	res.Warnings = append(res.Warnings, w.warnings...)
	res.Warnings = append(res.Warnings, r.expectMissing(warns)...)
	w.warnings = nil
	for p := range x.submodules {
		res.Submodules = append(res.Submodules, p)
	}
	slices.Sort(res.Submodules)

	// 3. Decode and scan every blob once.
	prog.Phase.Store(PhaseBlobs)
	hits, err := s.scanBlobs(ctx, r, x, res, prog)
	if err != nil {
		return nil, err
	}

	// 4. Attribute the blobs with findings.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	prog.Phase.Store(PhaseAttribute)
	all, err := s.attribute(ctx, r, w, d, x, selected, hits)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, r.expectMissing(d.warnings)...)
	if res.Shallow > 0 {
		res.Warnings = append(res.Warnings, scanner.Warning{Path: repo, Expected: true, Err: fmt.Errorf(
			"shallow clone: the history is truncated at %d boundary %s; older commits are not in the repository and were not scanned",
			res.Shallow, plural.Of(res.Shallow, "commit", "commits"))})
	}
	if res.Missing > 0 {
		why := "missing from the object database"
		if res.Partial {
			why = "not fetched (partial clone)"
		}
		res.Warnings = append(res.Warnings, scanner.Warning{Path: repo, Expected: res.Partial, Err: fmt.Errorf("%d %s %s and not scanned",
			res.Missing, plural.Of(res.Missing, "blob is", "blobs are"), why)})
	}
	res.Findings = all
	for i := range res.Findings {
		f := &res.Findings[i]
		res.Summary.BySeverity[f.Severity]++
		if !f.InHead {
			f.Remediation = scanner.HistoryOnlyNote + f.Remediation
		}
	}
	res.Summary.Findings = len(res.Findings)
	slices.SortStableFunc(res.Warnings, func(a, b scanner.Warning) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Err.Error(), b.Err.Error())
	})
	// A missing tree or blob shared by many commits is one warning.
	res.Warnings = slices.CompactFunc(res.Warnings, func(a, b scanner.Warning) bool {
		return a.Path == b.Path && a.Expected == b.Expected && a.Err.Error() == b.Err.Error()
	})
	res.Summary.Warnings = len(res.Warnings)
	res.Summary.Duration = time.Since(start)
	return res, nil
}

// expectMissing folds the warnings about missing trees of a partial clone
// (cloned with --filter=tree:N), which were not fetched, into one expected
// warning with their count.
func (r *histRepo) expectMissing(ws []scanner.Warning) []scanner.Warning {
	if !r.partial {
		return ws
	}
	seen := map[string]bool{}
	out := ws[:0]
	for _, w := range ws {
		if errors.Is(w.Err, gitobj.ErrNotFound) {
			seen[w.Err.Error()] = true
			continue
		}
		out = append(out, w)
	}
	if n := len(seen); n > 0 {
		out = append(out, scanner.Warning{Path: "trees", Expected: true, Err: fmt.Errorf(
			"%d %s not fetched (partial clone): the files under %s were not scanned", n,
			plural.Of(n, "tree is", "trees are"), plural.Of(n, "it", "them"))})
	}
	return out
}

// diffTrees finds what each selected commit introduced, with the commits
// split into contiguous runs diffed in parallel, each worker reading
// objects through its own cache. Runs go newest first, so the delta bases
// of older trees (git stores the newest version whole) are decoded first.
func (s *scan) diffTrees(ctx context.Context, r *histRepo, w *histWalker, selected []*histCommit, roots []histRoot, prog *Progress) (*histIndex, []scanner.Warning, error) {
	// Parent trees, looked up before the workers start: the walker is not
	// safe for concurrent use.
	ptrees := make([][]gitobj.ID, len(selected))
	for i, c := range selected {
		for _, p := range c.parents {
			if pc := w.load(p); pc != nil {
				ptrees[i] = append(ptrees[i], pc.tree)
			}
		}
	}
	s.commits = s.cachedCommits(selected, ptrees)
	n := max(1, min(s.opt.Workers, len(selected)/64))
	shards := make([]*histIndex, n)
	differs := make([]*histDiffer, n)
	var wg sync.WaitGroup
	for k := range n {
		lo, hi := k*len(selected)/n, (k+1)*len(selected)/n
		x := newHistIndex()
		d := &histDiffer{rd: r.db.NewReader(32 << 20), x: x}
		shards[k], differs[k] = x, d
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := hi - 1; i >= lo; i-- {
				if i%64 == 0 && ctx.Err() != nil {
					return
				}
				cc := s.commits
				if cc != nil && cc.skip != nil && cc.skip[i] {
					prog.CommitsDiffed.Add(1)
					continue // recorded clean
				}
				warned, subs := len(d.warnings), len(x.submodules)
				d.diff(selected[i].tree, ptrees[i], int32(i))
				if cc != nil {
					cc.dirty[i] = len(d.warnings) != warned || len(x.submodules) != subs
				}
				prog.CommitsDiffed.Add(1)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	x := shards[0]
	var warns []scanner.Warning
	for k, o := range shards {
		if k > 0 {
			x.merge(o)
		}
		warns = append(warns, differs[k].warnings...)
	}
	d := &histDiffer{rd: r.db.NewReader(8 << 20), x: x}
	for _, t := range roots { // refs naming a tree or a blob directly
		if t.typ == gitobj.TypeTree {
			d.diff(t.id, nil, -1)
		} else {
			x.add(t.id, []byte(t.name), -1)
		}
	}
	return x, append(warns, d.warnings...), nil
}

// histRoot is a ref that names a tree or a blob rather than a commit.
type histRoot struct {
	name string
	typ  gitobj.Type
	id   gitobj.ID
}

// selectCommits resolves the starting points and returns the selected
// commits in topological order (parents first), each with its topo index
// set, plus refs that point at trees or blobs.
func (s *scan) selectCommits(ctx context.Context, r *histRepo, w *histWalker, h Options) ([]*histCommit, []histRoot, error) {
	var tips, stops []gitobj.ID
	var roots []histRoot
	if h.Range != "" {
		a, b, ok := strings.Cut(h.Range, "..")
		if !ok || strings.HasPrefix(b, ".") {
			return nil, nil, &RevisionError{Rev: h.Range, Err: errors.New(`a range is written "A..B"`)}
		}
		if a == "" {
			a = "HEAD"
		}
		if b == "" {
			b = "HEAD"
		}
		ida, err := r.resolveRev(a)
		if err != nil {
			return nil, nil, err
		}
		idb, err := r.resolveRev(b)
		if err != nil {
			return nil, nil, err
		}
		tips, stops = append(tips, idb), append(stops, ida)
	}
	for _, br := range h.Branches {
		id, err := r.resolveBranch(br)
		if err != nil {
			return nil, nil, err
		}
		tips = append(tips, id)
	}
	if h.Range == "" && len(h.Branches) == 0 {
		all, warns, err := r.allTips()
		if err != nil {
			return nil, nil, err
		}
		w.warnings = append(w.warnings, warns...)
		for _, t := range all {
			typ, id, err := r.peel(t.id)
			if err != nil {
				w.warnings = append(w.warnings, scanner.Warning{Path: t.name, Err: err})
				continue
			}
			switch typ {
			case gitobj.TypeCommit:
				tips = append(tips, id)
			case gitobj.TypeTree, gitobj.TypeBlob:
				roots = append(roots, histRoot{name: t.name, typ: typ, id: id})
			}
		}
	}
	stop := map[gitobj.ID]bool{}
	if len(stops) > 0 {
		excluded, err := w.reach(ctx, stops, nil)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range excluded {
			stop[c.id] = true
		}
	}
	cs, err := w.reach(ctx, tips, stop)
	if err != nil {
		return nil, nil, err
	}
	w.markCut(cs)
	order := topoSort(cs)
	if !h.Since.IsZero() || !h.Until.IsZero() {
		order = slices.DeleteFunc(order, func(c *histCommit) bool {
			return !h.Since.IsZero() && c.time < h.Since.Unix() || !h.Until.IsZero() && c.time > h.Until.Unix()
		})
	}
	if h.MaxCommits > 0 && len(order) > h.MaxCommits {
		order = order[len(order)-h.MaxCommits:]
	}
	for i, c := range order {
		c.topo = int32(i)
	}
	return order, roots, nil
}

// resolveBranch resolves a --branch name: a local branch first, then a
// remote-tracking branch, then any revision.
func (r *histRepo) resolveBranch(name string) (gitobj.ID, error) {
	for _, ref := range []string{"refs/heads/" + name, "refs/remotes/" + name} {
		if id, err := r.resolveRev(ref); err == nil {
			return id, nil
		}
	}
	return r.resolveRev(name)
}

// blobHits are the matches found in one blob, each location's path set.
type blobHits struct {
	blob int32
	hits []scanner.Hit
}

// histWorker is one decoding worker's share of the result.
type histWorker struct {
	files    int
	bytes    int64
	skipped  map[string]int
	silenced map[string]int
	// silencedCount counts the matches silenced so far; record lists the
	// cache keys of the blobs to record, recordValues their values,
	// recordBlobs their blobs' number; replayed and narrowed count the
	// blobs scanKnown did not match again or matched with fewer rules.
	silencedCount      int
	record             [][]byte
	recordValues       [][]byte
	recordBlobs        int
	replayed, narrowed int
	stats              rules.Stats
	warnings           []scanner.Warning
	capped             map[string]int // files per rule that reached the limit
	hits               []blobHits
	missing            int
	buf                []byte
}

// isLFSPointer reports whether a blob is a Git LFS pointer file: under
// 1024 bytes, starting with the spec version line (the current one, or the
// pre-release "hawser" one).
func isLFSPointer(data []byte) bool {
	return len(data) < 1024 && (bytes.HasPrefix(data, []byte("version https://git-lfs.github.com/spec/v1\n")) ||
		bytes.HasPrefix(data, []byte("version https://hawser.github.com/spec/v1\n")))
}

// scanBlobs decodes every blob of x once and scans it at each of its paths.
func (s *scan) scanBlobs(ctx context.Context, r *histRepo, x *histIndex, res *Result, prog *Progress) ([]blobHits, error) {
	// Paths of each blob, distinct, in first-seen order.
	blobPaths := make([][]int32, len(x.blobIDs))
	for _, in := range x.intros {
		ps := blobPaths[in.blob]
		if !slices.Contains(ps, in.path) {
			blobPaths[in.blob] = append(ps, in.path)
		}
	}
	// blobClean marks, for the commit records, the blobs known or found
	// clean (or never read: allowlisted); see commitcache.go.
	var blobClean []bool
	if s.commits != nil {
		blobClean = make([]bool, len(x.blobIDs))
	}
	// Blobs under globally allowlisted paths only are never read.
	var ids []gitobj.ID
	var idBlob []int32
	for b, id := range x.blobIDs {
		allowed := true
		for _, p := range blobPaths[b] {
			if !s.sc.PathAllowed(x.paths[p]) {
				allowed = false
				break
			}
		}
		if allowed {
			res.Summary.Skipped["allowlisted-path"]++
			if blobClean != nil {
				blobClean[b] = true
			}
			continue
		}
		ids = append(ids, id)
		idBlob = append(idBlob, int32(b))
	}
	// Blobs the cache knows clean at every path are not read either, and
	// those it knows with findings are not matched again (known[i], see
	// scanKnown).
	var (
		blobKeys [][][]byte
		known    []cachedBlob
	)
	if s.cache != nil {
		rawIDs := make([][]byte, len(ids))
		paths := make([][]string, len(ids))
		for i, b := range idBlob {
			rawIDs[i] = ids[i][:]
			for _, p := range blobPaths[b] {
				if !s.sc.PathAllowed(x.paths[p]) {
					paths[i] = append(paths[i], x.paths[p])
				}
			}
		}
		got, keys, warn := s.cachedBlobs(s.repo, rawIDs, paths)
		if warn != nil {
			res.Warnings = append(res.Warnings, *warn)
		}
		keep := 0
		for i := range ids {
			if got[i].known && got[i].rules == nil {
				res.Cached++
				if blobClean != nil {
					blobClean[idBlob[i]] = true
				}
				continue
			}
			ids[keep], idBlob[keep], keys[keep], got[keep] = ids[i], idBlob[i], keys[i], got[i]
			keep++
		}
		ids, idBlob, blobKeys, known = ids[:keep], idBlob[:keep], keys[:keep], got[:keep]
	}
	prog.BlobsTotal.Store(int64(len(ids)))

	workers := make([]histWorker, s.opt.Workers)
	for i := range workers {
		workers[i].skipped = map[string]int{}
		workers[i].silenced = map[string]int{}
	}
	var (
		findMu  sync.Mutex
		secrets = map[[2]string]bool{}
	)
	err := r.db.Decode(ctx, ids, gitobj.DecodeOptions{Workers: s.opt.Workers, MaxSize: s.opt.MaxFileSize},
		func(wi, i int, typ gitobj.Type, data []byte, err error) {
			hw := &workers[wi]
			b := idBlob[i]
			prog.Blobs.Add(1)
			var tl *gitobj.TooLargeError
			size := int64(len(data))
			switch {
			case errors.Is(err, gitobj.ErrNotFound):
				hw.missing++
				return
			case errors.As(err, &tl):
				// Not decoded; the path rules still run.
				data, size = nil, tl.Size
			case err != nil:
				hw.warnings = append(hw.warnings, scanner.Warning{Path: x.paths[blobPaths[b][0]], Err: err})
				return
			case typ != gitobj.TypeBlob:
				hw.warnings = append(hw.warnings, scanner.Warning{Path: x.paths[blobPaths[b][0]], Err: fmt.Errorf("object %s is a %s, not a blob", ids[i], typ)})
				return
			}
			prog.Bytes.Add(int64(len(data)))
			if isLFSPointer(data) {
				hw.skipped["lfs-pointer"]++
				return
			}
			var found []scanner.Hit
			if known != nil && known[i].known {
				found = s.scanKnown(hw, known[i], data, size, x, blobPaths[b])
			} else {
				warned, silenced := len(hw.warnings), hw.silencedCount
				var (
					matches    [][]rules.Match
					replayable bool
				)
				found, matches, replayable = s.scanBlob(hw, s.sc, data, size, x, blobPaths[b])
				if blobKeys != nil && data != nil && len(hw.warnings) == warned && hw.silencedCount == silenced &&
					s.recordBlob(hw, blobKeys[i], found, matches, replayable) && blobClean != nil && len(found) == 0 {
					blobClean[b] = true // each blob is one worker's
				}
			}
			if len(found) > 0 {
				hw.hits = append(hw.hits, blobHits{blob: b, hits: found})
				findMu.Lock()
				for _, h := range found {
					k := [2]string{h.Rule.ID, h.Secret}
					if !secrets[k] {
						secrets[k] = true
						prog.Findings.Add(1)
					}
				}
				findMu.Unlock()
			}
		})
	if err != nil {
		return nil, err
	}
	var (
		all          []blobHits
		record       [][]byte
		recordValues [][]byte
	)
	for i := range workers {
		hw := &workers[i]
		res.Summary.Files += hw.files
		res.Summary.Bytes += hw.bytes
		for k, v := range hw.skipped {
			res.Summary.Skipped[k] += v
		}
		for k, v := range hw.silenced {
			res.Summary.Silenced[k] += v
		}
		for k, v := range hw.stats.Rejected {
			res.Summary.Rejected[k] += v
		}
		for k, v := range hw.capped {
			res.Summary.Capped[k] += v
		}
		res.Missing += hw.missing
		res.Warnings = append(res.Warnings, hw.warnings...)
		record = append(record, hw.record...)
		recordValues = append(recordValues, hw.recordValues...)
		res.CachedAdded += hw.recordBlobs
		res.CachedReplayed += hw.replayed
		res.CachedNarrowed += hw.narrowed
		all = append(all, hw.hits...)
	}
	if res.Missing > 0 {
		res.Summary.Skipped["missing"] += res.Missing
		res.Truncated = res.Truncated || !res.Partial
	}
	if s.cache != nil && ctx.Err() == nil {
		if s.commits != nil && s.commits.skip != nil {
			for _, skip := range s.commits.skip {
				if skip {
					res.CachedCommits++
				}
			}
		}
		for _, k := range s.commits.cleanCommits(x, blobClean) {
			record = append(record, k)
			recordValues = append(recordValues, nil)
		}
		if err := s.cache.Add(record, recordValues); err != nil {
			res.Warnings = append(res.Warnings, cacheWarning(s.repo, "written", err))
			res.CachedAdded = 0
		}
	}
	slices.SortFunc(all, func(a, b blobHits) int { return int(a.blob - b.blob) })
	return all, nil
}

// scanBlob scans one blob's content at each of its paths with the engine's
// own item scan (size and binary checks, path rules, matching, inline
// allows, locating), so a history finding is exactly what a file scan of
// that content at that path reports. The blob was decoded once; it is
// matched once per distinct path, since rules and allowlists may depend on
// the path. Counts (files, bytes, skips) are taken once per blob. data is
// nil for a blob too large to decode, whose size is given. It returns the
// hits, the matches behind them at each path scanned (see
// scanner.ItemResult.Matches), and whether those give every hit again.
func (s *scan) scanBlob(hw *histWorker, sc *scanner.Scanner, data []byte, size int64, x *histIndex, paths []int32) (found []scanner.Hit, matches [][]rules.Match, replayable bool) {
	read := func([]byte, int64) ([]byte, error) { return data, nil }
	replayable = true
	first := true
	for _, p := range paths {
		path := x.paths[p]
		if s.sc.PathAllowed(path) {
			continue
		}
		r := sc.ScanItem(scanner.Item{Path: path, Size: size, Read: read}, &hw.buf)
		hw.buf = nil // never keep data: it belongs to the decoder
		for k, v := range r.Silenced {
			hw.silenced[k] += v
			hw.silencedCount += v
		}
		found = append(found, r.Hits...)
		matches = append(matches, r.Matches)
		replayable = replayable && (len(r.Hits) == 0 || len(r.Matches) > 0)
		for _, c := range r.Capped {
			hw.warnings = append(hw.warnings, scanner.Warning{Path: path, Err: c})
			if hw.capped == nil {
				hw.capped = map[string]int{}
			}
			hw.capped[c.Rule]++
		}
		if !first {
			continue
		}
		first = false
		switch {
		case r.Warning != nil:
			hw.warnings = append(hw.warnings, scanner.Warning{Path: path, Err: r.Warning})
		case r.Skipped != "":
			hw.skipped[r.Skipped]++
		default:
			hw.files++
			hw.bytes += r.Bytes
		}
		for _, e := range r.Extra {
			hw.skipped[e.Reason]++
		}
		hw.stats.Merge(r.Stats)
	}
	return found, matches, replayable
}
