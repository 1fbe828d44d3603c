package gitexec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gitexec/gitexectest"
)

// hostileRepo builds a repository with signed commits of the three kinds
// git verifies, a staged change and an unstaged one, then poisons its
// configuration (directly or through includes).
func hostileRepo(t *testing.T, m *gitexectest.Marker, byInclude bool) *gitexectest.Repo {
	t.Helper()
	r := gitexectest.Init(t)
	for _, s := range gitexectest.Signatures {
		r.CommitSigned(s.Armor, "signed for "+s.Program, map[string]string{"a.txt": s.Program + "\n", "b.cfg": "x = " + s.Program + "\n"})
	}
	r.Write("a.txt", "staged\n")
	r.Git("add", "a.txt")
	r.Write("a.txt", "unstaged\n")
	if byInclude {
		r.PoisonByInclude(m)
	} else {
		r.Poison(m)
	}
	return r
}

// TestHostileConfigRunsNothing (issue 15, item 6): with every key that can
// run a program or redirect a read set by the repository, itself or
// through includes, no git command run through this package runs or reads
// anything of the repository's choosing. log.showSignature with
// gpg.program was the reported attack; the other keys are its relatives.
func TestHostileConfigRunsNothing(t *testing.T) {
	ctx := context.Background()
	commands := [][]string{
		{"log", "--format=%H %G?", "-3"},
		{"log", "-p", "-3"},
		{"log", "-z", "--topo-order", "--reverse", "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%B", "HEAD", "--not", "--remotes", "--"},
		{"show", "HEAD"},
		{"show", "--show-signature", "HEAD"},
		{"diff", "HEAD~1", "HEAD"},
		{"diff", "--cached"},
		{"diff"},
		{"diff-tree", "-r", "-p", "--root", "HEAD"},
		{"status", "--porcelain"},
		{"cat-file", "blob", "HEAD:a.txt"},
		{"cat-file", "-e", "HEAD^{commit}"},
		{"ls-tree", "-r", "-z", "--full-tree", "HEAD"},
		{"rev-parse", "--is-shallow-repository", "--git-dir"},
		{"verify-commit", "HEAD"},
		{"config", "--list"},
		{"ls-remote", "origin"},
		{"fetch", "origin"},
		{"check-attr", "-a", "a.txt"},
		{"shortlog", "-1", "HEAD"},
	}
	for _, tc := range []struct {
		name      string
		byInclude bool
	}{
		{"config", false},
		{"include", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := gitexectest.NewMarker(t)
			r := hostileRepo(t, m, tc.byInclude)
			// The commands keylint relies on must still work: a repository
			// refused as a whole would pass this test without proving it.
			for _, args := range [][]string{{"rev-parse", "HEAD"}, {"log", "--format=%H", "-1"}, {"diff", "--cached", "--no-ext-diff", "--no-textconv"}} {
				if _, err := Output(ctx, r.Dir, args...); err != nil {
					t.Fatalf("git %s: %v", strings.Join(args, " "), err)
				}
			}
			for _, args := range commands {
				_, _ = Output(ctx, r.Dir, args...) // some fail: no signature verifies, no transport works
				m.Check(t, "git "+strings.Join(args, " "))
			}
			// Prepared options give the same protection.
			o, err := Options{}.Prepare(ctx, r.Dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, args := range commands {
				_, _ = o.Output(ctx, r.Dir, args...)
				m.Check(t, "prepared: git "+strings.Join(args, " "))
			}
		})
	}
}

// TestIncludeOfNonRegularFile (issue 15, item 6): a configuration that
// includes, at any depth and under any spelling, a FIFO, a device, a
// directory or a file that is too large is refused with a clear error
// before any git command reads it, instead of hanging or feeding git
// without end. A git directory file that is a FIFO is refused too.
func TestIncludeOfNonRegularFile(t *testing.T) {
	ctx := context.Background()
	type setup func(t *testing.T, r *gitexectest.Repo, fifo string)
	include := func(value func(t *testing.T, r *gitexectest.Repo, fifo string) string) setup {
		return func(t *testing.T, r *gitexectest.Repo, fifo string) {
			appendConfig(t, filepath.Join(r.Dir, ".git", "config"), "[include]\n\tpath = "+value(t, r, fifo)+"\n")
		}
	}
	abs := func(p string) func(*testing.T, *gitexectest.Repo, string) string {
		return func(*testing.T, *gitexectest.Repo, string) string { return p }
	}
	for _, tc := range []struct {
		name  string
		setup setup
	}{
		{"fifo", include(func(_ *testing.T, _ *gitexectest.Repo, fifo string) string { return fifo })},
		{"dev zero", include(abs("/dev/zero"))},
		{"dev urandom", include(abs("/dev/urandom"))},
		{"dev stdin", include(abs("/dev/stdin"))},
		{"directory", include(abs(os.TempDir()))},
		{"relative fifo", include(func(t *testing.T, r *gitexectest.Repo, fifo string) string {
			link := filepath.Join(r.Dir, ".git", "pipe")
			if err := os.Symlink(fifo, link); err != nil {
				t.Fatal(err)
			}
			return "pipe"
		})},
		{"home fifo", include(func(t *testing.T, _ *gitexectest.Repo, fifo string) string {
			home := t.TempDir()
			t.Setenv("HOME", home)
			if err := os.Symlink(fifo, filepath.Join(home, "pipe")); err != nil {
				t.Fatal(err)
			}
			return "~/pipe"
		})},
		{"nested fifo", include(func(t *testing.T, _ *gitexectest.Repo, fifo string) string {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "one.cfg"), "[core]\n\tabbrev = 12\n[include]\n\tpath = two.cfg\n")
			writeFile(t, filepath.Join(dir, "two.cfg"), "[INCLUDE]\n\tPath = "+fifo+"\n")
			return filepath.Join(dir, "one.cfg")
		})},
		{"too large", include(func(t *testing.T, _ *gitexectest.Repo, _ string) string {
			p := filepath.Join(t.TempDir(), "sparse.cfg")
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(1 << 40); err != nil {
				t.Skip("no sparse files here:", err)
			}
			f.Close()
			return p
		})},
		{"includeIf gitdir", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			appendConfig(t, filepath.Join(r.Dir, ".git", "config"), "[includeIf \"gitdir:"+r.Dir+"/\"]\n\tpath = "+fifo+"\n")
		}},
		{"includeIf onbranch", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			appendConfig(t, filepath.Join(r.Dir, ".git", "config"), "[includeIf \"onbranch:main\"]\n\tpath = "+fifo+"\n")
		}},
		{"config is a fifo", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			cfg := filepath.Join(r.Dir, ".git", "config")
			if err := os.Remove(cfg); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(fifo, cfg); err != nil {
				t.Fatal(err)
			}
		}},
		{"HEAD is a fifo", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			head := filepath.Join(r.Dir, ".git", "HEAD")
			if err := os.Remove(head); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(fifo, head); err != nil {
				t.Fatal(err)
			}
		}},
		{"worktree config", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			appendConfig(t, filepath.Join(r.Dir, ".git", "config"), "[extensions]\n\tworktreeConfig = true\n")
			if err := os.Symlink(fifo, filepath.Join(r.Dir, ".git", "config.worktree")); err != nil {
				t.Fatal(err)
			}
		}},
		{"dotgit file is a fifo", func(t *testing.T, r *gitexectest.Repo, fifo string) {
			sub := filepath.Join(r.Dir, "sub")
			if err := os.MkdirAll(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(fifo, filepath.Join(sub, ".git")); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := gitexectest.NewMarker(t)
			r := gitexectest.Init(t)
			tc.setup(t, r, m.FIFO)
			dir := r.Dir
			if tc.name == "dotgit file is a fifo" {
				dir = filepath.Join(r.Dir, "sub")
			}
			_, err := Output(ctx, dir, "log", "-1")
			var ue *UnsafeRepositoryError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want an UnsafeRepositoryError", err)
			}
			if !strings.Contains(err.Error(), "until that is fixed or removed") {
				t.Errorf("the error does not say what to do: %v", err)
			}
			if _, err := (Options{}).Prepare(ctx, dir); !errors.As(err, &ue) {
				t.Errorf("Prepare: err = %v, want an UnsafeRepositoryError", err)
			}
			m.Check(t, "git log")
		})
	}
}

// TestIncludeOfRegularFiles: includes of ordinary files, relative and
// nested, and a loop of includes, are followed without error.
func TestIncludeOfRegularFiles(t *testing.T) {
	r := gitexectest.Init(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "one.cfg"), "[include]\n\tpath = two.cfg\n[core]\n\tabbrev = 12\n")
	writeFile(t, filepath.Join(dir, "two.cfg"), "[include]\n\tpath = one.cfg\n")
	writeFile(t, filepath.Join(r.Dir, ".git", "extra.cfg"), "[user]\n\tname = Ada\n")
	appendConfig(t, filepath.Join(r.Dir, ".git", "config"), "[include]\n\tpath = extra.cfg\n\tpath = "+filepath.Join(dir, "one.cfg")+"\n\tpath = missing.cfg\n")
	_, err := Output(context.Background(), r.Dir, "rev-parse", "HEAD")
	// git itself stops the loop of includes with an error; keylint must
	// not hang nor refuse the repository before git does.
	var ue *UnsafeRepositoryError
	if errors.As(err, &ue) {
		t.Fatalf("regular includes refused: %v", err)
	}
	if err == nil || !strings.Contains(err.Error(), "include") {
		t.Logf("git rev-parse: %v", err)
	}
}

func appendConfig(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLazyFetchRunsNothing (issue 15, item 6, another injection): in a
// partial clone, reading a missing blob makes git fetch it from the
// promisor remote; a repository that names an ext:: command as that remote
// and allows the ext transport must not get it run.
func TestLazyFetchRunsNothing(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ name, url string }{
		{"ext transport", "ext::%s"},
		{"file transport with an upload-pack", "file:///nonexistent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := gitexectest.NewMarker(t)
			r := gitexectest.Init(t)
			missing := strings.Repeat("5", 40)
			tree, err := r.TryGit([]byte("100644 blob "+missing+"\tk.txt\n"), "mktree", "--missing")
			if err != nil {
				t.Fatal(err)
			}
			commit := r.Git("commit-tree", tree, "-p", "HEAD", "-m", "missing blob")
			r.Git("update-ref", "refs/heads/main", commit)
			url := tc.url
			if strings.Contains(url, "%s") {
				url = strings.ReplaceAll(url, "%s", m.Command("remote.origin.url"))
			}
			for _, kv := range [][2]string{
				{"core.repositoryformatversion", "1"},
				{"extensions.partialClone", "origin"},
				{"remote.origin.promisor", "true"},
				{"remote.origin.url", url},
				{"remote.origin.uploadpack", m.Command("remote.origin.uploadpack")},
				{"protocol.ext.allow", "always"},
				{"protocol.file.allow", "always"},
				{"protocol.allow", "always"},
			} {
				r.Git("config", kv[0], kv[1])
			}
			for _, args := range [][]string{
				{"cat-file", "-p", missing},
				{"diff-tree", "-r", "-p", "--no-textconv", "--no-ext-diff", "HEAD"},
				{"log", "-p", "-1"},
			} {
				_, _ = Output(ctx, r.Dir, args...) // fails: the blob cannot be fetched
				m.Check(t, "git "+strings.Join(args, " "))
			}
		})
	}
}
