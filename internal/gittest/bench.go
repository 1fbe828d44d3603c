package gittest

import (
	"os"
	"path/filepath"
	"testing"
)

// Benchmark repository sizes: unique blob bytes.
var benchSizes = map[string]int64{
	"50MB": 50 << 20,
	"1GB":  1 << 30,
}

// BenchRepo returns the bare benchmark repository of the given size
// ("50MB" or "1GB"), generating it from $(go env GOROOT)/src on first use
// and keeping it in $KEYLINT_BENCH_DIR (default: the user cache directory,
// keylint-bench). The 1GB repository takes minutes to build and is only
// used when KEYLINT_BENCH_LARGE=1; otherwise the benchmark is skipped.
func BenchRepo(tb testing.TB, size string) (string, GenStats) {
	tb.Helper()
	n, ok := benchSizes[size]
	if !ok {
		tb.Fatalf("unknown benchmark size %q", size)
	}
	if size != "50MB" && os.Getenv("KEYLINT_BENCH_LARGE") == "" {
		tb.Skipf("set KEYLINT_BENCH_LARGE=1 to build and use the %s repository", size)
	}
	src, err := GoSource()
	if err != nil {
		tb.Skip(err)
	}
	root := os.Getenv("KEYLINT_BENCH_DIR")
	if root == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			c = os.TempDir()
		}
		root = filepath.Join(c, "keylint-bench")
	}
	dir := filepath.Join(root, "gosrc-"+size+".git")
	st, err := Cached(dir, GenOptions{Source: src, Bytes: n, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s: %d commits, %d unique blobs, %d blob bytes", dir, st.Commits, st.Blobs, st.BlobBytes)
	return dir, st
}
