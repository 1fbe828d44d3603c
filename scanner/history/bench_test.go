package history

import (
	"context"
	"testing"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// BenchmarkHistory runs a whole history scan on the benchmark repositories
// (see gittest.BenchRepo) next to the floor, git cat-file reading every
// object once: with the default rules ("keylint"), and with one rule whose
// keyword never occurs ("keylint-one-rule"), which is the cost of
// everything but matching; and with the default rules and a warm blob
// cache ("keylint-warm-cache"), a re-audit of an unchanged history. MB/s counts unique blob bytes per second of
// wall time; cpu-s/op is the CPU time of all cores together.
func BenchmarkHistory(b *testing.B) {
	for _, size := range []string{"50MB", "1GB"} {
		b.Run(size, func(b *testing.B) {
			dir, st := gittest.BenchRepo(b, size)
			b.Run("git-cat-file", func(b *testing.B) {
				b.SetBytes(st.BlobBytes)
				cpu := gittest.CatFileFloor(b, dir)
				b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			})
			oneRule, err := rules.Parse("one.toml", []byte(histRules))
			if err != nil {
				b.Fatal(err)
			}
			for _, name := range []string{"keylint", "keylint-one-rule", "keylint-warm-cache"} {
				b.Run(name, func(b *testing.B) {
					rs, err := rules.Default()
					if name == "keylint-one-rule" {
						rs, err = rules.New(oneRule)
					}
					if err != nil {
						b.Fatal(err)
					}
					sc := scanner.New(rules.NewMatcher(rs), scanner.Options{})
					opt := Options{Repo: dir}
					if name == "keylint-warm-cache" {
						// A re-audit of an unchanged history: the cache
						// is filled once, outside the timing.
						c, err := blobcache.Open(b.TempDir(), "bench", blobcache.Options{})
						if err != nil {
							b.Fatal(err)
						}
						opt.Cache, opt.CacheKey = c, blobcache.Key
						if _, err := Scan(context.Background(), sc, opt); err != nil {
							b.Fatal(err)
						}
					}
					b.SetBytes(st.BlobBytes)
					c0 := gittest.CPUTime()
					for b.Loop() {
						res, err := Scan(context.Background(), sc, opt)
						if err != nil {
							b.Fatal(err)
						}
						// (A warm run does not diff the commits that
						// introduced only clean blobs: it sees fewer.)
						if res.Blobs != st.Blobs && name != "keylint-warm-cache" {
							b.Fatalf("scanned %d blobs, the repository has %d", res.Blobs, st.Blobs)
						}
					}
					b.ReportMetric((gittest.CPUTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
				})
			}
		})
	}
}
