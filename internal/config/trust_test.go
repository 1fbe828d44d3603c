package config

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/rules"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

// sparse makes a file of n bytes without using disk space.
func sparse(t *testing.T, path string, n int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestLoadRefusesUnboundedInputs: a configuration, or a file it extends,
// that is a device, a FIFO, a directory or over 16 MiB is refused with a
// *trust.Error before it is read, however it is reached: discovered,
// named, extended, through a link. An extends from a file of a repository
// may not leave the repository.
func TestLoadRefusesUnboundedInputs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, repo, outside string)
		path  string // relative to the repository; "" to discover
		want  error
	}{
		{name: "discovered link to /dev/zero", want: trust.ErrOutside, setup: func(t *testing.T, repo, _ string) {
			symlink(t, "/dev/zero", filepath.Join(repo, FileName))
		}},
		{name: "discovered link to /dev/urandom", want: trust.ErrOutside, setup: func(t *testing.T, repo, _ string) {
			symlink(t, "/dev/urandom", filepath.Join(repo, FileName))
		}},
		{name: "discovered FIFO", want: trust.ErrNotRegular, setup: func(t *testing.T, repo, _ string) {
			mkfifo(t, filepath.Join(repo, FileName))
		}},
		{name: "discovered gitleaks link to /dev/zero", want: trust.ErrOutside, setup: func(t *testing.T, repo, _ string) {
			symlink(t, "/dev/zero", filepath.Join(repo, ".gitleaks.toml"))
		}},
		{name: "discovered 17 MiB", want: trust.ErrTooLarge, setup: func(t *testing.T, repo, _ string) {
			sparse(t, filepath.Join(repo, FileName), 17<<20)
		}},
		{name: "discovered link out of the repository", want: trust.ErrOutside, setup: func(t *testing.T, repo, outside string) {
			write(t, filepath.Join(outside, "shared.toml"), acmeRule)
			symlink(t, filepath.Join(outside, "shared.toml"), filepath.Join(repo, FileName))
		}},
		{name: "named /dev/zero", path: "/dev/zero", want: trust.ErrNotRegular},
		{name: "named FIFO", path: "f.toml", want: trust.ErrNotRegular, setup: func(t *testing.T, repo, _ string) {
			mkfifo(t, filepath.Join(repo, "f.toml"))
		}},
		{name: "named directory", path: "d.toml", want: trust.ErrNotRegular, setup: func(t *testing.T, repo, _ string) {
			if err := os.Mkdir(filepath.Join(repo, "d.toml"), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "extends /dev/zero", want: trust.ErrOutside, setup: func(t *testing.T, repo, _ string) {
			write(t, filepath.Join(repo, FileName), "extends = \"/dev/zero\"\n")
		}},
		{name: "extends /dev/urandom", want: trust.ErrOutside, setup: func(t *testing.T, repo, _ string) {
			write(t, filepath.Join(repo, FileName), "extends = \"/dev/urandom\"\n")
		}},
		{name: "extends a link to /dev/urandom", want: trust.ErrOutside, setup: func(t *testing.T, repo, _ string) {
			write(t, filepath.Join(repo, FileName), "extends = \"ci/base.toml\"\n")
			symlink(t, "/dev/urandom", filepath.Join(repo, "ci", "base.toml"))
		}},
		{name: "extends a FIFO in the repository", want: trust.ErrNotRegular, setup: func(t *testing.T, repo, _ string) {
			write(t, filepath.Join(repo, FileName), "extends = \"ci/base.toml\"\n")
			if err := os.MkdirAll(filepath.Join(repo, "ci"), 0o755); err != nil {
				t.Fatal(err)
			}
			mkfifo(t, filepath.Join(repo, "ci", "base.toml"))
		}},
		{name: "extends 17 MiB in the repository", want: trust.ErrTooLarge, setup: func(t *testing.T, repo, _ string) {
			write(t, filepath.Join(repo, FileName), "extends = \"big.toml\"\n")
			sparse(t, filepath.Join(repo, "big.toml"), 17<<20)
		}},
		{name: "extends an absolute file outside", want: trust.ErrOutside, setup: func(t *testing.T, repo, outside string) {
			write(t, filepath.Join(outside, "shared.toml"), acmeRule)
			write(t, filepath.Join(repo, FileName), "extends = '"+filepath.Join(outside, "shared.toml")+"'\n")
		}},
		{name: "extends a relative file outside", want: trust.ErrOutside, setup: func(t *testing.T, repo, outside string) {
			write(t, filepath.Join(outside, "shared.toml"), acmeRule)
			rel, err := filepath.Rel(repo, filepath.Join(outside, "shared.toml"))
			if err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(repo, "ci", "keylint.toml"), "extends = '../"+filepath.ToSlash(rel)+"'\n")
		}, path: "ci/keylint.toml"},
		{name: "second link of the chain leaves", want: trust.ErrOutside, setup: func(t *testing.T, repo, _ string) {
			write(t, filepath.Join(repo, FileName), "extends = \"ci/base.toml\"\n")
			write(t, filepath.Join(repo, "ci", "base.toml"), "extends = \"/etc/passwd\"\n")
		}},
		{name: "extends a link out of the repository", want: trust.ErrOutside, setup: func(t *testing.T, repo, outside string) {
			write(t, filepath.Join(outside, "shared.toml"), acmeRule)
			write(t, filepath.Join(repo, FileName), "extends = \"ci/base.toml\"\n")
			symlink(t, filepath.Join(outside, "shared.toml"), filepath.Join(repo, "ci", "base.toml"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			repo, outside := t.TempDir(), t.TempDir()
			write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
			if tc.setup != nil {
				tc.setup(t, repo, outside)
			}
			p := tc.path
			if p != "" && !filepath.IsAbs(p) {
				p = filepath.Join(repo, p)
			}
			_, err := LoadContext(context.Background(), Options{Path: p, Start: repo})
			var te *trust.Error
			if !errors.Is(err, tc.want) || !errors.As(err, &te) || te.Hint == "" {
				t.Fatalf("err = %v, want a *trust.Error for %v", err, tc.want)
			}
		})
	}
}

// TestLoadExtendsInsideRepository: the ordinary setups still work: a
// chain inside the repository, through a link inside it, and a shared
// file outside any repository that extends by absolute path.
func TestLoadExtendsInsideRepository(t *testing.T) {
	repo := t.TempDir()
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(repo, FileName), "extends = \"ci/keylint.toml\"\n")
	write(t, filepath.Join(repo, "ci", "keylint.toml"), "extends = \"../shared/base.toml\"\n")
	write(t, filepath.Join(repo, "shared", "real.toml"), acmeRule)
	symlink(t, "real.toml", filepath.Join(repo, "shared", "base.toml"))
	l, err := LoadContext(context.Background(), Options{Start: repo})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Files) != 3 || l.Ruleset.Rule("acme-key") == nil {
		t.Fatalf("files %q, acme-key %v", l.Files, l.Ruleset.Rule("acme-key"))
	}

	shared := t.TempDir() // not a repository
	write(t, filepath.Join(shared, "base.toml"), acmeRule)
	other := t.TempDir()
	write(t, filepath.Join(other, "my.toml"), "extends = '"+filepath.Join(shared, "base.toml")+"'\n")
	if _, err := LoadContext(context.Background(), Options{Path: filepath.Join(other, "my.toml")}); err != nil {
		t.Fatalf("a file outside any repository may extend any regular file: %v", err)
	}
}

// TestLoadCancelled: loading stops when the context is cancelled.
func TestLoadCancelled(t *testing.T) {
	repo := t.TempDir()
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(repo, FileName), acmeRule)
	write(t, filepath.Join(repo, ".gitleaksignore"), "a.env:generic-api-key:1\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadContext(ctx, Options{Start: repo}); !errors.Is(err, context.Canceled) {
		t.Fatalf("LoadContext: err = %v, want context.Canceled", err)
	}
	if _, _, err := LoadGitleaksIgnore(ctx, Options{Start: repo}); !errors.Is(err, context.Canceled) {
		t.Fatalf("LoadGitleaksIgnore: err = %v, want context.Canceled", err)
	}
}

// TestGitleaksIgnoreRefusesUnboundedInputs: the ignore file obeys the same
// rules; a missing one is simply none.
func TestGitleaksIgnoreRefusesUnboundedInputs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, path, outside string)
		want  error // nil: loads
	}{
		{name: "missing"},
		{name: "dangling link", setup: func(t *testing.T, p, _ string) { symlink(t, "nowhere", p) }},
		{name: "link to /dev/zero", want: trust.ErrOutside, setup: func(t *testing.T, p, _ string) { symlink(t, "/dev/zero", p) }},
		{name: "link to /dev/urandom", want: trust.ErrOutside, setup: func(t *testing.T, p, _ string) { symlink(t, "/dev/urandom", p) }},
		{name: "link to a FIFO in the repository", want: trust.ErrNotRegular, setup: func(t *testing.T, p, _ string) {
			mkfifo(t, p+".fifo")
			symlink(t, filepath.Base(p)+".fifo", p)
		}},
		{name: "FIFO", want: trust.ErrNotRegular, setup: func(t *testing.T, p, _ string) { mkfifo(t, p) }},
		{name: "17 MiB", want: trust.ErrTooLarge, setup: func(t *testing.T, p, _ string) { sparse(t, p, 17<<20) }},
		{name: "link out of the repository", want: trust.ErrOutside, setup: func(t *testing.T, p, outside string) {
			write(t, filepath.Join(outside, "ignore"), "a.env:generic-api-key:1\n")
			symlink(t, filepath.Join(outside, "ignore"), p)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			repo, outside := t.TempDir(), t.TempDir()
			write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
			if tc.setup != nil {
				tc.setup(t, filepath.Join(repo, GitleaksIgnoreName), outside)
			}
			g, _, err := LoadGitleaksIgnore(context.Background(), Options{Start: repo})
			if tc.want == nil {
				if err != nil || g != nil {
					t.Fatalf("got %v, %v; want none", g, err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com",
		"GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestLoadFromTree: in a commit's tree, extends are resolved relative to
// the extending file's directory in the tree, through the tree's links,
// and may not leave the tree, not even through a link; the work tree is
// never read.
func TestLoadFromTree(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string // "->target" makes a link
		path    string            // "" to discover
		want    error             // nil: acme-key is loaded
		none    bool              // no configuration at all
		missing string            // an extended file the tree lacks
	}{
		{name: "relative chain", files: map[string]string{FileName: "extends = \"ci/base.toml\"\n", "ci/base.toml": "extends = \"../shared/acme.toml\"\n", "shared/acme.toml": acmeRule}},
		{name: "named in a directory", path: "ci/keylint.toml", files: map[string]string{"ci/keylint.toml": "extends = \"base.toml\"\n", "ci/base.toml": acmeRule}},
		{name: "dot spellings", files: map[string]string{FileName: "extends = \"./ci/../ci/./base.toml\"\n", "ci/base.toml": acmeRule}},
		{name: "through a link in the tree", files: map[string]string{FileName: "->ci/keylint.toml", "ci/keylint.toml": acmeRule}},
		{name: "extends through a linked directory", files: map[string]string{FileName: "extends = \"shared/base.toml\"\n", "shared": "->ci", "ci/base.toml": acmeRule}},
		{name: "gitleaks discovered", files: map[string]string{".gitleaks.toml": "[extend]\nuseDefault = true\n[[rules]]\nid = \"acme-key\"\nregex = '''acme_[a-z0-9]{16}'''\nkeywords = [\"acme_\"]\n"}},
		{name: "none", none: true, files: map[string]string{"README.md": "hi\n"}},
		{name: "extends /dev/zero", want: trust.ErrOutside, files: map[string]string{FileName: "extends = \"/dev/zero\"\n"}},
		{name: "extends /dev/urandom", want: trust.ErrOutside, files: map[string]string{FileName: "extends = \"/dev/urandom\"\n"}},
		{name: "extends above the root", want: trust.ErrOutside, files: map[string]string{FileName: "extends = \"ci/base.toml\"\n", "ci/base.toml": "extends = \"../../x.toml\"\n"}},
		{name: "config is a link to /dev/zero", want: trust.ErrOutside, files: map[string]string{FileName: "->/dev/zero"}},
		{name: "extends a link out of the tree", want: trust.ErrOutside, files: map[string]string{FileName: "extends = \"ci/base.toml\"\n", "ci/base.toml": "->../../etc/passwd"}},
		{name: "extends a directory", want: trust.ErrNotRegular, files: map[string]string{FileName: "extends = \"ci\"\n", "ci/base.toml": acmeRule}},
		{name: "extends a file only in the work tree", missing: "untracked.toml", files: map[string]string{FileName: "extends = \"ci/keylint.toml\"\n", "ci/keylint.toml": "extends = \"../untracked.toml\"\n" + acmeRule}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			repo := t.TempDir()
			gitIn(t, repo, "init", "-q", "-b", "main")
			for name, content := range tc.files {
				if target, ok := strings.CutPrefix(content, "->"); ok {
					symlink(t, target, filepath.Join(repo, name))
				} else {
					write(t, filepath.Join(repo, name), content)
				}
			}
			gitIn(t, repo, "add", "-A")
			gitIn(t, repo, "commit", "-q", "--allow-empty", "-m", "base")
			base := gitIn(t, repo, "rev-parse", "HEAD")
			// The work tree says otherwise; it must not matter.
			write(t, filepath.Join(repo, "untracked.toml"), acmeRule)
			for name := range tc.files {
				os.Remove(filepath.Join(repo, name))
				write(t, filepath.Join(repo, name), "[[allow]]\npaths = ['''.*''']\n")
			}
			l, err := LoadContext(context.Background(), Options{Path: tc.path, Tree: &trust.Tree{Dir: repo, Rev: base}})
			switch {
			case tc.want != nil:
				var te *trust.Error
				if !errors.Is(err, tc.want) || !errors.As(err, &te) {
					t.Fatalf("err = %v, want a *trust.Error for %v", err, tc.want)
				}
			case err != nil:
				t.Fatal(err)
			case tc.none:
				if len(l.Files) != 0 || len(l.Ruleset.Allowlists()) != len(mustDefault(t).Allowlists()) {
					t.Fatalf("files %q: want none", l.Files)
				}
			default:
				if strings.Join(l.Missing, ",") != tc.missing {
					t.Fatalf("missing %q, want %q", l.Missing, tc.missing)
				}
				if l.Ruleset.Rule("acme-key") == nil {
					t.Fatalf("files %q: acme-key not loaded", l.Files)
				}
				if len(l.Ruleset.Allowlists()) != len(mustDefault(t).Allowlists()) {
					t.Fatal("an allowlist of the work tree was applied")
				}
			}
		})
	}
}

func mustDefault(t *testing.T) *rules.Ruleset {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestLoadBaseCancelled: reading a pull request's inputs from its base
// commit stops when the context is cancelled.
func TestLoadBaseCancelled(t *testing.T) {
	repo := t.TempDir()
	gitIn(t, repo, "init", "-q", "-b", "main")
	write(t, filepath.Join(repo, FileName), acmeRule)
	gitIn(t, repo, "add", "-A")
	gitIn(t, repo, "commit", "-q", "-m", "base")
	base := gitIn(t, repo, "rev-parse", "HEAD")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := LoadBase(ctx, BaseOptions{Repo: repo, Base: base, Head: base, Baseline: ".keylint-baseline"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
