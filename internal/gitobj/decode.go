package gitobj

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/keylint/keylint/internal/safeio"
)

// errEntryCRC: a packed entry's bytes differ from what its index says.
var errEntryCRC = errors.New("entry does not match the CRC-32 in the pack index")

// DecodeOptions configure [DB.Decode].
type DecodeOptions struct {
	// Workers is the number of goroutines decoding (default 1).
	Workers int
	// MaxSize, when positive, is the size above which a wanted object is
	// not handed to the callback: it gets a *[TooLargeError] instead, and
	// is not even decoded unless another wanted object is a delta of it.
	MaxSize int64
	// Stats, when set, counts the work done.
	Stats *DecodeStats
}

// DecodeStats counts the work of [DB.Decode]: how many zlib streams were
// inflated and how many bytes they gave, how many deltas were applied and
// how many bytes they produced. Tests bound them; they are safe to read
// while Decode runs.
type DecodeStats struct {
	Inflated, InflatedBytes atomic.Int64
	Applied, AppliedBytes   atomic.Int64
}

func (s *DecodeStats) inflated(b []byte) {
	if s != nil {
		s.Inflated.Add(1)
		s.InflatedBytes.Add(int64(len(b)))
	}
}

func (s *DecodeStats) applied(b []byte) {
	if s != nil {
		s.Applied.Add(1)
		s.AppliedBytes.Add(int64(len(b)))
	}
}

// TooLargeError is given to the [DB.Decode] callback for an object larger
// than [DecodeOptions.MaxSize].
type TooLargeError struct{ Size int64 }

func (e *TooLargeError) Error() string { return fmt.Sprintf("object of %d bytes is too large", e.Size) }

// DecodeFunc receives one decoded object, or the error that prevented
// decoding it (wrapping [ErrNotFound] for a missing object). i is the
// object's index in the ids given to [DB.Decode]. Calls come concurrently
// from several workers; worker identifies the calling worker (0 to
// Workers-1) and calls from one worker never overlap, so the function can
// keep per-worker state without locks. data is only valid during the call.
type DecodeFunc func(worker, i int, typ Type, data []byte, err error)

// node is one pack entry of the delta forest that [DB.Decode] walks: a
// wanted object, or a base that a wanted object needs.
type node struct {
	off      uint64
	e        entry
	err      error   // the entry could not be read
	want     []int32 // indexes into ids of the objects stored here
	children []int32 // deltas whose base is this entry
	ext      bool    // a ref-delta whose base is outside this pack
	visited  bool
	// crc is the index's CRC-32 of the entry, known for wanted entries
	// of a version 2 index. Checking it over the compressed bytes is
	// cheaper than checking the zlib stream's Adler-32 over the
	// inflated ones, and proves as much.
	crc    uint32
	hasCRC bool
}

type forest struct {
	pi    int
	nodes []node
	byOff map[uint64]int32
	roots []int32
	block []int32 // backing for one-element want and children slices
}

// packedObject is a wanted object found in a pack.
type packedObject struct {
	off    uint64
	pack   int32
	i      int32 // index into ids
	crc    uint32
	hasCRC bool
}

type task struct {
	f     *forest // nil for a loose object
	root  int32
	loose int // index into ids
	off   uint64
}

// Decode decodes each object of ids exactly once and passes it to fn.
// Packed objects are decoded in pack order: each delta tree is walked from
// its base, every delta applied once onto its already decoded base, with
// per-worker reusable buffers; a base is dropped as soon as its last delta
// is applied. Memory therefore stays bounded by the worker count times the
// size of the largest objects of one delta chain.
//
// Problems with single objects (missing, too large, corrupt) go to fn;
// Decode returns an error only when ctx is cancelled.
func (db *DB) Decode(ctx context.Context, ids []ID, opt DecodeOptions, fn DecodeFunc) error {
	workers := max(opt.Workers, 1)
	forests := make([]*forest, len(db.packs))
	var tasks []task
	packed := make([]packedObject, 0, len(ids))
	last := 0
	for i, id := range ids {
		loc, ok := db.locate(id, last)
		switch {
		case !ok:
			fn(0, i, 0, nil, fmt.Errorf("object %s: %w", id, ErrNotFound))
		case loc.pack < 0:
			tasks = append(tasks, task{loose: i, root: -1})
		default:
			last = loc.pack
			packed = append(packed, packedObject{off: loc.off, pack: int32(loc.pack), i: int32(i), crc: loc.crc, hasCRC: loc.hasCRC})
		}
	}
	// Entry headers are read in pack order, which reads each pack front
	// to back instead of at random, and usually finds an offset delta's
	// base, earlier in the pack, already there.
	slices.SortFunc(packed, func(a, b packedObject) int {
		if a.pack != b.pack {
			return int(a.pack - b.pack)
		}
		if a.off != b.off {
			return cmp.Compare(a.off, b.off)
		}
		return int(a.i - b.i)
	})
	for k, o := range packed {
		f := forests[o.pack]
		if f == nil {
			f = &forest{pi: int(o.pack), byOff: make(map[uint64]int32, len(packed)-k), nodes: make([]node, 0, len(packed)-k)}
			forests[o.pack] = f
		}
		f.add(db.packs[o.pack], location{pack: int(o.pack), off: o.off, crc: o.crc, hasCRC: o.hasCRC}, o.i)
	}
	for _, f := range forests {
		if f == nil {
			continue
		}
		for _, r := range f.roots {
			tasks = append(tasks, task{f: f, root: r, off: f.nodes[r].off})
		}
	}
	// Pack order: by pack, then offset; loose objects last.
	slices.SortStableFunc(tasks, func(a, b task) int {
		switch {
		case a.f == nil || b.f == nil:
			return boolCmp(a.f == nil, b.f == nil)
		case a.f.pi != b.f.pi:
			return a.f.pi - b.f.pi
		case a.off < b.off:
			return -1
		case a.off > b.off:
			return 1
		}
		return 0
	})

	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := &worker{db: db, id: w, ctx: ctx, opt: opt, fn: fn, ids: ids}
			for ctx.Err() == nil {
				t := next.Add(1) - 1
				if t >= int64(len(tasks)) {
					return
				}
				wk.run(tasks[t])
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	// Entries never reached from a base: a ref-delta cycle in a hostile pack.
	for _, f := range forests {
		if f == nil {
			continue
		}
		for ni := range f.nodes {
			n := &f.nodes[ni]
			if !n.visited {
				for _, i := range n.want {
					fn(0, int(i), 0, nil, corrupt(db.packs[f.pi].path, "delta chain of the entry at %d never reaches a base", n.off))
				}
			}
		}
	}
	return nil
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// one returns a slice holding just v, cut from a shared block: most nodes
// want one object and have at most one delta, and a slice each would
// cost an allocation each. Appending to it reallocates, leaving the block
// alone.
func (f *forest) one(v int32) []int32 {
	if len(f.block) == cap(f.block) {
		f.block = make([]int32, 0, 1024)
	}
	f.block = append(f.block, v)
	n := len(f.block)
	return f.block[n-1 : n : n]
}

// add adds the entry at off, wanted as ids[i], and the chain of bases it
// needs, to the forest.
func (f *forest) add(p *pack, loc location, i int32) {
	off := loc.off
	if ni, ok := f.byOff[off]; ok {
		n := &f.nodes[ni]
		n.want = append(n.want, i)
		n.crc, n.hasCRC = loc.crc, loc.hasCRC
		return
	}
	child := int32(-1)
	for steps := 0; ; steps++ {
		if ni, ok := f.byOff[off]; ok {
			n := &f.nodes[ni]
			if n.children == nil {
				n.children = f.one(child)
			} else {
				n.children = append(n.children, child)
			}
			return
		}
		ni := int32(len(f.nodes))
		f.nodes = append(f.nodes, node{off: off})
		f.byOff[off] = ni
		n := &f.nodes[ni]
		if child < 0 {
			n.want = f.one(i)
			n.crc, n.hasCRC = loc.crc, loc.hasCRC
		} else {
			n.children = f.one(child)
		}
		n.e, n.err = p.entryAt(off)
		if n.err == nil && steps >= maxChain {
			n.err = corrupt(p.path, "delta chain longer than %d", maxChain)
		}
		if n.err != nil {
			f.roots = append(f.roots, ni)
			return
		}
		switch n.e.typ {
		case typeOfsDelta:
			child, off = ni, n.e.baseOff
			continue
		case typeRefDelta:
			j, ok := p.idx.find(n.e.baseID)
			if ok {
				var err error
				if off, err = p.idx.offset(j); err == nil {
					child = ni
					continue
				}
			}
			n.ext = true
		}
		f.roots = append(f.roots, ni)
		return
	}
}

// worker decodes delta trees with its own inflater and buffers.
type worker struct {
	db    *DB
	id    int
	ctx   context.Context
	opt   DecodeOptions
	fn    DecodeFunc
	ids   []ID
	inf   inflater
	delta []byte
	free  [][]byte
	// freeBytes is the capacity held in free.
	freeBytes int
}

func (w *worker) run(t task) {
	if t.f == nil {
		w.runLoose(t.loose)
		return
	}
	f := t.f
	p := w.db.packs[f.pi]
	n := &f.nodes[t.root]
	if n.err != nil {
		w.fail(f, t.root, n.err)
		return
	}
	var (
		typ  Type
		data []byte
		err  error
	)
	if n.ext {
		var base []byte
		typ, base, err = w.db.Read(n.e.baseID)
		if err == nil {
			data, err = w.applyEntry(p, n, base)
		}
	} else {
		typ = n.e.typ
		if len(n.children) == 0 && w.tooLarge(f, t.root, n.e.size) {
			return
		}
		if !inflatePlausible(n.e.size, len(p.stream(n.e))) {
			w.fail(f, t.root, corrupt(p.path, "entry at %d claims %d bytes", n.off, n.e.size))
			return
		}
		data, err = w.inflate(p, n, w.get(n.e.size))
		w.opt.Stats.inflated(data)
		if err != nil {
			err = corrupt(p.path, "entry at %d: %v", n.off, err)
		}
	}
	if err != nil {
		w.fail(f, t.root, err)
		return
	}
	w.visit(f, p, t.root, typ, data)
}

// visit hands the decoded entry ni to the callback, then decodes its
// deltas depth first. It owns data and recycles it once the last delta has
// been applied.
func (w *worker) visit(f *forest, p *pack, ni int32, typ Type, data []byte) {
	n := &f.nodes[ni]
	n.visited = true
	if len(n.want) > 0 {
		if w.opt.MaxSize > 0 && int64(len(data)) > w.opt.MaxSize {
			w.report(n.want, typ, nil, &TooLargeError{Size: int64(len(data))})
		} else {
			w.report(n.want, typ, data, nil)
		}
	}
	kids := n.children
	for k, ci := range kids {
		if w.ctx.Err() != nil {
			break
		}
		c := &f.nodes[ci]
		if c.err != nil {
			w.fail(f, ci, c.err)
			continue
		}
		delta, rsize, err := w.loadDelta(p, c, len(data))
		if err != nil {
			w.fail(f, ci, err)
			continue
		}
		if len(c.children) == 0 && w.tooLarge(f, ci, rsize) {
			continue
		}
		out, err := w.applyLoaded(p, c, data, delta, rsize)
		if err != nil {
			w.fail(f, ci, err)
			continue
		}
		if k == len(kids)-1 {
			w.put(data) // the last delta of this base: drop it before descending
			data = nil
		}
		w.visit(f, p, ci, typ, out)
	}
	if data != nil {
		w.put(data)
	}
}

// inflate inflates entry n's data into dst, checking the index's CRC-32
// of the entry where known, else the zlib stream's Adler-32.
func (w *worker) inflate(p *pack, n *node, dst []byte) ([]byte, error) {
	if !n.hasCRC {
		return w.inf.inflate(dst, p.stream(n.e), n.e.size)
	}
	out, used, err := w.inf.inflateN(dst, p.stream(n.e), n.e.size, false)
	if err != nil {
		return nil, err
	}
	if crc32.ChecksumIEEE(p.data[n.off:n.e.dataOff+uint64(used)]) != n.crc {
		return nil, errEntryCRC
	}
	return out, nil
}

// applyEntry inflates the delta entry n and applies it to base.
func (w *worker) applyEntry(p *pack, n *node, base []byte) ([]byte, error) {
	delta, rsize, err := w.loadDelta(p, n, len(base))
	if err != nil {
		return nil, err
	}
	return w.applyLoaded(p, n, base, delta, rsize)
}

// loadDelta inflates the delta entry n (into the worker's delta buffer)
// and checks that it can apply to a base of baseLen bytes; rsize is the
// size of the result.
func (w *worker) loadDelta(p *pack, n *node, baseLen int) (delta []byte, rsize uint64, err error) {
	delta, err = w.inflate(p, n, w.delta)
	w.opt.Stats.inflated(delta)
	if err != nil {
		return nil, 0, corrupt(p.path, "delta at %d: %v", n.off, err)
	}
	w.delta = delta[:0]
	_, rsize, _, err = deltaSizes(delta)
	if err == nil && !deltaPlausible(delta, baseLen, rsize) {
		err = errDeltaSize
	}
	if err != nil {
		return nil, 0, corrupt(p.path, "delta at %d: %v", n.off, err)
	}
	return delta, rsize, nil
}

// applyLoaded applies a delta from loadDelta to base.
func (w *worker) applyLoaded(p *pack, n *node, base, delta []byte, rsize uint64) ([]byte, error) {
	out, err := applyDelta(w.get(rsize), base, delta)
	w.opt.Stats.applied(out)
	if err != nil {
		return nil, corrupt(p.path, "delta at %d: %v", n.off, err)
	}
	return out, nil
}

// tooLarge reports a wanted leaf over the size limit without decoding it.
func (w *worker) tooLarge(f *forest, ni int32, size uint64) bool {
	if w.opt.MaxSize <= 0 || size <= uint64(w.opt.MaxSize) {
		return false
	}
	n := &f.nodes[ni]
	n.visited = true
	w.report(n.want, 0, nil, &TooLargeError{Size: int64(size)})
	return true
}

// fail reports err to every wanted object of the subtree rooted at ni.
func (w *worker) fail(f *forest, ni int32, err error) {
	stack := []int32{ni}
	for len(stack) > 0 {
		n := &f.nodes[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		n.visited = true
		w.report(n.want, 0, nil, err)
		stack = append(stack, n.children...)
	}
}

func (w *worker) report(want []int32, typ Type, data []byte, err error) {
	for _, i := range want {
		e := err
		if e != nil {
			e = fmt.Errorf("object %s: %w", w.ids[i], err)
		}
		w.fn(w.id, int(i), typ, data, e)
	}
}

func (w *worker) runLoose(i int) {
	loc, ok := w.db.locate(w.ids[i], 0)
	if !ok || loc.pack >= 0 {
		w.fn(w.id, i, 0, nil, fmt.Errorf("object %s: %w", w.ids[i], ErrNotFound))
		return
	}
	raw, err := safeio.ReadFile(loc.loose, -1)
	if err != nil {
		w.fn(w.id, i, 0, nil, err)
		return
	}
	buf := w.get(0)
	typ, data, err := w.inf.readLoose(loc.loose, raw, buf)
	w.opt.Stats.inflated(data)
	if err == nil && w.opt.MaxSize > 0 && int64(len(data)) > w.opt.MaxSize {
		data, err = nil, &TooLargeError{Size: int64(len(data))}
	}
	w.fn(w.id, i, typ, data, err)
	if data != nil {
		w.put(data)
	}
}

// Buffers: a small per-worker free list, bounded in count and in bytes, so
// that a run of large objects does not leave large buffers behind.
const (
	maxFree      = 8
	maxFreeBytes = 32 << 20
)

func (w *worker) get(size uint64) []byte {
	best := -1
	for i, b := range w.free {
		if uint64(cap(b)) >= size && (best < 0 || cap(b) < cap(w.free[best])) {
			best = i
		}
	}
	if best < 0 {
		// Room to grow: the next object of a chain is usually a little
		// larger than the last, and an exact fit would serve only once.
		return make([]byte, 0, max(size+size/4, 4096))
	}
	b := w.free[best]
	w.free[best] = w.free[len(w.free)-1]
	w.free = w.free[:len(w.free)-1]
	w.freeBytes -= cap(b)
	return b[:0]
}

func (w *worker) put(b []byte) {
	if cap(b) > maxFreeBytes/2 {
		return
	}
	// Make room: drop the smallest buffers first, they are cheap to remake.
	for len(w.free) > 0 && (len(w.free) >= maxFree || w.freeBytes+cap(b) > maxFreeBytes) {
		small := 0
		for i, f := range w.free {
			if cap(f) < cap(w.free[small]) {
				small = i
			}
		}
		if cap(w.free[small]) >= cap(b) {
			return // b is the smallest: drop it instead
		}
		w.freeBytes -= cap(w.free[small])
		w.free[small] = w.free[len(w.free)-1]
		w.free = w.free[:len(w.free)-1]
	}
	w.free = append(w.free, b[:0])
	w.freeBytes += cap(b)
}
