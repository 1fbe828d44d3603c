package rules

// acMachine is an Aho-Corasick automaton compiled to a dense DFA over byte
// equivalence classes. Input bytes are folded to ASCII lower case by the
// class table itself, so one pass finds every keyword ignoring case at no
// extra cost; case-sensitive keywords are verified on each hit.
type acMachine struct {
	class   [256]uint8 // input byte -> equivalence class (folded)
	nclass  int
	delta   []int32 // state*nclass + class -> next state
	outs    [][]int32
	hasOut  []bool
	lengths []int // pattern id -> length
	// fast is delta with states premultiplied by nclass, and states that
	// have outputs stored as ^(premultiplied state): the scan loop does one
	// load and one add per byte.
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

	// Trie.
	type node struct {
		next map[uint8]int32
		out  []int32
	}
	nodes := []node{{next: map[uint8]int32{}}}
	for id, p := range pats {
		m.lengths[id] = len(p)
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := m.class[p[i]]
			nx, ok := nodes[s].next[c]
			if !ok {
				nodes = append(nodes, node{next: map[uint8]int32{}})
				nx = int32(len(nodes) - 1)
				nodes[s].next[c] = nx
			}
			s = nx
		}
		nodes[s].out = append(nodes[s].out, int32(id))
	}

	// Breadth-first construction of failure links and the full DFA.
	ns := len(nodes)
	m.delta = make([]int32, ns*n)
	fail := make([]int32, ns)
	m.outs = make([][]int32, ns)
	m.hasOut = make([]bool, ns)
	queue := make([]int32, 0, ns)
	for c := 0; c < n; c++ {
		if nx, ok := nodes[0].next[uint8(c)]; ok {
			m.delta[c] = nx
			fail[nx] = 0
			queue = append(queue, nx)
		}
	}
	m.outs[0] = nodes[0].out
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		out := append([]int32(nil), nodes[s].out...)
		out = append(out, m.outs[fail[s]]...)
		m.outs[s] = out
		m.hasOut[s] = len(out) > 0
		for c := 0; c < n; c++ {
			if nx, ok := nodes[s].next[uint8(c)]; ok {
				fail[nx] = m.delta[int(fail[s])*n+c]
				m.delta[int(s)*n+c] = nx
				queue = append(queue, nx)
			} else {
				m.delta[int(s)*n+c] = m.delta[int(fail[s])*n+c]
			}
		}
	}
	m.fast = make([]int32, len(m.delta))
	for i, next := range m.delta {
		v := next * int32(n)
		if m.hasOut[next] {
			v = ^v
		}
		m.fast[i] = v
	}
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
