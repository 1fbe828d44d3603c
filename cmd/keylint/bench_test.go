package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
)

// BenchmarkScanTree measures a whole `keylint scan` (walk, read, match,
// report) over the deterministic corpus tree: by default 5,000 files and
// 50 MB; KEYLINT_BENCH_FILES and KEYLINT_BENCH_MB change the size (the
// figures in docs/performance.md use 20,000 files and 200 MB).
//
//	go test -run XXX -bench ScanTree -benchtime 5x ./cmd/keylint
func BenchmarkScanTree(b *testing.B) {
	files, mb := envInt("KEYLINT_BENCH_FILES", 5000), envInt("KEYLINT_BENCH_MB", 50)
	dir := filepath.Join(b.TempDir(), "tree")
	src, err := corpus.GoSrc()
	if err != nil {
		b.Fatal(err)
	}
	st, err := corpus.WriteTree(dir, src, files, int64(mb)*1000*1000, 256<<10, 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, jobs := range []int{1, runtime.NumCPU()} {
		b.Run("jobs="+strconv.Itoa(jobs), func(b *testing.B) {
			b.SetBytes(st.Bytes)
			for i := 0; i < b.N; i++ {
				code := run(context.Background(), []string{"scan", "--no-config", "--quiet", "--format", "json", "--jobs", strconv.Itoa(jobs), dir},
					strings.NewReader(""), io.Discard, io.Discard)
				if code != exitFindings {
					b.Fatalf("exit code %d, want findings (the corpus has planted secrets)", code)
				}
			}
			b.ReportMetric(float64(st.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
		})
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
