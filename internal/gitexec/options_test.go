package gitexec

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestHookEnv(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("GIT_INDEX_FILE", ".git/next-index-1.lock")
	t.Setenv("GIT_DIR", "/abs/.git")
	t.Setenv("GIT_WORK_TREE", "")
	got := HookEnv()
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"GIT_DIR=/abs/.git", "GIT_INDEX_FILE=" + filepath.Join(cwd, ".git", "next-index-1.lock")}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("HookEnv() = %q, want %q", got, want)
	}
}

func TestOptionsRepoHooksPath(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"init", "-q", dir}, {"-C", dir, "config", "core.hooksPath", ".githooks"}} {
		cmd := exec.Command("git", args...)
		cmd.Env = append(gitexecTestEnviron(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ctx := context.Background()
	safe, err := Output(ctx, dir, "rev-parse", "--git-path", "hooks")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(safe)); got != "/dev/null" {
		t.Errorf("safe hooks path = %q, want /dev/null", got)
	}
	repo, err := Options{RepoHooksPath: true}.Output(ctx, dir, "rev-parse", "--git-path", "hooks")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(repo)); got != ".githooks" {
		t.Errorf("repository hooks path = %q, want .githooks", got)
	}
	// Env reaches git after the safe environment.
	idx := filepath.Join(dir, "other-index")
	out, err := Options{Env: []string{"GIT_INDEX_FILE=" + idx}}.Output(ctx, dir, "rev-parse", "--git-path", "index")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != idx {
		t.Errorf("index path = %q, want %q", got, idx)
	}
}

// gitexecTestEnviron is the test process's environment without GIT_* variables: tests
// run from inside a git hook (GIT_DIR, GIT_INDEX_FILE ...) must not
// reach the outer repository.
func gitexecTestEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			out = append(out, kv)
		}
	}
	return out
}
