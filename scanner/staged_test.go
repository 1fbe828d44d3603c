package scanner

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/testrules"
	"github.com/keylint/keylint/internal/testsecret"

	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/gittest"
)

// diffRules is the rule set of the git source tests: a token on one line
// and a key block over several.
const diffRules = `
[[rules]]
id = "fake-token"
description = "Fake token"
provider = "Fake"
severity = "high"
keywords = ["fktk_"]
regex = '''\b(fktk_[A-Za-z0-9]{24})\b'''
secret_group = 1

[[rules]]
id = "fake-key-block"
description = "Fake key block"
provider = "Fake"
severity = "critical"
keywords = ["-----BEGIN FAKE KEY-----"]
regex = '''-----BEGIN FAKE KEY-----[A-Za-z0-9+/=\r\n]{20,1000}-----END FAKE KEY-----'''
window = 8192
`

// diffToken returns a random token of the fake-token rule, built at run
// time so that no file of the repository holds one.
func diffToken(t testing.TB) string {
	return "fktk_" + testsecret.Random(t, testsecret.Alnum, 24)
}

// diffKeyBlock returns a four-line key block.
func diffKeyBlock(nl string) string {
	return "-----BEGIN FAKE KEY-----" + nl + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=" + nl + "MDEyMzQ1Njc4OQ==" + nl + "-----END FAKE KEY-----"
}

func diffScanner(t testing.TB, opt Options) *Scanner {
	t.Helper()
	return New(testrules.Matcher(t, "git-test.toml", diffRules), opt)
}

// stagedRepo is a repository of [gittest] with the environment its git
// commands and the git sources under test share.
type stagedRepo struct {
	t   testing.TB
	dir string
	env []string
}

func newStagedRepo(t testing.TB) *stagedRepo {
	t.Helper()
	g := gittest.New(t)
	return &stagedRepo{t: t, dir: g.Dir, env: g.HermeticEnv()}
}

// git runs git in the repository and returns its stdout.
func (r *stagedRepo) git(args ...string) string {
	r.t.Helper()
	return r.run(r.dir, args...)
}

// run runs git in dir with the repository's environment (r.env, which a
// test may change) and returns its stdout.
func (r *stagedRepo) run(dir string, args ...string) string {
	r.t.Helper()
	out, err := gittest.RunRaw(dir, append(gittest.Environ(), r.env...), nil, args...)
	if err != nil {
		r.t.Fatal(err)
	}
	return string(out)
}

// write writes files (slash paths) in the working tree.
func (r *stagedRepo) write(files map[string]string) {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

// stage writes files and stages them (and nothing else).
func (r *stagedRepo) stage(files map[string]string) {
	r.t.Helper()
	r.write(files)
	r.git(append([]string{"add", "--"}, slices.Sorted(maps.Keys(files))...)...)
}

// commit writes, stages and commits files.
func (r *stagedRepo) commit(msg string, files map[string]string) {
	r.t.Helper()
	r.write(files)
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
}

// scanStaged scans the staged change of dir.
func (r *stagedRepo) scanStaged(dir string, extraEnv ...string) *Result {
	r.t.Helper()
	res, err := diffScanner(r.t, Options{Workers: 2, MaxFileSize: 1 << 20}).Scan(context.Background(),
		&Staged{Dir: dir, Env: append(slices.Clone(r.env), extraEnv...), MaxFileSize: 1 << 20})
	if err != nil {
		r.t.Fatal(err)
	}
	return res
}

type repoWant struct {
	rule, path string
	line, col  int
}

func repoLocs(res *Result) []repoWant {
	var out []repoWant
	for _, f := range res.Findings {
		for _, l := range f.Locations {
			out = append(out, repoWant{f.RuleID, l.Path, l.Line, l.Column})
		}
	}
	return out
}

func checkRepoLocs(t *testing.T, res *Result, want ...repoWant) {
	t.Helper()
	if got := repoLocs(res); !slices.Equal(got, want) {
		t.Errorf("findings:\n got %v\nwant %v\nsummary %+v", got, want, res.Summary)
	}
}

func TestStagedFirstCommit(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok := diffToken(t)
	r.stage(map[string]string{"config/app.env": "A=1\nTOKEN=" + tok + "\n", "README": "hello\n"})
	checkRepoLocs(t, r.scanStaged(r.dir), repoWant{"fake-token", "config/app.env", 2, 7})
}

func TestStagedAddedLinesOnly(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	old, tok := diffToken(t), diffToken(t)
	r.commit("base", map[string]string{"a.txt": "one\nold " + old + "\nthree\n"})

	// An unrelated edit of a file that already holds a key.
	r.stage(map[string]string{"a.txt": "one\nold " + old + "\nthree\nfour\n"})
	res := r.scanStaged(r.dir)
	checkRepoLocs(t, res)
	if res.Summary.Silenced["unchanged-line"] != 1 {
		t.Errorf("silenced = %v, want the old key counted as unchanged-line", res.Summary.Silenced)
	}

	// A new key on an added line, next to the old one.
	r.stage(map[string]string{"a.txt": "one\nold " + old + "\nthree\nnew " + tok + "\n"})
	checkRepoLocs(t, r.scanStaged(r.dir), repoWant{"fake-token", "a.txt", 4, 5})
}

func TestStagedReadsIndexNotWorkTree(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok := diffToken(t)
	r.commit("base", map[string]string{"a.txt": "one\ntwo\n"})
	// Staged: a clean line. Unstaged: a key (as after `git add -p`).
	r.stage(map[string]string{"a.txt": "one\ntwo\nclean\n"})
	r.write(map[string]string{"a.txt": "one\ntwo\nclean\nkey " + tok + "\n"})
	checkRepoLocs(t, r.scanStaged(r.dir))

	// The opposite: the key staged, then removed from the working tree.
	r.git("add", "a.txt")
	r.write(map[string]string{"a.txt": "one\ntwo\n"})
	checkRepoLocs(t, r.scanStaged(r.dir), repoWant{"fake-token", "a.txt", 4, 5})
}

func TestStagedMultiLineSecretOverlappingAddedLine(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	r.commit("base", map[string]string{"key.txt": "x\n-----BEGIN FAKE KEY-----\nplaceholder\n-----END FAKE KEY-----\n"})
	// Only the middle line changes; the key block spans four lines.
	r.stage(map[string]string{"key.txt": "x\n" + diffKeyBlock("\n") + "\n"})
	checkRepoLocs(t, r.scanStaged(r.dir), repoWant{"fake-key-block", "key.txt", 2, 1})
}

func TestStagedRenameCopyDelete(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok, tok2 := diffToken(t), diffToken(t)
	body := "line 1\nline 2\nline 3\nline 4\nline 5\nkey " + tok + "\nline 7\nline 8\n"
	r.commit("base", map[string]string{"old/name.txt": body, "gone.txt": "key " + tok2 + "\n", "src.txt": body})

	if err := os.Mkdir(filepath.Join(r.dir, "new"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("mv", "old/name.txt", "new/name.txt")
	r.git("rm", "-q", "gone.txt")
	// A copy of a modified file, detected as a copy: only its edit is new.
	r.write(map[string]string{"src.txt": body + "more\n", "copy.txt": body + "copy " + tok2 + "\n"})
	r.git("add", "-A")
	out := r.git("diff", "--cached", "-M", "-C", "--name-status")
	if !strings.Contains(out, "R100\told/name.txt\tnew/name.txt") || !strings.Contains(out, "C0") && !strings.Contains(out, "\tcopy.txt") {
		t.Fatalf("unexpected staged change:\n%s", out)
	}
	checkRepoLocs(t, r.scanStaged(r.dir), repoWant{"fake-token", "copy.txt", 9, 6})

	// A renamed file with an added key reports it at its new path.
	r.write(map[string]string{"new/name.txt": body + "added " + tok2 + "\n"})
	r.git("add", "-A")
	checkRepoLocs(t, r.scanStaged(r.dir),
		repoWant{"fake-token", "copy.txt", 9, 6},
		repoWant{"fake-token", "new/name.txt", 9, 7})
}

func TestStagedBinaryOversizedSubmoduleSymlink(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok := diffToken(t)
	r.commit("base", map[string]string{"keep.txt": "x\n"})
	r.write(map[string]string{
		"blob.bin": "\x00\x01\x02" + tok + "\n",
		"big.txt":  strings.Repeat("padding line\n", (1<<20)/13+1) + tok + "\n",
	})
	r.git("add", "blob.bin", "big.txt")
	// A submodule entry: a gitlink in the index.
	r.git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("1", 40)+",vendor/lib")
	res := r.scanStaged(r.dir)
	// A few control bytes do not make a file binary: it is scanned.
	checkRepoLocs(t, res, repoWant{"fake-token", "blob.bin", 1, 4})
	for reason, n := range map[string]int{"binary": 0, "too-large": 1, "submodule": 1} {
		if res.Summary.Skipped[reason] != n {
			t.Errorf("skipped[%s] = %d, want %d (summary %+v)", reason, res.Summary.Skipped[reason], n, res.Summary)
		}
	}
}

// TestStagedLineEnds: lines end with CRLF, or the last one with nothing.
func TestStagedLineEnds(t *testing.T) {
	t.Parallel()
	tok := diffToken(t)
	tests := []struct {
		name         string
		base, staged string
		want         []repoWant
	}{
		{"CRLF", "one\r\ntwo\r\n", "one\r\ntwo\r\nkey = " + tok + "\r\n" + diffKeyBlock("\r\n") + "\r\nend",
			[]repoWant{{"fake-token", "f.txt", 3, 7}, {"fake-key-block", "f.txt", 4, 1}}},
		{"no newline at end", "one\ntwo", "one\ntwo\n" + tok, []repoWant{{"fake-token", "f.txt", 3, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newStagedRepo(t)
			r.commit("base", map[string]string{"f.txt": tt.base})
			r.stage(map[string]string{"f.txt": tt.staged})
			checkRepoLocs(t, r.scanStaged(r.dir), tt.want...)
		})
	}
}

func TestStagedQuotedPaths(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok := diffToken(t)
	names := []string{"with space.txt", "tab\there.txt", "quote\"d.txt", "é/ünïcode.txt", "a b/c d.txt"}
	files := map[string]string{}
	for _, n := range names {
		files[n] = "k " + tok + "\n"
	}
	r.stage(files)
	res := r.scanStaged(r.dir)
	var got []string
	for _, w := range repoLocs(res) {
		got = append(got, w.path)
	}
	slices.Sort(got)
	want := slices.Clone(names)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("paths = %q, want %q", got, want)
	}
}

func TestStagedBinaryByAttribute(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	old, tok := diffToken(t), diffToken(t)
	// The diff attribute makes git print "Binary files differ" for text.
	r.commit("base", map[string]string{".gitattributes": "*.lock -diff\n", "deps.lock": "a\nold " + old + "\nc\n"})
	r.stage(map[string]string{"deps.lock": "a\nold " + old + "\nc\nd\n"})
	checkRepoLocs(t, r.scanStaged(r.dir))
	r.stage(map[string]string{"deps.lock": "a\nold " + old + "\nc\nnew " + tok + "\n"})
	checkRepoLocs(t, r.scanStaged(r.dir), repoWant{"fake-token", "deps.lock", 4, 5})
}

func TestStagedMerge(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	theirs, resolved := diffToken(t), diffToken(t)
	r.commit("base", map[string]string{"shared.txt": "a\nb\nc\n", "other.txt": "x\n", ".gitattributes": "*.lock -diff\n", "deps.lock": "x\n"})
	r.git("checkout", "-q", "-b", "side")
	r.commit("side adds a key", map[string]string{"side.txt": "k " + theirs + "\n", "shared.txt": "a\nb\nc\nside\n", "side.lock": "k " + theirs + "\n"})
	r.git("checkout", "-q", "main")
	r.commit("main edits", map[string]string{"other.txt": "x\ny\n"})
	r.git("merge", "-q", "--no-commit", "--no-ff", "side")
	if mergeHeads(filepath.Join(r.dir, ".git")) == nil {
		t.Fatal("MERGE_HEAD not found")
	}
	// The side branch's key is already committed: the merge adds nothing.
	res := r.scanStaged(r.dir)
	checkRepoLocs(t, res)

	// A key added while resolving the merge is new to both parents, in a
	// text file or in one a diff attribute calls binary.
	r.write(map[string]string{"shared.txt": "a\nb\nc\nside\nresolved " + resolved + "\n", "deps.lock": "x\ny " + resolved + "\n"})
	r.git("add", "shared.txt", "deps.lock")
	checkRepoLocs(t, r.scanStaged(r.dir),
		repoWant{"fake-token", "deps.lock", 2, 3},
		repoWant{"fake-token", "shared.txt", 5, 10})
}

func TestStagedConflictsAreCounted(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	r.commit("base", map[string]string{"c.txt": "a\n"})
	r.git("checkout", "-q", "-b", "side")
	r.commit("side", map[string]string{"c.txt": "side\n"})
	r.git("checkout", "-q", "main")
	r.commit("main", map[string]string{"c.txt": "main\n"})
	cmd := exec.Command("git", "merge", "-q", "side")
	cmd.Dir, cmd.Env = r.dir, append(gittest.Environ(), r.env...)
	if err := cmd.Run(); err == nil {
		t.Fatal("expected a conflict")
	}
	res := r.scanStaged(r.dir)
	checkRepoLocs(t, res)
	if res.Summary.Skipped["unmerged"] != 1 {
		t.Errorf("skipped = %v, want one unmerged", res.Summary.Skipped)
	}
}

func TestStagedLinkedWorktreeAndSubdirectory(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok := diffToken(t)
	r.commit("base", map[string]string{"a.txt": "a\n"})
	wt := filepath.Join(filepath.Dir(r.dir), "wt")
	r.git("worktree", "add", "-q", "-b", "feature", wt)
	if err := os.MkdirAll(filepath.Join(wt, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wt, "sub", "b.txt"), []byte("k "+tok+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.run(wt, "add", "sub/b.txt")
	// From the worktree's subdirectory, paths are still from the top.
	checkRepoLocs(t, r.scanStaged(filepath.Join(wt, "sub")), repoWant{"fake-token", "sub/b.txt", 1, 3})
	// The main worktree's index is another one.
	checkRepoLocs(t, r.scanStaged(r.dir))
}

func TestStagedTemporaryIndex(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok := diffToken(t)
	r.commit("base", map[string]string{"a.txt": "a\n"})
	// `git commit -a` hands its hook a temporary index in GIT_INDEX_FILE.
	tmp := filepath.Join(r.dir, ".git", "next-index-test.lock")
	index, err := os.ReadFile(filepath.Join(r.dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, index, 0o644); err != nil {
		t.Fatal(err)
	}
	r.write(map[string]string{"a.txt": "a\nk " + tok + "\n"})
	r.env = append(r.env, "GIT_INDEX_FILE="+tmp)
	r.git("add", "a.txt")
	r.env = r.env[:len(r.env)-1]
	checkRepoLocs(t, r.scanStaged(r.dir))
	checkRepoLocs(t, r.scanStaged(r.dir, "GIT_INDEX_FILE="+tmp), repoWant{"fake-token", "a.txt", 2, 3})
}

func TestStagedNeverWrites(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok := diffToken(t)
	r.commit("base", map[string]string{"a.txt": "a\n"})
	r.write(map[string]string{"a.txt": "a\nk " + tok + "\n", "b.txt": "new\n"})
	r.git("add", "a.txt")
	// Make the index stat data stale, so that a refresh would rewrite it.
	later := filepath.Join(r.dir, "a.txt")
	if err := os.Chtimes(later, stagedFuture, stagedFuture); err != nil {
		t.Fatal(err)
	}
	before := repoSnapshot(t, r.dir)
	checkRepoLocs(t, r.scanStaged(r.dir), repoWant{"fake-token", "a.txt", 2, 3})
	if after := repoSnapshot(t, r.dir); !maps.Equal(before, after) {
		t.Error("the scan changed the repository's files")
	}
}

func TestStagedNotARepository(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := diffScanner(t, Options{}).Scan(context.Background(), &Staged{Dir: dir, Env: gittest.Hermetic(dir, gittest.Start)})
	if !errors.Is(err, gitexec.ErrNotRepository) {
		t.Fatalf("err = %v, want not a git repository", err)
	}
}

var stagedFuture = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// repoSnapshot returns every file under root (the git directory included) with
// its mode and content.
func repoSnapshot(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		key := p + " " + info.Mode().String() + " " + info.ModTime().String()
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[key] = string(data)
		} else {
			out[key] = ""
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStagedStart(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	tok := diffToken(t)
	r.commit("base", map[string]string{"a.txt": "a\n"})
	r.stage(map[string]string{"a.txt": "a\nk " + tok + "\n"})
	ctx := context.Background()

	s := &Staged{Dir: r.dir, Env: r.env}
	stop := s.Start(ctx)
	defer stop()
	s.MaxFileSize = 1 << 20 // may be set after Start
	res, err := diffScanner(t, Options{Workers: 2}).Scan(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	checkRepoLocs(t, res, repoWant{"fake-token", "a.txt", 2, 3})
	stop() // a no-op once Items has run

	// Started and never read: stop ends git.
	s2 := &Staged{Dir: r.dir, Env: r.env}
	s2.Start(ctx)()
	// Outside a repository Start does nothing, and Items reports it.
	s3 := &Staged{Dir: t.TempDir(), Env: r.env}
	defer s3.Start(ctx)()
	if _, err := diffScanner(t, Options{}).Scan(ctx, s3); !errors.Is(err, gitexec.ErrNotRepository) {
		t.Errorf("err = %v, want ErrNotRepository", err)
	}
}
