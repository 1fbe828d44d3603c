package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gitexec/gitexectest"
)

// TestHostileConfigEveryCommand (issue 15, item 6): a repository whose
// configuration sets every key that can run a program or redirect a read
// (log.showSignature with gpg.program, the reported attack, and every
// relative: gpg.<format>.program, fsmonitor, pagers, editors, textconv and
// external diff drivers, filters, merge drivers, credential helpers,
// transports, hooks, attribute and exclude files ...), directly or through
// include.path and includeIf, runs nothing and has nothing read, whatever
// keylint command runs on it. Its history holds signed commits of the
// three kinds git verifies, so log.showSignature has something to verify.
func TestHostileConfigEveryCommand(t *testing.T) {
	clearHookEnv(t)
	zero := strings.Repeat("0", 40)
	for _, tc := range []struct {
		name      string
		byInclude bool
	}{
		{"config", false},
		{"include", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := ghToken(t)
			m := gitexectest.NewMarker(t)
			r := gitexectest.Init(t)
			base := r.Git("rev-parse", "HEAD")
			for i, s := range gitexectest.Signatures {
				files := map[string]string{"b.cfg": "x = " + s.Program + "\n"}
				if i == 1 {
					files["a.txt"] = "token: " + tok + "\n"
				}
				r.CommitSigned(s.Armor, "signed for "+s.Program, files)
			}
			head := r.Git("rev-parse", "HEAD")
			r.Write("staged.txt", "staged: "+tok+"\n")
			r.Git("add", "staged.txt")
			if tc.byInclude {
				r.PoisonByInclude(m)
			} else {
				r.Poison(m)
			}
			out := filepath.Join(t.TempDir(), "baseline")
			for _, c := range []struct {
				args  []string
				stdin string
				code  int
			}{
				{[]string{"scan", "."}, "", exitFindings},
				{[]string{"git", "."}, "", exitFindings},
				{[]string{"git", "--range", base + ".." + head, "."}, "", exitFindings},
				{[]string{"git", "--branch", "main", "."}, "", exitFindings},
				{[]string{"staged"}, "", exitFindings},
				{[]string{"hook", "run", "pre-commit"}, "", exitUsage},
				{[]string{"hook", "run", "pre-push", "--", "origin", "/x"}, "refs/heads/main " + head + " refs/heads/main " + base + "\n", exitFindings},
				{[]string{"hook", "run", "pre-push", "--", "origin", "/x"}, "refs/heads/topic " + head + " refs/heads/topic " + zero + "\n", exitFindings},
				{[]string{"baseline", "--output", out, "."}, "", exitClean},
				{[]string{"config", "."}, "", exitClean},
				{[]string{"hook", "install", "--pre-push"}, "", exitClean},
				{[]string{"hook", "uninstall"}, "", exitClean},
			} {
				res := runCLI(t, r.Dir, c.stdin, c.args...)
				what := "keylint " + strings.Join(c.args, " ")
				if res.code != c.code {
					t.Errorf("%s: exit %d, want %d\nstderr: %s", what, res.code, c.code, res.stderr)
				}
				m.Check(t, what)
			}
			for _, ev := range []struct{ event, template string }{
				{"push", "push.json"},
				{"pull_request", "pull_request.json"},
			} {
				res := runCI(t, r.Dir, ev.event, ev.template, base, head)
				if res.code != exitFindings {
					t.Errorf("keylint ci (%s): exit %d, want %d\nstderr: %s", ev.event, res.code, exitFindings, res.stderr)
				}
				m.Check(t, "keylint ci ("+ev.event+")")
			}
		})
	}
}

// TestHostileGitFilesEveryCommand (issue 15, item 6, includes): a
// repository whose configuration includes a FIFO or a device, or whose git
// directory holds a FIFO where git or go-git reads a file, makes every
// command that reads the repository fail with an error naming the file
// (exit 3), never hang. The FIFO is watched: had anything opened it, the
// marker says so instead of the test hanging.
func TestHostileGitFilesEveryCommand(t *testing.T) {
	clearHookEnv(t)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, r *gitexectest.Repo, fifo string)
		// history says whether keylint git, which reads the repository
		// without git and follows no include, must refuse it too.
		history bool
	}{
		{"include of a FIFO", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			r.Git("config", "--add", "include.path", fifo)
		}, false},
		{"includeIf of a FIFO", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			r.Git("config", "--add", "includeIf.gitdir:/.path", fifo)
		}, false},
		{"include of /dev/zero", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			r.Git("config", "--add", "include.path", "/dev/zero")
		}, false},
		{"nested include of a FIFO", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			inc := filepath.Join(t.TempDir(), "inc.cfg")
			write(t, inc, "[Include]\n\tPATH = "+fifo+"\n")
			r.Git("config", "--add", "include.path", inc)
		}, false},
		{"config is a FIFO", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			replaceWithLink(t, filepath.Join(r.Dir, ".git", "config"), fifo)
		}, true},
		{"a loose ref is a FIFO", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			replaceWithLink(t, filepath.Join(r.Dir, ".git", "refs", "heads", "evil"), fifo)
		}, true},
		{"packed-refs is a FIFO", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			replaceWithLink(t, filepath.Join(r.Dir, ".git", "packed-refs"), fifo)
		}, true},
		{"alternates is a FIFO", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			replaceWithLink(t, filepath.Join(r.Dir, ".git", "objects", "info", "alternates"), fifo)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := gitexectest.NewMarker(t)
			r := gitexectest.Init(t)
			base := r.Git("rev-parse", "HEAD")
			r.Write("a.txt", "token: "+ghToken(t)+"\n")
			r.Git("add", "a.txt")
			r.Git("commit", "-qm", "key")
			head := r.Git("rev-parse", "HEAD")
			r.Write("b.txt", "b\n")
			r.Git("add", "b.txt")
			tc.setup(t, r, m.FIFO)
			for _, c := range []struct {
				args    []string
				stdin   string
				history bool
			}{
				{[]string{"git", "."}, "", true},
				{[]string{"git", "--range", base + ".." + head, "."}, "", true},
				{[]string{"staged"}, "", false},
				{[]string{"hook", "run", "pre-push", "--", "origin", "/x"}, "refs/heads/main " + head + " refs/heads/main " + base + "\n", false},
				{[]string{"hook", "install"}, "", false},
			} {
				res := runCLI(t, r.Dir, c.stdin, c.args...)
				what := "keylint " + strings.Join(c.args, " ")
				if c.history && !tc.history {
					if res.code != exitFindings {
						t.Errorf("%s: exit %d, want %d (nothing it reads is unsafe)\nstderr: %s", what, res.code, exitFindings, res.stderr)
					}
				} else if res.code != exitScanError && res.code != exitUsage || !strings.Contains(res.stderr, "fixed or removed") {
					t.Errorf("%s: exit %d, want an error naming the file\nstderr: %s", what, res.code, res.stderr)
				}
				m.Check(t, what)
			}
			res := runCI(t, r.Dir, "push", "push.json", base, head)
			if res.code == exitClean || !strings.Contains(res.stderr, "fixed or removed") {
				t.Errorf("keylint ci: exit %d, want an error naming the file\nstderr: %s", res.code, res.stderr)
			}
			m.Check(t, "keylint ci")
		})
	}
}

// replaceWithLink puts a symbolic link to target at path.
func replaceWithLink(t *testing.T, path, target string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}
