package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/scanner"
)

// damagedGitRepo builds a repository with a key in packed history and a
// key in loose history on top, plus a blob that damage cases aim at.
func damagedGitRepo(t *testing.T) (dir, keyPacked, keyLoose, looseBlob string) {
	t.Helper()
	r := gittest.New(t)
	keyPacked, keyLoose = gitTestToken(t), gitTestToken(t)
	r.Write("README.md", "# demo\n")
	r.Write("old.env", "GH_TOKEN="+keyPacked+"\n")
	r.Commit("packed")
	r.Git("branch", "side")
	r.Git("gc", "-q")
	r.Write("loose.txt", "loose\n")
	r.Commit("loose")
	looseBlob = strings.TrimSpace(r.Git("rev-parse", "HEAD:loose.txt"))
	r.Write("new.env", "GH_TOKEN="+keyLoose+"\n")
	r.Commit("key")
	return r.Dir, keyPacked, keyLoose, looseBlob
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestGitCommandDamagedRepository: keylint git on a repository it cannot
// read whole exits 3 with a message naming what is broken and what to do,
// after printing (and writing) the findings of the readable part.
func TestGitCommandDamagedRepository(t *testing.T) {
	t.Parallel()
	base, keyPacked, keyLoose, looseBlob := damagedGitRepo(t)
	packOf := func(t *testing.T, dir string) string {
		m, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
		if len(m) != 1 {
			t.Fatalf("packs: %v", m)
		}
		return m[0]
	}
	set := func(rel, content string) func(*testing.T, string) {
		return func(t *testing.T, dir string) { write(t, filepath.Join(dir, filepath.FromSlash(rel)), content) }
	}
	for _, tc := range []struct {
		name   string
		damage func(*testing.T, string)
		code   int
		want   []string // in stderr
		keys   []string // still reported
	}{
		{"pack deleted", func(t *testing.T, dir string) { os.Remove(packOf(t, dir)) },
			exitScanError, []string{"has no pack", "git fsck"}, []string{keyLoose}},
		{"index deleted", func(t *testing.T, dir string) { os.Remove(strings.TrimSuffix(packOf(t, dir), ".pack") + ".idx") },
			exitScanError, []string{"has no index", "git index-pack"}, []string{keyLoose}},
		{"pack cut in half", func(t *testing.T, dir string) {
			pk := packOf(t, dir)
			fi, _ := os.Stat(pk)
			os.Truncate(pk, fi.Size()/2)
		}, exitScanError, []string{"does not match its index", "git fsck"}, []string{keyLoose}},
		{"garbage in refs/heads/main", set(".git/refs/heads/main", "garbage\n"),
			exitScanError, []string{"refs/heads/main", "garbage", "git fsck"}, []string{keyPacked}},
		{"garbage in a tag", set(".git/refs/tags/v9", "v9\n"),
			exitScanError, []string{"refs/tags/v9"}, []string{keyPacked, keyLoose}},
		{"HEAD garbage", set(".git/HEAD", "main\n"),
			exitScanError, []string{"HEAD", "git fsck"}, []string{keyPacked, keyLoose}},
		{"ref to a missing commit", set(".git/refs/heads/side", strings.Repeat("1f", 20)+"\n"),
			exitScanError, []string{"refs/heads/side", "1f1f1f1f"}, []string{keyLoose}},
		{"packed-refs garbage", func(t *testing.T, dir string) {
			gittest.Open(t, dir).Git("pack-refs", "--all")
			p := filepath.Join(dir, ".git", "packed-refs")
			b, _ := os.ReadFile(p)
			write(t, p, string(b)+"this is not a ref line\n")
		}, exitScanError, []string{"packed-refs"}, []string{keyPacked, keyLoose}},
		{"truncated loose object", func(t *testing.T, dir string) {
			p := filepath.Join(dir, ".git", "objects", looseBlob[:2], looseBlob[2:])
			b, _ := os.ReadFile(p)
			os.Chmod(p, 0o644)
			write(t, p, string(b[:len(b)/2]))
		}, exitScanError, []string{looseBlob[2:], "git fsck"}, []string{keyPacked, keyLoose}},
		{"alternates to a missing directory", set(".git/objects/info/alternates", "/nonexistent/keylint-test/objects\n"),
			exitScanError, []string{"/nonexistent/keylint-test/objects"}, []string{keyPacked, keyLoose}},
		{"shallow file", func(t *testing.T, dir string) {
			// The packed commit becomes a graft point: its (absent) parents
			// are legitimately missing, so the scan is complete.
			head := strings.TrimSpace(gittest.Open(t, dir).Git("rev-parse", "HEAD~1"))
			write(t, filepath.Join(dir, ".git", "shallow"), head+"\n")
		}, exitFindings, []string{"shallow clone", "git fetch --unshallow"}, []string{keyLoose}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := copyDir(t, base)
			tc.damage(t, dir)
			out := filepath.Join(t.TempDir(), "report.json")
			code, stdout, stderr := runGit(t, dir, "--no-config", "--format", "json")
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			var doc struct {
				Findings []scanner.Finding `json:"findings"`
			}
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("report: %v\n%s", err, stdout)
			}
			for _, k := range tc.keys {
				if !reported(doc.Findings, k) {
					t.Errorf("a key in the readable part is not reported:\n%s", stdout)
				}
				if strings.Contains(stdout+stderr, k) {
					t.Error("secret printed whole")
				}
			}
			// --output: the report is written too before the exit.
			if code2, _, _ := runGit(t, dir, "--no-config", "--format", "json", "--output", out); code2 != code {
				t.Errorf("--output: exit %d", code2)
			}
			if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), `"findings"`) {
				t.Errorf("report file: %v", err)
			}
		})
	}
}

// reported says whether a finding's fingerprint is that of the GitHub
// token key, whatever rule found it.
func reported(fs []scanner.Finding, key string) bool {
	for _, f := range fs {
		if f.Fingerprint == scanner.Fingerprint(f.RuleID, key) {
			return true
		}
	}
	return false
}

// TestHookCommandsDamagedRepository: staged, pre-push and ci read objects
// through git; a git failure must not become a clean exit.
func TestHookCommandsDamagedRepository(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	tok := ghToken(t)
	write(t, filepath.Join(dir, "b.txt"), "b\n")
	write(t, filepath.Join(dir, "k.txt"), "token: "+tok+"\n")
	gitIn(t, dir, "add", "b.txt", "k.txt")
	// Damage the staged blob of b.txt.
	out, err := gittest.RunIn(dir, stagedEnviron(), nil, "rev-parse", ":b.txt")
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(out)
	p := filepath.Join(dir, ".git", "objects", id[:2], id[2:])
	os.Chmod(p, 0o644)
	write(t, p, "\x78\x9cnot zlib")
	// git would read the working tree's copy where it matches the index.
	write(t, filepath.Join(dir, "b.txt"), "b changed after staging\n")
	if r := runCLI(t, dir, "", "staged"); r.code != exitScanError {
		t.Errorf("staged: exit %d\n%s", r.code, r.stderr)
	}
	gitIn(t, dir, "rm", "-q", "-f", "--cached", "b.txt")
	gitIn(t, dir, "commit", "-q", "-m", "key")
	headOut, err := gittest.RunIn(dir, stagedEnviron(), nil, "rev-parse", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	head := strings.TrimSpace(headOut)
	// Damage the commit's tree: pre-push cannot diff it.
	treeOut, _ := gittest.RunIn(dir, stagedEnviron(), nil, "rev-parse", "HEAD^{tree}")
	tree := strings.TrimSpace(treeOut)
	os.Remove(filepath.Join(dir, ".git", "objects", tree[:2], tree[2:]))
	line := "refs/heads/main " + head + " refs/heads/main " + strings.Repeat("0", 40) + "\n"
	if r := runCLI(t, dir, line, "hook", "run", "pre-push", "--", "origin", "/x"); r.code != exitScanError {
		t.Errorf("pre-push: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCIDamagedRepository: keylint ci reads objects itself for a full
// audit (workflow_dispatch, schedule) and through git for a pull request;
// a repository it cannot read whole fails the check with exit 3, with the
// annotations, step summary and SARIF of what it could read.
func TestCIDamagedRepository(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("base", map[string]string{"README.md": "# shop\n"})
	r.git("checkout", "-q", "-b", "feature")
	r.commit("key", map[string]string{"app/billing.py": "TOKEN = \"" + ghToken(t) + "\"\n"})
	head := r.commit("more", map[string]string{"app/more.py": "x = 1\n"})
	// The head commit's tree is gone.
	tree := r.git("rev-parse", head+"^{tree}")
	if err := os.Remove(filepath.Join(r.dir, ".git", "objects", tree[:2], tree[2:])); err != nil {
		t.Fatal(err)
	}
	full := runCI(t, r.dir, "workflow_dispatch", "workflow_dispatch.json", "", "")
	if full.code != exitScanError || !strings.Contains(full.stderr, tree) || !strings.Contains(full.stderr, "git fsck") {
		t.Errorf("full audit: exit %d\n%s\n%s", full.code, full.stdout, full.stderr)
	}
	if !strings.Contains(full.stdout, "::error") || !strings.Contains(full.summary, "the scan is incomplete") || !full.sarif {
		t.Errorf("full audit: the findings of the readable part are not reported:\n%s\n%s", full.stdout, full.summary)
	}
	pr := runCI(t, r.dir, "pull_request", "pull_request.json", base, head)
	if pr.code != exitScanError {
		t.Errorf("pull request: exit %d\n%s\n%s", pr.code, pr.stdout, pr.stderr)
	}
}

// TestGitCommandDamagedBranch: a branch named with --branch or --range
// that is garbage or names a missing commit is damage (exit 3, git fsck),
// not an unknown revision (exit 2).
func TestGitCommandDamagedBranch(t *testing.T) {
	t.Parallel()
	base, _, _, _ := damagedGitRepo(t)
	dir := copyDir(t, base)
	write(t, filepath.Join(dir, ".git", "refs", "heads", "side"), "garbage\n")
	write(t, filepath.Join(dir, ".git", "refs", "heads", "gone"), strings.Repeat("2e", 20)+"\n")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--branch", "side"}, exitScanError, "refs/heads/side"},
		{[]string{"--branch", "gone"}, exitScanError, "2e2e2e2e"},
		{[]string{"--range", "side..main"}, exitScanError, "git fsck"},
		{[]string{"--branch", "nope"}, exitUsage, "unknown revision"},
	} {
		code, _, stderr := runGit(t, append([]string{dir, "--no-config"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s", tc.args, code, tc.code, tc.want, stderr)
		}
	}
}
