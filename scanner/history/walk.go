package history

import (
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/keylint/keylint/internal/gitobj"
	"github.com/keylint/keylint/scanner"
)

// histCommit is what the walk keeps of a commit.
type histCommit struct {
	id      gitobj.ID
	tree    gitobj.ID
	parents []gitobj.ID
	time    int64
	// cut is set when some parents are absent: the commit is a shallow
	// clone's boundary, or its parents are missing.
	cut  bool
	topo int32 // position in topological order among the selected, or -1
}

// histWalker loads commits and walks the commit graph.
type histWalker struct {
	r        *histRepo
	commits  map[gitobj.ID]*histCommit
	missing  map[gitobj.ID]bool // commits that could not be read
	warnings []scanner.Warning
	progress *Progress
}

func newHistWalker(r *histRepo, p *Progress) *histWalker {
	return &histWalker{r: r, commits: map[gitobj.ID]*histCommit{}, missing: map[gitobj.ID]bool{}, progress: p}
}

// load reads a commit's header, or returns nil when it cannot be read
// (a warning is recorded once).
func (w *histWalker) load(id gitobj.ID) *histCommit {
	if c, ok := w.commits[id]; ok {
		return c
	}
	if w.missing[id] {
		return nil
	}
	typ, data, err := w.r.db.Read(id)
	if err == nil && typ != gitobj.TypeCommit {
		err = fmt.Errorf("is a %s, not a commit", typ)
	}
	var h gitobj.CommitHeader
	if err == nil {
		h, err = gitobj.ParseCommitHeader(data, nil)
	}
	if err != nil {
		w.missing[id] = true
		w.warnings = append(w.warnings, scanner.Warning{Path: "commit " + id.String(), Err: err})
		return nil
	}
	c := &histCommit{id: id, tree: h.Tree, parents: h.Parents, time: h.Time, topo: -1}
	if w.r.shallow[id] {
		c.parents, c.cut = nil, true
	}
	w.commits[id] = c
	if w.progress != nil {
		w.progress.Commits.Add(1)
	}
	return c
}

// reach returns every commit reachable from tips that is not in stop,
// in no particular order.
func (w *histWalker) reach(ctx context.Context, tips []gitobj.ID, stop map[gitobj.ID]bool) ([]*histCommit, error) {
	seen := map[gitobj.ID]bool{}
	var out []*histCommit
	stack := slices.Clone(tips)
	for n := 0; len(stack) > 0; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] || stop[id] {
			continue
		}
		seen[id] = true
		c := w.load(id)
		if c == nil {
			continue
		}
		out = append(out, c)
		for _, p := range c.parents {
			if !seen[p] && !stop[p] {
				stack = append(stack, p)
			}
		}
	}
	return out, nil
}

// markCut flags commits some of whose parents could not be read.
func (w *histWalker) markCut(cs []*histCommit) {
	for _, c := range cs {
		for _, p := range c.parents {
			if w.missing[p] {
				c.cut = true
			}
		}
	}
}

// topoSort orders commits parents first; among commits that are ready at
// the same time, the older committer date (then the smaller id) goes
// first. Parents outside cs are ignored.
func topoSort(cs []*histCommit) []*histCommit {
	in := make(map[gitobj.ID]*histCommit, len(cs))
	for _, c := range cs {
		in[c.id] = c
	}
	pending := make(map[gitobj.ID]int, len(cs)) // selected parents not yet emitted
	children := make(map[gitobj.ID][]*histCommit, len(cs))
	h := &commitHeap{}
	for _, c := range cs {
		n := 0
		for _, p := range slices.Compact(slices.Clone(c.parents)) {
			if _, ok := in[p]; ok {
				n++
				children[p] = append(children[p], c)
			}
		}
		pending[c.id] = n
		if n == 0 {
			heap.Push(h, c)
		}
	}
	out := make([]*histCommit, 0, len(cs))
	for h.Len() > 0 {
		c := heap.Pop(h).(*histCommit)
		out = append(out, c)
		for _, k := range children[c.id] {
			if pending[k.id]--; pending[k.id] == 0 {
				heap.Push(h, k)
			}
		}
	}
	return out
}

type commitHeap []*histCommit

func (h commitHeap) Len() int { return len(h) }
func (h commitHeap) Less(i, j int) bool {
	if h[i].time != h[j].time {
		return h[i].time < h[j].time
	}
	return strings.Compare(string(h[i].id[:]), string(h[j].id[:])) < 0
}
func (h commitHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *commitHeap) Push(x any)   { *h = append(*h, x.(*histCommit)) }
func (h *commitHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// histIntro records that a commit introduced a blob at a path: the commit
// has it there and none of its parents does.
type histIntro struct {
	blob, path int32
	commit     int32 // index into the selected commits, -1 for a tagged tree or blob
}

// histIndex accumulates what the tree diffs find.
type histIndex struct {
	blobs      map[gitobj.ID]int32
	blobIDs    []gitobj.ID
	pathIdx    map[string]int32
	paths      []string
	intros     []histIntro
	submodules map[string]bool
}

func newHistIndex() *histIndex {
	return &histIndex{blobs: map[gitobj.ID]int32{}, pathIdx: map[string]int32{}, submodules: map[string]bool{}}
}

// intern returns k's index in list, appending k to list (and indexing it
// in m) if it is new.
func intern[K comparable](m map[K]int32, list *[]K, k K) int32 {
	i, ok := m[k]
	if !ok {
		i = int32(len(*list))
		m[k] = i
		*list = append(*list, k)
	}
	return i
}

func (x *histIndex) add(blob gitobj.ID, path []byte, commit int32) {
	b := intern(x.blobs, &x.blobIDs, blob)
	// Look the path up as bytes first: the string is made only when new.
	p, ok := x.pathIdx[string(path)]
	if !ok {
		p = intern(x.pathIdx, &x.paths, string(path))
	}
	x.intros = append(x.intros, histIntro{blob: b, path: p, commit: commit})
}

// merge adds the blobs, paths, introductions and submodules of o to x.
func (x *histIndex) merge(o *histIndex) {
	blobMap := make([]int32, len(o.blobIDs))
	for i, id := range o.blobIDs {
		blobMap[i] = intern(x.blobs, &x.blobIDs, id)
	}
	pathMap := make([]int32, len(o.paths))
	for i, p := range o.paths {
		pathMap[i] = intern(x.pathIdx, &x.paths, p)
	}
	for _, in := range o.intros {
		x.intros = append(x.intros, histIntro{blob: blobMap[in.blob], path: pathMap[in.path], commit: in.commit})
	}
	for p := range o.submodules {
		x.submodules[p] = true
	}
}

// maxTreeDepth bounds directory nesting, so a hostile repository cannot
// exhaust the stack.
const maxTreeDepth = 2048

// histDiffer finds the blobs each commit introduces with an n-way tree
// diff against all its parents: a subtree equal to the same subtree of any
// parent is skipped whole, so only changed directories are read.
type histDiffer struct {
	rd       *gitobj.Reader
	x        *histIndex
	warnings []scanner.Warning
	path     []byte
	levels   []walkLevel // scratch per directory depth, reused across siblings
}

// walkLevel is the scratch one level of walk needs: the cursors over the
// parents' trees, and the parents' subtrees of one entry.
type walkLevel struct {
	curs []treeCursor
	sub  []gitobj.ID
}

// treeCursor reads a parent tree in git's entry order.
type treeCursor struct {
	r   gitobj.TreeReader
	cur gitobj.TreeEntry
	ok  bool
	at  int // bytes from the start of cur to the end of the tree
}

// diff records what commit introduced in tree relative to parentTrees.
func (d *histDiffer) diff(tree gitobj.ID, parentTrees []gitobj.ID, commit int32) {
	d.path = d.path[:0]
	d.walk(tree, parentTrees, commit, 0)
}

func (d *histDiffer) readTree(id gitobj.ID) ([]byte, bool) {
	typ, data, err := d.rd.Read(id)
	if err == nil && typ != gitobj.TypeTree {
		err = fmt.Errorf("is a %s, not a tree", typ)
	}
	if err != nil {
		p := string(d.path)
		if p == "" {
			p = "/"
		}
		d.warnings = append(d.warnings, scanner.Warning{Path: p, Err: fmt.Errorf("tree %s: %w", id, err)})
		return nil, false
	}
	return data, true
}

func (d *histDiffer) walk(tree gitobj.ID, parents []gitobj.ID, commit int32, depth int) {
	if depth > maxTreeDepth {
		d.warnings = append(d.warnings, scanner.Warning{Path: string(d.path), Err: fmt.Errorf("directories nested deeper than %d", maxTreeDepth)})
		return
	}
	data, ok := d.readTree(tree)
	if !ok {
		return
	}
	// Parent trees, each read through a cursor in git's entry order. The
	// level's scratch is this call's until it returns; a subtree's walk
	// uses the next level's, and so does its next sibling's after it.
	for len(d.levels) <= depth+1 {
		d.levels = append(d.levels, walkLevel{})
	}
	curs := d.levels[depth].curs[:0]
	defer func() { d.levels[depth].curs = curs[:0] }()
	var parentData []byte
	for _, p := range parents {
		if p == tree {
			return // unchanged relative to a parent: nothing introduced
		}
		pd, ok := d.readTree(p)
		if !ok {
			continue
		}
		c := treeCursor{r: gitobj.NewTreeReader(pd), at: len(pd)}
		c.ok = c.r.Next(&c.cur)
		curs = append(curs, c)
		parentData = pd
	}
	base := len(d.path)
	tr := gitobj.NewTreeReader(data)
	// With one parent (most commits), entries in the longest common prefix
	// and suffix of the two trees' bytes are the same entries: skip them
	// unparsed, and compare only the middle.
	suffix := -1
	if len(curs) == 1 {
		pd := parentData
		pre := commonPrefix(data, pd)
		off := 0
		for off < len(data) {
			n := gitobj.EntryLen(data[off:])
			if n == 0 || off+n > pre {
				break
			}
			off += n
		}
		tr = gitobj.NewTreeReader(data[off:])
		curs[0].r = gitobj.NewTreeReader(pd[off:])
		curs[0].ok = curs[0].r.Next(&curs[0].cur)
		curs[0].at = len(pd) - off
		suffix = commonSuffix(data[off:], pd[off:])
	}
	var e gitobj.TreeEntry
	sub := d.levels[depth].sub[:0]
	defer func() { d.levels[depth].sub = sub[:0] }()
	for {
		// The rest of both trees is the same bytes, from entry boundaries.
		if suffix >= 0 && tr.Len() <= suffix && curs[0].ok && tr.Len() == curs[0].at {
			break
		}
		if !tr.Next(&e) {
			break
		}
		isTree := e.IsTree()
		same := false
		sub = sub[:0]
		for i := range curs {
			c := &curs[i]
			for c.ok && gitobj.CompareEntries(c.cur.Name, c.cur.IsTree(), e.Name, isTree) < 0 {
				c.at = c.r.Len()
				c.ok = c.r.Next(&c.cur)
			}
			if !c.ok || c.cur.IsTree() != isTree || string(c.cur.Name) != string(e.Name) {
				continue
			}
			// The parent's entry of the same name: consume it, so that the
			// cursor always stands at the parent's next unmatched entry.
			id, gitlink := c.cur.ID, c.cur.IsGitlink()
			c.at = c.r.Len()
			c.ok = c.r.Next(&c.cur)
			if id == e.ID && gitlink == e.IsGitlink() {
				same = true
				break
			}
			if isTree {
				sub = append(sub, id)
			}
		}
		if same {
			continue
		}
		d.path = append(d.path[:base], e.Name...)
		switch {
		case e.IsGitlink():
			d.x.submodules[string(d.path)] = true
		case isTree:
			d.path = append(d.path, '/')
			d.walk(e.ID, sub, commit, depth+1)
		default:
			d.x.add(e.ID, d.path, commit)
		}
		d.path = d.path[:base]
	}
	if err := tr.Err(); err != nil {
		d.warnings = append(d.warnings, scanner.Warning{Path: string(d.path), Err: fmt.Errorf("tree %s: %w", tree, err)})
	}
}

// commonPrefix returns the length of the longest common prefix of a and b.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && binary.LittleEndian.Uint64(a[i:]) == binary.LittleEndian.Uint64(b[i:]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix returns the length of the longest common suffix of a and b.
func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && binary.LittleEndian.Uint64(a[len(a)-i-8:]) == binary.LittleEndian.Uint64(b[len(b)-i-8:]) {
		i += 8
	}
	for i < n && a[len(a)-i-1] == b[len(b)-i-1] {
		i++
	}
	return i
}

// treeBlobs calls fn for every blob of a tree, recursively.
func (d *histDiffer) treeBlobs(tree gitobj.ID, fn func(path []byte, id gitobj.ID), depth int) {
	if depth > maxTreeDepth {
		return
	}
	data, ok := d.readTree(tree)
	if !ok {
		return
	}
	base := len(d.path)
	tr := gitobj.NewTreeReader(data)
	var e gitobj.TreeEntry
	for tr.Next(&e) {
		d.path = append(d.path[:base], e.Name...)
		switch {
		case e.IsGitlink():
		case e.IsTree():
			d.path = append(d.path, '/')
			d.treeBlobs(e.ID, fn, depth+1)
		default:
			fn(d.path, e.ID)
		}
	}
	d.path = d.path[:base]
}
