// Package gittest builds git repositories for tests and benchmarks with
// the real git binary, hermetically: no user or system configuration, a
// fixed identity, and commit dates that advance one hour per commit from a
// fixed start, so ids are the same on every run.
//
// It also generates benchmark repositories from real text (see
// [Generate]). It is test support only: product code never imports it.
package gittest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Start is the date of the first commit a [Repo] makes.
var Start = time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)

// Repo is a repository under test.
type Repo struct {
	t   testing.TB
	Dir string // the working tree, or the git dir of a bare repository
	// Author is used for the next commits ("Name <email>").
	AuthorName, AuthorEmail string
	home                    string
	tick                    int
}

// Environ is the test process's environment without GIT_* variables,
// HOME and XDG_CONFIG_HOME: a test run from inside a git hook (GIT_DIR,
// GIT_INDEX_FILE ...) must not reach the outer repository, nor the user's
// configuration.
func Environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || k == "HOME" || k == "XDG_CONFIG_HOME" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// Hermetic returns the variables that make git hermetic, with home as its
// home directory: no global or system configuration, no prompts, a fixed
// identity and the given date. Add them to [Environ] to run git, or pass
// them alone as the Env of a keylint git source (which starts from its own
// safe environment).
func Hermetic(home string, when time.Time) []string {
	date := when.Format(time.RFC3339)
	return []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + filepath.Join(home, ".gitconfig"),
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Ada Tester",
		"GIT_AUTHOR_EMAIL=ada@example.test",
		"GIT_COMMITTER_NAME=Ada Tester",
		"GIT_COMMITTER_EMAIL=ada@example.test",
		"GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_DATE=" + date,
		"LC_ALL=C",
	}
}

// Env returns a hermetic environment for git: [Environ] and [Hermetic].
func Env(home string, when time.Time) []string {
	return append(Environ(), Hermetic(home, when)...)
}

// Run runs git hermetically in dir (any directory: one to create a
// repository in, a linked worktree) and returns its trimmed stdout; a
// failure fails the test.
func Run(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := RunIn(dir, Env(t.TempDir(), Start), nil, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// New creates a repository with branch main in a temporary directory. A
// test skips when git is not installed.
func New(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := Open(t, t.TempDir())
	r.Git("init", "-q", "-b", "main", ".")
	return r
}

// NewBare creates a bare repository in a temporary directory.
func NewBare(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := Open(t, t.TempDir())
	r.Git("init", "-q", "--bare", "-b", "main", ".")
	return r
}

// Generated is [Generate] for a test: a bare repository (repo.git in a
// temporary directory) whose history replays the Go source ([GoSource]
// becomes opt.Source). The test skips when there is no Go source.
func Generated(t testing.TB, opt GenOptions) (*Repo, GenStats) {
	t.Helper()
	src, err := GoSource()
	if err != nil {
		t.Skip(err)
	}
	opt.Source = src
	dir := filepath.Join(t.TempDir(), "repo.git")
	st, err := Generate(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return Open(t, dir), st
}

// Open wraps an existing repository directory.
func Open(t testing.TB, dir string) *Repo {
	return &Repo{t: t, Dir: dir, AuthorName: "Ada Tester", AuthorEmail: "ada@example.test", home: t.TempDir()}
}

// Now is the date the next commit gets.
func (r *Repo) Now() time.Time { return Start.Add(time.Duration(r.tick) * time.Hour) }

// Git runs git in the repository and returns its trimmed stdout; a
// failure fails the test.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	out, err := r.TryGit(args...)
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// TryGit is [Repo.Git] returning the error.
func (r *Repo) TryGit(args ...string) (string, error) {
	return RunIn(r.Dir, r.env(), nil, args...)
}

// HermeticEnv is the part of the environment of the repository's git
// commands that makes them hermetic (see [Hermetic]), for a keylint git
// source's Env.
func (r *Repo) HermeticEnv() []string {
	return append(Hermetic(r.home, r.Now()), "GIT_AUTHOR_NAME="+r.AuthorName, "GIT_AUTHOR_EMAIL="+r.AuthorEmail)
}

// WriteFiles writes files (slash paths) of the working tree.
func (r *Repo) WriteFiles(files map[string]string) {
	r.t.Helper()
	for name, content := range files {
		r.Write(name, content)
	}
}

// GitInput runs git with stdin.
func (r *Repo) GitInput(stdin []byte, args ...string) string {
	r.t.Helper()
	out, err := RunIn(r.Dir, r.env(), stdin, args...)
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

func (r *Repo) env() []string {
	env := Env(r.home, r.Now())
	return append(env,
		"GIT_AUTHOR_NAME="+r.AuthorName, "GIT_AUTHOR_EMAIL="+r.AuthorEmail)
}

// RunIn runs git in dir with env and optional stdin, and returns its
// stdout without trailing newlines.
func RunIn(dir string, env []string, stdin []byte, args ...string) (string, error) {
	out, err := RunRaw(dir, env, stdin, args...)
	return strings.TrimRight(string(out), "\n"), err
}

// Raw runs git in the repository and returns its stdout as it is.
func (r *Repo) Raw(stdin []byte, args ...string) []byte {
	r.t.Helper()
	out, err := RunRaw(r.Dir, r.env(), stdin, args...)
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// RunRaw runs git in dir with env and optional stdin, and returns its
// stdout.
func RunRaw(dir string, env []string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes(), nil
}

// Write writes a file of the working tree, creating directories.
func (r *Repo) Write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Remove deletes a file of the working tree.
func (r *Repo) Remove(path string) {
	r.t.Helper()
	if err := os.Remove(filepath.Join(r.Dir, filepath.FromSlash(path))); err != nil {
		r.t.Fatal(err)
	}
}

// Commit stages everything and commits it with the next date; it returns
// the new commit's id.
func (r *Repo) Commit(msg string) string {
	r.t.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "--no-verify", "-m", msg)
	r.tick++
	return r.Git("rev-parse", "HEAD")
}

// Tick advances the clock without committing, for commands such as merge
// that commit by themselves; it returns HEAD.
func (r *Repo) Tick() string {
	r.t.Helper()
	r.tick++
	return r.Git("rev-parse", "HEAD")
}
