package hooks

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/gittest"
)

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// fileState is a file's mode and content, or its link target.
func fileState(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return "(absent)"
	}
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(path)
		if err != nil {
			t.Fatal(err)
		}
		return "symlink " + target
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().String() + " " + string(data)
}

func actions(cs []Change) []Action {
	var out []Action
	for _, c := range cs {
		out = append(out, c.Action)
	}
	return out
}

func TestDir(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t).Dir
	got, err := Dir(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(repo, ".git", "hooks"); got != want {
		t.Errorf("Dir = %q, want %q", got, want)
	}

	// A relative core.hooksPath is relative to the top of the working
	// tree, even when asked from a subdirectory.
	gittest.Run(t, repo, "config", "core.hooksPath", ".githooks")
	sub := filepath.Join(repo, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err = Dir(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(repo, ".githooks"); got != want {
		t.Errorf("Dir with core.hooksPath = %q, want %q", got, want)
	}

	if _, err := Dir(ctx, t.TempDir()); !errors.Is(err, gitexec.ErrNotRepository) {
		t.Errorf("outside a repository: err = %v", err)
	}
	bare := gittest.NewBare(t).Dir
	if _, err := Dir(ctx, bare); !errors.Is(err, ErrBare) {
		t.Errorf("bare: err = %v", err)
	}
}

func TestInstallChainsAndUninstallRestores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t).Dir
	hooksDir := filepath.Join(repo, ".git", "hooks")
	pre := filepath.Join(hooksDir, "pre-commit")
	writeFile(t, pre, "#!/bin/sh\necho 'their hook'\n", 0o750)
	before := fileState(t, pre)

	cs, err := Install(ctx, Options{Dir: repo, Hooks: []string{PreCommit, PrePush}, Keylint: "/opt/kl/keylint"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := actions(cs), []Action{Chained, Installed}; !reflect.DeepEqual(got, want) {
		t.Fatalf("install: %v, want %v", got, want)
	}
	if cs[0].Previous != pre+PreviousSuffix {
		t.Errorf("previous = %q", cs[0].Previous)
	}
	if got := fileState(t, pre+PreviousSuffix); got != before {
		t.Errorf("the kept hook changed: %q, want %q", got, before)
	}
	script := fileState(t, pre)
	if !strings.HasPrefix(script, "-rwxr-xr-x #!/bin/sh\n") || !strings.Contains(script, `"$previous" "$@" || exit $?`) ||
		!strings.Contains(script, "recorded='/opt/kl/keylint'") {
		t.Errorf("pre-commit script:\n%s", script)
	}

	// Installing again updates keylint's script and keeps the chain.
	cs, err = Install(ctx, Options{Dir: repo, Keylint: "/usr/bin/keylint"})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(cs); !reflect.DeepEqual(got, []Action{Updated}) || cs[0].Previous == "" || !cs[0].PreviousRuns {
		t.Fatalf("reinstall: %+v", cs)
	}
	if s := fileState(t, pre); !strings.Contains(s, "recorded='/usr/bin/keylint'") || !strings.Contains(s, "$previous") {
		t.Errorf("updated script:\n%s", s)
	}

	cs, err = Uninstall(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := actions(cs), []Action{Restored, Removed}; !reflect.DeepEqual(got, want) {
		t.Fatalf("uninstall: %v, want %v", got, want)
	}
	if got := fileState(t, pre); got != before {
		t.Errorf("restored hook = %q, want %q", got, before)
	}
	for _, p := range []string{pre + PreviousSuffix, filepath.Join(hooksDir, "pre-push")} {
		if got := fileState(t, p); got != "(absent)" {
			t.Errorf("%s left behind: %q", p, got)
		}
	}
	cs, err = Uninstall(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := actions(cs), []Action{Foreign, Absent}; !reflect.DeepEqual(got, want) {
		t.Errorf("second uninstall: %v, want %v", got, want)
	}
}

func TestInstallForceSymlinkAndConflicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t).Dir
	pre := filepath.Join(repo, ".git", "hooks", "pre-commit")
	if err := os.Symlink("../../scripts/shared-hook", pre); err != nil {
		t.Fatal(err)
	}
	before := fileState(t, pre)
	cs, err := Install(ctx, Options{Dir: repo, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(cs); !reflect.DeepEqual(got, []Action{Replaced}) || cs[0].PreviousRuns {
		t.Fatalf("install --force: %+v", cs)
	}
	if s := fileState(t, pre); strings.Contains(s, "$previous") || !strings.Contains(s, "recorded=''") {
		t.Errorf("a forced script must not chain, and records no path here:\n%s", s)
	}

	// Someone puts a hook over keylint's while the old one is still kept:
	// installing must not lose either.
	if err := os.Remove(pre); err != nil {
		t.Fatal(err)
	}
	writeFile(t, pre, "#!/bin/sh\nexit 0\n", 0o755)
	if _, err := Install(ctx, Options{Dir: repo}); err == nil || !strings.Contains(err.Error(), "move one of them away") {
		t.Fatalf("err = %v", err)
	}
	cs, err = Uninstall(ctx, repo, PreCommit)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Action != Foreign || cs[0].Previous == "" {
		t.Fatalf("uninstall over a foreign hook: %+v", cs)
	}

	// With keylint's script deleted by hand, uninstall still puts the kept
	// hook back.
	if err := os.Remove(pre); err != nil {
		t.Fatal(err)
	}
	cs, err = Uninstall(ctx, repo, PreCommit)
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(cs); !reflect.DeepEqual(got, []Action{Restored}) {
		t.Fatalf("uninstall: %v", got)
	}
	if got := fileState(t, pre); got != before {
		t.Errorf("restored = %q, want %q", got, before)
	}

	if _, err := Install(ctx, Options{Dir: repo, Hooks: []string{"post-commit"}}); err == nil {
		t.Error("an unknown hook was accepted")
	}
}

func TestScriptsAreValidShell(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, hook := range []string{PreCommit, PrePush} {
		for _, chain := range []bool{false, true} {
			for _, path := range []string{"", "/opt/it's here/keylint"} {
				s := Script(hook, path, chain)
				cmd := exec.Command(sh, "-n")
				cmd.Stdin = strings.NewReader(string(s))
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s chain=%v path=%q: sh -n: %v\n%s\n%s", hook, chain, path, err, out, s)
				}
				if !strings.Contains(string(s), "\n"+marker+hook+" v1\n") {
					t.Errorf("%s: no marker", hook)
				}
			}
		}
	}
	if s := string(Script(PreCommit, "/opt/it's here/keylint", false)); !strings.Contains(s, `recorded='/opt/it'\''s here/keylint'`) {
		t.Errorf("path not quoted:\n%s", s)
	}
}

// TestScriptRuns runs the scripts with a stand-in keylint: the previous
// hook runs first with the same arguments and input, its failure stops
// the hook, and a missing keylint fails closed.
func TestScriptRuns(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	fake := filepath.Join(dir, "bin", "keylint")
	writeFile(t, fake, "#!/bin/sh\necho \"keylint $*\" >> "+log+"\nsed 's/^/keylint stdin: /' >> "+log+"\nexit ${KEYLINT_EXIT:-0}\n", 0o755)
	hookDir := filepath.Join(dir, "hooks")
	writeFile(t, filepath.Join(hookDir, "pre-push"), string(Script(PrePush, fake, true)), 0o755)
	writeFile(t, filepath.Join(hookDir, "pre-push"+PreviousSuffix),
		"#!/bin/sh\necho \"previous $*\" >> "+log+"\nsed 's/^/previous stdin: /' >> "+log+"\nexit ${PREVIOUS_EXIT:-0}\n", 0o755)

	run := func(env ...string) (string, error) {
		os.Remove(log)
		cmd := exec.Command(sh, filepath.Join(hookDir, "pre-push"), "origin", "https://example.com/r.git")
		cmd.Env = append(append(gittest.Environ(), "PATH=/usr/bin:/bin"), env...)
		cmd.Stdin = strings.NewReader("refs/heads/main 1111111111111111111111111111111111111111 refs/heads/main 0000000000000000000000000000000000000000\n")
		out, err := cmd.CombinedOutput()
		data, _ := os.ReadFile(log)
		return string(data) + string(out), err
	}
	line := "refs/heads/main 1111111111111111111111111111111111111111 refs/heads/main 0000000000000000000000000000000000000000"
	got, err := run()
	want := "previous origin https://example.com/r.git\nprevious stdin: " + line + "\n" +
		"keylint hook run pre-push -- origin https://example.com/r.git\nkeylint stdin: " + line + "\n"
	if err != nil || got != want {
		t.Errorf("got %q, %v\nwant %q", got, err, want)
	}
	if got, err := run("PREVIOUS_EXIT=3"); err == nil || strings.Contains(got, "keylint hook run") {
		t.Errorf("a failing previous hook: %q, %v", got, err)
	}
	if _, err := run("KEYLINT_EXIT=1"); err == nil {
		t.Error("keylint's failure did not fail the hook")
	}
	if err := os.Remove(fake); err != nil {
		t.Fatal(err)
	}
	got, err = run()
	if err == nil || !strings.Contains(got, "cannot run keylint: it is not at "+fake+" nor on PATH") {
		t.Errorf("missing keylint: %q, %v", got, err)
	}
}
