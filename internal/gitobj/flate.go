package gitobj

import (
	"encoding/binary"
	"errors"
	"math/bits"
)

// A whole-buffer zlib inflater. Git knows the inflated size of every pack
// entry, so the output buffer is allocated once at its final size and
// back-references copy within it: no sliding window, no streaming state,
// a 64-bit bit buffer refilled eight bytes at a time, and two-level
// Huffman tables (11 root bits for literals and lengths, 8 for distances)
// reused across calls. It accepts exactly what compress/zlib accepts
// (complete Huffman codes, or zlib's degenerate single code), which the
// differential fuzz test checks.

var (
	errZlibHeader = errors.New("zlib: invalid header")
	errZlibSum    = errors.New("zlib: invalid checksum")
	errFlate      = errors.New("flate: corrupt input")
	errFlateShort = errors.New("flate: truncated input")
	errFlateSize  = errors.New("flate: output size differs from the header")
)

const (
	litRootBits  = 11
	distRootBits = 8

	// Table sizes: a root table and its subtables. A subtable of b index
	// bits holds the codes under one root prefix, at least b+1 of them
	// since the code is complete, so 2^b/(b+1) <= 3.2 entries per symbol
	// (b <= 15-11) bound the 286 literal/length symbols to 2048+916 entries
	// and 16 per symbol (b <= 15-8) the 30 distances to 256+480. Powers of
	// two let a masked index go without a bounds check.
	litTableSize  = 1 << 12
	distTableSize = 1 << 10

	// Entry layout: bits 0-5 bits to consume (the code, plus the extra
	// bits of a length or distance), 8-11 the code's own length (where
	// its extra bits start) or a subtable's index bits, 12-15 the kind,
	// one bit each so that a kind is tested with one instruction, 16-30
	// value (length or distance base, subtable offset, or, in bits 16-23,
	// a literal byte), bit 31 set for literals, so that the hottest test
	// is a sign test. An entry of 0 is invalid.
	litFlag  = 1 << 31
	kindLen  = 1 << 12
	kindEOB  = 1 << 13
	kindSub  = 1 << 14
	kindDist = 1 << 15
	kindMask = 15 << 12
)

var (
	lenBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	dstBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	dstExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	clOrder  = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// huffTables holds the decoding tables of one block: root tables, then
// their subtables.
type huffTables struct {
	lit  [litTableSize]uint32
	dist [distTableSize]uint32
}

// flateState holds the tables of one inflater; reused across calls.
type flateState struct {
	dyn, fix huffTables // the current dynamic block's; the fixed code's
	fixReady bool
	lens     [320]uint8
	in       []byte
	pos      int // next input byte to load into the bit buffer
	over     int // bytes of zeros loaded past the end of the input
	bits     uint64
	nb       uint
}

// zinflate inflates the zlib stream at the start of src into out, which
// must be exactly the inflated size, and verifies its Adler-32 checksum.
func (f *flateState) zinflate(out, src []byte) error {
	_, err := f.zinflateN(out, src, true)
	return err
}

// zinflateN is zinflate that returns the stream's length in src, checksum
// included, and verifies the checksum only when adler is set (a caller
// that checks a CRC of the compressed bytes instead need not).
func (f *flateState) zinflateN(out, src []byte, adler bool) (int, error) {
	if len(src) < 2 {
		return 0, errFlateShort
	}
	cmf, flg := src[0], src[1]
	if cmf&0x0f != 8 || cmf>>4 > 7 || (uint(cmf)<<8|uint(flg))%31 != 0 || flg&0x20 != 0 {
		return 0, errZlibHeader
	}
	f.in, f.pos, f.over, f.bits, f.nb = src, 2, 0, 0, 0
	op := 0
	for final := false; !final; {
		f.refill()
		if f.over > 8 {
			return 0, errFlateShort
		}
		final = f.bits&1 == 1
		typ := f.bits >> 1 & 3
		f.bits >>= 3
		f.nb -= 3
		var err error
		switch typ {
		case 0:
			op, err = f.stored(out, op)
		case 1:
			if !f.fixReady {
				f.buildFixed()
			}
			op, err = f.codes(out, op, &f.fix)
		case 2:
			if err = f.dynamic(); err == nil {
				op, err = f.codes(out, op, &f.dyn)
			}
		default:
			err = errFlate
		}
		if err != nil {
			return 0, err
		}
	}
	if op != len(out) {
		return 0, errFlateSize
	}
	// The Adler-32 checksum follows, byte aligned.
	end := f.pos + f.over - int(f.nb>>3)
	if end+4 > len(src) {
		return 0, errFlateShort
	}
	if adler && binary.BigEndian.Uint32(src[end:]) != adlerSum(out) {
		return 0, errZlibSum
	}
	return end + 4, nil
}

// refill loads the bit buffer with at least 56 bits.
func (f *flateState) refill() {
	if f.pos+8 <= len(f.in) {
		f.bits |= binary.LittleEndian.Uint64(f.in[f.pos:]) << f.nb
		f.pos += int(63-f.nb) >> 3
		f.nb |= 56
		return
	}
	for f.nb <= 56 {
		if f.pos < len(f.in) {
			f.bits |= uint64(f.in[f.pos]) << f.nb
			f.pos++
		} else {
			f.over++ // zeros past the end; an error if consumed
		}
		f.nb += 8
	}
}

func (f *flateState) stored(out []byte, op int) (int, error) {
	// Skip to a byte boundary; give back the whole bytes still buffered.
	p := f.pos + f.over - int(f.nb>>3)
	f.bits, f.nb, f.over = 0, 0, 0
	if p+4 > len(f.in) {
		return op, errFlateShort
	}
	n := int(binary.LittleEndian.Uint16(f.in[p:]))
	if uint16(n) != ^binary.LittleEndian.Uint16(f.in[p+2:]) {
		return op, errFlate
	}
	p += 4
	if p+n > len(f.in) {
		return op, errFlateShort
	}
	if n > len(out)-op {
		return op, errFlateSize
	}
	op += copy(out[op:], f.in[p:p+n])
	f.pos = p + n
	return op, nil
}

func (f *flateState) dynamic() error {
	f.refill()
	hlit := int(f.bits&31) + 257
	hdist := int(f.bits>>5&31) + 1
	hclen := int(f.bits>>10&15) + 4
	f.bits >>= 14
	f.nb -= 14
	if hlit > 286 || hdist > 30 {
		return errFlate
	}
	var cl [19]uint8
	for i := range hclen {
		if f.nb < 3 {
			f.refill()
		}
		cl[clOrder[i]] = uint8(f.bits & 7)
		f.bits >>= 3
		f.nb -= 3
	}
	var clTable [1 << 7]uint32
	clt := clTable[:]
	if !buildTable(clt, cl[:], 7, litTemplates) {
		return errFlate
	}
	lens := f.lens[:hlit+hdist]
	// The bit buffer in locals for the loop: fields would be loaded and
	// stored on every code.
	bitbuf, nb := f.bits, f.nb
	var count [16]int // of all lengths, literal/length and distance
	for i := 0; i < len(lens); {
		if nb < 16 {
			f.bits, f.nb = bitbuf, nb
			f.refill()
			if f.over > 8 {
				return errFlateShort
			}
			bitbuf, nb = f.bits, f.nb
		}
		e := clt[bitbuf&127]
		if e&litFlag == 0 {
			return errFlate
		}
		n := uint(e & 63)
		bitbuf >>= n
		nb -= n
		sym := e >> 16 & 0xff
		if sym < 16 {
			lens[i] = uint8(sym)
			count[sym]++
			i++
			continue
		}
		var rep int
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				return errFlate
			}
			val, rep = lens[i-1], 3+int(bitbuf&3)
			bitbuf >>= 2
			nb -= 2
		case 17:
			rep = 3 + int(bitbuf&7)
			bitbuf >>= 3
			nb -= 3
		default:
			rep = 11 + int(bitbuf&127)
			bitbuf >>= 7
			nb -= 7
		}
		if i+rep > len(lens) {
			return errFlate
		}
		count[val&15] += rep
		for ; rep > 0; rep-- {
			lens[i] = val
			i++
		}
	}
	f.bits, f.nb = bitbuf, nb
	if lens[256] == 0 {
		return errFlate // no end-of-block code
	}
	var distCount [16]int
	for _, n := range lens[hlit:] {
		distCount[n&15]++
	}
	for n := range count {
		count[n] -= distCount[n]
	}
	if !buildCounted(f.dyn.lit[:], lens[:hlit], &count, litRootBits, litTemplates) ||
		!buildCounted(f.dyn.dist[:], lens[hlit:], &distCount, distRootBits, distTemplates) {
		return errFlate
	}
	return nil
}

func (f *flateState) buildFixed() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	buildTable(f.fix.lit[:], l[:], litRootBits, litTemplates)
	// 32 codes of 5 bits; 30 and 31 are invalid.
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	buildTable(f.fix.dist[:], d[:], distRootBits, distTemplates)
	f.fixReady = true
}

// templates holds, for each symbol of an alphabet, its table entry
// without the code length, which huffEntry adds. Invalid symbols have 0,
// and their entries stay invalid: neither a literal nor of any kind.
type templates [288]uint32

var (
	// litTemplates serves literal/length codes, and code-length codes,
	// whose symbols below 19 read as literals.
	litTemplates  = makeTemplates(false)
	distTemplates = makeTemplates(true)
)

func makeTemplates(dist bool) *templates {
	var t templates
	for sym := range t {
		switch {
		case dist:
			if sym < 30 {
				t[sym] = uint32(dstBase[sym])<<16 | kindDist | uint32(dstExtra[sym])
			}
		case sym < 256:
			t[sym] = litFlag | uint32(sym)<<16
		case sym == 256:
			t[sym] = kindEOB
		case sym < 286:
			t[sym] = uint32(lenBase[sym-257])<<16 | kindLen | uint32(lenExtra[sym-257])
		}
	}
	return &t
}

// huffEntry returns the table entry of symbol sym whose code, within its
// table level, is n bits long: n joins the extra bits in bits 0-5 and
// is recorded alone in bits 8-11.
func huffEntry(tmpl *templates, sym int, n uint) uint32 {
	return tmpl[sym] + uint32(n)<<8 + uint32(n)
}

// buildTable builds a two-level decoding table for the code lengths in t:
// the root table of 2^root entries, then the subtables. It reports false
// for an oversubscribed or incomplete code, except zlib's degenerate
// single code of length 1 and the empty code (which fails when used), and
// for tables that would not fit in t, which the table sizes rule out for
// any code deflate allows. Entries left 0 are invalid.
func buildTable(t []uint32, lengths []uint8, root uint, tmpl *templates) bool {
	var count [16]int
	for _, n := range lengths {
		count[n&15]++
	}
	return buildCounted(t, lengths, &count, root, tmpl)
}

// buildCounted is buildTable for lengths already counted: count[n] is
// the number of codes n bits long, count[0] ignored.
func buildCounted(t []uint32, lengths []uint8, count *[16]int, root uint, tmpl *templates) bool {
	count[0] = 0
	maxLen := uint(15)
	for maxLen > 0 && count[maxLen] == 0 {
		maxLen--
	}
	size := 1 << root
	if maxLen == 0 {
		clear(t[:size])
		return true
	}
	// Completeness: the codes must fill the code space.
	left := 1
	for n := 1; n <= 15; n++ {
		left = left<<1 - count[n]
		if left < 0 {
			return false
		}
	}
	if left != 0 {
		if maxLen != 1 || count[1] != 1 {
			return false
		}
		// The degenerate code: one symbol, code 0 of one bit; code 1
		// stays invalid.
		clear(t[:size])
		for sym, n := range lengths {
			if n == 1 {
				e := huffEntry(tmpl, sym, 1)
				for j := 0; j < size; j += 2 {
					t[j] = e
				}
			}
		}
		return true
	}
	// Symbols in canonical order: by code length, then by symbol.
	var sorted [288]uint16
	var pos [17]int
	for n := 1; n <= 15; n++ {
		pos[n+1] = pos[n] + count[n]
	}
	short := pos[min(root, maxLen)+1] // symbols with codes no longer than root
	for sym, n := range lengths {
		if n != 0 {
			sorted[pos[n&15]] = uint16(sym)
			pos[n&15]++
		}
	}
	fillRoot(t, sorted[:short], count, root, tmpl)
	if maxLen <= root {
		return true
	}
	// Longer codes, in canonical order: those under one root prefix come
	// together, shortest first. Each prefix gets a subtable as large as
	// its codes need, which zlib's inflate_table works out from the
	// counts of the codes not yet placed.
	var next [16]int
	code := 0
	for n := 1; n <= 15; n++ {
		code = (code + count[n-1]) << 1
		next[n] = code
	}
	rest := *count // of the codes not yet placed
	used, start, prefix, b := size, 0, -1, uint(0)
	for _, sym := range sorted[short:pos[maxLen]] {
		n := uint(lengths[sym])
		code := next[n]
		next[n]++
		if p := code >> (n - root); p != prefix {
			prefix, b = p, n-root
			for room := 1 << b; b+root < maxLen; room <<= 1 {
				if room -= rest[b+root]; room <= 0 {
					break
				}
				b++
			}
			if used+1<<b > len(t) {
				return false
			}
			t[reverse(p, root)] = uint32(used)<<16 | kindSub | uint32(b)<<8 | uint32(root)
			start, used = used, used+1<<b
		}
		rest[n]--
		rn := n - root
		e := huffEntry(tmpl, int(sym), rn)
		for j := reverse(code&(1<<rn-1), rn); j < 1<<b; j += 1 << rn {
			t[start+j] = e
		}
	}
	return true
}

// fillRoot fills the root table of a complete code for the symbols in
// sorted, those whose codes are no longer than root, in canonical order,
// writing each entry once. Codes are kept bit-reversed; when the length
// grows by one, the table built so far is doubled by a copy, since a code
// of n bits owns every n+1-bit index that extends it. Most of the table is
// thus written by copy() rather than by strided stores, which matters
// because git's small objects each bring tables of their own. Entries
// that belong to longer codes are left for the subtables' pointers.
func fillRoot(t []uint32, sorted []uint16, count *[16]int, root uint, tmpl *templates) {
	if len(sorted) == 0 {
		return
	}
	n := uint(1)
	for count[n] == 0 {
		n++
	}
	end := 1 << n
	codeword := 0
	for idx := 0; ; {
		for range count[n] {
			t[codeword] = huffEntry(tmpl, int(sorted[idx]), n)
			idx++
			if codeword == end-1 {
				// The last code of the space: replicate up to root.
				for ; n < root; n++ {
					copy(t[end:2*end], t[:end])
					end <<= 1
				}
				return
			}
			// The next code in canonical order, bit-reversed: flip
			// the highest 0 bit and clear the 1 bits above it.
			bit := 1 << (bits.Len(uint(codeword^(end-1))) - 1)
			codeword = codeword&(bit-1) | bit
		}
		for {
			n++
			if n > root {
				return
			}
			copy(t[end:2*end], t[:end])
			end <<= 1
			if count[n] != 0 {
				break
			}
		}
	}
}

func reverse(code int, n uint) int {
	return int(bits.Reverse16(uint16(code)) >> (16 - n))
}

// codes decodes one Huffman-coded block into out from op.
//
// The loop is written for the register allocator as much as for the
// reader: the tables are reached through one pointer and indexed under a
// mask, and out only through its length, so that the state of the loop
// stays in registers.
func (f *flateState) codes(out []byte, op int, tab *huffTables) (int, error) {
	bitbuf, nb := f.bits, f.nb
	in, pos := f.in, f.pos
	// With capacity equal to length, one register serves both, and
	// s[i:i+k] needs neither a second bound nor pointer masking.
	in, out = in[:len(in):len(in)], out[:len(out):len(out)]
	const litMask, distMask = 1<<litRootBits - 1, 1<<distRootBits - 1
	lt, dt := &tab.lit, &tab.dist
	for {
		// 48 bits cover the longest symbol: 15 + 5 length extra + 15 + 13.
		if nb < 48 {
			if pos+8 <= len(in) {
				bitbuf |= binary.LittleEndian.Uint64(in[pos:pos+8]) << nb
				pos += int(63-nb) >> 3
				nb |= 56
			} else {
				f.bits, f.nb, f.pos = bitbuf, nb, pos
				f.refill()
				if f.over > 8 {
					return op, errFlateShort
				}
				bitbuf, nb, pos = f.bits, f.nb, f.pos
			}
		}
		e := lt[bitbuf&litMask]
		if int32(e) < 0 {
			// Root literals take at most 11 bits: four fit in the 48 or
			// more the buffer holds here. With room for four in out, one
			// bounds check serves all of them.
			if len(out)-op < 4 {
				if op >= len(out) {
					return op, errFlateSize
				}
				out[op] = byte(e >> 16)
				op++
				bitbuf >>= e & 63
				nb -= uint(e & 63)
				continue
			}
			o := (*[4]byte)(out[op : op+4])
			o[0] = byte(e >> 16)
			bitbuf >>= e & 63
			nb -= uint(e & 63)
			e = lt[bitbuf&litMask]
			if int32(e) >= 0 {
				op++
				continue
			}
			o[1] = byte(e >> 16)
			bitbuf >>= e & 63
			nb -= uint(e & 63)
			e = lt[bitbuf&litMask]
			if int32(e) >= 0 {
				op += 2
				continue
			}
			o[2] = byte(e >> 16)
			bitbuf >>= e & 63
			nb -= uint(e & 63)
			e = lt[bitbuf&litMask]
			if int32(e) >= 0 {
				op += 3
				continue
			}
			o[3] = byte(e >> 16)
			bitbuf >>= e & 63
			nb -= uint(e & 63)
			op += 4
			continue
		}
		if e&kindLen == 0 {
			if e&kindSub != 0 {
				bitbuf >>= litRootBits
				nb -= litRootBits
				e = lt[(e>>16+uint32(bitbuf)&(1<<(e>>8&15)-1))&(litTableSize-1)]
			}
			if int32(e) < 0 {
				bitbuf >>= e & 63
				nb -= uint(e & 63)
				if op >= len(out) {
					return op, errFlateSize
				}
				out[op] = byte(e >> 16)
				op++
				continue
			}
			switch e & kindMask {
			case kindLen:
			case kindEOB:
				bitbuf >>= e & 63
				nb -= uint(e & 63)
				f.bits, f.nb, f.pos = bitbuf, nb, pos
				return op, nil
			default:
				return op, errFlate
			}
		}
		// One shift consumes the code and its extra bits; the extra bits
		// are those of the saved buffer between the two lengths.
		saved := bitbuf
		bitbuf >>= e & 63
		nb -= uint(e & 63)
		length := int(e>>16) + int(saved&(1<<(e&63)-1)>>(e>>8&15))
		d := dt[bitbuf&distMask]
		if d&kindDist == 0 {
			if d&kindSub == 0 {
				return op, errFlate
			}
			bitbuf >>= distRootBits
			nb -= distRootBits
			d = dt[(d>>16+uint32(bitbuf)&(1<<(d>>8&15)-1))&(distTableSize-1)]
			if d&kindDist == 0 {
				return op, errFlate
			}
		}
		saved = bitbuf
		bitbuf >>= d & 63
		nb -= uint(d & 63)
		distance := int(d>>16) + int(saved&(1<<(d&63)-1)>>(d>>8&15))
		if distance > op {
			return op, errFlate
		}
		if length > len(out)-op {
			return op, errFlateSize
		}
		src := op - distance
		if distance >= 8 && length <= 32 && len(out)-op >= 32 {
			// Short match: four word moves beat a memmove call. A source
			// 8 or more bytes back is written before it is read, so
			// overlap is fine. Fixed-size views drop the inner bounds
			// checks.
			o, s := (*[32]byte)(out[op:op+32]), (*[32]byte)(out[src:src+32])
			binary.LittleEndian.PutUint64(o[:8], binary.LittleEndian.Uint64(s[:8]))
			binary.LittleEndian.PutUint64(o[8:16], binary.LittleEndian.Uint64(s[8:16]))
			binary.LittleEndian.PutUint64(o[16:24], binary.LittleEndian.Uint64(s[16:24]))
			binary.LittleEndian.PutUint64(o[24:], binary.LittleEndian.Uint64(s[24:]))
			op += length
			continue
		}
		if distance >= length {
			copy(out[op:op+length], out[src:src+length])
			op += length
			continue
		}
		// Overlapping: each copy doubles the span that repeats.
		end := op + length
		for op < end {
			op += copy(out[op:end], out[src:op])
		}
	}
}
