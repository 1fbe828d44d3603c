package gitobj

import (
	"bytes"
	"errors"
	"io"
	"strconv"
)

// looseHeaderMax bounds the "<type> <size>\x00" header of a loose object.
const looseHeaderMax = 64

// readLoose inflates a loose object file's content into dst's backing
// array when it is large enough, and returns its type and content.
func (f *inflater) readLoose(file string, raw, dst []byte) (Type, []byte, error) {
	if err := f.reset(raw); err != nil {
		return 0, nil, corrupt(file, "%v", err)
	}
	var hdr [looseHeaderMax]byte
	n, err := io.ReadFull(f.zr, hdr[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, nil, corrupt(file, "%v", err)
	}
	nul := bytes.IndexByte(hdr[:n], 0)
	if nul < 0 {
		return 0, nil, corrupt(file, "bad header")
	}
	ts, ss, ok := bytes.Cut(hdr[:nul], []byte(" "))
	if !ok {
		return 0, nil, corrupt(file, "bad header")
	}
	typ, ok := ParseType(string(ts))
	if !ok {
		return 0, nil, corrupt(file, "unknown type %q", ts)
	}
	size, err := strconv.ParseUint(string(ss), 10, 64)
	if err != nil || !inflatePlausible(size, len(raw)) {
		return 0, nil, corrupt(file, "bad size %q", ss)
	}
	if uint64(cap(dst)) < size {
		dst = make([]byte, size)
	}
	dst = dst[:size]
	got := copy(dst, hdr[nul+1:n])
	if uint64(n-nul-1) > size {
		return 0, nil, corrupt(file, "longer than its header says")
	}
	if _, err := io.ReadFull(f.zr, dst[got:]); err != nil {
		return 0, nil, corrupt(file, "shorter than its header says")
	}
	if m, err := f.zr.Read(f.one[:]); m != 0 || !errors.Is(err, io.EOF) {
		return 0, nil, corrupt(file, "longer than its header says")
	}
	return typ, dst, nil
}
