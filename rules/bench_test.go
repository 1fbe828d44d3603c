package rules

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/corpus"
)

// benchCorpusSize is the size of the benchmark corpus: real Go source from
// the toolchain plus synthetic web and configuration files.
const benchCorpusSize = 32 << 20

// goroot asks the go command where the toolchain lives.
func goroot() string {
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); dir != "" {
			return dir
		}
	}
	return os.Getenv("GOROOT")
}

// benchCorpus is built once per test binary: about 30 MB of Go source
// sampled evenly from $(go env GOROOT)/src, then about 2 MB of JavaScript,
// YAML, JSON, .env and INI files with a fake credential planted about
// every 64 KB. It is deterministic and is real text, never random bytes.
var benchCorpus = sync.OnceValues(func() ([][]byte, error) {
	mixed := corpus.MixedFiles(1, 2<<20, 64<<10)
	var files [][]byte
	if root := goroot(); root != "" {
		gof, err := corpus.GoFiles(filepath.Join(root, "src"), benchCorpusSize-(2<<20))
		if err != nil {
			return nil, err
		}
		files = gof
	}
	if len(files) == 0 {
		// No toolchain source: synthetic text only, so the benchmark
		// still runs (and says so).
		mixed = corpus.MixedFiles(1, benchCorpusSize, 64<<10)
	}
	// Interleave so that every part of a run sees both kinds.
	step := max(1, len(files)/max(1, len(mixed)))
	var out [][]byte
	for i, f := range files {
		out = append(out, f)
		if i%step == 0 && len(mixed) > 0 {
			out, mixed = append(out, mixed[0]), mixed[1:]
		}
	}
	return append(out, mixed...), nil
})

func benchMatcher(b *testing.B) *Matcher {
	b.Helper()
	rs, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	return NewMatcher(rs)
}

// BenchmarkMatcher reports matcher throughput with every default rule
// active over the mixed corpus, one Find per file as the scanner calls it.
// The single-input variant runs one Find over the whole corpus joined;
// keywords-only runs the keyword automaton alone.
//
//	go test -run XXX -bench Matcher -benchtime 3x ./rules
func BenchmarkMatcher(b *testing.B) {
	files, err := benchCorpus()
	if err != nil {
		b.Fatal(err)
	}
	var total int64
	for _, f := range files {
		total += int64(len(f))
	}
	if root := goroot(); root == "" {
		b.Log("GOROOT not found: synthetic corpus only")
	}
	m := benchMatcher(b)
	// Warm up: compile the regexes of every rule the corpus triggers, so
	// the figure is steady-state throughput.
	var st Stats
	n := 0
	for _, f := range files {
		n += len(m.Find(f, &st))
	}
	b.Logf("corpus: %d files, %.1f MB, %d rules, %d matches, rejected %v", len(files), float64(total)/1e6, len(m.Rules()), n, st.Rejected)

	b.Run("per-file", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		cpu := startCPU()
		for b.Loop() {
			for _, f := range files {
				m.Find(f, nil)
			}
		}
		cpu.report(b, total)
	})
	b.Run("keywords-only", func(b *testing.B) {
		// The keyword automaton alone: the floor under every Find.
		b.SetBytes(total)
		cpu := startCPU()
		hits := 0
		for b.Loop() {
			for _, f := range files {
				m.ac.scan(f, func(int, int32, int) { hits++ })
			}
		}
		cpu.report(b, total)
	})
	b.Run("single-input", func(b *testing.B) {
		var joined []byte
		for _, f := range files {
			joined = append(joined, f...)
		}
		b.SetBytes(int64(len(joined)))
		b.ReportAllocs()
		cpu := startCPU()
		for b.Loop() {
			m.Find(joined, nil)
		}
		cpu.report(b, int64(len(joined)))
	})
}

// cpuClock measures the process CPU time a benchmark loop used. On a
// loaded machine wall-clock MB/s understates the matcher; "cpu-MB/s"
// divides the bytes scanned by the CPU time actually spent (garbage
// collection on other cores included, so it errs on the low side).
type cpuClock struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuClock {
	t, ok := cpuTime()
	return cpuClock{t, ok}
}

func (c cpuClock) report(b *testing.B, bytesPerOp int64) {
	end, ok := cpuTime()
	if !c.ok || !ok || end <= c.start {
		return
	}
	if bytesPerOp > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(b.N)/1e6/(end-c.start).Seconds(), "cpu-MB/s")
	} else {
		b.ReportMetric(float64(end-c.start)/1e6/float64(b.N), "cpu-ms/op")
	}
}

// smallInput is a typical small file: a .env with one fake token.
func smallInput() []byte {
	body := "q7Zk2Wm9Rv4Tx8BnHc3Lp6Ys1Df5Gj"
	return []byte("NODE_ENV=production\nPORT=8080\nLOG_LEVEL=info\nDATABASE_URL=${DATABASE_URL}\n" +
		"GITHUB_TOKEN=gh" + "p_" + body + Base62CRC32(body) + "\n" +
		strings.Repeat("FEATURE_FLAG_CHECKOUT=true\nCACHE_TTL=300\n", 40))
}

// BenchmarkNewMatcher is the start-up cost of a process that scans one
// small file: load the default rules, build the matcher, scan.
// "compiled" is what keylint does (the rules compiled into the binary,
// readied afresh, regexes compiled only for rules with a keyword hit);
// "toml-lazy" and "toml-eager" decode default.toml instead, without and
// with compiling every regex up front (as validating a user's file does);
// "warm" reuses the process-wide set.
func BenchmarkNewMatcher(b *testing.B) {
	data := smallInput()
	text, err := os.ReadFile(DefaultFile)
	if err != nil {
		b.Fatal(err)
	}
	load := map[string]func() (*File, error){
		"compiled": func() (*File, error) {
			// A fresh copy of each rule, as a new process has.
			f := defaultRules
			f.Rules = make([]*Rule, len(defaultRules.Rules))
			for i, r := range defaultRules.Rules {
				c := *r
				f.Rules[i] = &c
			}
			f.Allow = slices.Clone(defaultRules.Allow)
			return ready(f)
		},
		"toml-lazy":  func() (*File, error) { return parse(DefaultFile, text, true) },
		"toml-eager": func() (*File, error) { return parse(DefaultFile, text, false) },
		"warm":       defaultFile,
	}
	for _, name := range []string{"compiled", "toml-lazy", "toml-eager", "warm"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPU()
			defer func() { cpu.report(b, 0) }()
			for b.Loop() {
				f, err := load[name]()
				if err != nil {
					b.Fatal(err)
				}
				rs, err := New(f)
				if err != nil {
					b.Fatal(err)
				}
				if len(NewMatcher(rs).Find(data, nil)) == 0 {
					b.Fatal("no match in the small input")
				}
			}
		})
	}
}

// pathoSize is the size of each pathological benchmark input.
const pathoSize = 8 << 20

// pathological returns deterministic inputs that put a keyword hit (or
// several) on every few bytes: the worst case for window merging and for
// the regexes run over the merged windows. Each is about n bytes.
func pathological(n int) []struct {
	name string
	data []byte
} {
	repeat := func(unit string) []byte {
		return bytes.Repeat([]byte(unit), max(1, n/len(unit)))
	}
	// Every keyword of the default rules in turn, so that each few bytes
	// end a hit of another rule.
	rs, err := Default()
	if err != nil {
		panic(err)
	}
	var kws []string
	for _, r := range rs.Rules() {
		kws = append(kws, r.Keywords...)
	}
	slices.Sort(kws)
	kws = slices.Compact(kws)
	var alt bytes.Buffer
	for alt.Len() < n {
		for _, k := range kws {
			alt.WriteString(k)
		}
	}
	// Lines of genuine-looking password assignments, distinct values.
	var lines bytes.Buffer
	for i := 0; lines.Len() < n; i++ {
		fmt.Fprintf(&lines, "password = \"Zr%07dq!Xv\"\n", i)
	}
	return []struct {
		name string
		data []byte
	}{
		{"password=", repeat("password=")},
		{"token:", repeat("token:")},
		{"json-password", repeat(`"password": "`)},
		{"begin", repeat("-----BEGIN")},
		{"bearer", repeat("Authorization: Bearer ")},
		{"keyword-per-byte", repeat("$1$")},
		{"akia", repeat("AKIA")},
		{"alternating", repeat("password=token:secret=api_key=")},
		{"every-keyword", alt.Bytes()[:n]},
		{"password-lines", lines.Bytes()},
		{"password=newline", repeat("password=\n")},
	}
}

// BenchmarkPathological runs the default matcher over inputs made of
// keyword hits (see pathological). Compare ns/byte with BenchmarkMatcher's
// ordinary input: each case must stay within a small constant factor.
//
//	go test -run XXX -bench Pathological -benchtime 1x ./rules
func BenchmarkPathological(b *testing.B) {
	m := benchMatcher(b)
	for _, c := range pathological(pathoSize) {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			var st Stats
			m.Find(c.data, &st) // warm up: compile the regexes and DFAs
			cpu := startCPU()
			for b.Loop() {
				m.Find(c.data, nil)
			}
			cpu.report(b, int64(len(c.data)))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(c.data)), "ns/byte")
			b.ReportMetric(float64(st.RegexBytes)/float64(len(c.data)), "regex-bytes/byte")
			b.ReportMetric(float64(st.SubmatchBytes)/float64(len(c.data)), "submatch-bytes/byte")
		})
	}
}
