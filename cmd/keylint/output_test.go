//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/keylint/keylint/internal/outfile"
)

// execEnv names the variable that makes the test binary run keylint's
// main with the JSON-encoded arguments it holds, so tests can run the
// real process (signals, inherited descriptors) without building it.
const execEnv = "KEYLINT_TEST_EXEC_ARGS"

func TestMain(m *testing.M) {
	if v, ok := os.LookupEnv(execEnv); ok {
		var args []string
		if err := json.Unmarshal([]byte(v), &args); err != nil {
			panic(err)
		}
		os.Args = append([]string{"keylint"}, args...)
		main()
		return
	}
	os.Exit(m.Run())
}

// runProcess runs keylint as a process in dir with stdout as its standard
// output (nil: closed) and returns its exit code (128+N when signal N
// killed it) and its stderr.
func runProcess(t *testing.T, dir string, stdout *os.File, args ...string) (int, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(args)
	stdin, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stderr, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	p, err := os.StartProcess(exe, []string{exe}, &os.ProcAttr{
		Dir:   dir,
		Env:   append(stagedEnviron(), execEnv+"="+string(a), "NO_COLOR=1", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull),
		Files: []*os.File{stdin, stdout, stderr},
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	code := st.ExitCode()
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		code = 128 + int(ws.Signal())
	}
	data, _ := os.ReadFile(stderr.Name())
	return code, string(data)
}

// secretRepo is a git repository whose only commit adds a key, so that
// scan and git both have findings to report.
func secretRepo(t *testing.T) string {
	t.Helper()
	r := newGitRepo(t)
	r.commit("add key", map[string]string{"config.env": "GITHUB_TOKEN=" + ghToken(t) + "\n", "README.md": strings.Repeat("docs\n", 10)})
	return r.dir
}

// TestStdoutFailures runs every kind of command as a real process with a
// standard output that fails: closed at start, a full device, a pipe whose
// reader went away, and /dev/null as a shell opens it. A write error is an
// error with exit code 4 for every command; a reader that went away is not
// an error, and the command exits as it would have.
func TestStdoutFailures(t *testing.T) {
	repo := secretRepo(t)
	commands := []struct {
		name string
		args []string
		code int // the exit code when stdout works
	}{
		{"scan", []string{"scan", "--no-config", "."}, exitFindings},
		{"scan json", []string{"scan", "--no-config", "--format", "json", "."}, exitFindings},
		{"git", []string{"git", "--no-config", "."}, exitFindings},
		{"version", []string{"version"}, exitClean},
		{"rules list", []string{"rules", "list"}, exitClean},
		{"help flag", []string{"scan", "--help"}, exitClean},
	}
	type stdoutCase struct {
		name     string
		open     func(t *testing.T) *os.File
		wantErr  string // "" when the command must exit as it would have
		wantCode int    // for wantErr != ""
	}
	cases := []stdoutCase{
		{"closed", func(*testing.T) *os.File { return nil }, "standard output is closed", exitOutput},
		{"reader gone", func(t *testing.T) *os.File {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close() // as after `| head -1` has read its line and exited
			t.Cleanup(func() { w.Close() })
			return w
		}, "", 0},
		{"/dev/null", func(t *testing.T) *os.File {
			f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}, "", 0},
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		cases = append(cases, stdoutCase{"/dev/full", func(t *testing.T) *os.File {
			f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}, "no space left on device", exitOutput})
	}
	for _, sc := range cases {
		for _, cmd := range commands {
			t.Run(sc.name+"/"+cmd.name, func(t *testing.T) {
				code, stderr := runProcess(t, repo, sc.open(t), cmd.args...)
				if sc.wantErr == "" {
					if code != cmd.code || strings.Contains(stderr, "error") {
						t.Errorf("exit %d, want %d and no error; stderr:\n%s", code, cmd.code, stderr)
					}
					return
				}
				if code != sc.wantCode || !strings.Contains(stderr, "keylint: error: cannot write to standard output") || !strings.Contains(stderr, sc.wantErr) ||
					!strings.Contains(stderr, "keylint: hint: ") {
					t.Errorf("exit %d, want %d with %q and a hint; stderr:\n%s", code, sc.wantCode, sc.wantErr, stderr)
				}
			})
		}
	}
}

// TestStdoutFailuresInProcess is TestStdoutFailures through run, with the
// descriptors a closed or full standard output leaves.
func TestStdoutFailuresInProcess(t *testing.T) {
	tok := ghToken(t)
	closedFile, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	closedFile.Close()
	open := func(name string, flag int) *os.File {
		f, err := os.OpenFile(name, flag, 0)
		if err != nil {
			t.Skipf("%s: %v", name, err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	tests := []struct {
		name     string
		stdout   func() io.Writer
		wantCode int
		wantErr  string
	}{
		{"runtime's /dev/null for a closed stdout", func() io.Writer { return open(os.DevNull, os.O_RDWR) }, exitOutput, "standard output is closed"},
		{"closed file", func() io.Writer { return closedFile }, exitOutput, "file already closed"},
		{"full device", func() io.Writer { return open("/dev/full", os.O_WRONLY) }, exitOutput, "no space left on device"},
		{"broken pipe", func() io.Writer { return brokenPipe{} }, exitFindings, ""},
		{"/dev/null", func() io.Writer { return open(os.DevNull, os.O_WRONLY) }, exitFindings, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errb bytes.Buffer
			code := run(context.Background(), []string{"scan", "--no-config", "-"}, strings.NewReader("t="+tok), tt.stdout(), &errb)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errb.String())
			}
			if tt.wantErr == "" && strings.Contains(errb.String(), "error") || !strings.Contains(errb.String(), tt.wantErr) {
				t.Errorf("stderr does not say %q:\n%s", tt.wantErr, errb.String())
			}
		})
	}
}

// mknodCopy makes a character device with the numbers of dev in dir (root
// only), or returns "".
func mknodCopy(t *testing.T, dir, dev string) string {
	t.Helper()
	var st syscall.Stat_t
	if os.Geteuid() != 0 || syscall.Stat(dev, &st) != nil {
		return ""
	}
	p := filepath.Join(dir, filepath.Base(dev))
	if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, int(st.Rdev)); err != nil {
		return ""
	}
	if f, err := os.OpenFile(p, os.O_WRONLY, 0); err != nil {
		return "" // a file system mounted nodev
	} else {
		f.Close()
	}
	return p
}

func isCharDevice(t *testing.T, p string) bool {
	t.Helper()
	fi, err := os.Lstat(p)
	return err == nil && fi.Mode()&fs.ModeCharDevice != 0
}

// TestOutputToDevices: --output to a character device writes to the
// device and never replaces it. The real /dev/null is used only once a
// copy of it has survived (as root, a broken build would destroy it).
func TestOutputToDevices(t *testing.T) {
	tok := ghToken(t)
	tmp := t.TempDir()
	var nulls []string
	if c := mknodCopy(t, tmp, os.DevNull); c != "" {
		nulls = append(nulls, c)
	}
	if os.Geteuid() != 0 || len(nulls) == 1 {
		nulls = append(nulls, os.DevNull)
	}
	for _, p := range nulls {
		r := runCLI(t, "", "k="+tok, "scan", "--no-config", "--format", "json", "--output", p, "-")
		if !isCharDevice(t, p) {
			t.Fatalf("--output %s replaced the device", p)
		}
		if r.code != exitFindings || r.stdout != "" {
			t.Errorf("--output %s: %+v", p, r)
		}
	}
	full := "/dev/full"
	if os.Geteuid() == 0 {
		full = mknodCopy(t, tmp, full)
	}
	if _, err := os.Stat(full); full == "" || err != nil {
		return
	}
	r := runCLI(t, "", "k="+tok, "scan", "--no-config", "--output", full, "-")
	if !isCharDevice(t, full) {
		t.Fatalf("--output %s replaced the device", full)
	}
	if r.code != exitOutput || !strings.Contains(r.stderr, "no space left on device") {
		t.Errorf("--output %s: %+v", full, r)
	}
}

// TestOutputToFIFO: the report goes into a FIFO, to the process reading
// it, and the FIFO stays a FIFO.
func TestOutputToFIFO(t *testing.T) {
	tok := ghToken(t)
	fifo := filepath.Join(t.TempDir(), "report.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo) // waits for the writer
		if err != nil {
			got <- nil
			return
		}
		data, _ := io.ReadAll(f)
		f.Close()
		got <- data
	}()
	r := runCLI(t, "", "k="+tok, "scan", "--no-config", "--format", "json", "--output", fifo, "-")
	fi, err := os.Lstat(fifo)
	if err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("--output replaced the FIFO (%v, %v): %+v", fi.Mode(), err, r)
	}
	data := <-got
	var doc struct{ Findings []any }
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Findings) != 1 || r.code != exitFindings {
		t.Errorf("reader got %q (%v); %+v", data, err, r)
	}
}

// TestOutputToFIFOWithoutReader: waiting for a reader ends when the
// context is cancelled (Ctrl-C), and the FIFO is left as it was.
func TestOutputToFIFOWithoutReader(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "report.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := outfile.Write(ctx, fifo, func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
}

// TestOutputThroughSymlinks: a link to a file stays a link, and the file
// it points to gets the report, mode 0600, replaced atomically in its own
// directory; a link to nothing creates its target; a link to a device
// writes to the device.
func TestOutputThroughSymlinks(t *testing.T) {
	tok := ghToken(t)
	tests := []struct {
		name   string
		target func(t *testing.T, dir string) string // returns the link target
	}{
		{"to a file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "real.json")
			write(t, p, "old report")
			return p
		}},
		{"relative, to a file", func(t *testing.T, dir string) string {
			write(t, filepath.Join(dir, "rel.json"), "old report")
			return "../targets/rel.json"
		}},
		{"to nothing", func(t *testing.T, dir string) string { return filepath.Join(dir, "new.json") }},
		{"to a link to a file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "real.json")
			write(t, p, "old report")
			l := filepath.Join(dir, "inner-link")
			if err := os.Symlink(p, l); err != nil {
				t.Fatal(err)
			}
			return l
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			targets, links := filepath.Join(root, "targets"), filepath.Join(root, "links")
			for _, d := range []string{targets, links} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			link := filepath.Join(links, "report.json")
			if err := os.Symlink(tt.target(t, targets), link); err != nil {
				t.Fatal(err)
			}
			r := runCLI(t, "", "k="+tok, "scan", "--no-config", "--format", "json", "--output", link, "-")
			if r.code != exitFindings {
				t.Fatalf("%+v", r)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("the link was replaced by a %v", fi.Mode())
			}
			fi, err := os.Stat(link)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("target mode %v (%v), want 0600", fi.Mode().Perm(), err)
			}
			data, _ := os.ReadFile(link)
			var doc struct{ Findings []any }
			if err := json.Unmarshal(data, &doc); err != nil || len(doc.Findings) != 1 {
				t.Errorf("target holds %q", data)
			}
			for _, d := range []string{targets, links} {
				entries, _ := os.ReadDir(d)
				for _, e := range entries {
					if strings.HasPrefix(e.Name(), ".keylint-") {
						t.Errorf("temporary file %s left in %s", e.Name(), d)
					}
				}
			}
		})
	}
}

// TestOutputToDirectory: a directory is a usage error; nothing is written.
func TestOutputToDirectory(t *testing.T) {
	dir := t.TempDir()
	r := runCLI(t, "", "k="+ghToken(t), "scan", "--no-config", "--output", dir, "-")
	if r.code != exitUsage || !strings.Contains(r.stderr, "is a directory") || !strings.Contains(r.stderr, "hint: give a file name") {
		t.Errorf("%+v", r)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("the directory was replaced")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written into the directory: %v", entries)
	}
}

// TestOutputToStdoutLink: --output /dev/stdout (and /dev/fd/1) when
// standard output is a regular file writes into that open file, rather
// than replacing the file at its path with a new one the caller's
// descriptor does not see.
func TestOutputToStdoutLink(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd/1"); err != nil {
		t.Skip("no /proc/self/fd")
	}
	repo := secretRepo(t)
	for _, name := range []string{"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"} {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Lstat(name); err != nil {
				t.Skip(err)
			}
			out, err := os.CreateTemp(t.TempDir(), "stdout")
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			code, stderr := runProcess(t, repo, out, "scan", "--no-config", "--format", "json", "--output", name, ".")
			if code != exitFindings {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			data, err := io.ReadAll(io.NewSectionReader(out, 0, 1<<20))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct{ Findings []any }
			if err := json.Unmarshal(data, &doc); err != nil || len(doc.Findings) != 1 {
				t.Errorf("the open standard output holds %q", data)
			}
		})
	}
}

// TestOutputToStdoutLinkAppends: with `>> log`, --output /dev/stdout adds
// the report after what the log holds.
func TestOutputToStdoutLinkAppends(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd/1"); err != nil {
		t.Skip("no /proc/self/fd")
	}
	repo := secretRepo(t)
	log := filepath.Join(t.TempDir(), "log")
	write(t, log, "earlier output\n")
	out, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if code, stderr := runProcess(t, repo, out, "scan", "--no-config", "--format", "jsonl", "--output", "/dev/stdout", "."); code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(log)
	if !strings.HasPrefix(string(data), "earlier output\n{") {
		t.Errorf("log holds %q", data)
	}
}

// TestHookReportToBrokenStderr: the hooks write their text report to
// stderr; a reader of stderr that went away does not change the exit
// code either.
func TestHookReportToBrokenStderr(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	write(t, filepath.Join(dir, "k.txt"), "token: "+ghToken(t)+"\n")
	gitIn(t, dir, "add", "k.txt")
	t.Chdir(dir)
	var out bytes.Buffer
	if code := run(context.Background(), []string{"staged"}, strings.NewReader(""), &out, brokenPipe{}); code != exitFindings {
		t.Errorf("exit %d, want %d", code, exitFindings)
	}
}

// TestOutputRefusesOtherFiles: a socket or a block device is never written
// to or replaced; the error names what it is.
func TestOutputRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	var cases []struct{ path, kind string }
	sock := filepath.Join(dir, "s.sock")
	if l, err := net.Listen("unix", sock); err == nil {
		defer l.Close()
		cases = append(cases, struct{ path, kind string }{sock, "socket"})
	}
	if os.Geteuid() == 0 {
		blk := filepath.Join(dir, "loop")
		if err := syscall.Mknod(blk, syscall.S_IFBLK|0o600, 7<<8|200); err == nil {
			cases = append(cases, struct{ path, kind string }{blk, "block device"})
		}
	}
	if len(cases) == 0 {
		t.Skip("cannot make a socket or a block device here")
	}
	for _, c := range cases {
		before, _ := os.Lstat(c.path)
		r := runCLI(t, "", "k="+ghToken(t), "scan", "--no-config", "--output", c.path, "-")
		if r.code != exitUsage || !strings.Contains(r.stderr, "it is a "+c.kind) {
			t.Errorf("--output %s: %+v", c.kind, r)
		}
		if after, err := os.Lstat(c.path); err != nil || after.Mode() != before.Mode() {
			t.Errorf("--output %s replaced it", c.kind)
		}
	}
}
