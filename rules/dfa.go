package rules

import (
	"encoding/binary"
	"regexp/syntax"
	"slices"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// The matcher asks one question of most keyword windows: does the rule's
// regex match anywhere in it? Nineteen windows in twenty say no, and Go's
// regexp answers it by trying every start position against the whole
// program, which for the large catch-all rules costs tens of nanoseconds a
// byte. dfaProg answers the same question with a lazily built DFA (states
// are sets of NFA instructions, built the first time the input needs them,
// as RE2 does), at a table lookup per byte. Only windows that match go on to
// Go's regexp for submatch extraction, so results are unchanged: the DFA
// decides existence with exactly regexp.Match's semantics (UTF-8 decoding,
// invalid bytes as U+FFFD, ^ $ \A \z \b \B in and out of multi-line mode,
// case folding), which a differential fuzz test checks.

// dfaMaxStates and dfaMaxPCs bound one cache (states, and instructions
// held by all states): past either, the cache is flushed and rebuilt from
// the current state, so memory stays bounded on any input (about 16 MB for
// the largest default rule).
const (
	dfaMaxStates = 4096
	dfaMaxPCs    = 1 << 20
)

// slowClass marks bytes of 0x80 and above: they start a multi-byte rune
// (or are invalid), and their transitions are computed, not cached.
const slowClass = 0xff

// prevKind is what preceded a position: the start of the input, a word
// character, a newline or anything else. It is all the empty-width
// assertions need to know about the past.
const (
	prevStart uint8 = iota
	prevWord
	prevNewline
	prevOther
)

// dfaProg is the immutable part of a DFA: the compiled program and the
// byte classes. It is safe for concurrent use; each goroutine borrows a
// cache of states.
type dfaProg struct {
	prog    *syntax.Prog
	classOf [256]uint8
	nclass  int

	mu   sync.Mutex
	free []*dfaCache
}

// unionError is a newUnionDFA expression that does not parse.
type unionError struct {
	index int // into the expressions given
	err   error
}

func (e *unionError) Error() string { return e.err.Error() }
func (e *unionError) Unwrap() error { return e.err }

// newDFA compiles expr as regexp.Compile does (Perl syntax, simplified).
func newDFA(expr string) (*dfaProg, error) { return newUnionDFA([]string{expr}) }

// newUnionDFA answers whether any of exprs matches: one DFA for a list of
// path patterns, so a path is read once rather than once per pattern. An
// expression that does not parse is a *unionError naming it.
func newUnionDFA(exprs []string) (*dfaProg, error) {
	prog := generatedProg(exprs)
	if prog == nil {
		var err error
		if prog, err = compileUnion(exprs); err != nil {
			return nil, err
		}
	}
	d := &dfaProg{prog: prog}
	d.buildClasses()
	return d, nil
}

// unionProg is the program compileUnion makes of exprs, compiled when
// default_rules.go is generated (see defaultProgs).
type unionProg struct {
	exprs []string
	prog  syntax.Prog
}

// generatedProg returns the compiled-in program of exprs, or nil if there
// is none. The default rules' path patterns and the paths and globs of
// their allowlists are compiled when default_rules.go is generated: a
// pre-commit hook checks every staged path against them, and parsing and
// compiling them was a tenth of its scanning time. The program is shared,
// and only read.
func generatedProg(exprs []string) *syntax.Prog {
	for i := range defaultProgs {
		if slices.Equal(defaultProgs[i].exprs, exprs) {
			return &defaultProgs[i].prog
		}
	}
	return nil
}

// compileUnion parses and compiles the alternation of exprs; an
// expression that does not parse is a *unionError naming it.
func compileUnion(exprs []string) (*syntax.Prog, error) {
	u := &syntax.Regexp{Op: syntax.OpAlternate}
	for i, e := range exprs {
		re, err := syntax.Parse(e, syntax.Perl)
		if err != nil {
			return nil, &unionError{index: i, err: err}
		}
		u.Sub = append(u.Sub, re)
	}
	if len(u.Sub) == 1 {
		u = u.Sub[0]
	}
	return syntax.Compile(u.Simplify())
}

// buildClasses splits ASCII into classes of bytes that no instruction and
// no assertion can tell apart, so a state's transition table has one entry
// per class rather than per byte.
func (d *dfaProg) buildClasses() {
	var cut [129]bool
	mark := func(lo, hi rune) { // [lo, hi] is one run of equal behaviour
		if lo > 127 || hi < 0 {
			return
		}
		cut[max(lo, 0)] = true
		cut[min(hi+1, 128)] = true
	}
	for _, r := range [][2]rune{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}, {'\n', '\n'}} {
		mark(r[0], r[1])
	}
	for i := range d.prog.Inst {
		in := &d.prog.Inst[i]
		switch in.Op {
		case syntax.InstRune1:
			mark(in.Rune[0], in.Rune[0])
		case syntax.InstRune:
			if len(in.Rune) == 1 {
				mark(in.Rune[0], in.Rune[0])
			} else {
				for j := 0; j+1 < len(in.Rune); j += 2 {
					mark(in.Rune[j], in.Rune[j+1])
				}
			}
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				// Folding reaches ASCII letters from ranges anywhere
				// (K from U+212A, s from U+017F): ask the instruction.
				for c := rune('A'); c <= 'z'; c++ {
					if in.MatchRune(c) {
						mark(c, c)
					}
				}
			}
		}
	}
	class := -1
	for b := 0; b < 128; b++ {
		if cut[b] {
			class++
		}
		d.classOf[b] = uint8(class)
	}
	for b := 128; b < 256; b++ {
		d.classOf[b] = slowClass
	}
	d.nclass = class + 1
}

// match reports whether the regex matches anywhere in b, as
// regexp.Regexp.Match does.
func (d *dfaProg) match(b []byte) bool {
	c := d.acquire()
	ok := c.match(b)
	d.release(c)
	return ok
}

// acquire lends the caller a cache of states for its goroutine; release
// gives it back. A caller asking many questions in a row holds one cache
// rather than taking the lock twice a question.
func (d *dfaProg) acquire() *dfaCache {
	d.mu.Lock()
	var c *dfaCache
	if n := len(d.free); n > 0 {
		c, d.free = d.free[n-1], d.free[:n-1]
	}
	d.mu.Unlock()
	if c == nil {
		c = newDFACache(d)
	}
	return c
}

func (d *dfaProg) release(c *dfaCache) {
	d.mu.Lock()
	d.free = append(d.free, c)
	d.mu.Unlock()
}

// matchIn reports whether the regex matches anywhere inside
// data[start:end] when the assertions (^ $ \A \z \b \B) see what really
// surrounds that range: the rune before start and the rune at end. So a
// range cut out of a long line does not match "^" at its first byte, nor
// "$" at its last. Go's regexp cannot be told the context; a range that
// matches here may still show it extra matches at its edges.
func (d *dfaProg) matchIn(data []byte, start, end int) bool {
	c := d.acquire()
	ok := c.matchIn(data, start, end)
	d.release(c)
	return ok
}

// matchIn is [dfaProg.matchIn] with this cache.
func (c *dfaCache) matchIn(data []byte, start, end int) bool {
	prev := prevStart
	if start > 0 {
		r, _ := utf8.DecodeLastRune(data[:start])
		prev = kindOf(r)
	}
	next := rune(-1)
	if end < len(data) {
		next, _ = utf8.DecodeRune(data[end:])
	}
	return c.matchFrom(data[start:end], prev, next)
}

// matchString is match for a string, without copying it.
func (d *dfaProg) matchString(s string) bool {
	return d.match(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// dfaCache holds the states one goroutine has built. States are sets of
// instructions waiting to be followed through their empty-width
// instructions at the next position, plus what preceded that position.
type dfaCache struct {
	d      *dfaProg
	pcs    []uint32 // every state's instructions, back to back
	states []dfaState
	// trans[(s+1)*nclass+class] is 0 when unknown, -1 when the regex has
	// matched, else the next state's row, (next+1)*nclass: row 0 is
	// unused, so that a known transition is never 0 and the scan loop
	// does one load and one add per byte (see dfaWalk).
	trans []int32
	index map[string]int32

	// Scratch for computing a transition.
	seen  []uint32 // sparse set over instructions
	dense []uint32
	stack []uint32
	runes []uint32
	next  []uint32
	key   []byte
}

type dfaState struct {
	off, n uint32
	prev   uint8
	final  int8 // match at end of input: 0 unknown, 1 no, 2 yes
}

func newDFACache(d *dfaProg) *dfaCache {
	n := len(d.prog.Inst)
	c := &dfaCache{d: d, index: map[string]int32{}, seen: make([]uint32, n), dense: make([]uint32, 0, n)}
	c.reset()
	return c
}

// reset empties the cache but for the start state, which is always state 0.
func (c *dfaCache) reset() {
	c.pcs = c.pcs[:0]
	c.states = c.states[:0]
	c.trans = c.trans[:0]
	for range c.d.nclass { // row 0, unused
		c.trans = append(c.trans, 0)
	}
	clear(c.index)
	c.state([]uint32{uint32(c.d.prog.Start)}, prevStart)
}

// state returns the index of the state (pcs, prev), adding it if new. pcs
// must be sorted. When the cache is full it is flushed first, and flushed
// reports that earlier indexes are gone.
func (c *dfaCache) state(pcs []uint32, prev uint8) (s int32, flushed bool) {
	c.key = append(c.key[:0], prev)
	for _, pc := range pcs {
		c.key = binary.LittleEndian.AppendUint32(c.key, pc)
	}
	if s, ok := c.index[string(c.key)]; ok {
		return s, false
	}
	if len(c.states) >= dfaMaxStates || len(c.pcs)+len(pcs) > dfaMaxPCs {
		key := string(c.key)
		c.reset()
		c.key = append(c.key[:0], key...)
		flushed = true
		if s, ok := c.index[key]; ok {
			return s, true
		}
	}
	s = int32(len(c.states))
	c.states = append(c.states, dfaState{off: uint32(len(c.pcs)), n: uint32(len(pcs)), prev: prev})
	c.pcs = append(c.pcs, pcs...)
	for range c.d.nclass {
		c.trans = append(c.trans, 0)
	}
	c.index[string(c.key)] = s
	return s, flushed
}

// prevRune stands for what preceded a position when evaluating assertions.
func prevRune(k uint8) rune {
	switch k {
	case prevWord:
		return 'a'
	case prevNewline:
		return '\n'
	case prevOther:
		return ' '
	}
	return -1
}

func kindOf(r rune) uint8 {
	switch {
	case r < utf8.RuneSelf && syntax.IsWordChar(r):
		return prevWord
	case r == '\n':
		return prevNewline
	}
	return prevOther
}

func (c *dfaCache) add(pc uint32) bool {
	i := c.seen[pc]
	if int(i) < len(c.dense) && c.dense[i] == pc {
		return false
	}
	c.seen[pc] = uint32(len(c.dense))
	c.dense = append(c.dense, pc)
	return true
}

// closure follows state s's instructions through everything that consumes
// nothing, given that r comes next (-1: the end of the input). It leaves
// the instructions that consume a rune in c.runes and reports whether a
// match was reached.
func (c *dfaCache) closure(s int32, r rune) bool {
	st := c.states[s]
	ctx := syntax.EmptyOpContext(prevRune(st.prev), r)
	c.dense = c.dense[:0]
	c.runes = c.runes[:0]
	c.stack = append(c.stack[:0], c.pcs[st.off:st.off+st.n]...)
	prog := c.d.prog.Inst
	for len(c.stack) > 0 {
		pc := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		if !c.add(pc) {
			continue
		}
		in := &prog[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			c.stack = append(c.stack, in.Arg, in.Out)
		case syntax.InstCapture, syntax.InstNop:
			c.stack = append(c.stack, in.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&^ctx == 0 {
				c.stack = append(c.stack, in.Out)
			}
		case syntax.InstMatch:
			return true
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			c.runes = append(c.runes, pc)
		}
	}
	return false
}

// step computes the transition of state s on rune r: the next state, or
// matched when the regex matches at or before this position.
func (c *dfaCache) step(s int32, r rune) (next int32, matched, flushed bool) {
	if c.closure(s, r) {
		return 0, true, false
	}
	prog := c.d.prog.Inst
	c.next = c.next[:0]
	for _, pc := range c.runes {
		in := &prog[pc]
		var ok bool
		switch in.Op {
		case syntax.InstRune:
			ok = in.MatchRune(r)
		case syntax.InstRune1:
			ok = r == in.Rune[0]
		case syntax.InstRuneAny:
			ok = true
		case syntax.InstRuneAnyNotNL:
			ok = r != '\n'
		}
		if ok {
			c.next = append(c.next, in.Out)
		}
	}
	// Unanchored: a match may also start at the next position.
	c.next = append(c.next, uint32(c.d.prog.Start))
	slices.Sort(c.next)
	c.next = slices.Compact(c.next)
	next, flushed = c.state(c.next, kindOf(r))
	return next, false, flushed
}

func (c *dfaCache) match(b []byte) bool { return c.matchFrom(b, prevStart, -1) }

// matchFrom is match for input preceded by a rune of kind prev (prevStart:
// nothing) and followed by next (-1: nothing).
func (c *dfaCache) matchFrom(b []byte, prev uint8, next rune) bool {
	s := int32(0) // the start state
	if prev != prevStart {
		s, _ = c.state([]uint32{uint32(c.d.prog.Start)}, prev)
	}
	nc := int32(c.d.nclass)
	row := (s + 1) * nc // s's row in trans
	for i := 0; i < len(b); {
		i, row = dfaWalk(c.trans, &c.d.classOf, b, i, row)
		if i == len(b) {
			break
		}
		x := b[i]
		s = row/nc - 1
		if cls := c.d.classOf[x]; cls != slowClass {
			at := row + int32(cls)
			if c.trans[at] < 0 {
				return true
			}
			next, matched, flushed := c.step(s, rune(x))
			if matched {
				c.trans[at] = -1
				return true
			}
			row = (next + 1) * nc
			if !flushed {
				c.trans[at] = row
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		next, matched, _ := c.step(s, r)
		if matched {
			return true
		}
		row = (next + 1) * nc
		i += size
	}
	s = row/nc - 1
	if next >= 0 {
		return c.closure(s, next) // not cached: final is for the end of input
	}
	st := &c.states[s]
	if st.final == 0 {
		st.final = 1
		if c.closure(s, -1) {
			st.final = 2
		}
	}
	return st.final == 2
}

// dfaWalk follows the known transitions of trans from the state whose row
// starts at row, over b from offset i, and returns where it stopped (at a
// byte of slowClass, an unknown transition or a match, or at len(b)) and
// the row of the state there. It calls nothing, so that its loop runs in
// registers: one load and one add per byte.
func dfaWalk(trans []int32, classOf *[256]uint8, b []byte, i int, row int32) (int, int32) {
	for ; i < len(b); i++ {
		cls := classOf[b[i]]
		if cls == slowClass {
			break
		}
		t := trans[row+int32(cls)]
		if t <= 0 {
			break
		}
		row = t
	}
	return i, row
}
