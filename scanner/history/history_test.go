package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/corpus"
	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/internal/testrules"

	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/testsecret"
	"github.com/keylint/keylint/scanner"
)

// histRules is a rule set of its own, so these tests exercise history
// scanning, not the content of the default rules.
const histRules = `
[[rules]]
id = "hist-token"
description = "Options test token"
provider = "Test"
severity = "high"
keywords = ["htk_"]
regex = '''\b(htk_[A-Za-z0-9]{28})\b'''
secret_group = 1
remediation = "Revoke it."
`

// histToken returns a random token for histRules, built at run time so
// that no file of this repository holds one.
func histToken(t testing.TB) string {
	return "htk" + "_" + testsecret.Random(t, testsecret.Alnum, 28)
}

func histScanner(t testing.TB, opt scanner.Options) *scanner.Scanner {
	t.Helper()
	if opt.Workers == 0 {
		opt.Workers = 2
	}
	return scanner.New(testrules.Matcher(t, "hist.toml", histRules), opt)
}

func scanHistory(t testing.TB, h Options) *Result {
	t.Helper()
	res, err := Scan(context.Background(), histScanner(t, scanner.Options{}), h)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	for _, w := range res.Warnings {
		t.Logf("warning: %v", w)
	}
	return res
}

// histLoc is a location reduced to what the tests check.
type histLoc struct {
	Path   string
	Line   int
	Commit string
}

func (l histLoc) String() string {
	c := l.Commit
	if len(c) > 8 {
		c = c[:8]
	}
	return fmt.Sprintf("%s:%d@%s", l.Path, l.Line, c)
}

// bySecret maps each secret (shown whole: the scanner runs with
// ShowSecrets in locsOf) to its locations.
func locsOf(t testing.TB, res *Result, secret string) []histLoc {
	t.Helper()
	for _, f := range res.Findings {
		if f.Fingerprint == scanner.Fingerprint("hist-token", secret) {
			var out []histLoc
			for _, l := range f.Locations {
				out = append(out, histLoc{l.Path, l.Line, l.Commit})
			}
			return out
		}
	}
	return nil
}

func findingOf(res *Result, secret string) *scanner.Finding {
	for i, f := range res.Findings {
		if f.Fingerprint == scanner.Fingerprint("hist-token", secret) {
			return &res.Findings[i]
		}
	}
	return nil
}

func wantLocs(t *testing.T, res *Result, secret string, want ...histLoc) {
	t.Helper()
	got := locsOf(t, res, secret)
	if !slices.Equal(got, want) {
		t.Errorf("locations:\n got %v\nwant %v", got, want)
	}
}

func TestHistoryKeyAddedMovedRemoved(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	key := histToken(t)
	r.Write("README.md", "# project\n")
	r.Commit("c1: readme")
	r.Write("main.go", "package main\n")
	r.Commit("c2: code")
	r.Write("config.env", "DEBUG=1\nTOKEN="+key+"\n")
	r.AuthorName, r.AuthorEmail = "Mallory Leaker", "mallory@example.test"
	when3 := r.Now()
	c3 := r.Commit("c3: add config\n\nwith a body")
	r.AuthorName, r.AuthorEmail = "Ada Tester", "ada@example.test"
	r.Write("config.env", "DEBUG=1\nTOKEN="+key+"\nPORT=80\n")
	r.Commit("c4: edit config around the key")
	r.Write("config.env", "DEBUG=1\nPORT=80\n")
	r.Write("settings/app.yaml", "name: app\nauth:\n  token: "+key+"\n")
	c5 := r.Commit("c5: move the token")
	r.Write("settings/app.yaml", "name: app2\nauth:\n  token: "+key+"\n")
	r.Commit("c6: rename app")
	r.Write("settings/app.yaml", "name: app2\n")
	r.Commit("c7: remove the token")

	res := scanHistory(t, Options{Repo: r.Dir})
	if len(res.Findings) != 1 || res.Commits != 7 {
		t.Fatalf("want 1 finding in 7 commits, got %d in %d", len(res.Findings), res.Commits)
	}
	wantLocs(t, res, key,
		histLoc{"config.env", 2, c3},
		histLoc{"settings/app.yaml", 3, c5})
	f := findingOf(res, key)
	if f.InHead {
		t.Error("in_head must be false: the key was removed")
	}
	if historyOnly(res.Findings) != 1 || !strings.Contains(f.Remediation, "deleting the file is not enough") || !strings.HasSuffix(f.Remediation, "Revoke it.") {
		t.Errorf("history-only remediation: %d %q", historyOnly(res.Findings), f.Remediation)
	}
	l := f.Locations[0]
	if l.Author != "Mallory Leaker" || l.Email != "mallory@example.test" || !l.Date.Equal(when3) || l.Message != "c3: add config\n\nwith a body" {
		t.Errorf("attribution: %q %q %v %q", l.Author, l.Email, l.Date, l.Message)
	}
	if strings.Contains(l.LineExcerpt, key) || !strings.Contains(l.LineExcerpt, "TOKEN=") {
		t.Errorf("excerpt %q", l.LineExcerpt)
	}
}

func TestHistorySameKeyOnTwoBranches(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	key := histToken(t)
	r.Write("README.md", "# project\n")
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write("a.txt", "k="+key+"\n")
	cf := r.Commit("feature: a.txt")
	r.Git("checkout", "-q", "main")
	r.Write("b.txt", "\nk="+key+"\n")
	cm := r.Commit("main: b.txt")

	res := scanHistory(t, Options{Repo: r.Dir})
	wantLocs(t, res, key, histLoc{"a.txt", 1, cf}, histLoc{"b.txt", 2, cm})
	if f := findingOf(res, key); f == nil || !f.InHead {
		t.Error("the key is in HEAD (main's b.txt)")
	}
	wantLocs(t, scanHistory(t, Options{Repo: r.Dir, Branches: []string{"feature"}}), key, histLoc{"a.txt", 1, cf})
	if f := findingOf(scanHistory(t, Options{Repo: r.Dir, Branches: []string{"feature"}}), key); f == nil || f.InHead {
		t.Error("feature's a.txt is not in HEAD (main)")
	}
	wantLocs(t, scanHistory(t, Options{Repo: r.Dir, Branches: []string{"main"}}), key, histLoc{"b.txt", 2, cm})

	// The same path on both branches, introduced twice: the earliest wins.
	r.Git("checkout", "-q", "feature")
	r.Write("c.txt", key+"\n")
	c1 := r.Commit("feature: c.txt")
	r.Git("checkout", "-q", "main")
	r.Write("c.txt", key+"\n")
	r.Commit("main: c.txt")
	res = scanHistory(t, Options{Repo: r.Dir})
	wantLocs(t, res, key, histLoc{"a.txt", 1, cf}, histLoc{"b.txt", 2, cm}, histLoc{"c.txt", 1, c1})
}

func TestHistoryKeyIntroducedByMergeResolution(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	key := histToken(t)
	r.Write("conf.txt", "a\nb\nc\n")
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "side")
	r.Write("conf.txt", "a\nside\nc\n")
	r.Commit("side")
	r.Git("checkout", "-q", "main")
	r.Write("conf.txt", "a\nmain\nc\n")
	r.Write("other.txt", "x\n")
	r.Commit("main")
	if _, err := r.TryGit("merge", "-q", "side"); err == nil {
		t.Fatal("expected a conflict")
	}
	r.Write("conf.txt", "a\nresolved "+key+"\nc\n")
	merge := r.Commit("merge side, resolving with a key")
	// A clean merge that brings nothing new must not be blamed.
	r.Git("checkout", "-q", "-b", "side2", "HEAD~1")
	r.Write("side2.txt", "clean\n")
	r.Commit("side2")
	r.Git("checkout", "-q", "main")
	r.Git("merge", "-q", "--no-edit", "side2")
	r.Tick()

	res := scanHistory(t, Options{Repo: r.Dir})
	wantLocs(t, res, key, histLoc{"conf.txt", 2, merge})
	if parents := strings.Fields(r.Git("log", "-1", "--format=%P", merge)); len(parents) != 2 {
		t.Fatalf("%s is not a merge", merge)
	}
}

func TestHistoryTagsAndStash(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	inTag, inAnnotated, inStash, inOldStash := histToken(t), histToken(t), histToken(t), histToken(t)
	r.Write("README.md", "# project\n")
	r.Commit("base")
	// A commit only a lightweight tag reaches.
	r.Git("checkout", "-q", "-b", "gone")
	r.Write("tagged.txt", inTag+"\n")
	tagged := r.Commit("tagged")
	r.Git("tag", "v1")
	// One only an annotated tag reaches.
	r.Write("annotated.txt", inAnnotated+"\n")
	annotated := r.Commit("annotated")
	r.Git("tag", "-a", "-m", "release 2", "v2")
	r.Git("checkout", "-q", "main")
	r.Git("branch", "-q", "-D", "gone")
	// Two stashes: the newest in refs/stash, the older only in its reflog.
	r.Write("README.md", "# project\n"+inOldStash+"\n")
	r.Git("stash", "-q")
	r.Tick()
	oldStash := r.Git("rev-parse", "stash@{0}")
	r.Write("README.md", "# project\n\n"+inStash+"\n")
	r.Git("stash", "-q")
	r.Tick()
	stash := r.Git("rev-parse", "stash@{0}")

	// Tags naming a blob and a tree directly, not a commit.
	blobTagged, treeTagged := histToken(t), histToken(t)
	blob := r.GitInput([]byte(blobTagged+"\n"), "hash-object", "-w", "--stdin")
	r.Git("tag", "blobtag", blob)
	treeBlob := r.GitInput([]byte("x = "+treeTagged+"\n"), "hash-object", "-w", "--stdin")
	tree := r.GitInput([]byte("100644 blob "+treeBlob+"\tin-tree.txt\n"), "mktree")
	r.Git("tag", "-a", "-m", "a tree", "treetag", tree)

	res := scanHistory(t, Options{Repo: r.Dir})
	wantLocs(t, res, blobTagged, histLoc{"refs/tags/blobtag", 1, ""})
	wantLocs(t, res, treeTagged, histLoc{"in-tree.txt", 1, ""})
	wantLocs(t, res, inTag, histLoc{"tagged.txt", 1, tagged})
	wantLocs(t, res, inAnnotated, histLoc{"annotated.txt", 1, annotated})
	wantLocs(t, res, inStash, histLoc{"README.md", 3, stash})
	wantLocs(t, res, inOldStash, histLoc{"README.md", 2, oldStash})
	if len(res.Findings) != 6 || historyOnly(res.Findings) != 6 {
		t.Errorf("findings %d, history only %d", len(res.Findings), historyOnly(res.Findings))
	}
}

// histRepoWithKeys makes a small history with a few keys and returns it
// with the keys.
func histRepoWithKeys(t *testing.T) (*gittest.Repo, []string) {
	r := gittest.New(t)
	keys := []string{histToken(t), histToken(t), histToken(t)}
	body := strings.Repeat("line of ordinary text that deltas well\n", 200)
	for i := range 12 {
		r.Write("big.txt", body+strings.Repeat("more\n", i))
		r.Write(fmt.Sprintf("dir%d/f.txt", i%3), fmt.Sprintf("v%d\n", i))
		if i < len(keys) {
			r.Write(fmt.Sprintf("keys/%d.env", i), "K="+keys[i]+"\n")
		}
		if i == 6 {
			r.Write("big.txt", body+"K="+keys[0]+"\n")
		}
		r.Commit(fmt.Sprintf("c%d", i))
	}
	return r, keys
}

func histSummary(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "commits=%d blobs=%d files=%d bytes=%d\n", res.Commits, res.Blobs, res.Summary.Files, res.Summary.Bytes)
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "%s in_head=%v\n", f.Fingerprint, f.InHead)
		for _, l := range f.Locations {
			fmt.Fprintf(&b, "  %s:%d:%d %s %s\n", l.Path, l.Line, l.Column, l.Commit, l.Date)
		}
	}
	return b.String()
}

func TestHistoryLooseThenPackedThenManyPacks(t *testing.T) {
	t.Parallel()
	r, keys := histRepoWithKeys(t)
	loose := scanHistory(t, Options{Repo: r.Dir})
	if len(loose.Findings) != len(keys) {
		t.Fatalf("loose: %d findings", len(loose.Findings))
	}
	r.Git("gc", "-q", "--aggressive")
	if n, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.pack")); len(n) != 1 {
		t.Fatalf("packs after gc: %v", n)
	}
	if deltas := r.Git("-c", "core.pager=cat", "verify-pack", "-v", packIdx(t, r)); !strings.Contains(deltas, "chain length") {
		t.Fatal("gc made no deltas")
	}
	packed := scanHistory(t, Options{Repo: r.Dir})
	if a, b := histSummary(loose), histSummary(packed); a != b {
		t.Errorf("loose and packed differ:\n%s\n%s", a, b)
	}
	// More history in a second pack, and some loose objects.
	k := histToken(t)
	r.Write("late.txt", k+"\n")
	r.Commit("late")
	r.Git("repack", "-q", "-d")
	r.Write("later.txt", "x\n")
	r.Commit("later")
	if n, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.pack")); len(n) != 2 {
		t.Fatalf("packs: %v", n)
	}
	res := scanHistory(t, Options{Repo: r.Dir})
	if len(res.Findings) != len(keys)+1 || locsOf(t, res, k) == nil {
		t.Errorf("two packs: %s", histSummary(res))
	}
}

func packIdx(t *testing.T, r *gittest.Repo) string {
	m, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.idx"))
	if len(m) == 0 {
		t.Fatal("no pack")
	}
	return m[0]
}

func TestHistoryBareWorktreeAlternates(t *testing.T) {
	t.Parallel()
	r, keys := histRepoWithKeys(t)
	r.Git("gc", "-q")
	want := histSummary(scanHistory(t, Options{Repo: r.Dir}))

	bare := t.TempDir()
	r.Git("clone", "-q", "--bare", r.Dir, bare)
	if got := histSummary(scanHistory(t, Options{Repo: bare})); got != want {
		t.Errorf("bare:\n%s\nwant\n%s", got, want)
	}
	// From a subdirectory of the working tree.
	if got := histSummary(scanHistory(t, Options{Repo: filepath.Join(r.Dir, "keys")})); got != want {
		t.Errorf("subdirectory:\n%s", got)
	}
	// A linked worktree on another branch, with one more commit.
	wt := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", "-b", "wtbranch", wt)
	w := gittest.Open(t, wt)
	k := histToken(t)
	w.Write("wt.txt", k+"\n")
	wc := w.Commit("in the worktree")
	res := scanHistory(t, Options{Repo: wt})
	wantLocs(t, res, k, histLoc{"wt.txt", 1, wc})
	if f := findingOf(res, k); f == nil || !f.InHead {
		t.Error("the worktree's HEAD has the key")
	}
	if f := findingOf(scanHistory(t, Options{Repo: r.Dir}), k); f == nil || f.InHead {
		t.Error("the main working tree's HEAD does not have the key")
	}
	// A clone borrowing objects through alternates.
	shared := gittest.Open(t, t.TempDir())
	shared.Git("clone", "-q", "--shared", r.Dir, ".")
	if _, err := os.Stat(filepath.Join(shared.Dir, ".git", "objects", "info", "alternates")); err != nil {
		t.Fatal(err)
	}
	res = scanHistory(t, Options{Repo: shared.Dir})
	for _, key := range keys {
		if locsOf(t, res, key) == nil {
			t.Errorf("alternates: key %d not found", len(key))
		}
	}
}

func TestHistoryShallowClone(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	old, recent := histToken(t), histToken(t)
	r.Write("old.txt", old+"\n")
	r.Commit("old key")
	r.Remove("old.txt")
	r.Commit("remove old key")
	r.Write("a.txt", "a\n")
	r.Commit("a")
	r.Write("recent.txt", recent+"\n")
	c4 := r.Commit("recent key")
	clone := gittest.Open(t, t.TempDir())
	clone.Git("clone", "-q", "--depth", "2", "file://"+r.Dir, ".")
	res := scanHistory(t, Options{Repo: clone.Dir})
	if !res.Truncated || res.Shallow != 1 || res.Commits != 2 {
		t.Errorf("truncated=%v shallow=%d commits=%d", res.Truncated, res.Shallow, res.Commits)
	}
	wantLocs(t, res, recent, histLoc{"recent.txt", 1, c4})
	if findingOf(res, old) != nil {
		t.Error("the old key is not in the shallow clone")
	}
	if full := scanHistory(t, Options{Repo: r.Dir}); full.Truncated || full.Shallow != 0 {
		t.Error("a full repository is not truncated")
	}
}

func TestHistoryPartialCloneSkipsMissingBlobs(t *testing.T) {
	t.Parallel()
	r, _ := histRepoWithKeys(t)
	r.Git("config", "uploadpack.allowFilter", "true")
	clone := gittest.Open(t, t.TempDir())
	clone.Git("clone", "-q", "--no-checkout", "--filter=blob:none", "file://"+r.Dir, ".")
	res := scanHistory(t, Options{Repo: clone.Dir})
	if !res.Partial || res.Missing == 0 || res.Missing != res.Blobs || res.Summary.Skipped["missing"] != res.Missing {
		t.Errorf("partial=%v missing=%d blobs=%d skipped=%v", res.Partial, res.Missing, res.Blobs, res.Summary.Skipped)
	}
	if len(res.Findings) != 0 || res.Truncated {
		t.Errorf("findings=%d truncated=%v", len(res.Findings), res.Truncated)
	}
}

func TestHistoryDeletedThenRestored(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	key := histToken(t)
	r.Write("secret.env", "K="+key+"\n")
	c1 := r.Commit("add")
	r.Remove("secret.env")
	r.Commit("delete")
	r.Write("secret.env", "K="+key+"\n")
	r.Commit("restore")
	res := scanHistory(t, Options{Repo: r.Dir})
	wantLocs(t, res, key, histLoc{"secret.env", 1, c1})
	if f := findingOf(res, key); f == nil || !f.InHead || historyOnly(res.Findings) != 0 {
		t.Error("the restored key is in HEAD")
	}
}

func TestHistorySkipsBinaryLargeLFSAndSubmodules(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	key := histToken(t)
	r.Write("bin.dat", "\x00\x01binary\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	var big strings.Builder
	line := strings.Repeat("x", 99) + "\n"
	for big.Len() < 50<<20 {
		big.WriteString(line)
	}
	big.WriteString(key + "\n")
	r.Write("big.log", big.String())
	r.Write("model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:"+strings.Repeat("ab12", 16)+"\nsize 12345\n")
	sub := r.Commit("assets")
	r.Git("update-index", "--add", "--cacheinfo", "160000,"+sub+",vendor/lib")
	r.Git("commit", "-q", "-m", "add a submodule")
	res := scanHistory(t, Options{Repo: r.Dir})
	if len(res.Findings) != 0 {
		t.Errorf("findings: %s", histSummary(res))
	}
	sk := res.Summary.Skipped
	if sk["too-large"] != 1 || sk["lfs-pointer"] != 1 {
		t.Errorf("skipped %v", sk)
	}
	if !slices.Equal(res.Submodules, []string{"vendor/lib"}) {
		t.Errorf("submodules %v", res.Submodules)
	}
}

func TestHistorySelection(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	keys := make([]string, 6)
	commits := make([]string, 6)
	for i := range keys {
		keys[i] = histToken(t)
		r.Write(fmt.Sprintf("k%d.txt", i), keys[i]+"\n")
		commits[i] = r.Commit(fmt.Sprintf("c%d", i))
	}
	found := func(h Options) []int {
		h.Repo = r.Dir
		res := scanHistory(t, h)
		var out []int
		for i, k := range keys {
			if findingOf(res, k) != nil {
				out = append(out, i)
			}
		}
		return out
	}
	day := func(i int) time.Time { return gittest.Start.Add(time.Duration(i) * time.Hour) }
	for _, tc := range []struct {
		name string
		h    Options
		want []int
	}{
		{"all", Options{}, []int{0, 1, 2, 3, 4, 5}},
		{"range", Options{Range: commits[1] + ".." + commits[3]}, []int{2, 3}},
		{"range to HEAD", Options{Range: "HEAD~2.."}, []int{4, 5}},
		{"range with names", Options{Range: "main~4..main~1"}, []int{2, 3, 4}},
		{"abbreviated", Options{Range: commits[4][:8] + ".." + commits[5][:10]}, []int{5}},
		{"since", Options{Since: day(4)}, []int{4, 5}},
		{"until", Options{Until: day(1)}, []int{0, 1}},
		{"since and until", Options{Since: day(2), Until: day(3)}, []int{2, 3}},
		{"max commits", Options{MaxCommits: 2}, []int{4, 5}},
		{"branch", Options{Branches: []string{"main"}}, []int{0, 1, 2, 3, 4, 5}},
	} {
		if got := found(tc.h); !slices.Equal(got, tc.want) {
			t.Errorf("%s: found keys %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, bad := range []Options{{Branches: []string{"nope"}}, {Range: "nope..main"}, {Range: "main"}, {Range: "main...HEAD"}} {
		bad.Repo = r.Dir
		_, err := Scan(context.Background(), histScanner(t, scanner.Options{}), bad)
		var re *RevisionError
		if !errors.As(err, &re) {
			t.Errorf("%+v: want a RevisionError, got %v", bad, err)
		}
	}
	if _, err := Scan(context.Background(), histScanner(t, scanner.Options{}), Options{Repo: t.TempDir()}); !errors.Is(err, gitexec.ErrNotRepository) {
		t.Errorf("not a repository: %v", err)
	}
}

func TestHistoryCancel(t *testing.T) {
	t.Parallel()
	r, _ := histRepoWithKeys(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Scan(ctx, histScanner(t, scanner.Options{}), Options{Repo: r.Dir}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scan: %v", err)
	}
}

// TestHistoryCancelWhileScanning cancels a scan while blobs are being
// decoded and scanned: it stops promptly and leaves no goroutine behind.
func TestHistoryCancelWhileScanning(t *testing.T) {
	r, _ := gittest.Generated(t, gittest.GenOptions{Bytes: 8 << 20, Seed: 3})
	dir := r.Dir
	before := runtime.NumGoroutine()
	for _, phase := range []int32{PhaseTrees, PhaseBlobs} {
		ctx, cancel := context.WithCancel(context.Background())
		var p Progress
		go func() {
			for p.Phase.Load() < phase || phase == PhaseBlobs && p.Blobs.Load() < 10 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		start := time.Now()
		_, err := Scan(ctx, histScanner(t, scanner.Options{}), Options{Repo: dir, Progress: &p})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("phase %d: %v", phase, err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("phase %d: took %v to stop", phase, d)
		}
		cancel()
	}
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("goroutines: %d before, %d after", before, runtime.NumGoroutine())
}

// TestHistoryInHeadWhenHeadIsNotScanned: a range that leaves out the
// commit HEAD's version of a file comes from still says whether HEAD holds
// the secret.
func TestHistoryInHeadWhenHeadIsNotScanned(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	key := histToken(t)
	r.Write("app.env", "K="+key+"\n")
	c1 := r.Commit("add")
	r.Write("app.env", "# edited\nK="+key+"\n")
	r.Commit("edit, keeping the key")
	res := scanHistory(t, Options{Repo: r.Dir, Branches: []string{c1}})
	if f := findingOf(res, key); f == nil || !f.InHead {
		t.Error("HEAD's app.env still holds the key")
	}
	r.Write("app.env", "# no key\n")
	r.Commit("remove")
	res = scanHistory(t, Options{Repo: r.Dir, Branches: []string{c1}})
	if f := findingOf(res, key); f == nil || f.InHead {
		t.Error("HEAD no longer holds the key")
	}
}

func TestHistoryRevisionSuffixes(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("a", "1\n")
	c1 := r.Commit("c1")
	r.Git("checkout", "-q", "-b", "side")
	r.Write("b", "side\n")
	side := r.Commit("side")
	r.Git("checkout", "-q", "main")
	r.Write("a", "2\n")
	c2 := r.Commit("c2")
	r.Git("merge", "-q", "--no-edit", "side")
	m := r.Tick()
	hr, err := openHistRepo(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer hr.close()
	for rev, want := range map[string]string{
		"HEAD": m, "main": m, "HEAD^0": m, "HEAD^": c2, "HEAD^1": c2, "HEAD^2": side,
		"HEAD~1": c2, "HEAD~2": c1, "main^2~1": c1, "@~2": c1, m[:7]: m, "refs/heads/side": side,
	} {
		id, err := hr.resolveRev(rev)
		if err != nil || id.String() != want {
			t.Errorf("%s: %v %v, want %s", rev, id, err, want)
		}
	}
	for _, rev := range []string{"HEAD^3", "HEAD~9", "nope", "HEAD~x"} {
		if _, err := hr.resolveRev(rev); err == nil {
			t.Errorf("%s resolved", rev)
		}
	}
}

// TestHistoryEncoded finds keys in history blobs of UTF-16 text (at the
// editor's line) and of binary files (in their strings).
func TestHistoryEncoded(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	k1, k2, k3 := histToken(t), histToken(t), histToken(t)
	r.Write("a.ps1", utf16Script([]string{"one", "\u010a two", "$k = '" + k1 + "'"}, false, true))
	r.Write("b.txt", utf16Script([]string{"x", "y = " + k2}, true, false))
	r.Write("tool.bin", strings.Repeat("\x00\x01\x02\x03", 50)+"\n"+k3+"\x00")
	c := r.Commit("add")
	res := scanHistory(t, Options{Repo: r.Dir})
	wantLocs(t, res, k1, histLoc{"a.ps1", 3, c})
	wantLocs(t, res, k2, histLoc{"b.txt", 2, c})
	wantLocs(t, res, k3, histLoc{"tool.bin", 2, c})
}

// utf16Script is a UTF-16 script of lines joined by CRLF, big- or
// little-endian, with or without a BOM.
func utf16Script(lines []string, be, bom bool) string {
	return string(corpus.UTF16(strings.Join(lines, "\r\n")+"\r\n", be, bom))
}

// historyOnly counts the findings no longer in HEAD.
func historyOnly(fs []scanner.Finding) int {
	n := 0
	for _, f := range fs {
		if !f.InHead {
			n++
		}
	}
	return n
}
