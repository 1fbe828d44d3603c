package rules

// acMachine is an Aho-Corasick automaton compiled to a dense DFA over byte
// equivalence classes. Input bytes are folded to ASCII lower case by the
// class table itself, so one pass finds every keyword ignoring case at no
// extra cost; case-sensitive keywords are verified on each hit.
//
// The automaton of the default rules is built by the generator of
// default_rules.go and compiled into the binary as static data (see
// defaultAC), so a process that uses the default rules does not build it.
type acMachine struct {
	class  [256]uint8 // input byte -> equivalence class (folded)
	nclass int
	maxLen int // of the longest pattern
	// fast is the transition table, indexed by state*nclass + class, whose
	// entries are next states premultiplied by nclass, stored as
	// ^(premultiplied state) for states with outputs: the scan loop does
	// one load and one add per byte.
	fast []int32
	// The patterns that end at state s (not premultiplied) are
	// outIDs[outStart[s]:outStart[s+1]], in the order they are reported.
	outStart []int32
	outIDs   []int32
}

// newAC builds the automaton for the given patterns (matched ignoring ASCII
// case). Pattern ids are indexes into pats.
func newAC(pats []string) *acMachine {
	m := &acMachine{}
	// Equivalence classes: every byte that occurs in a folded pattern gets
	// its own class; all other bytes share class 0.
	var used [256]bool
	total := 1 // states at most: the root and one per pattern byte
	for _, p := range pats {
		total += len(p)
		for i := 0; i < len(p); i++ {
			used[fold(p[i])] = true
		}
	}
	var folded [256]uint8
	n := 1
	for b := 0; b < 256; b++ {
		if used[b] {
			folded[b] = uint8(n)
			n++
		}
	}
	for b := 0; b < 256; b++ {
		m.class[b] = folded[fold(byte(b))]
	}
	m.nclass = n

	// Trie, stored densely: row s holds the child of state s for each
	// class, -1 where there is none. No maps, and the table is allocated
	// once at its largest size: building the automaton is on the start-up
	// path of every pre-commit hook that does not use the compiled-in one.
	delta := make([]int32, total*n)
	for i := range n {
		delta[i] = -1
	}
	ns := 1
	outs := make([][]int32, total)
	for id, p := range pats {
		m.maxLen = max(m.maxLen, len(p))
		s := int32(0)
		for i := 0; i < len(p); i++ {
			at := int(s)*n + int(m.class[p[i]])
			nx := delta[at]
			if nx < 0 {
				nx = int32(ns)
				row := delta[ns*n : ns*n+n]
				for c := range row {
					row[c] = -1
				}
				ns++
				delta[at] = nx
			}
			s = nx
		}
		outs[s] = append(outs[s], int32(id))
	}
	delta, outs = delta[:ns*n:ns*n], outs[:ns]

	// Breadth-first construction of failure links and the full DFA, in
	// place: missing transitions take the failure state's.
	fail := make([]int32, ns)
	order := make([]int32, 1, ns) // the states in breadth-first order
	for c := 0; c < n; c++ {
		if nx := delta[c]; nx > 0 {
			fail[nx] = 0
			order = append(order, nx)
		} else {
			delta[c] = 0
		}
	}
	for k := 1; k < len(order); k++ {
		s := order[k]
		if f := outs[fail[s]]; len(f) > 0 {
			outs[s] = append(outs[s][:len(outs[s]):len(outs[s])], f...)
		}
		row, frow := int(s)*n, int(fail[s])*n
		for c := 0; c < n; c++ {
			if nx := delta[row+c]; nx >= 0 {
				fail[nx] = delta[frow+c]
				order = append(order, nx)
			} else {
				delta[row+c] = delta[frow+c]
			}
		}
	}
	// Renumber the states in breadth-first order: the shallow states,
	// where ordinary text keeps the automaton most of the time, then
	// share a few hundred kilobytes of the table rather than being
	// strewn over all of it (the scan runs about a tenth faster).
	newID := make([]int32, ns)
	for i, s := range order {
		newID[s] = int32(i)
	}
	table := make([]int32, ns*n)
	m.outStart = make([]int32, ns+1)
	nout := 0
	for _, o := range outs {
		nout += len(o)
	}
	m.outIDs = make([]int32, 0, nout)
	for i, s := range order {
		row := delta[int(s)*n : int(s)*n+n]
		for c, next := range row {
			// Premultiplied, and flagged for states with outputs.
			v := newID[next] * int32(n)
			if len(outs[next]) > 0 {
				v = ^v
			}
			table[i*n+c] = v
		}
		m.outIDs = append(m.outIDs, outs[s]...)
		m.outStart[i+1] = int32(len(m.outIDs))
	}
	m.fast = table
	return m
}

func fold(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// acStreams is how many parts of a long input scan walks at once (the
// loop in scanSplit is written out for four), and acSplitMin the input
// length from which it splits one.
const (
	acStreams  = 4
	acSplitMin = 1 << 10
)

// scan calls hit for every occurrence of every pattern in data, with end
// the offset just past the occurrence. Each byte's step waits on the load
// of the step before, so a long input is cut into acStreams parts walked
// at once, their steps interleaved: independent chains keep the CPU busy
// (the keyword pass runs about twice as fast). part says which part found
// a hit: each part's hits come in order of end, and every hit of a part
// ends after every hit of the parts before it. An input shorter than
// acSplitMin is one part.
func (m *acMachine) scan(data []byte, hit func(part int, id int32, end int)) {
	m.scanSplit(data, acSplitMin, hit)
}

// scanSplit is scan, splitting inputs of at least minSplit bytes.
func (m *acMachine) scanSplit(data []byte, minSplit int, hit func(part int, id int32, end int)) {
	// Part j reports the occurrences that end in (j*q, (j+1)*q], the last
	// part those that end after 3*q; it starts ov bytes early, so that the
	// first of them lies whole inside it.
	ov := max(m.maxLen-1, 0)
	q := len(data) / acStreams
	if len(data) < minSplit || q <= ov {
		m.run(data, 0, len(data), 0, 0, 0, hit)
		return
	}
	p0 := data[:q]
	p1 := data[q-ov : 2*q-ov]
	p2 := data[2*q-ov : 3*q-ov]
	p3 := data[3*q-ov : 4*q-ov]
	var st [acStreams]int32
	for i := 0; ; i++ {
		i = walk4(m.fast, &m.class, p0, p1, p2, p3, &st, i)
		if i == len(p0) {
			break
		}
		st[0] = m.step(0, st[0], i+1, 0, hit)
		st[1] = m.step(1, st[1], q-ov+i+1, q, hit)
		st[2] = m.step(2, st[2], 2*q-ov+i+1, 2*q, hit)
		st[3] = m.step(3, st[3], 3*q-ov+i+1, 3*q, hit)
	}
	s1, s2, s3 := st[1], st[2], st[3]
	// Each later part has ov bytes left, the last one also the remainder.
	m.run(data, 2*q-ov, 2*q, s1, 1, q, hit)
	m.run(data, 3*q-ov, 3*q, s2, 2, 2*q, hit)
	m.run(data, 4*q-ov, len(data), s3, 3, 3*q, hit)
}

// walk4 steps the automaton over four parts of equal length at once, from
// states st and offset i, until one of them reaches an output state or the
// parts end. It returns the offset of that step, whose table values (one
// or more of them flagged) are then in st, or len(p0). It calls nothing,
// so that the compiler keeps the four states in registers: each byte's
// step waits only on the loads of the one before.
func walk4(fast []int32, class *[256]uint8, p0, p1, p2, p3 []byte, st *[acStreams]int32, i int) int {
	p1, p2, p3 = p1[:len(p0)], p2[:len(p0)], p3[:len(p0)]
	s0, s1, s2, s3 := st[0], st[1], st[2], st[3]
	for ; i < len(p0); i++ {
		s0 = fast[uint32(s0)+uint32(class[p0[i]])]
		s1 = fast[uint32(s1)+uint32(class[p1[i]])]
		s2 = fast[uint32(s2)+uint32(class[p2[i]])]
		s3 = fast[uint32(s3)+uint32(class[p3[i]])]
		if s0|s1|s2|s3 < 0 {
			break
		}
	}
	st[0], st[1], st[2], st[3] = s0, s1, s2, s3
	return i
}

// step takes the table value v the automaton reached at end and returns
// the state; for an output state it reports the occurrences that end
// after lo, as part's.
func (m *acMachine) step(part int, v int32, end, lo int, hit func(part int, id int32, end int)) int32 {
	if v >= 0 {
		return v
	}
	s := ^v
	if end > lo {
		st := s / int32(m.nclass)
		for _, id := range m.outIDs[m.outStart[st]:m.outStart[st+1]] {
			hit(part, id, end)
		}
	}
	return s
}

// run steps the automaton from state s (premultiplied) over
// data[from:to], reporting as part the occurrences that end after lo.
func (m *acMachine) run(data []byte, from, to int, s int32, part, lo int, hit func(part int, id int32, end int)) {
	for i := from; i < to; i++ {
		i, s = walk1(m.fast, &m.class, data[:to], i, s)
		if i == to {
			break
		}
		s = m.step(part, s, i+1, lo, hit)
	}
}

// walk1 is walk4 for one part: it steps the automaton from state s over
// data from offset i until it reaches an output state, and returns the
// offset of that step and its (flagged) table value, or len(data).
func walk1(fast []int32, class *[256]uint8, data []byte, i int, s int32) (int, int32) {
	for ; i < len(data); i++ {
		s = fast[uint32(s)+uint32(class[data[i]])]
		if s < 0 {
			break
		}
	}
	return i, s
}
