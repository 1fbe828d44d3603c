package gitignore

import (
	"bytes"
	"math/rand"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// randomTree is the tree TestRandomAgainstGit builds: names the random
// patterns' pieces match in many ways, at several depths.
var randomTree = []string{
	"a/b/c/f", "a/b/a", "a/a", "a/x.c", "b/a/b", "b/b", "ab/c", "ab/ab/a", "x", "x.c", "a.c/b", ".a", "b/.a",
	"a/b/c/d/e", "c/a/b/c", "aa", "ba/b", "[a]", "a*", "a/[b]/c", "b/x/a/b/x.c",
}

// randomPieces are what TestRandomAgainstGit's patterns are made of.
var randomPieces = []string{
	"a", "b", "c", "ab", "x", ".c", ".", " ", "*", "*", "**", "***", "?", "/", "/", "/", "/**/", "**/",
	"[ab]", "[!a]", "[^b]", "[a-c]", "[a-]", "[]a]", "[!/]", "[/]", "[[:alpha:]]", "[[:punct:]]",
	"\\", "\\*", "\\[", "\\/", "\\ ",
}

// TestRandomAgainstGit compares the walk with
// `git ls-files --others --exclude-standard` for ignore files of random
// lines (a fixed seed: the same lines every run), in the root and in a
// subdirectory: the corners of git's matcher that no table thinks of.
func TestRandomAgainstGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	if testing.Short() {
		t.Skip("runs git 300 times")
	}
	dir := t.TempDir()
	git := func(args ...string) []byte {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, gitEnv()
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return out
	}
	git("init", "-q")
	for _, f := range randomTree {
		write(t, filepath.Join(dir, f), "x")
	}
	r := rand.New(rand.NewSource(18))
	line := func() string {
		var sb strings.Builder
		if r.Intn(4) == 0 {
			sb.WriteString("!")
		}
		for i := 1 + r.Intn(5); i > 0; i-- {
			sb.WriteString(randomPieces[r.Intn(len(randomPieces))])
		}
		return sb.String()
	}
	fails := 0
	for range 300 {
		var root, sub []string
		for i := 1 + r.Intn(4); i > 0; i-- {
			root = append(root, line())
		}
		for i := r.Intn(3); i > 0; i-- {
			sub = append(sub, line())
		}
		write(t, filepath.Join(dir, ".gitignore"), strings.Join(root, "\n")+"\n")
		write(t, filepath.Join(dir, "a", ".gitignore"), strings.Join(sub, "\n")+"\n")
		var want []string
		for _, p := range bytes.Split(git("ls-files", "--others", "--exclude-standard", "-z"), []byte{0}) {
			if len(p) > 0 {
				want = append(want, string(p))
			}
		}
		slices.Sort(want)
		if got := walk(t, dir); !slices.Equal(got, want) {
			t.Errorf(".gitignore %q, a/.gitignore %q:\nonly ours: %q\nonly git's: %q", root, sub, minus(got, want), minus(want, got))
			if fails++; fails == 10 {
				t.Fatal("too many differences")
			}
		}
	}
}
