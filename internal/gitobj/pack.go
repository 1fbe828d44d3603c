package gitobj

import (
	"encoding/binary"
	"strings"

	"github.com/keylint/keylint/internal/safeio"
)

// pack is one pack file with its index. The pack's bytes are mapped into
// memory read-only (or read whole where mapping is unavailable).
type pack struct {
	path  string
	data  []byte
	idx   *index
	unmap func() error
}

// maxObjectSize bounds the size of any object or delta we inflate: a
// hostile header must not make us allocate terabytes.
const maxObjectSize = 1 << 31

// openPack opens the pack whose index is idxPath.
func openPack(idxPath string) (*pack, error) {
	packPath := strings.TrimSuffix(idxPath, ".idx") + ".pack"
	idxData, err := safeio.ReadFile(idxPath, -1)
	if err != nil {
		return nil, err
	}
	x, err := parseIndex(idxPath, idxData)
	if err != nil {
		return nil, err
	}
	data, unmap, err := mapFile(packPath)
	if err != nil {
		return nil, err
	}
	p := &pack{path: packPath, data: data, idx: x, unmap: unmap}
	if err := p.checkHeader(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// matchesIndex reports whether the pack ends with the checksum its index
// records for it: a pack cut short, or overwritten by another, does not.
func (p *pack) matchesIndex() bool {
	n := len(p.data)
	return n >= 20 && p.idx.packSum != nil && string(p.data[n-20:]) == string(p.idx.packSum)
}

func (p *pack) close() error {
	if p.unmap == nil {
		return nil
	}
	err := p.unmap()
	p.unmap, p.data = nil, nil
	return err
}

func (p *pack) checkHeader() error {
	if len(p.data) < 12+20 || string(p.data[:4]) != "PACK" {
		return corrupt(p.path, "not a pack file")
	}
	if v := binary.BigEndian.Uint32(p.data[4:]); v != 2 && v != 3 {
		return corrupt(p.path, "unsupported pack version %d", v)
	}
	return nil
}

// entry is a parsed pack entry header.
type entry struct {
	typ     Type
	size    uint64 // inflated size of the entry's data (an object, or a delta)
	dataOff uint64 // offset of the zlib stream
	baseOff uint64 // typeOfsDelta: offset of the base entry
	baseID  ID     // typeRefDelta: id of the base object
}

// entryAt parses the entry header at off.
func (p *pack) entryAt(off uint64) (entry, error) {
	var e entry
	d := p.data
	// The trailing 20 bytes are the pack checksum, never an entry.
	end := uint64(len(d)) - 20
	if off < 12 || off >= end {
		return e, corrupt(p.path, "entry offset %d out of range", off)
	}
	i := off
	c := d[i]
	i++
	e.typ = Type(c >> 4 & 7)
	e.size = uint64(c & 15)
	for shift := uint(4); c&0x80 != 0; shift += 7 {
		if i >= end || shift > 60 {
			return e, corrupt(p.path, "bad entry header at %d", off)
		}
		c = d[i]
		i++
		e.size |= uint64(c&0x7f) << shift
	}
	switch e.typ {
	case TypeCommit, TypeTree, TypeBlob, TypeTag:
	case typeOfsDelta:
		if i >= end {
			return e, corrupt(p.path, "bad delta header at %d", off)
		}
		c = d[i]
		i++
		rel := uint64(c & 0x7f)
		for c&0x80 != 0 {
			if i >= end || rel >= 1<<56 {
				return e, corrupt(p.path, "bad delta offset at %d", off)
			}
			c = d[i]
			i++
			rel = (rel+1)<<7 | uint64(c&0x7f)
		}
		if rel == 0 || rel > off {
			return e, corrupt(p.path, "delta base offset out of range at %d", off)
		}
		e.baseOff = off - rel
	case typeRefDelta:
		if i+20 > end {
			return e, corrupt(p.path, "bad delta header at %d", off)
		}
		copy(e.baseID[:], d[i:])
		i += 20
	default:
		return e, corrupt(p.path, "unknown entry type %d at %d", e.typ, off)
	}
	if e.size > maxObjectSize {
		return e, corrupt(p.path, "entry at %d claims %d bytes", off, e.size)
	}
	e.dataOff = i
	return e, nil
}

// stream returns the bytes from the entry's zlib stream to the end of the
// pack data; inflating stops at the end of the stream.
func (p *pack) stream(e entry) []byte {
	return p.data[e.dataOff : len(p.data)-20]
}
