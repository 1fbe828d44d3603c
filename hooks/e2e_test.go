package hooks_test

// End-to-end tests: a keylint binary built once for the test binary, real
// repositories in temporary directories, the real git binary running the
// installed hooks.

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/testsecret"

	"github.com/keylint/keylint/internal/gittest"
)

// keylintBin is the binary under test, built by TestMain ("" when git or
// go is missing, or with -short). workDir is TestMain's temporary
// directory, removed when the tests end.
var keylintBin, workDir string

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	_, gitErr := exec.LookPath("git")
	goBin, goErr := exec.LookPath("go")
	if gitErr != nil || goErr != nil || testing.Short() {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "keylint-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	workDir = dir
	bin := filepath.Join(dir, "bin", "keylint")
	if err := os.Mkdir(filepath.Dir(bin), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	out, err := exec.Command(goBin, "build", "-o", bin, "github.com/keylint/keylint/cmd/keylint").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building keylint: %v\n%s", err, out)
		return 1
	}
	keylintBin = bin
	return m.Run()
}

// githubToken returns a classic GitHub token that passes the checksum of
// the default rule github-classic-pat, built at run time so that no file
// of the repository holds one.
func githubToken(t testing.TB) string { return testsecret.GitHubToken(t) }

type e2eRepo struct {
	t   testing.TB
	dir string
	env []string
}

func newE2ERepo(t testing.TB) *e2eRepo {
	t.Helper()
	if keylintBin == "" {
		t.Skip("needs git, go and no -short: the keylint binary was not built")
	}
	root := t.TempDir()
	home := filepath.Join(root, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &e2eRepo{t: t, dir: filepath.Join(root, "repo"), env: []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + filepath.Join(home, "gitconfig"),
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_AUTHOR_DATE=2024-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
		"NO_COLOR=1",
	}}
	r.runIn(root, "git", "init", "-q", "-b", "main", r.dir)
	return r
}

// tryIn runs a program and returns its combined output and error. A
// program file that a parallel test's fork still holds open for writing
// fails to start with ETXTBSY (go.dev/issue/22315); that is retried.
func (r *e2eRepo) tryIn(dir, prog string, args ...string) (string, error) {
	for attempt := 1; ; attempt++ {
		cmd := exec.Command(prog, args...)
		cmd.Dir = dir
		cmd.Env = append(gittest.Environ(), r.env...)
		out, err := cmd.CombinedOutput()
		if errors.Is(err, syscall.ETXTBSY) && attempt < 20 {
			time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
			continue
		}
		return string(out), err
	}
}

func (r *e2eRepo) runIn(dir, prog string, args ...string) string {
	r.t.Helper()
	out, err := r.tryIn(dir, prog, args...)
	if err != nil {
		r.t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
	return out
}

func (r *e2eRepo) git(args ...string) string {
	r.t.Helper()
	return r.runIn(r.dir, "git", args...)
}

func (r *e2eRepo) keylint(args ...string) string {
	r.t.Helper()
	return r.runIn(r.dir, keylintBin, args...)
}

func (r *e2eRepo) write(files map[string]string) {
	r.t.Helper()
	writeFiles(r.t, r.dir, files)
}

func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// head returns the commit HEAD names in dir, or "" before the first one.
func (r *e2eRepo) head(dir string) string {
	r.t.Helper()
	out, err := r.tryIn(dir, "git", "rev-parse", "-q", "--verify", "HEAD")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// tree returns every file of the working tree and the index file, with
// mode and content: what a hook must never change.
func (r *e2eRepo) tree(dir string) map[string]string {
	r.t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && d.Name() == ".git" {
			return fs.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[rel] = info.Mode().String() + " " + string(data)
		return nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
	index, err := r.tryIn(dir, "git", "rev-parse", "--git-path", "index")
	if err != nil {
		r.t.Fatal(err)
	}
	ip := strings.TrimSpace(index)
	if !filepath.IsAbs(ip) {
		ip = filepath.Join(dir, ip)
	}
	data, err := os.ReadFile(ip)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		r.t.Fatal(err)
	}
	out["(index)"] = string(data)
	return out
}

// commitBlocked runs git commit in dir, which must fail because of a key
// at path:line, and checks that nothing changed.
func (r *e2eRepo) commitBlocked(dir string, wantLoc string, args ...string) string {
	r.t.Helper()
	// git commit stores the cache tree in the index before it runs the
	// hook; write it first, so that the comparison sees what the hook does.
	r.runIn(dir, "git", "write-tree")
	before, head := r.tree(dir), r.head(dir)
	out, err := r.tryIn(dir, "git", append([]string{"commit", "-m", "should be blocked"}, args...)...)
	if err == nil {
		r.t.Fatalf("git commit %v succeeded; output:\n%s", args, out)
	}
	for _, want := range []string{
		wantLoc, "github-classic-pat", "GitHub", "ghp_…",
		"environment variable or a secret manager", "rotate it", "keylint:allow", "git commit --no-verify",
	} {
		if !strings.Contains(out, want) {
			r.t.Errorf("the blocking message lacks %q:\n%s", want, out)
		}
	}
	if after := r.tree(dir); !maps.Equal(before, after) {
		r.t.Errorf("a blocked commit changed the index or the working tree")
	}
	if h := r.head(dir); h != head {
		r.t.Errorf("a blocked commit created a commit (%s -> %s)", head, h)
	}
	return out
}

// commitPasses runs git commit in dir, which must succeed, and checks that
// the working tree is untouched.
func (r *e2eRepo) commitPasses(dir string, args ...string) {
	r.t.Helper()
	before, head := r.tree(dir), r.head(dir)
	out, err := r.tryIn(dir, "git", append([]string{"commit", "-q", "-m", "should pass"}, args...)...)
	if err != nil {
		r.t.Fatalf("git commit %v failed: %v\n%s", args, err, out)
	}
	if strings.Contains(out, "keylint") {
		r.t.Errorf("keylint printed something on a clean commit:\n%s", out)
	}
	after := r.tree(dir)
	delete(before, "(index)")
	delete(after, "(index)")
	if !maps.Equal(before, after) {
		r.t.Errorf("a passing commit changed the working tree")
	}
	if h := r.head(dir); h == head {
		r.t.Errorf("no commit was made")
	} else if head != "" && strings.TrimSpace(r.runIn(dir, "git", "rev-parse", "HEAD^")) != head {
		r.t.Errorf("the new commit's parent is not the old HEAD")
	}
}

func TestE2EPreCommit(t *testing.T) {
	t.Parallel()
	r := newE2ERepo(t)
	tok := githubToken(t)
	r.write(map[string]string{"README.md": "hello\n"})
	r.git("add", "-A")
	if out := r.keylint("hook", "install"); !strings.Contains(out, "pre-commit hook installed") {
		t.Fatalf("install: %s", out)
	}

	// The first commit of the repository (no HEAD) is checked too.
	r.write(map[string]string{"config/app.env": "A=1\nGITHUB_TOKEN=" + tok + "\n"})
	r.git("add", "-A")
	out := r.commitBlocked(r.dir, "config/app.env:2:14")
	if strings.Contains(out, tok) {
		t.Errorf("the blocking message shows the whole secret:\n%s", out)
	}

	// A clean change commits, silently.
	r.git("rm", "-q", "--cached", "config/app.env")
	r.commitPasses(r.dir)

	// A partially staged file: the key is only in the unstaged part.
	r.write(map[string]string{"main.go": "package main\n"})
	r.git("add", "main.go")
	r.commitPasses(r.dir)
	r.write(map[string]string{"main.go": "package main\n\nfunc main() {}\n"})
	r.git("add", "main.go")
	r.write(map[string]string{"main.go": "package main\n\nfunc main() {}\n\nvar token = \"" + tok + "\"\n"})
	r.commitPasses(r.dir)
	if data, _ := os.ReadFile(filepath.Join(r.dir, "main.go")); !strings.Contains(string(data), tok) {
		t.Error("the unstaged part of main.go was lost")
	}

	// `git commit -a` commits a temporary index (GIT_INDEX_FILE): the key
	// in the unstaged part is now committed, and must be found.
	r.commitBlocked(r.dir, "main.go:5:14", "-a")
	// So must `git commit PATH`, another temporary index.
	r.commitBlocked(r.dir, "main.go:5:14", "main.go")
	r.commitBlocked(filepath.Join(r.dir, "config"), "main.go:5:14", "--", "../main.go")

	// A key already in HEAD (committed past the hook) does not block an
	// unrelated edit, of the same file or another one.
	r.git("commit", "-q", "--no-verify", "-a", "-m", "key committed past the hook")
	r.write(map[string]string{"main.go": "package main\n\nfunc main() { println() }\n\nvar token = \"" + tok + "\"\n", "other.txt": "x\n"})
	r.git("add", "main.go", "other.txt")
	r.commitPasses(r.dir)

	// A false positive is silenced on its line.
	r.write(map[string]string{"fixture.txt": "sample = " + githubToken(t) + " # keylint:allow\n"})
	r.git("add", "fixture.txt")
	r.commitPasses(r.dir)
}

func TestE2EChainedHookAndUninstall(t *testing.T) {
	t.Parallel()
	r := newE2ERepo(t)
	tok := githubToken(t)
	hook := filepath.Join(r.dir, ".git", "hooks", "pre-commit")
	ran := filepath.Join(t.TempDir(), "ran")
	theirs := "#!/bin/sh\necho ran >> '" + ran + "'\nexit ${THEIR_HOOK_EXIT:-0}\n"
	writeFiles(t, filepath.Dir(hook), map[string]string{"pre-commit": theirs})
	if err := os.Chmod(hook, 0o755); err != nil {
		t.Fatal(err)
	}

	out := r.keylint("hook", "install")
	if !strings.Contains(out, "runs first") {
		t.Errorf("install output: %s", out)
	}
	r.write(map[string]string{"a.txt": "a\n"})
	r.git("add", "a.txt")
	r.commitPasses(r.dir)
	if data, _ := os.ReadFile(ran); string(data) != "ran\n" {
		t.Errorf("the chained hook ran %q times", data)
	}
	// The chained hook still decides: its failure blocks the commit.
	r.write(map[string]string{"b.txt": "b\n"})
	r.git("add", "b.txt")
	r.env = append(r.env, "THEIR_HOOK_EXIT=1")
	if out, err := r.tryIn(r.dir, "git", "commit", "-q", "-m", "x"); err == nil {
		t.Errorf("the chained hook's failure did not block:\n%s", out)
	}
	r.env = r.env[:len(r.env)-1]
	// And keylint still blocks a key.
	r.write(map[string]string{"b.txt": "b " + tok + "\n"})
	r.git("add", "b.txt")
	r.commitBlocked(r.dir, "b.txt:1:3")

	out = r.keylint("hook", "uninstall")
	if !strings.Contains(out, "the previous hook is back") {
		t.Errorf("uninstall output: %s", out)
	}
	fi, err := os.Stat(hook)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(hook); string(data) != theirs || fi.Mode().Perm() != 0o755 {
		t.Errorf("uninstall left %v %q, want the original hook", fi.Mode(), data)
	}
	if _, err := os.Lstat(hook + ".keylint-previous"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the kept copy is still there: %v", err)
	}
	// Without keylint the key goes through (the original hook only).
	r.commitPasses(r.dir)
}

func TestE2EHooksPathAndLinkedWorktree(t *testing.T) {
	t.Parallel()
	r := newE2ERepo(t)
	tok := githubToken(t)
	r.write(map[string]string{"a.txt": "a\n"})
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "base")
	r.git("config", "core.hooksPath", ".githooks")

	wt := filepath.Join(filepath.Dir(r.dir), "wt")
	r.git("worktree", "add", "-q", "-b", "feature", wt)
	// Installed from the linked worktree, into core.hooksPath of the main
	// worktree's configuration (relative: the top of the worktree).
	out := r.runIn(wt, keylintBin, "hook", "install")
	if want := filepath.Join(wt, ".githooks", "pre-commit"); !strings.Contains(out, want) {
		t.Fatalf("install output %q does not name %s", out, want)
	}
	writeFiles(t, wt, map[string]string{"key.txt": "k " + tok + "\n"})
	r.runIn(wt, "git", "add", "key.txt")
	r.commitBlocked(wt, "key.txt:1:3")
	r.runIn(wt, "git", "rm", "-q", "--cached", "key.txt")
	writeFiles(t, wt, map[string]string{"clean.txt": "c\n"})
	r.runIn(wt, "git", "add", "clean.txt")
	r.commitPasses(wt)

	// The main worktree resolves .githooks in itself: install there too.
	out = r.keylint("hook", "install")
	if want := filepath.Join(r.dir, ".githooks", "pre-commit"); !strings.Contains(out, want) {
		t.Fatalf("install output %q does not name %s", out, want)
	}
	r.write(map[string]string{"m.txt": "k " + tok + "\n"})
	r.git("add", "m.txt")
	r.commitBlocked(r.dir, "m.txt:1:3")
}

func TestE2ESubmodule(t *testing.T) {
	t.Parallel()
	r := newE2ERepo(t)
	tok := githubToken(t)
	lib := filepath.Join(filepath.Dir(r.dir), "lib")
	r.runIn(filepath.Dir(r.dir), "git", "init", "-q", "-b", "main", lib)
	writeFiles(t, lib, map[string]string{"lib.txt": "lib\n"})
	r.runIn(lib, "git", "add", "-A")
	r.runIn(lib, "git", "commit", "-q", "-m", "lib")
	r.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", lib, "vendor/lib")
	r.git("commit", "-q", "-m", "add lib")

	sub := filepath.Join(r.dir, "vendor", "lib")
	out := r.runIn(sub, keylintBin, "hook", "install")
	if want := filepath.Join(r.dir, ".git", "modules", "vendor", "lib", "hooks", "pre-commit"); !strings.Contains(out, want) {
		t.Fatalf("install output %q does not name %s", out, want)
	}
	writeFiles(t, sub, map[string]string{"key.txt": "k " + tok + "\n"})
	r.runIn(sub, "git", "add", "key.txt")
	r.commitBlocked(sub, "key.txt:1:3")
}

func TestE2EForceAndMissingKeylint(t *testing.T) {
	t.Parallel()
	r := newE2ERepo(t)
	hook := filepath.Join(r.dir, ".git", "hooks", "pre-commit")
	writeFiles(t, filepath.Dir(hook), map[string]string{"pre-commit": "#!/bin/sh\nexit 1\n"})
	if err := os.Chmod(hook, 0o755); err != nil {
		t.Fatal(err)
	}
	// A copy of keylint that can go away, as after an uninstall: a hard
	// link where possible, since a file just written can be briefly busy
	// for exec while parallel tests fork.
	bin := filepath.Join(t.TempDir(), "keylint")
	if err := os.Link(keylintBin, bin); err != nil {
		data, err := os.ReadFile(keylintBin)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out := r.runIn(r.dir, bin, "hook", "install", "--force")
	if !strings.Contains(out, "no longer runs") {
		t.Errorf("install --force output: %s", out)
	}
	r.write(map[string]string{"a.txt": "a\n"})
	r.git("add", "a.txt")
	r.commitPasses(r.dir) // the replaced hook (exit 1) does not run

	// keylint gone and not on PATH: the hook fails closed.
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	r.env = append(r.env, "PATH="+filepath.Dir(gitPath)+string(os.PathListSeparator)+"/usr/bin:/bin")
	r.write(map[string]string{"b.txt": "b\n"})
	r.git("add", "b.txt")
	r.git("write-tree")
	before := r.tree(r.dir)
	out, err = r.tryIn(r.dir, "git", "commit", "-q", "-m", "x")
	if err == nil || !strings.Contains(out, "cannot run keylint: it is not at "+bin+" nor on PATH") {
		t.Errorf("missing keylint: %v\n%s", err, out)
	}
	if !maps.Equal(before, r.tree(r.dir)) {
		t.Error("the failed hook changed the repository")
	}
	// Found on PATH instead of the recorded path.
	pathDir := filepath.Dir(keylintBin)
	r.env = append(r.env, "PATH="+pathDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	r.commitPasses(r.dir)
}

func TestE2EPrePush(t *testing.T) {
	t.Parallel()
	r := newE2ERepo(t)
	tok := githubToken(t)
	bare := filepath.Join(filepath.Dir(r.dir), "remote.git")
	r.runIn(filepath.Dir(r.dir), "git", "init", "-q", "--bare", bare)
	r.git("remote", "add", "origin", bare)
	r.write(map[string]string{"a.txt": "a\n"})
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "base")
	out := r.keylint("hook", "install", "--pre-push")
	if !strings.Contains(out, "pre-push hook installed") {
		t.Fatalf("install: %s", out)
	}

	// A clean new branch goes through.
	r.git("push", "-q", "origin", "main")
	remoteHead := func() string {
		out, err := r.tryIn(bare, "git", "rev-parse", "-q", "--verify", "refs/heads/main")
		if err != nil {
			return ""
		}
		return strings.TrimSpace(out)
	}
	if remoteHead() == "" {
		t.Fatal("the clean push did not reach the remote")
	}

	// A key committed past the pre-commit hook is stopped at push time,
	// even when a later commit removes it again.
	pushed := remoteHead()
	r.write(map[string]string{"a.txt": "a\nk " + tok + "\n"})
	r.git("commit", "-q", "--no-verify", "-am", "add a key")
	r.write(map[string]string{"a.txt": "a\n"})
	r.git("commit", "-q", "--no-verify", "-am", "remove it")
	out, err := r.tryIn(r.dir, "git", "push", "origin", "main")
	if err == nil {
		t.Fatalf("the push went through:\n%s", out)
	}
	for _, want := range []string{"a.txt:2:3", "github-classic-pat", "ghp_…", "git rebase -i", "git push --no-verify"} {
		if !strings.Contains(out, want) {
			t.Errorf("the push message lacks %q:\n%s", want, out)
		}
	}
	if got := remoteHead(); got != pushed {
		t.Errorf("the remote moved to %s", got)
	}
	// The same commits on a new branch are blocked too.
	if out, err := r.tryIn(r.dir, "git", "push", "origin", "main:refs/heads/copy"); err == nil {
		t.Errorf("the new branch went through:\n%s", out)
	}

	// Rewritten without the key, the push goes through.
	r.git("reset", "-q", "--hard", pushed)
	r.write(map[string]string{"b.txt": "b\n"})
	r.git("add", "b.txt")
	r.git("commit", "-q", "-m", "clean")
	r.git("push", "-q", "origin", "main")
	if remoteHead() == pushed {
		t.Error("the clean push did not reach the remote")
	}

	// Deleting a remote branch scans nothing.
	r.git("push", "-q", "origin", "main:refs/heads/tmp")
	r.git("push", "-q", "origin", ":refs/heads/tmp")

	// The pre-push input is parsed strictly: garbage fails closed.
	cmd := exec.Command(keylintBin, "hook", "run", "pre-push", "origin", bare)
	cmd.Dir, cmd.Env = r.dir, append(gittest.Environ(), r.env...)
	cmd.Stdin = strings.NewReader("not what git writes\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || !strings.Contains(stderr.String(), "pre-push input line 1") {
		t.Errorf("garbage input: %v %s", err, stderr.String())
	}
}

func TestE2EMergeInProgress(t *testing.T) {
	t.Parallel()
	r := newE2ERepo(t)
	theirs, resolved := githubToken(t), githubToken(t)
	r.write(map[string]string{"c.txt": "base\n"})
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "base")
	r.keylint("hook", "install")
	r.git("checkout", "-q", "-b", "side")
	r.write(map[string]string{"c.txt": "side\n", "side.env": "TOKEN=" + theirs + "\n"})
	r.git("add", "-A")
	r.git("commit", "-q", "--no-verify", "-m", "side, with a key committed past the hook")
	r.git("checkout", "-q", "main")
	r.write(map[string]string{"c.txt": "main\n"})
	r.git("commit", "-q", "-am", "main")
	if out, err := r.tryIn(r.dir, "git", "merge", "-q", "side"); err == nil {
		t.Fatalf("expected a conflict:\n%s", out)
	}
	// Resolving the conflict with a new key: blocked.
	r.write(map[string]string{"c.txt": "main\nside\nkey " + resolved + "\n"})
	r.git("add", "c.txt")
	r.commitBlocked(r.dir, "c.txt:3:5", "--no-edit")
	// Resolved cleanly: the merge commits, although it brings side.env's
	// key, which the side branch already committed.
	r.write(map[string]string{"c.txt": "main\nside\n"})
	r.git("add", "c.txt")
	r.commitPasses(r.dir, "--no-edit")
}
