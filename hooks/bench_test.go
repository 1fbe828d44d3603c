package hooks_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/gittest"
)

// benchChanged is the staged change of every benchmark repository: a few
// lines added to 5 files.
const benchChanged = 5

// benchRepos builds each benchmark repository once per process.
var (
	benchMu    sync.Mutex
	benchRepos = map[string]*benchRepoResult{}
)

type benchRepoResult struct {
	dir string
	err error
}

// benchRepo returns a repository of files files of real text (the Go
// toolchain's own source) committed in one commit, with a 5-file staged
// change. packed says where its objects are: packed by git gc, or loose,
// as they are right after `git add` and `git commit` of those files (git's
// automatic gc is off, so it never packs them behind the benchmark's back).
func benchRepo(files int, packed bool) (string, error) {
	key := fmt.Sprintf("%d-%v", files, packed)
	benchMu.Lock()
	defer benchMu.Unlock()
	if r, ok := benchRepos[key]; ok {
		return r.dir, r.err
	}
	dir, err := buildBenchRepo(key, files, packed)
	benchRepos[key] = &benchRepoResult{dir, err}
	return dir, err
}

func buildBenchRepo(name string, files int, packed bool) (string, error) {
	if workDir == "" {
		return "", fmt.Errorf("no keylint binary (needs git and go, and no -short)")
	}
	dir := filepath.Join(workDir, "bench-repo-"+name)
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "src")
	n := 0
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || n == files {
			return fs.SkipAll
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return "", err
	}
	if n < files {
		return "", fmt.Errorf("only %d files under %s", n, src)
	}
	env := append(gittest.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
	git := func(args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	steps := [][]string{{"init", "-q", "-b", "main"}, {"config", "gc.auto", "0"}, {"add", "-A"}, {"commit", "-q", "-m", "base"}}
	if packed {
		steps = append(steps, []string{"gc", "-q"})
	}
	for _, args := range steps {
		if err := git(args...); err != nil {
			return "", err
		}
	}
	// The staged change: a few lines added to five files of the tree.
	var changed []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || len(changed) == benchChanged {
			return fs.SkipAll
		}
		if d.IsDir() && d.Name() == ".git" {
			return fs.SkipDir
		}
		if strings.HasSuffix(p, ".go") {
			changed = append(changed, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	for i, p := range changed {
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(f, "\n// Staged change %d.\nvar stagedBenchValue%d = %q\n", i, i, strings.Repeat("x", 40))
		if err := f.Close(); err != nil {
			return "", err
		}
		if err := git("add", p); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// BenchmarkStagedHook measures what a developer waits for at every commit:
// the keylint binary, process start included, running `keylint staged`
// with a 5-file staged change on three repositories of real text (from the
// Go source tree): 10,000 files, and 5,000 files whose objects are packed
// or loose (right after `git add` and `git commit` of them: thousands of
// loose objects). Each iteration also runs `git diff --cached > /dev/null`
// on the same repository, the floor keylint is compared with; both are
// reported as medians, with the CPU times (user+system; for keylint, its
// git's included). For the breakdown it also reports the medians of
// `keylint version` (process start) and of `keylint staged` with a
// one-rule configuration instead of the built-in rules. keylint is built
// as `go install` builds it (with cgo where a C compiler is installed);
// release-ms and the release ratios are the same run with the binary the
// release workflow builds (no cgo, -trimpath, -s -w).
//
//	go test -run XXX -bench StagedHook -benchtime 200x ./hooks
func BenchmarkStagedHook(b *testing.B) {
	for _, tc := range []struct {
		name   string
		files  int
		packed bool
	}{
		{"files=10000", 10000, true},
		{"files=5000-packed", 5000, true},
		{"files=5000-loose", 5000, false},
	} {
		b.Run(tc.name, func(b *testing.B) { benchStagedHook(b, tc.files, tc.packed) })
	}
}

// releaseBin builds keylint once as the release workflow does
// (.github/workflows/release.yml: no cgo, -trimpath, no symbol table), the
// binary a user who downloads a release runs; keylintBin is what
// `go install` builds, with cgo where a C compiler is installed.
var releaseBin = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(workDir, "bin", "keylint-release")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "github.com/keylint/keylint/cmd/keylint")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the release binary: %v\n%s", err, out)
	}
	return bin, nil
})

func benchStagedHook(b *testing.B, files int, packed bool) {
	dir, err := benchRepo(files, packed)
	if err != nil {
		b.Skip(err)
	}
	relBin, err := releaseBin()
	if err != nil {
		b.Fatal(err)
	}
	run := func(name string, args ...string) (time.Duration, time.Duration) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(gittest.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
		}
		wall := time.Since(start)
		if (name == keylintBin || name == relBin) && stderr.Len() > 0 {
			b.Fatalf("keylint staged is not silent on a clean change:\n%s", stderr.String())
		}
		var cpu time.Duration
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
		return wall, cpu
	}
	// A one-rule configuration without the built-in rules: the same run
	// minus the cost of loading the default rule set.
	oneRule := filepath.Join(filepath.Dir(dir), "one-rule.toml")
	conf := "defaults = false\n\n[[rules]]\nid = \"bench-token\"\ndescription = \"Bench token\"\nkeywords = [\"bnch_\"]\nregex = 'bnch_[a-z]{20}'\n"
	if err := os.WriteFile(oneRule, []byte(conf), 0o644); err != nil {
		b.Fatal(err)
	}
	// Warm the page cache and git's index.
	run(keylintBin, "staged")
	run(relBin, "staged")
	run(keylintBin, "staged", "--config", oneRule)
	run("git", "diff", "--cached")
	var kl, gd, klCPU, gdCPU, start, bare, rel, relCPU []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, c := run(keylintBin, "staged")
		kl, klCPU = append(kl, w), append(klCPU, c)
		w, c = run("git", "diff", "--cached")
		gd, gdCPU = append(gd, w), append(gdCPU, c)
		w, _ = run(keylintBin, "version")
		start = append(start, w)
		w, _ = run(keylintBin, "staged", "--config", oneRule)
		bare = append(bare, w)
		w, c = run(relBin, "staged")
		rel, relCPU = append(rel, w), append(relCPU, c)
	}
	b.StopTimer()
	mk, mg := median(kl), median(gd)
	b.ReportMetric(ms(mk), "keylint-ms")
	b.ReportMetric(ms(mg), "git-diff-ms")
	b.ReportMetric(float64(mk)/float64(mg), "ratio")
	b.ReportMetric(ms(median(klCPU)), "keylint-cpu-ms")
	// On a loaded machine wall time mostly measures the wait for a CPU;
	// the CPU times' ratio is the steadier comparison.
	b.ReportMetric(ms(median(gdCPU)), "git-diff-cpu-ms")
	b.ReportMetric(float64(median(klCPU))/float64(max(median(gdCPU), 1)), "cpu-ratio")
	b.ReportMetric(ms(median(start)), "version-ms")
	b.ReportMetric(ms(median(bare)), "one-rule-ms")
	// The release binary: the same code without cgo's dynamic loader and
	// C thread start-up.
	b.ReportMetric(ms(median(rel)), "release-ms")
	b.ReportMetric(float64(median(rel))/float64(mg), "release-ratio")
	b.ReportMetric(float64(median(relCPU))/float64(max(median(gdCPU), 1)), "release-cpu-ratio")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
