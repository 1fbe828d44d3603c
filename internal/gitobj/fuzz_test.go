package gitobj

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
)

// Fuzz targets for every parser of repository data: hostile repositories
// must produce errors, never panics or unbounded allocations.

func FuzzIndex(f *testing.F) {
	r := gittest.New(f)
	r.Write("a", "a\n")
	r.Commit("a")
	r.Git("gc", "-q")
	m, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.idx"))
	if data, err := os.ReadFile(m[0]); err == nil {
		f.Add(data)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := parseIndex("fuzz.idx", data)
		if err != nil {
			return
		}
		for i := 0; i < min(x.n, 64); i++ {
			id := x.id(i)
			x.offset(i)
			x.find(id)
			x.findPrefix(id[:3], true, func(ID) {})
		}
	})
}

func FuzzDelta(f *testing.F) {
	f.Add([]byte("hello world"), []byte{11, 5, 0x91, 0, 5})
	f.Add([]byte(""), []byte{0, 3, 3, 'a', 'b', 'c'})
	f.Add([]byte("abc"), []byte{3, 0, 0})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(nil, base, delta)
		if err != nil {
			return
		}
		if _, size, _, _ := deltaSizes(delta); uint64(len(out)) != size {
			t.Fatalf("result has %d bytes, the delta says %d", len(out), size)
		}
	})
}

// fuzzPack builds an in-memory pack from the fuzzer's bytes, with index
// entries at the given offsets, and reads it every way the package can.
func FuzzPack(f *testing.F) {
	r := gittest.New(f)
	body := bytes.Repeat([]byte("some text that compresses and deltas\n"), 50)
	r.Write("a.txt", string(body))
	r.Commit("one")
	r.Write("a.txt", string(body)+"more\n")
	r.Commit("two")
	r.Git("gc", "-q", "--aggressive")
	m, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.pack"))
	data, _ := os.ReadFile(m[0])
	idxData, _ := os.ReadFile(m[0][:len(m[0])-5] + ".idx")
	if x, err := parseIndex("seed", idxData); err == nil {
		var offs []byte
		for i := range x.n {
			o, _ := x.offset(i)
			offs = binary.LittleEndian.AppendUint32(offs, uint32(o))
		}
		f.Add(data, offs)
	}
	f.Add([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01\x3fxxxxxxxxxxxxxxxxxxxxxxxx"), []byte{12, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data, offs []byte) {
		var offsets []uint64
		for i := 0; i+4 <= len(offs) && len(offsets) < 64; i += 4 {
			offsets = append(offsets, uint64(binary.LittleEndian.Uint32(offs[i:])))
		}
		p := &pack{path: "fuzz.pack", data: data, idx: syntheticIndex(offsets)}
		if p.checkHeader() != nil {
			return
		}
		db := &DB{packs: []*pack{p}}
		db.shared = db.NewReader(1 << 20)
		var ids []ID
		for i := range p.idx.n {
			ids = append(ids, p.idx.id(i))
			db.Read(p.idx.id(i))
		}
		db.Decode(context.Background(), ids, DecodeOptions{Workers: 2, MaxSize: 1 << 20}, func(int, int, Type, []byte, error) {})
	})
}

// syntheticIndex indexes offsets under made-up ids, one per offset.
func syntheticIndex(offsets []uint64) *index {
	ids := make([]ID, len(offsets))
	for i := range ids {
		ids[i][0] = byte(i * 37)
		ids[i][1] = byte(i)
	}
	return indexOf(ids, offsets, nil)
}

// indexOf is an in-memory pack index of ids at offsets, with the entries'
// CRC-32s if crcs is not nil.
func indexOf(ids []ID, offsets []uint64, crcs []uint32) *index {
	x := &index{file: "test.idx", n: len(offsets)}
	type ent struct {
		id  ID
		off uint64
		crc uint32
	}
	ents := make([]ent, len(offsets))
	for i, o := range offsets {
		ents[i].id = ids[i]
		ents[i].off = o
		if crcs != nil {
			ents[i].crc = crcs[i]
		}
	}
	sort.Slice(ents, func(i, j int) bool { return bytes.Compare(ents[i].id[:], ents[j].id[:]) < 0 })
	for _, e := range ents {
		x.ids = append(x.ids, e.id[:]...)
		x.off32 = binary.BigEndian.AppendUint32(x.off32, uint32(e.off&0x7fffffff))
		if crcs != nil {
			x.crcs = binary.BigEndian.AppendUint32(x.crcs, e.crc)
		}
		x.fanout[e.id[0]]++
	}
	for i := 1; i < 256; i++ {
		x.fanout[i] += x.fanout[i-1]
	}
	return x
}

func FuzzTree(f *testing.F) {
	f.Add([]byte("100644 a.txt\x00aaaaaaaaaaaaaaaaaaaa40000 dir\x00bbbbbbbbbbbbbbbbbbbb"))
	f.Add([]byte("160000 sub\x00cccccccccccccccccccc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr := NewTreeReader(data)
		var e TreeEntry
		var prev []byte
		for n := 0; tr.Next(&e); n++ {
			if n > len(data) {
				t.Fatal("more entries than bytes")
			}
			CompareEntries(prev, false, e.Name, e.IsTree())
			prev = e.Name
		}
	})
}

func FuzzObjects(f *testing.F) {
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n" +
		"author A U Thor <a@example.test> 1700000000 +0130\ncommitter C <c@example.test> 1700000001 -0800\n" +
		"gpgsig -----BEGIN PGP SIGNATURE-----\n more\n -----END PGP SIGNATURE-----\n\nsubject\n\nbody\n"))
	f.Add([]byte("object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype commit\ntag v1\ntagger T <t@x> 1 +0000\n\nmsg"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := ParseCommit(data); err == nil && c.Tree.IsZero() && !bytes.Contains(data, []byte("tree 0000000000000000000000000000000000000000")) {
			t.Fatal("commit without tree accepted")
		}
		ParseCommitHeader(data, nil)
		ParseTag(data)
		ParseSignature(data)
		var inf inflater
		inf.readLoose("fuzz", data, nil)
	})
}
