package gitobj

import (
	"bytes"
	"encoding/binary"
)

// index is a parsed pack index (.idx). It holds slices of the file's bytes
// and decodes entries on demand.
type index struct {
	file   string
	n      int
	fanout [256]uint32
	v1     []byte // version 1: n entries of 4-byte offset + 20-byte id
	ids    []byte // version 2: n sorted ids
	crcs   []byte // version 2: n CRC-32s of the packed entries
	off32  []byte // version 2: n 4-byte offsets
	off64  []byte // version 2: 8-byte offsets for entries whose off32 has the MSB set
	// packSum is the checksum of the pack the index was made for (the
	// pack's last 20 bytes).
	packSum []byte
}

var idxMagic = []byte{0xff, 't', 'O', 'c'}

// maxIndexEntries bounds the object count an index may claim, so a hostile
// file cannot make us allocate without limit.
const maxIndexEntries = 1 << 31

// parseIndex parses a version 1 or 2 pack index.
func parseIndex(file string, data []byte) (*index, error) {
	x := &index{file: file}
	var fan []byte
	if bytes.HasPrefix(data, idxMagic) {
		if len(data) < 8 {
			return nil, corrupt(file, "truncated header")
		}
		if v := binary.BigEndian.Uint32(data[4:]); v != 2 {
			return nil, corrupt(file, "unsupported index version %d", v)
		}
		fan = data[8:]
	} else {
		fan = data // version 1 has no header
	}
	if len(fan) < 256*4 {
		return nil, corrupt(file, "truncated fan-out table")
	}
	prev := uint32(0)
	for i := range x.fanout {
		v := binary.BigEndian.Uint32(fan[4*i:])
		if v < prev {
			return nil, corrupt(file, "fan-out table is not monotonic")
		}
		x.fanout[i], prev = v, v
	}
	n := int(prev)
	if uint64(prev) > maxIndexEntries {
		return nil, corrupt(file, "implausible object count %d", prev)
	}
	x.n = n
	rest := fan[256*4:]
	if len(fan) == len(data) { // version 1
		if len(rest) < n*24+40 {
			return nil, corrupt(file, "truncated: %d objects need %d bytes", n, n*24+40)
		}
		x.v1 = rest[:n*24]
		x.packSum = data[len(data)-40 : len(data)-20]
		return x, nil
	}
	// Version 2: ids, CRCs, 32-bit offsets, 64-bit offsets, two checksums.
	need := n*20 + n*4 + n*4
	if len(rest) < need+40 {
		return nil, corrupt(file, "truncated: %d objects need %d bytes", n, need+40)
	}
	x.ids = rest[:n*20]
	x.crcs = rest[n*20 : n*20+n*4]
	rest = rest[n*20+n*4:]
	x.off32 = rest[:n*4]
	x.off64 = rest[n*4 : len(rest)-40]
	x.packSum = data[len(data)-40 : len(data)-20]
	if len(x.off64)%8 != 0 {
		return nil, corrupt(file, "64-bit offset table has %d bytes", len(x.off64))
	}
	return x, nil
}

// id returns the id of entry i.
func (x *index) id(i int) (id ID) {
	if x.v1 != nil {
		copy(id[:], x.v1[i*24+4:])
	} else {
		copy(id[:], x.ids[i*20:])
	}
	return id
}

// offset returns the pack offset of entry i.
func (x *index) offset(i int) (uint64, error) {
	if x.v1 != nil {
		return uint64(binary.BigEndian.Uint32(x.v1[i*24:])), nil
	}
	o := binary.BigEndian.Uint32(x.off32[i*4:])
	if o&0x80000000 == 0 {
		return uint64(o), nil
	}
	j := int(o & 0x7fffffff)
	if (j+1)*8 > len(x.off64) {
		return 0, corrupt(x.file, "64-bit offset %d out of range", j)
	}
	return binary.BigEndian.Uint64(x.off64[j*8:]), nil
}

// crc returns the CRC-32 of entry i's bytes in the pack (header and
// compressed data), if the index has them (version 2).
func (x *index) crc(i int) (uint32, bool) {
	if x.crcs == nil {
		return 0, false
	}
	return binary.BigEndian.Uint32(x.crcs[i*4:]), true
}

func (x *index) idBytes(i int) []byte {
	if x.v1 != nil {
		return x.v1[i*24+4 : i*24+24]
	}
	return x.ids[i*20 : i*20+20]
}

// find returns the entry holding id.
func (x *index) find(id ID) (int, bool) {
	lo := 0
	if id[0] > 0 {
		lo = int(x.fanout[id[0]-1])
	}
	hi := int(x.fanout[id[0]])
	// Compare the first 8 bytes as a number; the rest only on a tie.
	key := binary.BigEndian.Uint64(id[:8])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		b := x.idBytes(m)
		k := binary.BigEndian.Uint64(b[:8])
		c := 0
		switch {
		case k < key:
			c = -1
		case k > key:
			c = 1
		default:
			c = bytes.Compare(b[8:20], id[8:])
		}
		switch {
		case c == 0:
			return m, true
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, false
}

// findPrefix calls fn with every id that starts with the hexadecimal
// prefix hex (already decoded into p, with odd set when the last nibble
// is significant alone).
func (x *index) findPrefix(p []byte, odd bool, fn func(ID)) {
	if len(p) == 0 {
		return
	}
	lo := 0
	if p[0] > 0 {
		lo = int(x.fanout[p[0]-1])
	}
	hi := int(x.fanout[p[0]])
	for i := lo; i < hi; i++ {
		b := x.idBytes(i)
		if hasHexPrefix(b, p, odd) {
			fn(x.id(i))
		}
	}
}

func hasHexPrefix(b, p []byte, odd bool) bool {
	full := len(p)
	if odd {
		full--
	}
	if !bytes.Equal(b[:full], p[:full]) {
		return false
	}
	return !odd || b[full]>>4 == p[full]>>4
}
