package trust

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

func git(t testing.TB, dir string, args ...string) string {
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

// treeRepo builds a repository whose first commit holds files, links and
// a large blob, and whose second commit changes some of them.
func treeRepo(t *testing.T) (dir, base, head string) {
	t.Helper()
	dir = t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(dir, ".keylint.toml"), "extends = \"ci/base.toml\"\n")
	writeFile(t, filepath.Join(dir, "ci", "base.toml"), "disable = []\n")
	writeFile(t, filepath.Join(dir, "name with space.toml"), "x\n")
	symlink(t, "ci/base.toml", filepath.Join(dir, "in.toml"))
	symlink(t, "ci", filepath.Join(dir, "cidir"))
	symlink(t, "/dev/zero", filepath.Join(dir, "zero.toml"))
	symlink(t, "../../etc/passwd", filepath.Join(dir, "ci", "up.toml"))
	symlink(t, "../outside", filepath.Join(dir, "cidir2"))
	symlink(t, "nowhere.toml", filepath.Join(dir, "dangling.toml"))
	symlink(t, "loop2.toml", filepath.Join(dir, "loop1.toml"))
	symlink(t, "loop1.toml", filepath.Join(dir, "loop2.toml"))
	sized(t, filepath.Join(dir, "big.toml"), 17<<20)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "base")
	base = git(t, dir, "rev-parse", "HEAD")
	writeFile(t, filepath.Join(dir, "ci", "base.toml"), "disable = [\"jwt\"]\n")
	writeFile(t, filepath.Join(dir, "new.toml"), "x\n")
	if err := os.Remove(filepath.Join(dir, "name with space.toml")); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "head")
	head = git(t, dir, "rev-parse", "HEAD")
	// The work tree now differs from both commits: the tree reader must
	// never look at it.
	writeFile(t, filepath.Join(dir, ".keylint.toml"), "work tree\n")
	return dir, base, head
}

// TestTreeRead: files come from the commit, links are followed inside the
// tree only, and what is not a readable file is refused or missing.
func TestTreeRead(t *testing.T) {
	dir, base, _ := treeRepo(t)
	tree := &Tree{Dir: dir, Rev: base}
	for _, tc := range []struct {
		name string
		want string // content, or "" with err
		err  error
	}{
		{name: ".keylint.toml", want: "extends = \"ci/base.toml\"\n"},
		{name: "./.keylint.toml", want: "extends = \"ci/base.toml\"\n"},
		{name: "ci/../.keylint.toml", want: "extends = \"ci/base.toml\"\n"},
		{name: "ci/base.toml", want: "disable = []\n"},
		{name: "in.toml", want: "disable = []\n"},
		{name: "cidir/base.toml", want: "disable = []\n"},
		{name: "name with space.toml", want: "x\n"},
		{name: "zero.toml", err: ErrOutside},
		{name: "ci/up.toml", err: ErrOutside},
		{name: "cidir2/x.toml", err: ErrOutside},
		{name: "/etc/passwd", err: ErrOutside},
		{name: "../x.toml", err: ErrOutside},
		{name: "ci/../../x.toml", err: ErrOutside},
		{name: "loop1.toml", err: ErrNotRegular},
		{name: "ci", err: ErrNotRegular},
		{name: ".", err: ErrNotRegular},
		{name: "big.toml", err: ErrTooLarge},
		{name: "dangling.toml", err: fs.ErrNotExist},
		{name: "missing.toml", err: fs.ErrNotExist},
		{name: "new.toml", err: fs.ErrNotExist}, // only in the head
		{name: "in.toml/x", err: fs.ErrNotExist},
		{name: "a\nb", err: ErrOutside},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := tree.Read(context.Background(), tc.name)
			if tc.err == nil {
				if err != nil || string(data) != tc.want {
					t.Fatalf("got %q, %v; want %q", data, err, tc.want)
				}
				return
			}
			if tc.name == "a\nb" {
				var te *Error
				if !errors.As(err, &te) {
					t.Fatalf("err = %v, want an *Error", err)
				}
				return
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			ok, eerr := tree.Exists(context.Background(), tc.name)
			if ok || (tc.err == fs.ErrNotExist) != (eerr == nil) {
				t.Fatalf("Exists = %v, %v", ok, eerr)
			}
		})
	}
}

// TestTreeChanged: a change is seen through links and extends targets;
// files the head leaves alone are not reported.
func TestTreeChanged(t *testing.T) {
	dir, base, head := treeRepo(t)
	tree := &Tree{Dir: dir, Rev: base}
	got, err := tree.Changed(context.Background(), head, []string{".keylint.toml", "ci/base.toml", "in.toml", "cidir/base.toml", "zero.toml", "new.toml", "name with space.toml", "absent.toml", "../x"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ci/base.toml", "in.toml", "cidir/base.toml", "new.toml", "name with space.toml"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("changed %q, want %q", got, want)
	}
}

func TestTreeCancelled(t *testing.T) {
	dir, base, _ := treeRepo(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Tree{Dir: dir, Rev: base}).Read(ctx, ".keylint.toml"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestTreePath: every spelling of a path inside the work tree names the
// same file of the tree; a path outside is refused; links inside the work
// tree are never followed (the pull request controls them).
func TestTreePath(t *testing.T) {
	outer := t.TempDir()
	root := filepath.Join(outer, "ws")
	writeFile(t, filepath.Join(root, "ci", "keylint.toml"), "x\n")
	symlink(t, root, filepath.Join(outer, "ws-link"))
	symlink(t, "/etc", filepath.Join(root, "etc-link"))
	symlink(t, "ci", filepath.Join(root, "ci-link"))
	other := t.TempDir()
	for _, tc := range []struct {
		spelled, cwd, want string // want "": refused
	}{
		{spelled: ".keylint.toml", want: ".keylint.toml"},
		{spelled: "./.keylint.toml", want: ".keylint.toml"},
		{spelled: "ci/../.keylint.toml", want: ".keylint.toml"},
		{spelled: "ci/keylint.toml", want: "ci/keylint.toml"},
		{spelled: "ci//keylint.toml", want: "ci/keylint.toml"},
		{spelled: filepath.Join(root, "ci", "keylint.toml"), want: "ci/keylint.toml"},
		{spelled: root + "/./ci/../ci/keylint.toml", want: "ci/keylint.toml"},
		{spelled: filepath.Join(outer, "ws-link", "ci", "keylint.toml"), want: "ci/keylint.toml"},
		{spelled: filepath.Join(outer, "ws-link", "new.toml"), want: "new.toml"},
		{spelled: "keylint.toml", cwd: filepath.Join(root, "ci"), want: "ci/keylint.toml"},
		{spelled: "../.keylint.toml", cwd: filepath.Join(root, "ci"), want: ".keylint.toml"},
		{spelled: ".keylint.toml", cwd: other, want: ".keylint.toml"},
		{spelled: "keylint.toml", cwd: filepath.Join(outer, "ws-link", "ci"), want: "ci/keylint.toml"},
		{spelled: "../.keylint.toml", cwd: filepath.Join(outer, "ws-link", "ci"), want: ".keylint.toml"},
		// Links inside the work tree are kept as spelled: the tree decides.
		{spelled: "ci-link/keylint.toml", want: "ci-link/keylint.toml"},
		{spelled: "etc-link/passwd", want: "etc-link/passwd"},
		{spelled: filepath.Join(outer, "ws-link", "etc-link", "passwd"), want: "etc-link/passwd"},
		// Outside.
		{spelled: "../.keylint.toml"},
		{spelled: "ci/../../x"},
		{spelled: "/etc/passwd"},
		{spelled: "/dev/zero"},
		{spelled: filepath.Join(other, ".keylint.toml")},
		{spelled: outer + "/ws/../x"},
		{spelled: root},
		{spelled: "."},
		{spelled: ""},
	} {
		t.Run(tc.spelled+"@"+tc.cwd, func(t *testing.T) {
			got, err := TreePath(root, tc.cwd, tc.spelled)
			if tc.want == "" {
				var te *Error
				if err == nil || !errors.As(err, &te) || te.Hint == "" {
					t.Fatalf("got %q, %v; want an *Error", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// FuzzCleanPath: a cleaned path never leaves the tree, is never absolute,
// and cleaning it again changes nothing.
func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{".keylint.toml", "./a", "a/../b", "../x", "/etc/passwd", "a//b/", "..", ".", "", "a\nb", `a\..\..\b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := CleanPath(s)
		if err != nil {
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("%q: err %v is not an *Error", s, err)
			}
			return
		}
		if c == "" || c == "." || c == ".." || strings.HasPrefix(c, "../") || path.IsAbs(c) || filepath.IsAbs(c) || strings.ContainsAny(c, "\n\x00") {
			t.Fatalf("%q cleaned to %q, which leaves the tree", s, c)
		}
		if c2, err := CleanPath(c); err != nil || c2 != c {
			t.Fatalf("%q: cleaning %q again gave %q, %v", s, c, c2, err)
		}
	})
}

// FuzzParseEntry: whatever git prints, parsing it never panics, never
// reads a link target over its bound, and what it returns is consistent.
func FuzzParseEntry(f *testing.F) {
	for _, s := range []string{
		"78981922613b2afb6025042ff6bd878ac1994e85 blob 2\n",
		"symlink 9\n/dev/zero\n",
		"dangling 9\nHEAD:dang\n",
		"loop 4\nHEAD\n",
		"notdir 4\nHEAD\n",
		"HEAD:x missing\n",
		"symlink 99999999999\n",
		"a b c d\n",
	} {
		f.Add(s, "HEAD:x")
	}
	f.Fuzz(func(t *testing.T, out, name string) {
		e, err := parseEntry(bufio.NewReader(strings.NewReader(out)), name)
		if err != nil {
			return
		}
		switch e.state {
		case found:
			if e.oid == "" || e.typ == "" {
				t.Fatalf("%q: found without an object: %+v", out, e)
			}
		case outside:
			if len(e.target) > 1<<20 {
				t.Fatalf("%q: target of %d bytes", out, len(e.target))
			}
		}
	})
}

// FuzzTreePath: whatever the spelling, TreePath either refuses with an
// *Error or returns a path that stays inside the tree.
func FuzzTreePath(f *testing.F) {
	for _, s := range []string{".keylint.toml", "./a", "a/../b", "../x", "/etc/passwd", "ci//k.toml", "..", ".", "", "a\nb", "ws/../../x"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, s string, abs bool) {
		if abs {
			s = root + "/" + s
		}
		got, err := TreePath(root, "", s)
		if err != nil {
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("%q: err %v is not an *Error", s, err)
			}
			return
		}
		if c, err := CleanPath(got); err != nil || c != got {
			t.Fatalf("%q gave %q, which is not a clean path inside the tree (%v)", s, got, err)
		}
	})
}
