package gitignore

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// gitEnv keeps the user's and the system's configuration (and so
// core.excludesFile) out of git's answer.
func gitEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			env = append(env, kv)
		}
	}
	return append(env, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "HOME="+os.TempDir())
}

// files of the differential test's tree: every case builds it, with its
// own ignore files.
var treeFiles = []string{
	"a.log", "b.txt", "c.go", ".hidden", "#hash", "!bang", "sp ace", "trail ", "tab\tname",
	"foo", "foo.bak", "Foo", "x[1]", "star*", "q?", "back\\slash",
	"build/out.o", "build/keep.txt", "build/sub/deep.o",
	"src/build/gen.o", "src/main.go", "src/a.log", "src/foo/bar.txt", "src/x/y/z.txt",
	"docs/foo/readme.md", "docs/api/v1/index.html", "docs/api/v2/index.html",
	"a/b/c/d.txt", "a/x/b/c.txt", "a/b.txt", "abc/in.txt", "abc/d/e.txt",
	"deep/one/two/three/file.c", "deep/file.c", "deep/one/file.h",
	"n/.gitignore", "n/keep.log", "n/drop.log", "n/m/keep.log", "n/m/x.tmp", "n/m/.gitignore",
	"cls/a1", "cls/b2", "cls/C3", "cls/-", "cls/]", "cls/^", "cls/!", "cls/é",
}

// TestMatchAgainstGit builds a tree in a fresh repository with each
// case's ignore files and compares the files a walk keeps (not entering
// an ignored directory, as the scanner's walk) with what
// `git ls-files --others --exclude-standard` lists.
func TestMatchAgainstGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	for _, tc := range []struct {
		name    string
		root    string            // the root .gitignore
		exclude string            // .git/info/exclude
		nested  map[string]string // other .gitignore files by directory
	}{
		{name: "basename", root: "*.log\nfoo\n"},
		{name: "negation", root: "*.log\n!src/a.log\n"},
		{name: "negation order", root: "!a.log\n*.log\n"},
		{name: "dir only", root: "build/\nfoo/\nc.go/\n"},
		{name: "anchored", root: "/build\n/a.log\nsrc/foo\n"},
		{name: "anchored middle", root: "docs/*/index.html\ndocs/api/*/index.html\n"},
		{name: "double star lead", root: "**/build\n**/foo/bar.txt\n"},
		{name: "double star trail", root: "abc/**\n!abc/in.txt\n"},
		{name: "double star middle", root: "a/**/c.txt\na/**/d.txt\ndeep/**/*.c\n"},
		{name: "double star others", root: "de**p/one\n**\n!deep/\n!deep/**\n"},
		{name: "re-include blocked by dir", root: "build/\n!build/keep.txt\n"},
		{name: "re-include inside", root: "build/*\n!build/keep.txt\n"},
		{name: "question and class", root: "?.txt\ncls/[a-b]?\ncls/[!a-z]3\ncls/[]]\ncls/[-]\n"},
		{name: "caret class", root: "cls/[^a]1\ncls/[^abC]?\n"},
		{name: "posix classes", root: "cls/[[:digit:]]\ncls/[[:upper:]][[:digit:]]\ncls/[[:alpha:]][[:alnum:]]\n"},
		{name: "unknown class and unterminated", root: "cls/[[:nope:]]1\ncls/[a\nb.txt[\n"},
		{name: "escapes", root: "\\#hash\n\\!bang\nx\\[1]\nstar\\*\nq\\?\nback\\\\slash\n"},
		{name: "comment and blank", root: "#hash\n\n   \n# *.go\n"},
		{name: "trailing spaces", root: "foo   \nsp ace\ntrail\\ \n"},
		{name: "tab kept", root: "tab\tname\nb.txt\t\n"},
		{name: "crlf", root: "*.log\r\nfoo\r\n"},
		{name: "bom", root: "\xef\xbb\xbf*.log\n"},
		{name: "case sensitive", root: "FOO\nfoo.BAK\n"},
		{name: "dot and star", root: ".*\n!.gitignore\n"},
		{name: "empty negation and slash", root: "!\n/\n!/\n"},
		{name: "exclude file", exclude: "*.txt\n", root: "!b.txt\n"},
		{name: "nested", root: "*.log\n", nested: map[string]string{"n": "!keep.log\n/m/x.tmp\n", "n/m": "keep.log\n"}},
		{name: "nested anchored", root: "", nested: map[string]string{"n": "m\n", "src": "/build/\nfoo/*.txt\n"}},
		{name: "nested double star", nested: map[string]string{"a": "**/c\n", "docs": "api/**/*.html\n"}},
		{name: "slashes", root: "a//b.txt\nsrc//main.go\n/a/b.txt/\n"},
		// git's matcher compares a pattern's literal start first, so a
		// "**" right after it crosses directories as after a "/".
		{name: "double star after a literal start", root: "a**/d.txt\ndeep**/file.c\n"},
		{name: "three stars", root: "/***/file.h\n"},
		{name: "double star before an escaped slash", root: "**\\/b.txt\n"},
		{name: "bracket holding a slash", root: "a[!/]c/in.txt\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			git := func(args ...string) []byte {
				cmd := exec.Command("git", args...)
				cmd.Dir, cmd.Env = dir, gitEnv()
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, stderr.String())
				}
				return out
			}
			git("init", "-q")
			for _, f := range treeFiles {
				write(t, filepath.Join(dir, f), "x")
			}
			write(t, filepath.Join(dir, ".gitignore"), tc.root)
			write(t, filepath.Join(dir, ".git", "info", "exclude"), tc.exclude)
			for d, text := range tc.nested {
				write(t, filepath.Join(dir, d, ".gitignore"), text)
			}
			var want []string
			for _, p := range bytes.Split(git("ls-files", "--others", "--exclude-standard", "-z"), []byte{0}) {
				if len(p) > 0 {
					want = append(want, string(p))
				}
			}
			got := walk(t, dir)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("kept files differ from git's\n got: %q\nwant: %q\nonly ours: %q\nonly git's: %q",
					got, want, minus(got, want), minus(want, got))
			}
		})
	}
}

// walk lists the files under root that the patterns keep, reading
// .git/info/exclude and every .gitignore the way the scanner's walk does.
func walk(t *testing.T, root string) []string {
	t.Helper()
	var pats []Pattern
	if f, err := os.Open(filepath.Join(root, ".git", "info", "exclude")); err == nil {
		pats = Parse(pats, f, nil)
		f.Close()
	}
	var out []string
	var visit func(dir string, rel []string, pats []Pattern)
	visit = func(dir string, rel []string, pats []Pattern) {
		if f, err := os.Open(filepath.Join(dir, ".gitignore")); err == nil {
			pats = Parse(pats[:len(pats):len(pats)], f, rel)
			f.Close()
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.Name() == ".git" {
				continue
			}
			p := append(slices.Clone(rel), e.Name())
			if Match(pats, p, e.IsDir()) {
				continue
			}
			if e.IsDir() {
				visit(filepath.Join(dir, e.Name()), p, pats)
			} else if e.Type()&fs.ModeType == 0 {
				out = append(out, strings.Join(p, "/"))
			}
		}
	}
	visit(root, nil, pats)
	slices.Sort(out)
	return out
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestParsePattern checks what a line parses to, and one path each
// pattern matches (none for an invalid one).
func TestParsePattern(t *testing.T) {
	for _, tc := range []struct {
		line                               string
		ok, negate, dirOnly, anchored, bad bool
		match                              string
	}{
		{line: "", ok: false},
		{line: "   ", ok: false},
		{line: "# x", ok: false},
		{line: "\\# x", ok: true, match: "# x"},
		{line: "!x", ok: true, negate: true, match: "x"},
		{line: "x/", ok: true, dirOnly: true, match: "d/x"},
		{line: "/x", ok: true, anchored: true, match: "x"},
		{line: "a/**/b", ok: true, anchored: true, match: "a/x/y/b"},
		{line: "a\\/b", ok: true, anchored: true, match: "a/b"},
		{line: "x\\ ", ok: true, match: "x "},
		{line: "x\\\\ ", ok: true, match: "x\\"},
		{line: "[a", ok: true, bad: true},
		{line: "x\\", ok: true, bad: true},
		{line: "[[:bogus:]]", ok: true, bad: true},
		{line: "!", ok: false},
		{line: "/", ok: false},
	} {
		p, ok := ParsePattern(tc.line, nil)
		if ok != tc.ok {
			t.Errorf("%q: ok %v, want %v", tc.line, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if p.negate != tc.negate || p.dirOnly != tc.dirOnly || p.anchored != tc.anchored || p.invalid != tc.bad {
			t.Errorf("%q: got %+v", tc.line, p)
		}
		q := p
		q.negate = false
		if tc.match != "" && !Match([]Pattern{q}, strings.Split(tc.match, "/"), true) {
			t.Errorf("%q does not match %q", tc.line, tc.match)
		}
	}
}

// TestMatchLongNames: patterns of many stars and "**/" against long names
// and deep paths that do not match end quickly (the matcher's states are
// bounded by the pattern, and a later "**" state replaces earlier ones).
func TestMatchLongNames(t *testing.T) {
	pat := strings.Repeat("*a", 200) + "b"
	p, _ := ParsePattern(pat, nil)
	name := strings.Repeat("a", 5000)
	if Match([]Pattern{p}, []string{name}, false) {
		t.Error("matched")
	}
	p, _ = ParsePattern(strings.Repeat("**/", 200)+"x", nil)
	path := slices.Repeat([]string{"d"}, 5000)
	if Match([]Pattern{p}, path, false) {
		t.Error("matched")
	}
	// Many "**/" loops, each of which a deep path could keep alive: the
	// matcher keeps the last one only.
	pats := Parse(nil, strings.NewReader(strings.Repeat("**/a/", 20000)+"x\n"+strings.Repeat("**/", 100000)+"y\n"), nil)
	path = strings.Split(strings.Repeat("a/", 2000)+"z", "/")
	for range 100 {
		if Match(pats, path, false) {
			t.Error("matched")
		}
	}
	if !Match(pats, []string{"q", "y"}, false) {
		t.Error(`q/y not matched by "**/**/…/y"`)
	}
}

// FuzzGitignore parses arbitrary ignore files and matches them against
// arbitrary paths: no panic, a pattern's negation inverts its match, and
// the shortcuts (comparing a pattern without wildcards, a "*suffix", a
// literal start) agree with running the compiled pattern.
func FuzzGitignore(f *testing.F) {
	f.Add("*.log\n!keep.log\nbuild/\n/a/**/b\n", "a/x/b", true)
	f.Add("[[:alpha:]][!-]\\\n[]-a]\n", "b-", false)
	f.Add("a\\/b\n**\n[^", "a/b", false)
	f.Fuzz(func(t *testing.T, file, path string, isDir bool) {
		pats := Parse(nil, strings.NewReader(file), []string{"d"})
		names := append([]string{"d"}, strings.Split(path, "/")...)
		got := Match(pats, names, isDir)
		if len(pats) == 0 && got {
			t.Fatal("matched without patterns")
		}
		for _, p := range pats {
			q := p
			q.negate = !p.negate
			a, b := Match([]Pattern{p}, names, isDir), Match([]Pattern{q}, names, isDir)
			if a && b {
				t.Fatalf("a pattern and its negation both ignore %q", path)
			}
			r := p
			r.lit, r.fast = "", general
			if c := Match([]Pattern{r}, names, isDir); c != a {
				t.Fatalf("%+v: shortcut says %v, compiled pattern %v for %q", p, a, c, path)
			}
		}
	})
}
