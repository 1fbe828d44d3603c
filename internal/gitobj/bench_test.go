package gitobj

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keylint/keylint/internal/gittest"
)

// blobIDs lists the blobs of a repository with git, and their total size.
func blobIDs(b *testing.B, dir string) ([]ID, int64) {
	b.Helper()
	out, err := gittest.RunIn(dir, gittest.Env(b.TempDir(), gittest.Start), nil,
		"cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname) %(objectsize)")
	if err != nil {
		b.Fatal(err)
	}
	var ids []ID
	var total int64
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != "blob" {
			continue
		}
		id, _ := ParseID(f[1])
		ids = append(ids, id)
		var n int64
		for _, c := range f[2] {
			n = n*10 + int64(c-'0')
		}
		total += n
	}
	return ids, total
}

// BenchmarkDecode measures decoding every blob of the benchmark
// repositories: this package's pack-order decoder with one and two
// workers, go-git's object API, and the floor, git cat-file reading every
// object. MB/s is blob bytes produced per second of wall time.
func BenchmarkDecode(b *testing.B) {
	for _, size := range []string{"50MB", "1GB"} {
		b.Run(size, func(b *testing.B) {
			dir, _ := gittest.BenchRepo(b, size)
			ids, total := blobIDs(b, dir)
			b.Run("git-cat-file", func(b *testing.B) {
				b.SetBytes(total)
				cpu := gittest.CatFileFloor(b, dir)
				reportCPU(b, cpu, total)
			})
			for _, workers := range []int{1, 2} {
				b.Run("gitobj-workers="+string(rune('0'+workers)), func(b *testing.B) {
					db, err := Open(filepath.Join(dir, "objects"), Options{})
					if err != nil {
						b.Fatal(err)
					}
					defer db.Close()
					b.SetBytes(total)
					c0 := gittest.CPUTime()
					for b.Loop() {
						err := db.Decode(context.Background(), ids, DecodeOptions{Workers: workers}, func(_, _ int, _ Type, _ []byte, err error) {
							if err != nil {
								b.Error(err)
							}
						})
						if err != nil {
							b.Fatal(err)
						}
					}
					reportCPU(b, gittest.CPUTime()-c0, total)
				})
			}
			b.Run("go-git", func(b *testing.B) {
				repo, err := git.PlainOpen(dir)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(total)
				c0 := gittest.CPUTime()
				for b.Loop() {
					for _, id := range ids {
						blob, err := repo.BlobObject(plumbing.Hash(id))
						if err != nil {
							b.Fatal(err)
						}
						rd, err := blob.Reader()
						if err != nil {
							b.Fatal(err)
						}
						if _, err := io.Copy(io.Discard, rd); err != nil {
							b.Fatal(err)
						}
						rd.Close()
					}
				}
				reportCPU(b, gittest.CPUTime()-c0, total)
			})
		})
	}
}

// reportCPU adds CPU-time metrics, which a loaded machine distorts less
// than wall time: CPU seconds per operation and MB decoded per CPU second
// (the per-core throughput).
func reportCPU(b *testing.B, cpu time.Duration, bytes int64) {
	n := float64(b.N)
	b.ReportMetric(cpu.Seconds()/n, "cpu-s/op")
	b.ReportMetric(float64(bytes)*n/1e6/cpu.Seconds(), "MB/cpu-s")
}
