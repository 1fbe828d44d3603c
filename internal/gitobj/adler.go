package gitobj

import "encoding/binary"

// adlerSum computes the Adler-32 checksum eight bytes at a time: the byte
// sum and the position-weighted sum of a word come from two
// multiplications each on 16-bit lanes, instead of a dependent add chain
// per byte. It returns what hash/adler32.Checksum returns.
func adlerSum(p []byte) uint32 {
	const (
		mod  = 65521
		nmax = 5552 &^ 7 // the most bytes before s2 could overflow, in whole words
		lo   = 0x00ff00ff00ff00ff
		ones = 0x0001000100010001
		// Lanes of the even bytes b0 b2 b4 b6 weigh 8 6 4 2; of the odd
		// bytes b1 b3 b5 b7, 7 5 3 1. The top lane of the product sums
		// them (no lower lane can carry into it).
		wEven = 2 | 4<<16 | 6<<32 | 8<<48
		wOdd  = 1 | 3<<16 | 5<<32 | 7<<48
	)
	s1, s2 := uint32(1), uint32(0)
	for len(p) > 0 {
		n := min(len(p), nmax)
		q := p[:n&^7]
		p = p[n&^7:]
		for len(q) >= 8 {
			w := binary.LittleEndian.Uint64(q)
			even, odd := w&lo, w>>8&lo
			sum := uint32((even + odd) * ones >> 48)
			weighted := uint32(even*wEven>>48) + uint32(odd*wOdd>>48)
			s2 += 8*s1 + weighted
			s1 += sum
			q = q[8:]
		}
		if n&^7 == 0 { // fewer than 8 bytes left
			for _, c := range p {
				s1 += uint32(c)
				s2 += s1
			}
			p = nil
		}
		s1 %= mod
		s2 %= mod
	}
	return s2<<16 | s1
}
