package gitobj

import (
	"bytes"
	"testing"
)

// TestLRU drives the cache through puts, lookups and evictions and checks
// what it still holds after each step, against a plain model of least
// recently used order.
func TestLRU(t *testing.T) {
	t.Parallel()
	key := func(n int) cacheKey { return cacheKey{pack: n % 2, off: uint64(n)} }
	id := func(n int) ID { var x ID; x[0], x[19] = byte(n), 0xEE; return x }
	val := func(n int) []byte { return bytes.Repeat([]byte{byte(n)}, 36) } // 36+64 = 100 bytes charged
	// A budget of 400 holds four entries; a put of a fifth evicts the
	// least recently used.
	c := newLRU(400)
	var model []int // most recent first
	use := func(n int) {
		for i, m := range model {
			if m == n {
				model = append(model[:i], model[i+1:]...)
				break
			}
		}
		model = append([]int{n}, model...)
	}
	put := func(n int) {
		c.put(key(n), TypeTree, val(n))
		use(n)
		if len(model) > 4 {
			model = model[:4]
		}
	}
	check := func(step string) {
		t.Helper()
		held := map[int]bool{}
		for _, n := range model {
			held[n] = true
		}
		for n := range 12 {
			_, ok := c.m[key(n)]
			if ok != held[n] {
				t.Fatalf("%s: entry %d cached = %v, want %v (model %v)", step, n, ok, held[n], model)
			}
		}
		// The list, walked from the head, is the model's order.
		var order []int
		for i := c.head; i >= 0; i = c.ents[i].next {
			order = append(order, int(c.ents[i].key.off))
		}
		if len(order) != len(model) {
			t.Fatalf("%s: list %v, model %v", step, order, model)
		}
		for i := range order {
			if order[i] != model[i] {
				t.Fatalf("%s: list %v, model %v", step, order, model)
			}
		}
		if c.used != 100*len(model) {
			t.Fatalf("%s: %d bytes charged, want %d", step, c.used, 100*len(model))
		}
	}
	for n := range 4 {
		put(n)
	}
	check("four puts")
	if typ, data, ok := c.get(key(0)); !ok || typ != TypeTree || !bytes.Equal(data, val(0)) {
		t.Fatalf("get 0: %v %q %v", typ, data, ok)
	}
	use(0)
	check("get touches")
	c.setID(key(1), id(1))
	if _, data, ok := c.getID(id(1)); !ok || !bytes.Equal(data, val(1)) {
		t.Fatal("getID after setID")
	}
	use(1)
	check("getID touches")
	put(4) // evicts 2, the least recently used
	check("evict one")
	put(5) // evicts 3
	put(6) // evicts 0
	put(7) // evicts 1, which had an id
	check("evict all of the first")
	if _, _, ok := c.getID(id(1)); ok {
		t.Fatal("an evicted entry is still found by id")
	}
	if len(c.ents) != 5 {
		t.Fatalf("%d slots for at most 5 live entries at once: evicted slots are not reused", len(c.ents))
	}
	put(5) // already there: touched, not added twice
	check("put again")
	c.put(key(9), TypeBlob, make([]byte, 51)) // over a eighth of the budget: not cached
	check("too large")
	for n := 8; n < 12; n++ {
		put(n)
	}
	check("turnover")
}
