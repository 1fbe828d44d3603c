package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// binaryContent is a small binary file: scanned through its printable
// strings, so it is not a skipped file.
const binaryContent = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

// TestCISkippedFiles: files a pull request changes that keylint could not
// scan (over the size limit, with any file name) are
// annotated on the file and listed in the step summary, which no longer
// says only "no secrets found"; a path the configuration allowlists is a
// deliberate skip and is not listed; --fail-on-skipped fails the check
// with exit code 3.
func TestCISkippedFiles(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("base", map[string]string{
		"README.md":     "# shop\n",
		".keylint.toml": "[[allow]]\npaths = ['''^vendor/''']\n",
	})
	r.git("checkout", "-q", "-b", "feature")
	big := strings.Repeat("lorem ipsum dolor sit amet\n", 100) // 2,700 bytes
	r.commit("add files", map[string]string{
		"big.bin":           big,
		"assets/logo.png":   binaryContent,
		"src/ok.txt":        "hello\n",
		"vendor/big.txt":    big,
		"a|b `<i>`[x](y).c": big,
	})
	hostile := "evil\n::error title=pwned::x.bin"
	write(t, filepath.Join(r.dir, hostile), big)
	r.git("add", "--", hostile)
	r.n++
	r.git("commit", "-q", "-m", "hostile name")
	head := r.git("rev-parse", "HEAD")

	run := runCI(t, r.dir, "pull_request", "pull_request.json", base, head, "--max-file-size", "1KiB")
	if run.code != exitClean {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", run.code, run.stdout, run.stderr)
	}
	for _, want := range []string{
		"::warning file=big.bin,title=keylint%3A file not scanned (too-large)::big.bin was not scanned for secrets (too-large): raise --max-file-size",
		`::warning file=evil\x0A%3A%3Aerror title=pwned%3A%3Ax.bin,title=keylint%3A file not scanned (too-large)::`,
	} {
		if !strings.Contains(run.stdout, want) {
			t.Errorf("annotations lack %q:\n%s", want, run.stdout)
		}
	}
	lines := strings.Split(strings.TrimSuffix(run.stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Errorf("%d annotation lines, want 3 (one per file not scanned):\n%s", len(lines), run.stdout)
	}
	own := regexp.MustCompile(`^::warning file=[^,:]*,title=[^,:]*::`)
	for _, l := range lines {
		if !own.MatchString(l) {
			t.Errorf("not one of keylint's annotations: %q", l)
		}
	}
	if strings.Contains(run.stdout, "logo.png") || strings.Contains(run.summary, "logo.png") {
		t.Errorf("a binary file is scanned through its strings and must not be listed:\n%s\n%s", run.stdout, run.summary)
	}
	if strings.Contains(run.stdout, "vendor/") || strings.Contains(run.summary, "vendor/") {
		t.Errorf("an allowlisted path is skipped on purpose and must not be listed:\n%s\n%s", run.stdout, run.summary)
	}
	for _, want := range []string{
		"## keylint: no secrets found, but 3 files were not scanned\n",
		"Scanned 2 files (22 B); 3 files skipped: ",
		`a\|b \` + "`" + `&lt;i&gt;\` + "`" + `\[x\](y).c (too-large)`,
		", big.bin (too-large), ",
		`evil\\x0A::error title=pwned::x.bin (too-large)`,
		"> [!WARNING]\n> Files that were not scanned may hold secrets.",
	} {
		if !strings.Contains(run.summary, want) {
			t.Errorf("step summary lacks %q:\n%s", want, run.summary)
		}
	}
	for _, l := range strings.Split(run.summary, "\n") {
		if strings.Contains(l, "<i>") || strings.HasPrefix(strings.TrimSpace(l), "::") {
			t.Errorf("step summary line injects markup or a command: %q", l)
		}
	}

	run = runCI(t, r.dir, "pull_request", "pull_request.json", base, head, "--max-file-size", "1KiB", "--fail-on-skipped")
	if run.code != exitScanError || !strings.Contains(run.stderr, "3 files were not scanned, and --fail-on-skipped is set") {
		t.Errorf("--fail-on-skipped: code %d\n%s", run.code, run.stderr)
	}
	if !strings.Contains(run.summary, "3 files skipped") {
		t.Errorf("--fail-on-skipped: the summary must still list the files:\n%s", run.summary)
	}
	// A finding keeps its own exit code.
	head = r.commit("add a key", map[string]string{"app.env": "TOKEN=" + ghToken(t) + "\n"})
	run = runCI(t, r.dir, "pull_request", "pull_request.json", base, head, "--max-file-size", "1KiB", "--fail-on-skipped")
	if run.code != exitFindings || !strings.Contains(run.summary, "## keylint: 1 secret found") || !strings.Contains(run.summary, "3 files skipped") {
		t.Errorf("findings and skips: code %d\n%s", run.code, run.summary)
	}
}

// TestHookSkippedFiles: keylint staged and the pre-push hook name every
// file they could not scan on stderr, even though they are quiet
// otherwise, and --fail-on-skipped blocks the commit or push (exit 3).
func TestHookSkippedFiles(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	big := strings.Repeat("lorem ipsum dolor sit amet\n", 100)
	write(t, filepath.Join(dir, "big.txt"), big)
	write(t, filepath.Join(dir, "img.png"), binaryContent)
	write(t, filepath.Join(dir, "ok.txt"), "ok\n")
	gitIn(t, dir, "add", "big.txt", "img.png", "ok.txt")

	wantListed := func(t *testing.T, what string, r result) {
		t.Helper()
		for _, want := range []string{"keylint: not scanned: big.txt (too-large)\n", "raise --max-file-size"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", what, want, r.stderr)
			}
		}
		if strings.Contains(r.stderr, "ok.txt") || strings.Contains(r.stderr, "img.png") {
			t.Errorf("%s: a scanned file is listed:\n%s", what, r.stderr)
		}
	}
	r := runCLI(t, dir, "", "staged", "--max-file-size", "1KiB")
	if r.code != exitClean {
		t.Errorf("staged: %+v", r)
	}
	wantListed(t, "staged", r)
	r = runCLI(t, dir, "", "staged", "--max-file-size", "1KiB", "--fail-on-skipped")
	if r.code != exitScanError || !strings.Contains(r.stderr, "1 file was not scanned, and --fail-on-skipped is set") {
		t.Errorf("staged --fail-on-skipped: %+v", r)
	}
	wantListed(t, "staged --fail-on-skipped", r)

	gitIn(t, dir, "commit", "-q", "-m", "files")
	head, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	line := "refs/heads/main " + strings.TrimSpace(string(head)) + " refs/heads/main " + strings.Repeat("0", 40) + "\n"
	r = runCLI(t, dir, line, "hook", "run", "pre-push", "--max-file-size", "1KiB", "origin", "/x")
	if r.code != exitClean {
		t.Errorf("pre-push: %+v", r)
	}
	wantListed(t, "pre-push", r)
	r = runCLI(t, dir, line, "hook", "run", "pre-push", "--max-file-size", "1KiB", "--fail-on-skipped", "origin", "/x")
	if r.code != exitScanError {
		t.Errorf("pre-push --fail-on-skipped: %+v", r)
	}
	wantListed(t, "pre-push --fail-on-skipped", r)
}

// TestScanFailOnSkipped: keylint scan and keylint git fail with
// --fail-on-skipped when a file was too large or unreadable, and not for
// files skipped on purpose (.gitignore) or binary files (scanned through
// their strings).
func TestScanFailOnSkipped(t *testing.T) {
	big := strings.Repeat("lorem ipsum dolor sit amet\n", 100)
	tests := []struct {
		name     string
		files    map[string]string
		extra    []string // more paths to scan
		wantCode int      // with --fail-on-skipped
		listed   string
	}{
		{"too large", map[string]string{"big.txt": big}, nil, exitScanError, "big.txt (too-large)"},
		{"binary is scanned", map[string]string{"img.png": binaryContent}, nil, exitClean, ""},
		{"ignored on purpose", map[string]string{".gitignore": "big.txt\n", "big.txt": big}, nil, exitClean, ""},
		{"a finding wins", map[string]string{"big.txt": big, "app.env": "T=" + ghToken(t) + "\n"}, nil, exitFindings, "big.txt (too-large)"},
	}
	if _, err := os.Stat("/proc/self/mem"); err == nil {
		// Reading the start of a process's memory fails (EIO), even as root.
		tests = append(tests, struct {
			name     string
			files    map[string]string
			extra    []string
			wantCode int
			listed   string
		}{"unreadable", map[string]string{"ok.txt": "ok\n"}, []string{"/proc/self/mem"}, exitScanError, "/proc/self/mem (unreadable)"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/main\n")
			for name, content := range tt.files {
				write(t, filepath.Join(dir, name), content)
			}
			args := append([]string{"scan", "--no-config", "--max-file-size", "1KiB", dir}, tt.extra...)
			r := runCLI(t, "", "", args...)
			wantPlain := exitClean
			if tt.wantCode == exitFindings {
				wantPlain = exitFindings
			}
			if tt.name == "unreadable" {
				wantPlain = exitScanError // a file that could not be read makes the scan incomplete, flag or not
			}
			if r.code != wantPlain || strings.Contains(r.stderr, "not scanned:") {
				t.Errorf("without --fail-on-skipped: %+v", r)
			}
			r = runCLI(t, "", "", append(args, "--fail-on-skipped")...)
			if r.code != tt.wantCode {
				t.Errorf("with --fail-on-skipped: code %d, want %d\n%s", r.code, tt.wantCode, r.stderr)
			}
			if tt.listed != "" && !strings.Contains(r.stderr, "keylint: not scanned: ") || !strings.Contains(r.stderr, tt.listed) {
				t.Errorf("stderr does not list %q:\n%s", tt.listed, r.stderr)
			}
		})
	}

	// keylint git counts skipped blobs without naming each one.
	repo := newGitRepo(t)
	repo.commit("files", map[string]string{"big.txt": big, "ok.txt": "ok\n"})
	r := runCLI(t, "", "", "git", "--no-config", "--max-file-size", "1KiB", "--fail-on-skipped", repo.dir)
	if r.code != exitScanError || !strings.Contains(r.stderr, "1 file was not scanned") {
		t.Errorf("git --fail-on-skipped: %+v", r)
	}
}
