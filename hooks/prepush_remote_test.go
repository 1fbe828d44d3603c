package hooks_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EPrePushOnlyTheDestinationCounts (issue 15, item 14): a commit
// counts as already pushed only when the remote the push goes to has it
// (its remote-tracking refs, or the remote ids git gives the hook). A key
// that reached another remote, by a push past the hook, a fork, or a fetch
// from upstream, is still blocked on its way to origin; so is one pushed
// to a URL, force-pushed, or merged in from a local branch. A key that
// origin already has does not block, and a broken remote-tracking ref does
// not make the hook fail.
func TestE2EPrePushOnlyTheDestinationCounts(t *testing.T) {
	t.Parallel()
	type fixture struct {
		r      *e2eRepo
		origin string // bare repositories
		other  string
		tok    string
	}
	// keyCommit commits a file holding a key past the pre-commit hook.
	keyCommit := func(f *fixture, name string) {
		f.r.write(map[string]string{name: "k " + f.tok + "\n"})
		f.r.git("add", name)
		f.r.git("commit", "-q", "--no-verify", "-m", "add "+name)
	}
	for _, tc := range []struct {
		name string
		// setup prepares the repository and returns the push arguments.
		setup   func(t *testing.T, f *fixture) []string
		blocked bool
	}{
		{"key pushed to a second remote first", func(t *testing.T, f *fixture) []string {
			f.r.git("checkout", "-q", "-b", "feature")
			keyCommit(f, "k.txt")
			f.r.git("push", "-q", "--no-verify", "backup", "feature")
			return []string{"origin", "feature"}
		}, true},
		{"key pushed to a fork under another name", func(t *testing.T, f *fixture) []string {
			f.r.git("remote", "rename", "backup", "fork")
			f.r.git("checkout", "-q", "-b", "feature")
			keyCommit(f, "k.txt")
			f.r.git("push", "-q", "--no-verify", "fork", "feature:refs/heads/wip")
			f.r.write(map[string]string{"later.txt": "later\n"})
			f.r.git("add", "later.txt")
			f.r.git("commit", "-q", "-m", "later")
			return []string{"origin", "feature:refs/heads/feature"}
		}, true},
		{"key on upstream/main, not on origin", func(t *testing.T, f *fixture) []string {
			// Someone else committed the key upstream; it was fetched.
			up := filepath.Join(t.TempDir(), "up")
			f.r.runIn(filepath.Dir(up), "git", "clone", "-q", f.other, up)
			writeFiles(t, up, map[string]string{"k.txt": "k " + f.tok + "\n"})
			f.r.runIn(up, "git", "add", "k.txt")
			f.r.runIn(up, "git", "commit", "-q", "-m", "upstream adds a key")
			f.r.runIn(up, "git", "push", "-q", "origin", "main")
			f.r.git("remote", "rename", "backup", "upstream")
			f.r.git("fetch", "-q", "upstream")
			f.r.git("merge", "-q", "--no-edit", "upstream/main")
			return []string{"origin", "main"}
		}, true},
		{"new branch holding a commit of upstream/main", func(t *testing.T, f *fixture) []string {
			up := filepath.Join(t.TempDir(), "up")
			f.r.runIn(filepath.Dir(up), "git", "clone", "-q", f.other, up)
			writeFiles(t, up, map[string]string{"k.txt": "k " + f.tok + "\n"})
			f.r.runIn(up, "git", "add", "k.txt")
			f.r.runIn(up, "git", "commit", "-q", "-m", "upstream adds a key")
			f.r.runIn(up, "git", "push", "-q", "origin", "main")
			f.r.git("remote", "rename", "backup", "upstream")
			f.r.git("fetch", "-q", "upstream")
			f.r.git("checkout", "-q", "-b", "topic", "upstream/main")
			return []string{"origin", "topic"}
		}, true},
		{"key on a local branch merged into the pushed one", func(t *testing.T, f *fixture) []string {
			f.r.git("checkout", "-q", "-b", "side")
			keyCommit(f, "k.txt")
			f.r.git("checkout", "-q", "main")
			f.r.write(map[string]string{"m.txt": "m\n"})
			f.r.git("add", "m.txt")
			f.r.git("commit", "-q", "-m", "main moves on")
			f.r.git("merge", "-q", "--no-edit", "--no-verify", "side")
			return []string{"origin", "main"}
		}, true},
		{"push to a URL, key on a named remote", func(t *testing.T, f *fixture) []string {
			f.r.git("checkout", "-q", "-b", "feature")
			keyCommit(f, "k.txt")
			f.r.git("push", "-q", "--no-verify", "backup", "feature")
			return []string{f.origin, "feature"}
		}, true},
		{"new branch, key on a named remote", func(t *testing.T, f *fixture) []string {
			keyCommit(f, "k.txt")
			f.r.git("push", "-q", "--no-verify", "backup", "main")
			return []string{"origin", "main:refs/heads/brand-new"}
		}, true},
		{"force push of a rewritten branch", func(t *testing.T, f *fixture) []string {
			f.r.git("checkout", "-q", "-b", "feature")
			f.r.write(map[string]string{"f.txt": "f\n"})
			f.r.git("add", "f.txt")
			f.r.git("commit", "-q", "-m", "clean")
			f.r.git("push", "-q", "origin", "feature")
			f.r.git("reset", "-q", "--hard", "main")
			keyCommit(f, "k.txt")
			f.r.git("push", "-q", "--no-verify", "backup", "feature")
			return []string{"--force", "origin", "feature"}
		}, true},
		{"tracking ref to a missing commit", func(t *testing.T, f *fixture) []string {
			ghost := filepath.Join(f.r.dir, ".git", "refs", "remotes", "origin", "ghost")
			if err := os.MkdirAll(filepath.Dir(ghost), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(ghost, []byte(strings.Repeat("1", 40)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			f.r.git("checkout", "-q", "-b", "feature")
			keyCommit(f, "k.txt")
			f.r.git("push", "-q", "--no-verify", "backup", "feature")
			return []string{"origin", "feature"}
		}, true},
		{"clean branch with a broken tracking ref", func(t *testing.T, f *fixture) []string {
			ghost := filepath.Join(f.r.dir, ".git", "refs", "remotes", "origin", "ghost")
			if err := os.MkdirAll(filepath.Dir(ghost), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(ghost, []byte(strings.Repeat("1", 40)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			f.r.git("checkout", "-q", "-b", "feature")
			f.r.write(map[string]string{"f.txt": "f\n"})
			f.r.git("add", "f.txt")
			f.r.git("commit", "-q", "-m", "clean")
			return []string{"origin", "feature"}
		}, false},
		{"key origin already has", func(t *testing.T, f *fixture) []string {
			keyCommit(f, "k.txt")
			f.r.git("push", "-q", "--no-verify", "origin", "main")
			f.r.git("checkout", "-q", "-b", "feature")
			f.r.write(map[string]string{"f.txt": "f\n"})
			f.r.git("add", "f.txt")
			f.r.git("commit", "-q", "-m", "clean on top")
			return []string{"origin", "feature"}
		}, false},
		{"deleting a branch", func(t *testing.T, f *fixture) []string {
			keyCommit(f, "k.txt")
			f.r.git("push", "-q", "--no-verify", "origin", "main:refs/heads/old")
			return []string{"origin", ":refs/heads/old"}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newE2ERepo(t)
			root := filepath.Dir(r.dir)
			f := &fixture{r: r, origin: filepath.Join(root, "origin.git"), other: filepath.Join(root, "other.git"), tok: githubToken(t)}
			for _, bare := range []string{f.origin, f.other} {
				r.runIn(root, "git", "init", "-q", "--bare", "-b", "main", bare)
			}
			r.git("remote", "add", "origin", f.origin)
			r.git("remote", "add", "backup", f.other)
			r.write(map[string]string{"a.txt": "a\n"})
			r.git("add", "a.txt")
			r.git("commit", "-q", "-m", "base")
			r.git("push", "-q", "origin", "main")
			r.git("push", "-q", "backup", "main")
			r.keylint("hook", "install", "--pre-push")
			args := tc.setup(t, f)
			out, err := r.tryIn(r.dir, "git", append([]string{"push"}, args...)...)
			switch {
			case tc.blocked && err == nil:
				t.Fatalf("git push %s went through:\n%s", strings.Join(args, " "), out)
			case tc.blocked && !strings.Contains(out, "github-classic-pat"):
				t.Fatalf("git push %s failed without naming the key:\n%s", strings.Join(args, " "), out)
			case !tc.blocked && err != nil:
				t.Fatalf("git push %s was blocked:\n%s", strings.Join(args, " "), out)
			}
		})
	}
}
