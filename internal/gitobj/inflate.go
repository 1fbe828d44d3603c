package gitobj

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
)

// inflater inflates zlib streams of known size into caller buffers. It
// reuses its decompressor, so one per goroutine avoids allocation.
type inflater struct {
	fl  flateState // pack entries: whole-buffer
	br  bytes.Reader
	zr  io.ReadCloser // loose objects: streaming
	one [1]byte
}

var errInflatedSize = errors.New("inflated size differs from the header")

// inflate inflates the zlib stream at the start of src, which must expand
// to exactly size bytes, into dst's backing array when it is large enough.
func (f *inflater) inflate(dst, src []byte, size uint64) ([]byte, error) {
	out, _, err := f.inflateN(dst, src, size, true)
	return out, err
}

// inflateN is inflate that also returns the length of the zlib stream in
// src, and checks its Adler-32 only when adler is set.
func (f *inflater) inflateN(dst, src []byte, size uint64, adler bool) ([]byte, int, error) {
	if !inflatePlausible(size, len(src)) {
		return nil, 0, errInflatedSize
	}
	if uint64(cap(dst)) < size {
		dst = make([]byte, size)
	}
	dst = dst[:size]
	n, err := f.fl.zinflateN(dst, src, adler)
	if err != nil {
		return nil, 0, err
	}
	return dst, n, nil
}

// inflatePlausible reports whether srcLen bytes of deflate could expand
// to size bytes (deflate expands at most 1032:1), so that a hostile size
// is refused before it is allocated.
func inflatePlausible(size uint64, srcLen int) bool {
	return size <= maxObjectSize && size <= uint64(srcLen)*1032+64
}

func (f *inflater) reset(src []byte) error {
	f.br.Reset(src)
	if f.zr == nil {
		zr, err := zlib.NewReader(&f.br)
		if err != nil {
			return err
		}
		f.zr = zr
		return nil
	}
	return f.zr.(zlib.Resetter).Reset(&f.br, nil)
}
