package gitobj

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
)

// zlibRef inflates with the standard library, at most limit bytes.
func zlibRef(src []byte, limit int) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	return out, zr.Close()
}

func compressAll(t testing.TB, data []byte, level int) []byte {
	var b bytes.Buffer
	w, err := zlib.NewWriterLevel(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func TestInflateMatchesZlib(t *testing.T) {
	t.Parallel()
	var inputs [][]byte
	inputs = append(inputs, nil, []byte("a"), bytes.Repeat([]byte("ab"), 70000), bytes.Repeat([]byte{0}, 1<<17))
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		inputs = append(inputs, b)
	}
	rnd := make([]byte, 100000)
	for i := range rnd {
		rnd[i] = byte(i*7919 ^ i>>3)
	}
	inputs = append(inputs, rnd)
	var f flateState
	for _, in := range inputs {
		for _, level := range []int{zlib.NoCompression, zlib.BestSpeed, zlib.DefaultCompression, zlib.BestCompression, zlib.HuffmanOnly} {
			z := compressAll(t, in, level)
			out := make([]byte, len(in))
			if err := f.zinflate(out, z); err != nil || !bytes.Equal(out, in) {
				t.Fatalf("level %d, %d bytes: %v", level, len(in), err)
			}
			// A wrong size is an error.
			if len(in) > 0 {
				if err := f.zinflate(make([]byte, len(in)-1), z); err == nil {
					t.Fatalf("level %d: short output accepted", level)
				}
			}
			if err := f.zinflate(make([]byte, len(in)+1), z); err == nil {
				t.Fatalf("level %d: long output accepted", level)
			}
			// Truncated input is an error.
			for _, cut := range []int{1, 3, 5, len(z) / 2} {
				if cut < len(z) {
					if err := f.zinflate(make([]byte, len(in)), z[:len(z)-cut]); err == nil {
						t.Fatalf("level %d: input cut by %d accepted", level, cut)
					}
				}
			}
		}
	}
}

// FuzzInflate checks the inflater against compress/zlib: the same output
// when zlib accepts the stream, an error when it does not, and no panic.
func FuzzInflate(f *testing.F) {
	for _, s := range []string{"", "hello, hello, hello", "package main\n\nfunc main() {}\n"} {
		for _, level := range []int{0, 1, 6, 9, -2} {
			f.Add(compressAll(f, []byte(s), level))
		}
	}
	f.Add([]byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	var st flateState
	f.Fuzz(func(t *testing.T, z []byte) {
		want, err := zlibRef(z, 1<<20)
		if err != nil || len(want) > 1<<20 {
			for _, n := range []int{0, 1, 100, 4096} {
				if st.zinflate(make([]byte, n), z) == nil {
					got := make([]byte, n)
					st.zinflate(got, z)
					t.Fatalf("zlib rejects the stream (%v) but zinflate accepts %d bytes", err, n)
				}
			}
			return
		}
		got := make([]byte, len(want))
		if err := st.zinflate(got, z); err != nil {
			t.Fatalf("zlib accepts %d bytes, zinflate: %v", len(want), err)
		}
		if !bytes.Equal(got, want) {
			t.Fatal("different output")
		}
	})
}

// BenchmarkInflate compares the whole-buffer inflater with compress/zlib
// on real source text compressed the way git compresses objects.
func BenchmarkInflate(b *testing.B) {
	var src []byte
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		d, _ := os.ReadFile(f)
		src = append(src, d...)
	}
	z := compressAll(b, src, zlib.DefaultCompression)
	b.Run("gitobj", func(b *testing.B) {
		var f flateState
		out := make([]byte, len(src))
		b.SetBytes(int64(len(src)))
		c0 := gittest.CPUTime()
		for b.Loop() {
			if err := f.zinflate(out, z); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, gittest.CPUTime()-c0, int64(len(src)))
	})
	b.Run("compress-zlib", func(b *testing.B) {
		var inf inflater
		out := make([]byte, len(src))
		b.SetBytes(int64(len(src)))
		c0 := gittest.CPUTime()
		for b.Loop() {
			if err := inf.reset(z); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(inf.zr, out); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, gittest.CPUTime()-c0, int64(len(src)))
	})
}

// TestBuildTable builds tables for random complete codes, and for codes
// that push the subtables to their largest, and checks that every symbol's
// canonical code leads to its own entry. Tables live in fixed arrays whose
// size a comment in flate.go derives; a code that overflowed them would
// fail to build here.
func TestBuildTable(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	// randomCode returns the code lengths of a random complete code of n
	// symbols, none longer than 15 bits, spread over size slots.
	randomCode := func(n, size int, deep bool) []uint8 {
		depths := []uint8{0}
		for len(depths) < n {
			i := rnd.IntN(len(depths))
			if deep { // split the deepest leaves first: long codes
				for j, d := range depths {
					if d > depths[i] && d < 15 {
						i = j
					}
				}
			}
			if depths[i] == 15 {
				continue
			}
			depths[i]++
			depths = append(depths, depths[i])
		}
		lengths := make([]uint8, size)
		for i, p := range rnd.Perm(size)[:n] {
			lengths[p] = depths[i]
		}
		return lengths
	}
	type tc struct {
		lengths []uint8
		root    uint
		tmpl    *templates
		table   []uint32
	}
	var cases []tc
	for range 200 {
		for _, deep := range []bool{false, true} {
			cases = append(cases,
				tc{randomCode(2+rnd.IntN(285), 286, deep), litRootBits, litTemplates, make([]uint32, litTableSize)},
				tc{randomCode(2+rnd.IntN(29), 30, deep), distRootBits, distTemplates, make([]uint32, distTableSize)})
		}
	}
	for i, c := range cases {
		if !buildTable(c.table, c.lengths, c.root, c.tmpl) {
			t.Fatalf("case %d: complete code %v refused", i, c.lengths)
		}
		// Canonical codes, as RFC 1951 section 3.2.2 assigns them.
		var count, next [16]int
		for _, n := range c.lengths {
			count[n]++
		}
		count[0] = 0
		code := 0
		for n := 1; n <= 15; n++ {
			code = (code + count[n-1]) << 1
			next[n] = code
		}
		for sym, n := range c.lengths {
			if n == 0 {
				continue
			}
			rev := reverse(next[n], uint(n))
			next[n]++
			e := c.table[rev&(1<<c.root-1)]
			rest := uint(n)
			if uint(n) > c.root {
				if e&kindMask != kindSub {
					t.Fatalf("case %d: symbol %d (%d bits): no subtable", i, sym, n)
				}
				e = c.table[int(e>>16)+rev>>c.root&(1<<(e>>8&15)-1)]
				rest -= c.root
			}
			if want := huffEntry(c.tmpl, sym, rest); e != want {
				t.Fatalf("case %d: symbol %d (%d bits): entry %#x, want %#x", i, sym, n, e, want)
			}
		}
	}
}
