package gitobj

import "errors"

var (
	errDeltaHeader = errors.New("bad delta header")
	errDeltaBase   = errors.New("delta base size mismatch")
	errDeltaOp     = errors.New("bad delta instruction")
	errDeltaSize   = errors.New("delta result size mismatch")
)

// deltaVarint reads a delta header size: 7-bit groups, least significant
// first.
func deltaVarint(d []byte) (v uint64, n int, ok bool) {
	for shift := uint(0); n < len(d) && shift < 64; shift += 7 {
		c := d[n]
		n++
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, n, true
		}
	}
	return 0, 0, false
}

// deltaSizes returns the base and result sizes a delta declares and the
// length of its header.
func deltaSizes(delta []byte) (base, result uint64, n int, err error) {
	base, n1, ok := deltaVarint(delta)
	if !ok {
		return 0, 0, 0, errDeltaHeader
	}
	result, n2, ok := deltaVarint(delta[n1:])
	if !ok {
		return 0, 0, 0, errDeltaHeader
	}
	return base, result, n1 + n2, nil
}

// deltaPlausible reports whether a delta of this length could produce
// rsize bytes from a base of baseLen: every instruction copies at most the
// whole base or inserts at most 127 bytes. It lets callers refuse a hostile
// size before allocating it.
func deltaPlausible(delta []byte, baseLen int, rsize uint64) bool {
	return rsize <= maxObjectSize && rsize <= uint64(len(delta))*uint64(max(baseLen, 127))
}

// applyDelta applies a git delta to base, writing the result into dst's
// backing array when it is large enough, and returns the result.
func applyDelta(dst, base, delta []byte) ([]byte, error) {
	bsize, rsize, n, err := deltaSizes(delta)
	if err != nil {
		return nil, err
	}
	if bsize != uint64(len(base)) {
		return nil, errDeltaBase
	}
	if !deltaPlausible(delta, len(base), rsize) {
		return nil, errDeltaSize
	}
	if uint64(cap(dst)) < rsize {
		dst = make([]byte, rsize)
	}
	out := dst[:rsize]
	pos := 0
	d := delta[n:]
	for i := 0; i < len(d); {
		op := d[i]
		i++
		if op&0x80 != 0 {
			// Copy from base: up to 4 offset bytes, then up to 3 size bytes,
			// each present when its flag bit is set.
			var off, size uint
			for b := uint(0); b < 4; b++ {
				if op&(1<<b) != 0 {
					if i >= len(d) {
						return nil, errDeltaOp
					}
					off |= uint(d[i]) << (8 * b)
					i++
				}
			}
			for b := uint(0); b < 3; b++ {
				if op&(0x10<<b) != 0 {
					if i >= len(d) {
						return nil, errDeltaOp
					}
					size |= uint(d[i]) << (8 * b)
					i++
				}
			}
			if size == 0 {
				size = 0x10000
			}
			if off+size > uint(len(base)) || size > uint(len(out)-pos) {
				return nil, errDeltaOp
			}
			pos += copy(out[pos:], base[off:off+size])
			continue
		}
		if op == 0 {
			return nil, errDeltaOp // reserved
		}
		size := int(op)
		if size > len(d)-i || size > len(out)-pos {
			return nil, errDeltaOp
		}
		pos += copy(out[pos:], d[i:i+size])
		i += size
	}
	if pos != len(out) {
		return nil, errDeltaSize
	}
	return out, nil
}
