package scanner

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
	"github.com/keylint/keylint/internal/testsecret"
	"github.com/keylint/keylint/rules"
)

// binaryCorpus generates n bytes like a compiled program: runs of random
// bytes (machine code, compressed data) between symbol names, format
// strings and UTF-16 resource strings, with a few keys among them.
func binaryCorpus(b *testing.B, n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"runtime.gcBgMarkWorker", "%s: invalid argument %d\n", "github.com/x/y/z.(*T).Method",
		"Content-Type", "application/json", "SELECT id, name FROM users WHERE id = ?", "https://api.example.com/v1/"}
	out := make([]byte, 0, n+1024)
	for len(out) < n {
		switch k := rng.IntN(100); {
		case k < 60:
			for range 64 + rng.IntN(512) {
				out = append(out, byte(rng.Uint32()))
			}
		case k < 90:
			out = append(out, words[rng.IntN(len(words))]...)
			out = append(out, 0)
		case k < 99:
			out = append(out, corpus.UTF16(words[rng.IntN(len(words))], false, false)...)
			out = append(out, 0, 0)
		default:
			out = append(out, testsecret.GitHubToken(b)...)
			out = append(out, 0)
		}
	}
	return out[:n]
}

// BenchmarkScanBinary measures the scan of binary files through their
// printable strings with the default rules, in MB/s of file.
func BenchmarkScanBinary(b *testing.B) {
	rs, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	s := New(rules.NewMatcher(rs), Options{Workers: 1, MaxFileSize: 1 << 30})
	data := binaryCorpus(b, 32<<20)
	path := filepath.Join(b.TempDir(), "app.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		res, err := s.Scan(context.Background(), &Dir{Paths: []string{path}})
		if err != nil || len(res.Findings) == 0 {
			b.Fatalf("err %v, %d findings", err, len(res.Findings))
		}
	}
}

// BenchmarkScanUTF16 measures the scan of UTF-16 text (decoded in
// windows) with the default rules, in MB/s of file.
func BenchmarkScanUTF16(b *testing.B) {
	rs, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	s := New(rules.NewMatcher(rs), Options{Workers: 1, MaxFileSize: 1 << 30})
	line := "$ErrorActionPreference = 'Stop'; Write-Host \"step $i of the deployment\"\r\n"
	var text []byte
	for len(text) < 16<<20 {
		text = append(text, line...)
	}
	data := corpus.UTF16(string(text)+"$t = '"+testsecret.GitHubToken(b)+"'\r\n", false, true)
	path := filepath.Join(b.TempDir(), "deploy.ps1")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		res, err := s.Scan(context.Background(), &Dir{Paths: []string{path}})
		if err != nil || len(res.Findings) != 1 {
			b.Fatalf("err %v, %d findings", err, len(res.Findings))
		}
	}
}
