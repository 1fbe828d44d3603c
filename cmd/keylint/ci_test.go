package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// gitRepo is a repository built with the real git binary for a test.
type gitRepo struct {
	t   *testing.T
	dir string
	n   int
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	date := "2024-01-01T00:00:00Z"
	if r.n > 0 {
		date = "2024-01-0" + string(rune('1'+min(r.n, 8))) + "T00:00:00Z"
	}
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com",
		"GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_DATE="+date, "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files ("" deletes) and commits them, returning the id.
func (r *gitRepo) commit(msg string, files map[string]string) string {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if content == "" {
			r.git("rm", "-q", name)
			continue
		}
		write(r.t, p, content)
		r.git("add", name)
	}
	r.n++
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

type ciRun struct {
	result
	summary, outputs string
	sarif            bool
}

// runCI runs keylint ci in-process with a GitHub Actions environment and
// the event payload template from testdata/ci with {{BASE}} and {{HEAD}}
// filled in.
func runCI(t *testing.T, repo, event, template, base, head string, args ...string) ciRun {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ci", template))
	if err != nil {
		t.Fatal(err)
	}
	payload := strings.NewReplacer("{{BASE}}", base, "{{HEAD}}", head).Replace(string(data))
	tmp := t.TempDir()
	evPath := filepath.Join(tmp, "event.json")
	write(t, evPath, payload)
	vars := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": evPath,
		"GITHUB_WORKSPACE": repo, "GITHUB_STEP_SUMMARY": filepath.Join(tmp, "summary.md"),
		"GITHUB_OUTPUT": filepath.Join(tmp, "output"),
	}
	e, out, errb := testEnv(vars, "")
	sarif := filepath.Join(tmp, "keylint.sarif")
	code := e.main(append([]string{"ci", "--sarif", sarif}, args...))
	summary, _ := os.ReadFile(vars["GITHUB_STEP_SUMMARY"])
	outputs, _ := os.ReadFile(vars["GITHUB_OUTPUT"])
	_, serr := os.Stat(sarif)
	return ciRun{result{code, out.String(), errb.String()}, string(summary), strings.ReplaceAll(string(outputs), tmp, "TMP"), serr == nil}
}

var shortSHA = regexp.MustCompile(`\b[0-9a-f]{8}\b`)

func golden(t *testing.T, name, got string) {
	t.Helper()
	got = shortSHA.ReplaceAllString(got, "COMMIT")
	p := filepath.Join("testdata", "ci", name+".golden")
	if *update {
		write(t, p, got)
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/keylint -run CI -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\ngot:\n%s\nwant:\n%s", name, p, got, want)
	}
}

func TestCIPullRequest(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("base", map[string]string{"README.md": "# shop\n", "app/config.py": "DEBUG = True\n"})
	r.git("checkout", "-q", "-b", "feature/billing")
	r.commit("add billing skeleton", map[string]string{"app/billing.py": "def charge():\n    pass\n"})
	r.commit("wire the billing client", map[string]string{"app/billing.py": "def charge():\n    pass\n\nTOKEN = \"" + ghToken(t) + "\"\n"})
	head := r.commit("docs", map[string]string{"README.md": "# shop\n\nBilling.\n"})

	run := runCI(t, r.dir, "pull_request", "pull_request.json", base, head)
	if run.code != 1 {
		t.Fatalf("code %d\nstdout:%s\nstderr:%s", run.code, run.stdout, run.stderr)
	}
	golden(t, "pull_request.annotations", run.stdout)
	golden(t, "pull_request.summary", run.summary)
	if run.outputs != "findings=1\nsarif-file=TMP/keylint.sarif\n" || !run.sarif {
		t.Errorf("outputs %q, sarif written %v", run.outputs, run.sarif)
	}
}

func TestCIPullRequestAddedThenRemoved(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("base", map[string]string{"README.md": "# shop\n"})
	r.git("checkout", "-q", "-b", "feature")
	r.commit("add key", map[string]string{"app.env": "TOKEN=" + ghToken(t) + "\n"})
	head := r.commit("remove key", map[string]string{"app.env": "TOKEN=${TOKEN}\n"})
	run := runCI(t, r.dir, "pull_request", "pull_request.json", base, head)
	if run.code != 1 || !strings.Contains(run.stdout, "::error file=app.env,line=1") {
		t.Fatalf("a key pushed in the pull request is a finding even if removed later: %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
}

func TestCIKeyOnBaseDoesNotBlock(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("base", map[string]string{"old.env": "TOKEN=" + ghToken(t) + "\n"})
	r.git("checkout", "-q", "-b", "feature")
	head := r.commit("unrelated", map[string]string{"old.env": "TOKEN=x\n" + "", "b.txt": "hello\n"})
	_ = head
	head = r.commit("unrelated 2", map[string]string{"c.txt": "hello\n"})
	run := runCI(t, r.dir, "pull_request", "pull_request.json", base, head)
	if run.code != 0 || run.stdout != "" || !strings.Contains(run.summary, "no secrets found") || run.outputs != "findings=0\nsarif-file=TMP/keylint.sarif\n" {
		t.Fatalf("clean pull request: code %d\n%s\n%s\n%q", run.code, run.stdout, run.summary, run.outputs)
	}
}

func TestCIPullRequestCannotSilenceItself(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("base", map[string]string{"README.md": "# shop\n"})
	r.git("checkout", "-q", "-b", "feature")
	head := r.commit("add key and silence it", map[string]string{
		".keylint.toml": "[[allow]]\npaths = ['''.*''']\n",
		"app.env":       "TOKEN=" + ghToken(t) + "\n",
		"b.env":         "B=" + ghToken(t) + " # keylint:allow\n",
	})
	run := runCI(t, r.dir, "pull_request", "pull_request.json", base, head)
	if run.code != 1 || !strings.Contains(run.stdout, "file=app.env") {
		t.Fatalf("the pull request's own .keylint.toml must not apply: %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
	golden(t, "self_silencing.summary", run.summary)
	if !strings.Contains(run.stdout, "::warning title=keylint::this pull request changes the keylint configuration (.keylint.toml)") {
		t.Errorf("reviewers must be told the configuration changed:\n%s", run.stdout)
	}
}

func TestCIPush(t *testing.T) {
	r := newGitRepo(t)
	before := r.commit("one", map[string]string{"a.txt": "a\n"})
	after := r.commit("two", map[string]string{"deploy/prod.yaml": "token: " + ghToken(t) + "\n"})
	run := runCI(t, r.dir, "push", "push.json", before, after)
	if run.code != 1 || !strings.Contains(run.stdout, "::error file=deploy/prod.yaml,line=1,col=8") {
		t.Fatalf("push: %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
}

func TestCINewBranch(t *testing.T) {
	r := newGitRepo(t)
	r.commit("main", map[string]string{"main.env": "TOKEN=" + ghToken(t) + "\n"})
	main := r.git("rev-parse", "HEAD")
	r.git("update-ref", "refs/remotes/origin/main", main)
	r.git("checkout", "-q", "-b", "feature")
	head := r.commit("feature", map[string]string{"feature.env": "TOKEN=" + ghToken(t) + "\n"})
	run := runCI(t, r.dir, "push", "push_new_branch.json", "", head)
	if run.code != 1 || !strings.Contains(run.stdout, "file=feature.env") || strings.Contains(run.stdout, "main.env") {
		t.Fatalf("new branch: only the commits not on the default branch: %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
}

func TestCIShallowCloneWithoutBase(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("one", map[string]string{"a.txt": "a\n"})
	r.commit("two", map[string]string{"b.txt": "b\n"})
	head := r.commit("three", map[string]string{"c.txt": "c\n"})
	clone := filepath.Join(t.TempDir(), "clone")
	r.git("clone", "-q", "--depth", "1", "file://"+r.dir, clone)
	run := runCI(t, clone, "pull_request", "pull_request.json", base, head)
	if run.code != 2 || !strings.Contains(run.stderr, "fetch-depth: 0") || !strings.Contains(run.stderr, "shallow") {
		t.Fatalf("a shallow clone without the base must fail with the fix: %d\n%s", run.code, run.stderr)
	}
}

func TestCIOutsideActions(t *testing.T) {
	r := runCLI(t, "", "", "ci")
	if r.code != 2 || !strings.Contains(r.stderr, "GitHub Actions") {
		t.Fatalf("%d %s", r.code, r.stderr)
	}
}

func TestCIDispatchRunsAFullAudit(t *testing.T) {
	r := newGitRepo(t)
	r.commit("one", map[string]string{"old.env": "TOKEN=" + ghToken(t) + "\n"})
	r.commit("two", map[string]string{"old.env": "TOKEN=${TOKEN}\n"})
	run := runCI(t, r.dir, "workflow_dispatch", "workflow_dispatch.json", "", "")
	if run.code != 1 || !strings.Contains(run.stdout, "::error file=old.env,line=1") || !strings.Contains(run.outputs, "findings=1") {
		t.Fatalf("a dispatch must audit the whole history: %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
}

// TestGitManyRefs: 100,000 refs to one commit cost one commit and one blob
// of work, not one per ref.
func TestGitManyRefs(t *testing.T) {
	r := newGitRepo(t)
	sha := r.commit("one", map[string]string{"a.txt": "hello\n"})
	var b strings.Builder
	b.WriteString("# pack-refs with: peeled fully-peeled sorted\n")
	for i := 0; i < 100000; i++ {
		b.WriteString(sha + " refs/tags/t" + strings.Repeat("0", 6-len(itoa(i))) + itoa(i) + "\n")
	}
	write(t, filepath.Join(r.dir, ".git", "packed-refs"), b.String())
	res := runCLI(t, "", "", "git", "--no-config", r.dir)
	if res.code != 0 || !strings.Contains(res.stderr, "history: 1 commit, 1 distinct file version") {
		t.Fatalf("code %d\n%s", res.code, res.stderr)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
