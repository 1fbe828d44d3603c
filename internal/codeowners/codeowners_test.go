package codeowners

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/trust"
)

// githubExample is the example CODEOWNERS file of GitHub's documentation
// (about-code-owners, "Example of a CODEOWNERS file"), whose comments say
// who owns what; the table below checks each of those statements.
const githubExample = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in
# the repo. Unless a later match takes precedence,
# @global-owner1 and @global-owner2 will be requested for
# review when someone opens a pull request.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most
# precedence. When someone opens a pull request that only
# modifies JS files, only @js-owner and not the global
# owner(s) will be requested for a review.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer. They'll be
# used to look up users just like we do for commit author
# emails.
*.go docs@example.com

# Teams can be specified as code owners as well. Teams should
# be identified in the format @org/team-name. Teams must have
# explicit write access to the repository. In this example,
# the octocats team in the octo-org organization owns all .txt files.
*.txt @octo-org/octocats

# In this example, @doctocat owns any files in the build/logs
# directory at the root of the repository and any of its
# subdirectories.
/build/logs/ @doctocat

# The 'docs/*' pattern will match files like
# 'docs/getting-started.md' but not further nested files like
# 'docs/build-app/troubleshooting.md'.
docs/*  docs@example.com

# In this example, @octocat owns any file in an apps directory
# anywhere in your repository.
apps/ @octocat

# In this example, @doctocat owns any file in the '/docs'
# directory in the root of your repository and any of its
# subdirectories.
/docs/ @doctocat

# In this example, any change inside the '/scripts' directory
# will require approval from @doctocat or @octocat.
/scripts/ @doctocat @octocat

# In this example, @octocat owns any file in a '/logs' directory such as
# '/build/logs', '/scripts/logs', and '/deeply/nested/logs'. Any changes
# in a '/logs' directory will require approval from @octocat.
**/logs @octocat

# In this example, @octocat owns any file in the '/apps'
# directory in the root of your repository except for the '/apps/github'
# subdirectory, as this subdirectory has its own owners.
/apps/ @octocat
/apps/github
`

func TestGitHubExample(t *testing.T) {
	f := Parse([]byte(githubExample))
	if f.Skipped != 0 {
		t.Errorf("%d lines skipped", f.Skipped)
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"README.md", []string{"@global-owner1", "@global-owner2"}},
		{"src/app.js", []string{"@js-owner"}},
		{"main.go", []string{"docs@example.com"}},
		{"notes/todo.txt", []string{"@octo-org/octocats"}},
		{"build/logs/today.log", []string{"@octocat"}}, // **/logs comes later and wins
		{"build/logs/old/x.bin", []string{"@octocat"}},
		{"docs/getting-started.md", []string{"@doctocat"}},                  // /docs/ comes after docs/*
		{"docs/build-app/troubleshooting.md", []string{"@doctocat"}},        // only /docs/ matches
		{"src/docs/intro.md", []string{"@global-owner1", "@global-owner2"}}, // docs/* is anchored: it contains a slash
		{"web/apps/index.html", []string{"@octocat"}},
		{"scripts/deploy.sh", []string{"@doctocat", "@octocat"}},
		{"scripts/logs/run.log", []string{"@octocat"}},
		{"deeply/nested/logs/x", []string{"@octocat"}},
		{"apps/main.c", []string{"@octocat"}},
		{"apps/github/main.c", nil}, // the last match has no owners
	} {
		if got := f.Owners(tc.path); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestPatterns(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"*", "a/b/c", true},
		{"*.md", "deep/dir/x.md", true},
		{"*.md", "x.md/inner", true}, // a directory named x.md holds it
		{"/root.txt", "root.txt", true},
		{"/root.txt", "sub/root.txt", false},
		{"root.txt", "sub/root.txt", true},
		{"docs/", "docs", false}, // a file, not a directory
		{"docs/", "a/docs/b", true},
		{"docs", "a/docs", true},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**", "a/x/y", true},
		{"a/**", "a", false},
		{"**/x", "x", true},
		{"lib/?.go", "lib/a.go", true},
		{"lib/?.go", "lib/ab.go", false},
		{`\#notes`, "#notes", true},
		{"!keep", "keep", false},     // negation is not supported
		{"[ab].txt", "a.txt", false}, // neither are ranges
		{"/", "anything/at/all", true},
	} {
		f := Parse([]byte(tc.pattern + " @o"))
		got := f.Owners(tc.path) != nil
		if got != tc.want {
			t.Errorf("%q against %q: %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

func TestOwnerForms(t *testing.T) {
	f := Parse([]byte("* @user @org/team a@b.example not-an-owner @bad!name\n"))
	if got := f.Owners("x"); !slices.Equal(got, []string{"@user", "@org/team", "a@b.example"}) {
		t.Errorf("%q", got)
	}
	if f.Skipped != 1 {
		t.Errorf("skipped %d", f.Skipped)
	}
}

type mapReader map[string]string

func (m mapReader) Read(_ context.Context, name string) ([]byte, error) {
	if s, ok := m[name]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

// TestLocations: .github/ wins over the root, the root over docs/.
func TestLocations(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"docs/CODEOWNERS": "* @d", "CODEOWNERS": "* @r", ".github/CODEOWNERS": "* @g"}, "@g"},
		{map[string]string{"docs/CODEOWNERS": "* @d", "CODEOWNERS": "* @r"}, "@r"},
		{map[string]string{"docs/CODEOWNERS": "* @d"}, "@d"},
		{map[string]string{}, ""},
	} {
		f, err := Load(context.Background(), mapReader(tc.files))
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(f.Owners("x"), "")
		if got != tc.want {
			t.Errorf("%v: %q, want %q", tc.files, got, tc.want)
		}
	}
	if _, err := Load(context.Background(), failReader{}); err == nil {
		t.Error("a read error was ignored")
	}
}

type failReader struct{}

func (failReader) Read(context.Context, string) ([]byte, error) { return nil, errors.New("boom") }

// TestFromCommit reads the file from a commit with internal/trust, never
// from the work tree.
func TestFromCommit(t *testing.T) {
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github", "CODEOWNERS"), []byte("*.go @gophers\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "-A")
	git("commit", "-qm", "owners")
	// The work tree changes after the commit; HEAD is what counts.
	if err := os.WriteFile(filepath.Join(dir, ".github", "CODEOWNERS"), []byte("*.go @someone-else\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(context.Background(), &trust.Tree{Dir: dir, Rev: "HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Owners("cmd/main.go"); !slices.Equal(got, []string{"@gophers"}) {
		t.Errorf("%q", got)
	}
}

func FuzzOwners(f *testing.F) {
	f.Add([]byte(githubExample), "apps/github/x")
	f.Add([]byte("**/**/**/a/**/b/** @x\n"), "a/a/a/b/b")
	f.Add([]byte("*a*a*a*a*a*b @x"), strings.Repeat("a", 60))
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		if len(data) > 1<<16 || len(path) > 4096 {
			return
		}
		cf := Parse(data)
		for _, o := range cf.Owners(path) {
			if !validOwner(o) {
				t.Fatalf("invalid owner %q", o)
			}
		}
	})
}
