package scanner

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gitexec"
)

func (r *stagedRepo) head() string {
	r.t.Helper()
	return strings.TrimSpace(r.git("rev-parse", "HEAD"))
}

func (r *stagedRepo) scanCommits(c *Commits) *Result {
	r.t.Helper()
	c.Dir, c.Env, c.MaxFileSize = r.dir, r.env, 1<<20
	res, err := diffScanner(r.t, Options{Workers: 2, MaxFileSize: 1 << 20}).Scan(context.Background(), c)
	if err != nil {
		r.t.Fatal(err)
	}
	return res
}

// commitsOf returns the commit of every location, in order.
func commitsOf(res *Result) []string {
	var out []string
	for _, f := range res.Findings {
		for _, l := range f.Locations {
			out = append(out, l.Commit)
		}
	}
	return out
}

func TestCommitsEveryCommitOnItsOwn(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	old, added := diffToken(t), diffToken(t)
	r.commit("base", map[string]string{"a.txt": "one\nold " + old + "\n"})
	base := r.head()
	r.commit("add a key", map[string]string{"a.txt": "one\nold " + old + "\nnew " + added + "\n"})
	withKey := r.head()
	r.commit("remove it again", map[string]string{"a.txt": "one\nold " + old + "\n", "b.txt": "b\n"})
	tip := r.head()

	res := r.scanCommits(&Commits{Include: []string{tip}, Exclude: []string{base}})
	checkRepoLocs(t, res, repoWant{"fake-token", "a.txt", 3, 5})
	if got := commitsOf(res); !slices.Equal(got, []string{withKey}) {
		t.Errorf("commits = %v, want %v", got, withKey)
	}
	f := res.Findings[0]
	if f.InHead {
		t.Error("a key removed by a later commit is reported in HEAD")
	}
	l := f.Locations[0]
	if l.Author != "Ada Tester" || l.Email != "ada@example.test" || l.Message != "add a key" || l.Date.IsZero() {
		t.Errorf("attribution = %+v", l)
	}

	// Nothing to push: nothing to scan.
	checkRepoLocs(t, r.scanCommits(&Commits{Include: []string{tip}, Exclude: []string{tip}}))
	// An id the repository lacks (the remote moved on) is left out, and
	// the remote-tracking refs stand in for it.
	res = r.scanCommits(&Commits{Include: []string{tip}, Exclude: []string{base, strings.Repeat("1", 40)}})
	checkRepoLocs(t, res, repoWant{"fake-token", "a.txt", 3, 5})
	r.git("update-ref", "refs/remotes/origin/main", withKey)
	checkRepoLocs(t, r.scanCommits(&Commits{Include: []string{tip}, Exclude: []string{strings.Repeat("1", 40)}}))
}

func TestCommitsNewBranchExcludesRemoteTracking(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	pushed, fresh := diffToken(t), diffToken(t)
	r.commit("root", map[string]string{"a.txt": "k " + pushed + "\n"})
	r.git("update-ref", "refs/remotes/origin/main", "HEAD")
	r.git("checkout", "-q", "-b", "feature")
	r.commit("feature", map[string]string{"b.txt": "k " + fresh + "\n"})
	tip := r.head()

	checkRepoLocs(t, r.scanCommits(&Commits{Include: []string{tip}, ExcludeRemotes: true}),
		repoWant{"fake-token", "b.txt", 1, 3})
	// Without remote-tracking refs every commit is new, the root included.
	checkRepoLocs(t, r.scanCommits(&Commits{Include: []string{tip}}),
		repoWant{"fake-token", "a.txt", 1, 3},
		repoWant{"fake-token", "b.txt", 1, 3})
}

func TestCommitsMerge(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	theirs, evil := diffToken(t), diffToken(t)
	r.commit("base", map[string]string{"shared.txt": "a\n", "m.txt": "m\n"})
	r.git("checkout", "-q", "-b", "side")
	r.commit("side", map[string]string{"side.txt": "k " + theirs + "\n"})
	side := r.head()
	r.git("checkout", "-q", "main")
	r.commit("main", map[string]string{"m.txt": "m\nn\n"})
	r.git("merge", "-q", "--no-ff", "-m", "merge", "side")
	merge := r.head()

	// The side branch is on the remote: the merge itself adds nothing.
	checkRepoLocs(t, r.scanCommits(&Commits{Include: []string{merge}, Exclude: []string{side, merge + "^1"}}))

	// An evil merge: a key that neither parent has.
	r.write(map[string]string{"shared.txt": "a\nk " + evil + "\n"})
	r.git("add", "shared.txt")
	r.git("commit", "-q", "--amend", "--no-edit")
	merge = r.head()
	res := r.scanCommits(&Commits{Include: []string{merge}, Exclude: []string{side, merge + "^1"}})
	checkRepoLocs(t, res, repoWant{"fake-token", "shared.txt", 2, 3})
	if got := commitsOf(res); !slices.Equal(got, []string{merge}) {
		t.Errorf("commits = %v, want the merge %s", got, merge)
	}
}

func TestCommitsBinaryAndAttributes(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	old, tok := diffToken(t), diffToken(t)
	r.commit("base", map[string]string{".gitattributes": "*.lock -diff\n", "deps.lock": "a\nold " + old + "\n"})
	base := r.head()
	r.commit("edit", map[string]string{"deps.lock": "a\nold " + old + "\nnew " + tok + "\n", "b.bin": "\x00" + tok})
	res := r.scanCommits(&Commits{Include: []string{r.head()}, Exclude: []string{base}})
	// A stray NUL does not make b.bin binary: it is scanned as text.
	checkRepoLocs(t, res, repoWant{"fake-token", "b.bin", 1, 2}, repoWant{"fake-token", "deps.lock", 3, 5})
	if res.Summary.Skipped["binary"] != 0 {
		t.Errorf("skipped = %v, want nothing skipped", res.Summary.Skipped)
	}
}

func TestCommitsRejectsOptions(t *testing.T) {
	t.Parallel()
	_, err := diffScanner(t, Options{}).Scan(context.Background(), &Commits{Include: []string{"--output=/tmp/x"}})
	if err == nil || !strings.Contains(err.Error(), "invalid revision") {
		t.Fatalf("err = %v", err)
	}
	dir := t.TempDir()
	_, err = diffScanner(t, Options{}).Scan(context.Background(), &Commits{Dir: dir, Include: []string{"HEAD"}})
	if !errors.Is(err, gitexec.ErrNotRepository) {
		t.Fatalf("err = %v, want ErrNotRepository", err)
	}
}
