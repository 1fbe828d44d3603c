package rules

// acMachine is an Aho-Corasick automaton compiled to a dense DFA over byte
// equivalence classes. Input bytes are folded to ASCII lower case by the
// class table itself, so one pass finds every keyword ignoring case at no
// extra cost; case-sensitive keywords are verified on each hit.
type acMachine struct {
	class   [256]uint8 // input byte -> equivalence class (folded)
	nclass  int
	outs    [][]int32
	hasOut  []bool
	lengths []int // pattern id -> length
	// fast is the transition table, indexed by state*nclass + class, whose
	// entries are next states premultiplied by nclass, stored as
	// ^(premultiplied state) for states with outputs: the scan loop does
	// one load and one add per byte.
	fast []int32
}

// newAC builds the automaton for the given patterns (matched ignoring ASCII
// case). Pattern ids are indexes into pats.
func newAC(pats []string) *acMachine {
	m := &acMachine{lengths: make([]int, len(pats))}
	// Equivalence classes: every byte that occurs in a folded pattern gets
	// its own class; all other bytes share class 0.
	var used [256]bool
	for _, p := range pats {
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
	// class, -1 where there is none. No maps: building the automaton is on
	// the start-up path of every pre-commit hook.
	empty := make([]int32, n)
	for i := range empty {
		empty[i] = -1
	}
	delta := append(make([]int32, 0, 64*n), empty...)
	outs := [][]int32{nil}
	for id, p := range pats {
		m.lengths[id] = len(p)
		s := int32(0)
		for i := 0; i < len(p); i++ {
			at := int(s)*n + int(m.class[p[i]])
			nx := delta[at]
			if nx < 0 {
				nx = int32(len(outs))
				outs = append(outs, nil)
				delta = append(delta, empty...)
				delta[at] = nx
			}
			s = nx
		}
		outs[s] = append(outs[s], int32(id))
	}

	// Breadth-first construction of failure links and the full DFA, in
	// place: missing transitions take the failure state's.
	ns := len(outs)
	fail := make([]int32, ns)
	m.hasOut = make([]bool, ns)
	queue := make([]int32, 0, ns)
	for c := 0; c < n; c++ {
		if nx := delta[c]; nx > 0 {
			fail[nx] = 0
			queue = append(queue, nx)
		} else {
			delta[c] = 0
		}
	}
	m.hasOut[0] = len(outs[0]) > 0
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if f := outs[fail[s]]; len(f) > 0 {
			outs[s] = append(outs[s][:len(outs[s]):len(outs[s])], f...)
		}
		m.hasOut[s] = len(outs[s]) > 0
		row, frow := int(s)*n, int(fail[s])*n
		for c := 0; c < n; c++ {
			if nx := delta[row+c]; nx >= 0 {
				fail[nx] = delta[frow+c]
				queue = append(queue, nx)
			} else {
				delta[row+c] = delta[frow+c]
			}
		}
	}
	m.outs = outs
	// Premultiply states and flag output states, in place.
	for i, next := range delta {
		v := next * int32(n)
		if m.hasOut[next] {
			v = ^v
		}
		delta[i] = v
	}
	m.fast = delta
	return m
}

func fold(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// scan calls hit(patternID, end) for every occurrence of every pattern in
// data, where end is the offset just past the occurrence.
func (m *acMachine) scan(data []byte, hit func(id int32, end int)) {
	fast, class, n := m.fast, &m.class, int32(m.nclass)
	var s int32
	for i, b := range data {
		v := fast[s+int32(class[b])]
		if v >= 0 {
			s = v
			continue
		}
		s = ^v
		for _, id := range m.outs[s/n] {
			hit(id, i+1)
		}
	}
}
