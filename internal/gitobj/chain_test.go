package gitobj

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"sync"
	"testing"
)

// packEntryHeader encodes a pack entry's type and size.
func packEntryHeader(typ int, size int) []byte {
	b := []byte{byte(typ<<4 | size&15)}
	size >>= 4
	for size > 0 {
		b[len(b)-1] |= 0x80
		b = append(b, byte(size&0x7f))
		size >>= 7
	}
	return b
}

// ofsDeltaOffset encodes the distance back to an OFS_DELTA's base.
func ofsDeltaOffset(d uint64) []byte {
	b := []byte{byte(d & 0x7f)}
	for d >>= 7; d > 0; d >>= 7 {
		d--
		b = append([]byte{byte(0x80 | d&0x7f)}, b...)
	}
	return b
}

// zlibber compresses with one reused writer (a new one costs more than a
// small object's compression).
type zlibber struct {
	buf bytes.Buffer
	w   *zlib.Writer
}

func (z *zlibber) bytes(t testing.TB, p []byte) []byte {
	z.buf.Reset()
	if z.w == nil {
		z.w = zlib.NewWriter(&z.buf)
	} else {
		z.w.Reset(&z.buf)
	}
	z.w.Write(p)
	if err := z.w.Close(); err != nil {
		t.Fatal(err)
	}
	return z.buf.Bytes()
}

func varint(b []byte, n int) []byte {
	for n >= 0x80 {
		b = append(b, byte(n|0x80))
		n >>= 7
	}
	return append(b, byte(n))
}

// TestDeepDeltaChain decodes a pack holding one blob and a chain of 10,000
// deltas, each based on the one before: every object comes out once with
// the right content, and the work is one inflate per entry and one delta
// application per delta, never a replay of the chain.
func TestDeepDeltaChain(t *testing.T) {
	const depth = 10000
	const size, keep = 2000, 1992
	base := bytes.Repeat([]byte("0123456789abcdef\n"), size/17+1)[:size]
	content := func(k int) []byte {
		if k == 0 {
			return base
		}
		return append(bytes.Clone(base[:keep]), fmt.Sprintf("%08d", k)...)
	}
	var z zlibber
	var data []byte
	data = append(data, "PACK"...)
	data = binary.BigEndian.AppendUint32(data, 2)
	data = binary.BigEndian.AppendUint32(data, depth+1)
	var offsets []uint64
	var ids []ID
	for k := 0; k <= depth; k++ {
		off := uint64(len(data))
		offsets = append(offsets, off)
		c := content(k)
		ids = append(ids, ID(sha1.Sum(append(fmt.Appendf(nil, "blob %d\x00", len(c)), c...))))
		if k == 0 {
			data = append(data, packEntryHeader(3, len(c))...)
			data = append(data, z.bytes(t, c)...)
			continue
		}
		// Copy the first keep bytes of the previous object, insert 8.
		d := varint(varint(nil, size), size)
		d = append(d, 0x80|0x10|0x20, byte(keep&0xff), byte(keep>>8), 8)
		d = append(d, c[keep:]...)
		data = append(data, packEntryHeader(6, len(d))...)
		data = append(data, ofsDeltaOffset(off-offsets[k-1])...)
		data = append(data, z.bytes(t, d)...)
	}
	sum := sha1.Sum(data)
	data = append(data, sum[:]...)

	p := &pack{path: "chain.pack", data: data, idx: indexOf(ids, offsets, nil)}
	if err := p.checkHeader(); err != nil {
		t.Fatal(err)
	}
	db := &DB{packs: []*pack{p}}
	db.shared = db.NewReader(1 << 20)
	byID := map[ID]int{}
	for k, id := range ids {
		byID[id] = k
	}
	var st DecodeStats
	var mu sync.Mutex
	seen := make([]int, len(ids))
	err := db.Decode(context.Background(), ids, DecodeOptions{Workers: 2, Stats: &st}, func(_, i int, typ Type, got []byte, err error) {
		mu.Lock()
		defer mu.Unlock()
		seen[i]++
		if err != nil {
			t.Errorf("object %d: %v", i, err)
			return
		}
		if typ != TypeBlob || !bytes.Equal(got, content(i)) {
			t.Errorf("object %d: wrong type %v or content", i, typ)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("object %d reported %d times", i, n)
		}
	}
	if st.Inflated.Load() != depth+1 || st.Applied.Load() != depth {
		t.Errorf("%d inflates and %d delta applications for %d entries: the work is not linear", st.Inflated.Load(), st.Applied.Load(), depth+1)
	}
	if got, max := st.AppliedBytes.Load(), int64(depth*size); got > max {
		t.Errorf("deltas produced %d bytes, want at most %d", got, max)
	}

	// Reading one object at the end of the chain goes through the chain
	// once, too.
	typ, got, err := db.Read(ids[depth])
	if err != nil || typ != TypeBlob || !bytes.Equal(got, content(depth)) {
		t.Errorf("Read(last of the chain) = %d bytes, %v, %v", len(got), typ, err)
	}
}

// TestEntryChecksums flips one byte of a blob stored uncompressed, which
// still inflates: the index's CRC-32 catches it, and without CRCs (a
// version 1 index) the zlib stream's Adler-32 does.
func TestEntryChecksums(t *testing.T) {
	content := []byte("a line of a file that will be damaged\n")
	data := append([]byte("PACK"), 0, 0, 0, 2, 0, 0, 0, 1)
	entry := append(packEntryHeader(3, len(content)), compressAll(t, content, zlib.NoCompression)...)
	data = append(data, entry...)
	sum := sha1.Sum(data)
	data = append(data, sum[:]...)
	id := ID(sha1.Sum(append(fmt.Appendf(nil, "blob %d\x00", len(content)), content...)))
	crc := crc32.ChecksumIEEE(entry)

	for _, tc := range []struct {
		name    string
		crcs    []uint32
		damage  bool
		wantErr error
	}{
		{"crc, intact", []uint32{crc}, false, nil},
		{"crc, damaged", []uint32{crc}, true, errEntryCRC},
		{"adler, intact", nil, false, nil},
		{"adler, damaged", nil, true, errZlibSum},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := bytes.Clone(data)
			if tc.damage {
				i := bytes.Index(d, []byte("damaged"))
				d[i] ^= 0x20
			}
			p := &pack{path: "one.pack", data: d, idx: indexOf([]ID{id}, []uint64{12}, tc.crcs)}
			db := &DB{packs: []*pack{p}}
			var got error
			db.Decode(context.Background(), []ID{id}, DecodeOptions{}, func(_, _ int, _ Type, b []byte, err error) {
				got = err
				if err == nil && !bytes.Equal(b, content) {
					t.Error("wrong content")
				}
			})
			// corrupt() words the cause; compare the words.
			if (got == nil) != (tc.wantErr == nil) || got != nil && !strings.Contains(got.Error(), tc.wantErr.Error()) {
				t.Errorf("error %v, want one saying %v", got, tc.wantErr)
			}
		})
	}
}
