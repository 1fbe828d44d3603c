package history

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/internal/testrules"
	"github.com/keylint/keylint/internal/testsecret"
	"github.com/keylint/keylint/scanner"
)

// advRules add to histRules what makes a blob's verdict depend on its
// path: a rule allowlist by path, a rule for .env files only, a path rule.
const advRules = histRules + `
[[rules.allow]]
description = "fixtures"
paths = ['^allowed/']

[[rules]]
id = "env-token"
description = "Env-only test token"
provider = "Test"
severity = "medium"
keywords = ["etk_"]
regex = '''\b(etk_[A-Za-z0-9]{24})\b'''
secret_group = 1
only_paths = ['\.env$']
remediation = "Revoke it."

[[rules]]
id = "pem-file"
description = "A key file"
provider = "Test"
severity = "low"
path = '''\.pem$'''
remediation = "Remove it."
`

// advFindings runs a scan and returns its findings as JSON (what the json
// report holds of them).
func advFindings(t *testing.T, sc *scanner.Scanner, opt Options, c Cache) (*Result, string) {
	t.Helper()
	if c != nil {
		opt.Cache, opt.CacheKey = c, blobcache.Key
	}
	res, err := Scan(context.Background(), sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(res.Findings, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return res, string(js)
}

// advCheck fills the cache with the fill selections, then checks that a
// warm run of want reports what a run of want without a cache reports.
func advCheck(t *testing.T, what string, sc *scanner.Scanner, c Cache, want Options, fill ...Options) *Result {
	t.Helper()
	for _, f := range fill {
		advFindings(t, sc, f, c)
	}
	_, ref := advFindings(t, sc, want, nil)
	warm, got := advFindings(t, sc, want, c)
	if got != ref {
		t.Errorf("%s: warm findings differ from a run without a cache:\nwarm: %s\nref:  %s", what, got, ref)
	}
	return warm
}

func utf16LE(s string) string {
	var b strings.Builder
	b.WriteString("\xff\xfe")
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.String()
}

func utf16BE(s string) string {
	var b strings.Builder
	b.WriteString("\xfe\xff")
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u >> 8))
		b.WriteByte(byte(u))
	}
	return b.String()
}

func advZip(t *testing.T, name, content string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write([]byte(content))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func advGzip(t *testing.T, content string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestCacheAdversarial tries to make a warm run lose or change a finding:
// the same blob at paths that change its verdict (a rule allowlist, a
// rule for .env files, a path rule, test paths), CRLF, a BOM, UTF-16,
// Latin-1 and binary content, a blob with more matches than a record
// holds, a file edited to a shorter version, commits recorded clean seen
// again under another selection, a re-parented commit (replace refs), a
// new ref at an old commit, a shallow clone deepened, and concurrent runs
// on one cache. Each warm run is compared with a run without a cache.
func TestCacheAdversarial(t *testing.T) {
	t.Parallel()
	sc := scanner.New(testrules.Matcher(t, "adv.toml", advRules), scanner.Options{Workers: 2})
	etk := func() string { return "etk" + "_" + testsecret.Random(t, testsecret.Alnum, 24) }
	r := gittest.New(t)
	c, err := blobcache.Open(t.TempDir(), "adv", blobcache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := Options{Repo: r.Dir}

	k1, e1 := histToken(t), etk()
	shared := "# config\nA=" + k1 + "\nB=" + e1 + "\n"
	r.Write("README", "clean\n")
	base := r.Commit("base")
	trunk := strings.TrimSpace(r.Git("rev-parse", "--abbrev-ref", "HEAD"))
	r.Write("a.env", shared)
	r.Write("b.go", shared)
	r.Write("allowed/c.env", shared)
	r.Write("x_test.go", shared)
	r.Write("docs/x.md", shared)
	r.Write("id.pem", "not a key, a path rule\n")
	r.Write("crlf.txt", "line one\r\nK="+histToken(t)+"\r\n\r\nK2="+histToken(t)+"\r\n")
	r.Write("bom.txt", "\ufeffK="+histToken(t)+"\n")
	r.Write("utf16.txt", utf16LE("x\r\nK="+histToken(t)+"\r\n"))
	r.Write("latin1.txt", "caf\xe9 K="+histToken(t)+"\n")
	r.Write("utf16be.txt", utf16BE("K="+histToken(t)+"\n"))
	r.Write("keys.zip", advZip(t, "inner/k.env", "K="+histToken(t)+"\n"))
	r.Write("keys.gz", advGzip(t, "K="+histToken(t)+"\n"))
	r.Write("nul.bin", "\x00\x01\x02K="+histToken(t)+"\x00\x00\n")
	var many strings.Builder
	for range 5000 {
		many.WriteString("k " + histToken(t) + "\n")
	}
	r.Write("many.txt", many.String())
	r.Commit("keys everywhere")
	advCheck(t, "first fill", sc, c, all, all)
	warm := advCheck(t, "second warm", sc, c, all)
	if warm.CachedReplayed == 0 || warm.CachedNarrowed == 0 || warm.CachedCommits == 0 {
		t.Errorf("the warm run does not exercise the cache: %d replayed, %d narrowed, %d commits not diffed", warm.CachedReplayed, warm.CachedNarrowed, warm.CachedCommits)
	}

	// The same blob at new paths whose verdicts differ, and a file edited
	// to a shorter version (a new blob at a known path).
	r.Write("moved/a.env", shared)
	r.Write("moved/b.go", shared)
	r.Write("allowed/late.go", shared)
	r.Write("a.env", "A="+k1+"\n")
	r.Write("crlf.txt", "K=x\r\n")
	mid := r.Commit("copies and a shorter file")
	advCheck(t, "copies", sc, c, all)

	// Commits recorded clean, then other selections: a range, a date, the
	// newest commits, a branch, and back.
	r.Git("checkout", "-q", "-b", "side", base)
	r.Write("side.txt", "clean on the side\n")
	side := r.Commit("side: clean")
	r.Write("side.env", shared)
	r.Commit("side: the shared blob at another path")
	r.Git("checkout", "-q", "-")
	for _, o := range []Options{
		{Repo: r.Dir, MaxCommits: 1},
		{Repo: r.Dir, Range: base + ".." + mid},
		{Repo: r.Dir, Since: r.Now().Add(-2 * time.Hour)},
		{Repo: r.Dir, Branches: []string{"side"}},
		{Repo: r.Dir, Branches: []string{side}},
		all,
	} {
		advCheck(t, fmt.Sprintf("selection %+v", o), sc, c, o, o)
		advCheck(t, fmt.Sprintf("all after %+v", o), sc, c, all, o)
	}

	// A new ref at an old commit, and a commit recorded clean re-parented
	// onto a commit whose tree lacks what it inherits.
	r.Git("tag", "old", base)
	advCheck(t, "new ref at an old commit", sc, c, all)
	r.Git("checkout", "-q", "--orphan", "lone")
	r.Git("rm", "-rqf", ".")
	r.Write("lone.txt", "an orphan\n")
	lone := r.Commit("orphan root")
	r.Git("checkout", "-q", "-")
	r.Git("replace", "--graft", side, lone)
	advCheck(t, "side re-parented onto an orphan", sc, c, all)
	r.Git("replace", "-d", side)
	advCheck(t, "graft removed", sc, c, all)

	// A commit recorded clean, then replaced (refs/replace) by one with the
	// same parent and a tree holding a key.
	r.Git("checkout", "-q", "-b", "rep", base)
	r.Write("rep.txt", "clean\n")
	rep := r.Commit("rep: clean")
	advCheck(t, "before replace", sc, c, all, all)
	r.Git("checkout", "-q", "-b", "tmp", base)
	r.Write("rep.txt", "clean\n")
	r.Write("rep.env", "R="+histToken(t)+"\n")
	alt := r.Commit("rep: replaced")
	r.Git("checkout", "-q", "rep")
	r.Git("branch", "-q", "-D", "tmp")
	r.Git("replace", rep, alt)
	advCheck(t, "replaced by another tree", sc, c, all)
	r.Git("replace", "-d", rep)
	r.Git("checkout", "-q", trunk)

	// A shallow clone whose tip was recorded clean in the full history:
	// in the clone it has no parent, so it introduces every file of its
	// tree, keys included. Then deepened.
	r.Write("late.txt", "clean\n")
	r.Commit("a clean tip")
	shallow := filepath.Join(t.TempDir(), "shallow")
	gittest.Run(t, "", "clone", "-q", "--no-local", "--depth", "1", "--no-single-branch", r.Dir, shallow)
	sh := Options{Repo: shallow}
	advCheck(t, "shallow after the full history", sc, c, sh, all, all)
	advCheck(t, "shallow", sc, c, sh, sh)
	gittest.Run(t, shallow, "fetch", "-q", "--unshallow")
	advCheck(t, "deepened", sc, c, sh)

	// Concurrent runs on one fresh cache, then a warm run.
	c2, err := blobcache.Open(t.TempDir(), "adv", blobcache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, ref := advFindings(t, sc, all, nil)
	var wg sync.WaitGroup
	got := make([]string, 4)
	for i := range got {
		wg.Go(func() { _, got[i] = advFindings(t, sc, all, c2) })
	}
	wg.Wait()
	advCheck(t, "after concurrent fills", sc, c2, all)
	for i, g := range got {
		if g != ref {
			t.Errorf("concurrent run %d differs from a run without a cache", i)
		}
	}
}
