// Package gitexectest builds hostile git repositories for tests: a
// configuration that sets every key able to run a program or redirect a
// read to a marker, and a [Marker] that records whether any of them fired.
// It is used only by tests.
package gitexectest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/gittest"
)

// Marker records what a hostile configuration made git do: a script that
// appends its arguments to a log, and a FIFO watched so that any process
// opening it to read is recorded, and never blocks.
type Marker struct {
	dir string
	log string
	// FIFO is a named pipe: give it as the value of a key that names a
	// file, and [Marker.Fired] reports whether git opened it.
	FIFO string

	mu     sync.Mutex
	opened int
}

// NewMarker creates a marker in a temporary directory; the watcher stops
// when the test ends.
func NewMarker(t testing.TB) *Marker {
	t.Helper()
	dir := t.TempDir()
	m := &Marker{dir: dir, log: filepath.Join(dir, "ran"), FIFO: filepath.Join(dir, "fifo")}
	if err := syscall.Mkfifo(m.FIFO, 0o644); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go m.watch(stop, done)
	t.Cleanup(func() { close(stop); <-done })
	return m
}

// watch opens the FIFO for writing whenever a reader waits on it, so the
// reader gets end of file at once, and counts the opens.
func (m *Marker) watch(stop, done chan struct{}) {
	defer close(done)
	for {
		select {
		case <-stop:
			return
		default:
		}
		fd, err := syscall.Open(m.FIFO, syscall.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			syscall.Close(fd)
			m.mu.Lock()
			m.opened++
			m.mu.Unlock()
			continue
		}
		time.Sleep(time.Millisecond) // ENXIO: no reader yet
	}
}

// Command returns the path of a script that records the key's name in the
// marker's log when run. The path has no space, so git runs it directly
// (gpg.program, say) as well as through the shell (credential helpers).
func (m *Marker) Command(key string) string {
	name := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, key)
	p := filepath.Join(m.dir, "bin", name)
	script := "#!/bin/sh\necho \"ran " + name + " $*\" >> '" + m.log + "'\ncat >/dev/null 2>&1\nexit 0\n"
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		panic(err)
	}
	return p
}

// Fired returns what the marker recorded: the script's log lines and the
// number of times the FIFO was opened.
func (m *Marker) Fired() string {
	var b strings.Builder
	if data, err := os.ReadFile(m.log); err == nil {
		b.Write(data)
	}
	m.mu.Lock()
	n := m.opened
	m.mu.Unlock()
	if n > 0 {
		fmt.Fprintf(&b, "the FIFO %s was opened for reading %d times\n", m.FIFO, n)
	}
	return b.String()
}

// Check fails the test when the marker fired.
func (m *Marker) Check(t testing.TB, what string) {
	t.Helper()
	if got := m.Fired(); got != "" {
		t.Errorf("%s: a program or a file named by the repository's configuration was used:\n%s", what, got)
	}
}

// Settings returns every configuration key that could make a git command
// run a program or read a file of the configuration's choosing, set to the
// marker (programs) or its FIFO (files). Driver names are "evil", and
// "a=b" for a name git cannot take with -c.
func (m *Marker) Settings() [][2]string {
	p := m.Command
	f := m.FIFO
	return [][2]string{
		{"log.showSignature", "true"},
		{"gpg.program", p("gpg.program")},
		{"gpg.openpgp.program", p("gpg.openpgp.program")},
		{"gpg.x509.program", p("gpg.x509.program")},
		{"gpg.ssh.program", p("gpg.ssh.program")},
		{"gpg.ssh.defaultKeyCommand", p("gpg.ssh.defaultKeyCommand")},
		{"gpg.ssh.allowedSignersFile", f},
		{"gpg.ssh.revocationFile", f},
		{"gpg.format", "openpgp"},
		{"core.fsmonitor", p("core.fsmonitor")},
		{"core.pager", p("core.pager")},
		{"pager.log", p("pager.log")},
		{"pager.diff", p("pager.diff")},
		{"pager.show", p("pager.show")},
		{"pager.config", p("pager.config")},
		{"core.editor", p("core.editor")},
		{"sequence.editor", p("sequence.editor")},
		{"core.sshCommand", p("core.sshCommand")},
		{"core.askPass", p("core.askPass")},
		{"core.gitProxy", p("core.gitProxy")},
		{"core.alternateRefsCommand", p("core.alternateRefsCommand")},
		{"credential.helper", "!" + p("credential.helper")},
		{"credential.https://example.invalid.helper", "!" + p("credential.url.helper")},
		{"diff.external", p("diff.external")},
		{"diff.evil.textconv", p("diff.evil.textconv")},
		{"diff.evil.command", p("diff.evil.command")},
		{"diff.Evil.textconv", p("diff.Evil.textconv")},
		{"diff.a=b.textconv", p("diff.a=b.textconv")},
		{"diff.a=b.command", p("diff.a=b.command")},
		{"merge.evil.driver", p("merge.evil.driver")},
		{"filter.evil.clean", p("filter.evil.clean")},
		{"filter.evil.smudge", p("filter.evil.smudge")},
		{"filter.evil.process", p("filter.evil.process")},
		{"filter.evil.required", "true"},
		{"uploadpack.packObjectsHook", p("uploadpack.packObjectsHook")},
		{"protocol.allow", "always"},
		{"protocol.ext.allow", "always"},
		{"protocol.file.allow", "always"},
		{"remote.origin.url", "ext::" + p("remote.origin.url")},
		{"remote.origin.uploadpack", p("remote.origin.uploadpack")},
		{"remote.origin.receivepack", p("remote.origin.receivepack")},
		{"remote.origin.vcs", "evil"},
		{"remote.origin.proxy", "http://127.0.0.1:9"},
		{"url.ext::" + p("url.insteadOf") + ".insteadOf", "https://example.invalid/"},
		{"http.proxy", "http://127.0.0.1:9"},
		{"http.cookieFile", f},
		{"status.showUntrackedFiles", "all"},
		{"status.submoduleSummary", "true"},
		{"alias.log", "!" + p("alias.log")},
		{"alias.diff", "!" + p("alias.diff")},
		{"blame.ignoreRevsFile", f},
		{"core.attributesFile", f},
		{"core.excludesFile", f},
		{"diff.orderFile", f},
		{"mailmap.file", f},
		{"log.mailmap", "true"},
		{"core.hooksPath", m.dir},
		{"interactive.diffFilter", p("interactive.diffFilter")},
	}
}

// HookNames are the hooks a hostile repository installs as the marker.
var HookNames = []string{
	"pre-commit", "post-commit", "pre-push", "post-checkout", "post-index-change",
	"reference-transaction", "fsmonitor-watchman", "pre-auto-gc", "post-rewrite",
}

// Repo is a repository under test: a [gittest.Repo] with what hostile
// repositories need on top.
type Repo struct {
	*gittest.Repo
	t testing.TB
}

// Env is the environment for git commands the tests run outside a
// repository: [gittest.Environ] (no variable of an outer git, as a test may
// run inside a hook), no system or global configuration, a fixed identity.
func Env() []string {
	return append(gittest.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
		"GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z")
}

// Init creates a repository with one commit on main.
func Init(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{Repo: gittest.New(t), t: t}
	r.Write("README.md", "hello\n")
	r.Commit("initial")
	return r
}

// TryGit runs git in the repository with stdin and returns its trimmed
// stdout or an error with its stderr.
func (r *Repo) TryGit(stdin []byte, args ...string) (string, error) {
	return gittest.RunIn(r.Dir, append(gittest.Environ(), r.HermeticEnv()...), stdin, args...)
}

// Signatures are the three kinds of signature git verifies, each with the
// program that verifies it.
var Signatures = []struct{ Program, Armor string }{
	{"gpg.openpgp.program", "-----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"},
	{"gpg.x509.program", "-----BEGIN SIGNED MESSAGE-----\n \n MIAGCSqGSIb3DQEHAqCAMIACAQEx\n -----END SIGNED MESSAGE-----"},
	{"gpg.ssh.program", "-----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQAAADMAAAALc3NoLWVk\n -----END SSH SIGNATURE-----"},
}

// CommitSigned adds a commit carrying sig on top of HEAD (which must be a
// branch) with the files given, and returns its id. Nothing checks the
// signature: it only has to be there for git to try to verify it.
func (r *Repo) CommitSigned(sig, msg string, files map[string]string) string {
	r.t.Helper()
	for p, c := range files {
		r.Write(p, c)
	}
	r.Git("add", "-A")
	tree := r.Git("write-tree")
	parent := r.Git("rev-parse", "HEAD")
	body := fmt.Sprintf("tree %s\nparent %s\nauthor Ada <ada@example.com> 1704164645 +0000\ncommitter Ada <ada@example.com> 1704164645 +0000\ngpgsig %s\n\n%s\n", tree, parent, sig, msg)
	id, err := r.TryGit([]byte(body), "hash-object", "-t", "commit", "-w", "--stdin")
	if err != nil {
		r.t.Fatal(err)
	}
	r.Git("update-ref", "HEAD", id)
	return id
}

// Poison sets every key of [Marker.Settings] in the repository's own
// configuration, marks every file with the "evil" drivers, and installs
// the marker as every hook. Call it once the repository holds what the
// test needs: git commands the test runs itself afterwards would fire.
func (r *Repo) Poison(m *Marker) {
	r.t.Helper()
	r.setAll(filepath.Join(r.Dir, ".git", "config"), m.Settings())
	hooks := filepath.Join(r.Dir, ".git", "hooks")
	for _, dir := range []string{hooks, m.dir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			r.t.Fatal(err)
		}
		for _, h := range HookNames {
			if err := os.WriteFile(filepath.Join(dir, h), []byte("#!/bin/sh\n"+m.Command("hook."+h)+"\n"), 0o755); err != nil {
				r.t.Fatal(err)
			}
		}
	}
	info := filepath.Join(r.Dir, ".git", "info")
	if err := os.MkdirAll(info, 0o755); err != nil {
		r.t.Fatal(err)
	}
	attrs := "* diff=evil merge=evil filter=evil\n*.cfg diff=a=b\n"
	if err := os.WriteFile(filepath.Join(info, "attributes"), []byte(attrs), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// PoisonByInclude writes the settings to a file outside the repository
// and makes the repository's configuration include it, through an
// include.path and an includeIf, the file itself including one more.
func (r *Repo) PoisonByInclude(m *Marker) {
	r.t.Helper()
	dir := r.t.TempDir()
	inner := filepath.Join(dir, "inner.cfg")
	r.setAll(inner, m.Settings())
	outer := filepath.Join(dir, "outer.cfg")
	if err := os.WriteFile(outer, []byte("[include]\n\tpath = inner.cfg\n"), 0o644); err != nil {
		r.t.Fatal(err)
	}
	cfg := filepath.Join(r.Dir, ".git", "config")
	r.gitConfig(cfg, "--add", "include.path", outer)
	r.gitConfig(cfg, "--add", "includeIf.onbranch:main.path", inner)
	info := filepath.Join(r.Dir, ".git", "info")
	if err := os.MkdirAll(info, 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(info, "attributes"), []byte("* diff=evil merge=evil filter=evil\n"), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *Repo) setAll(file string, settings [][2]string) {
	r.t.Helper()
	for _, kv := range settings {
		r.gitConfig(file, "--add", kv[0], kv[1])
	}
}

// gitConfig edits a configuration file with git config --file, outside
// any repository so that the file's own settings never apply.
func (r *Repo) gitConfig(file string, args ...string) {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"config", "--file", file}, args...)...)
	cmd.Dir = "/"
	cmd.Env = append(Env(), "GIT_DIR=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			r.t.Fatal(err)
		}
		r.t.Fatalf("git config --file %s %s: %v\n%s", file, strings.Join(args, " "), err, out)
	}
}
