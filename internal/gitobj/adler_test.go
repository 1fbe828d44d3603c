package gitobj

import (
	"hash/adler32"
	"testing"
)

func TestAdler32(t *testing.T) {
	t.Parallel()
	buf := make([]byte, 70000)
	for i := range buf {
		buf[i] = byte(i*131 + i>>7)
	}
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 5551, 5552, 5553, 5560, 11104, 70000} {
		for _, fill := range []byte{0, 0xff, 1} {
			b := buf[:n]
			if fill != 1 {
				b = make([]byte, n)
				for i := range b {
					b[i] = fill
				}
			}
			if got, want := adlerSum(b), adler32pkg(b); got != want {
				t.Fatalf("n=%d fill=%d: %08x, want %08x", n, fill, got, want)
			}
		}
	}
}

func adler32pkg(b []byte) uint32 { return adler32.Checksum(b) }

func FuzzAdler32(f *testing.F) {
	f.Add([]byte("Wikipedia"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if adlerSum(b) != adler32pkg(b) {
			t.Fatal("checksum differs")
		}
	})
}

func BenchmarkAdler32(b *testing.B) {
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	b.Run("gitobj", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		for b.Loop() {
			adlerSum(buf)
		}
	})
	b.Run("hash-adler32", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		for b.Loop() {
			adler32pkg(buf)
		}
	})
}
