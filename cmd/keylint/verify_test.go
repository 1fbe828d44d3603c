package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/keylint/keylint/enrich"
	"github.com/keylint/keylint/internal/testsecret"
)

// proxyRecorder is an HTTP proxy on the loopback interface that records
// the target of every connection made through it and refuses them all, so
// a test can tell whether keylint tried to reach the network.
func proxyRecorder(t *testing.T) (string, func() []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				target := "unreadable request"
				if err == nil {
					target = req.Method + " " + req.Host
				}
				mu.Lock()
				seen = append(seen, target)
				mu.Unlock()
				c.Write([]byte("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return "http://" + ln.Addr().String(), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// runWithEnv runs keylint as a process in dir with extra environment
// variables and returns its exit code, stdout and stderr.
func runWithEnv(t *testing.T, dir string, extra []string, args ...string) (int, string, string) {
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
	tmp := t.TempDir()
	stdout, err := os.Create(filepath.Join(tmp, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(tmp, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	var env []string
	for _, kv := range stagedEnviron() {
		if k, _, _ := strings.Cut(kv, "="); !strings.Contains(strings.ToLower(k), "proxy") && !strings.HasPrefix(k, "GITHUB_") {
			env = append(env, kv)
		}
	}
	env = append(env, execEnv+"="+string(a), "NO_COLOR=1", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	env = append(env, extra...)
	var p *os.Process
	for attempt := 0; ; attempt++ {
		p, err = os.StartProcess(exe, []string{exe}, &os.ProcAttr{Dir: dir, Env: env, Files: []*os.File{stdin, stdout, stderr}})
		if err == nil || !strings.Contains(err.Error(), syscall.ETXTBSY.Error()) || attempt > 20 {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(stdout.Name())
	errb, _ := os.ReadFile(stderr.Name())
	return st.ExitCode(), string(out), string(errb)
}

// TestNoNetworkWithoutVerify runs every scanning command as a process
// whose proxy variables point at a recording proxy: without --verify not
// one connection is made; with --verify (the positive control, which shows
// the test can fail) scan, git and ci reach for the provider through the
// proxy, say so on stderr, and report the key as unknown when refused.
func TestNoNetworkWithoutVerify(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("readme", map[string]string{"README.md": "# shop\n"})
	head := r.commit("add key", map[string]string{"config.env": "GITHUB_TOKEN=" + ghToken(t) + "\n"})
	r.git("add", "-A") // staged: nothing new, but the command still runs

	tmp := t.TempDir()
	event := strings.NewReplacer("{{BASE}}", base, "{{HEAD}}", head).Replace(string(must(os.ReadFile(filepath.Join("testdata", "ci", "push.json")))))
	write(t, filepath.Join(tmp, "event.json"), event)
	ciEnv := []string{"GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=push", "GITHUB_EVENT_PATH=" + filepath.Join(tmp, "event.json"),
		"GITHUB_WORKSPACE=" + r.dir, "GITHUB_STEP_SUMMARY=" + filepath.Join(tmp, "summary.md"), "GITHUB_OUTPUT=" + filepath.Join(tmp, "output")}

	commands := []struct {
		name   string
		args   []string
		env    []string
		verify bool // the command takes --verify
	}{
		{"scan", []string{"scan", "--no-config", "--format", "json", "."}, nil, true},
		{"git", []string{"git", "--no-config", "--format", "json", "."}, nil, true},
		{"ci", []string{"ci", "--no-config", "--sarif", "", "--format", "json", "--output", filepath.Join(tmp, "ci.json")}, ciEnv, true},
		{"staged", []string{"staged", "--no-config"}, nil, false},
		{"baseline", []string{"baseline", "--no-config", "--output", filepath.Join(tmp, "b.json"), "."}, nil, false},
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			proxy, seen := proxyRecorder(t)
			env := append([]string{"HTTPS_PROXY=" + proxy, "HTTP_PROXY=" + proxy, "ALL_PROXY=" + proxy,
				"https_proxy=" + proxy, "http_proxy=" + proxy, "NO_PROXY=", "no_proxy="}, c.env...)
			code, _, stderr := runWithEnv(t, r.dir, env, c.args...)
			if code != exitFindings && code != exitClean {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := seen(); len(got) != 0 {
				t.Fatalf("connections without --verify: %q", got)
			}
			if strings.Contains(stderr, enrich.Notice) {
				t.Error("the verification notice without --verify")
			}
			if !c.verify {
				return
			}
			args := append(slices.Clone(c.args), "--verify")
			code, stdout, stderr := runWithEnv(t, r.dir, env, args...)
			if code != exitFindings {
				t.Fatalf("--verify: exit %d: %s", code, stderr)
			}
			if got := seen(); !slices.Contains(got, "CONNECT api.github.com:443") {
				t.Fatalf("--verify: connections %q", got)
			}
			if !strings.Contains(stderr, enrich.Notice) {
				t.Errorf("no notice on stderr: %s", stderr)
			}
			if c.name == "ci" {
				stdout = string(must(os.ReadFile(filepath.Join(tmp, "ci.json"))))
			}
			if !strings.Contains(stdout, `"status": "unknown"`) {
				t.Errorf("verification not reported: %s", stdout)
			}
		})
	}
}

// TestVerifyFlagsNeedVerify: --only-live and --fail-on-live alone are
// usage errors.
func TestVerifyFlagsNeedVerify(t *testing.T) {
	for _, args := range [][]string{{"scan", "--only-live", "."}, {"git", "--fail-on-live", "."}} {
		code, _, stderr := runWithEnv(t, t.TempDir(), nil, args...)
		if code != exitUsage || !strings.Contains(stderr, "--verify") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestLiveGatesWithoutAnswer: when no provider answers, no key is live:
// --fail-on-live does not fail a run that --fail-on lets pass, and
// --only-live reports nothing while the exit code stays what the findings
// make it.
func TestLiveGatesWithoutAnswer(t *testing.T) {
	r := newGitRepo(t)
	// A Linear key: rated high, so --fail-on critical lets it pass.
	r.commit("add key", map[string]string{"config.env": "LINEAR_API_KEY=lin_" + "api_" + testsecret.Random(t, testsecret.Alnum, 40) + "\n"})
	proxy, seen := proxyRecorder(t)
	env := []string{"HTTPS_PROXY=" + proxy, "https_proxy=" + proxy, "NO_PROXY=", "no_proxy="}

	code, _, stderr := runWithEnv(t, r.dir, env, "scan", "--no-config", "--fail-on", "critical", "--verify", "--fail-on-live", ".")
	if code != exitClean {
		t.Errorf("--fail-on-live without a live key: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runWithEnv(t, r.dir, env, "scan", "--no-config", "--format", "json", "--verify", "--only-live", ".")
	if code != exitFindings || !strings.Contains(stdout, `"findings": []`) {
		t.Errorf("--only-live: exit %d, %s %s", code, stdout, stderr)
	}
	if len(seen()) == 0 {
		t.Error("--verify made no request")
	}
}

// TestOwnersFromTheBase: a pull request's findings name the code owners
// of the base commit, so the pull request cannot choose who is told; git
// reads them from HEAD; both give every history finding its exposure.
func TestOwnersFromTheBase(t *testing.T) {
	r := newGitRepo(t)
	base := r.commit("base", map[string]string{".github/CODEOWNERS": "* @acme/security\n", "README.md": "# shop\n"})
	r.git("checkout", "-q", "-b", "feature")
	head := r.commit("add key", map[string]string{".github/CODEOWNERS": "* @someone-else\n", "app/config.env": "GITHUB_TOKEN=" + ghToken(t) + "\n"})

	out := filepath.Join(t.TempDir(), "ci.json")
	run := runCI(t, r.dir, "pull_request", "pull_request.json", base, head, "--format", "json", "--output", out)
	if run.code != exitFindings {
		t.Fatalf("code %d: %s", run.code, run.stderr)
	}
	var doc struct {
		Findings []struct {
			Owners       []string `json:"owners"`
			ExposedSince string   `json:"exposed_since"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(must(os.ReadFile(out)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || !slices.Equal(doc.Findings[0].Owners, []string{"@acme/security"}) || doc.Findings[0].ExposedSince == "" {
		t.Fatalf("ci: %+v", doc.Findings)
	}

	code, stdout, stderr := runWithEnv(t, r.dir, nil, "git", "--no-config", "--format", "json", ".")
	if code != exitFindings {
		t.Fatalf("git: exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || !slices.Equal(doc.Findings[0].Owners, []string{"@someone-else"}) || doc.Findings[0].ExposedSince == "" {
		t.Fatalf("git (HEAD is the feature branch): %+v", doc.Findings)
	}
}

// TestMergeVerify: keylint merge takes --verify. Shards written without
// --show-secrets hold only redacted keys: nothing is sent anywhere and each
// key is unknown with the reason; shards written with --show-secrets are
// verified (the request reaches the recording proxy, which refuses it).
func TestMergeVerify(t *testing.T) {
	base, _ := orgRepos(t)
	for _, shard := range []struct{ out, show string }{{"r1.json", ""}, {"r2.json", ""}, {"w1.json", "--show-secrets"}, {"w2.json", "--show-secrets"}} {
		k := "1/2"
		if strings.HasSuffix(shard.out, "2.json") {
			k = "2/2"
		}
		args := []string{"git", "--no-config", "--repos", "repos.txt", "--shard", k, "-f", "json", "-o", shard.out, "-q"}
		if shard.show != "" {
			args = append(args, shard.show)
		}
		runEnv(t, base, nil, args...)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		requests bool   // a request reaches the proxy
		reason   string // in every finding's verification error
		findings int
	}{
		{"redacted", []string{"r1.json", "r2.json"}, exitFindings, false, "the report holds only a redacted secret", 2},
		{"redacted only live", []string{"r1.json", "r2.json", "--only-live"}, exitFindings, false, "", 0},
		{"whole secrets", []string{"w1.json", "w2.json", "--show-secrets"}, exitFindings, true, "", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			proxy, seen := proxyRecorder(t)
			env := []string{"HTTPS_PROXY=" + proxy, "https_proxy=" + proxy, "NO_PROXY=", "no_proxy="}
			args := append([]string{"merge", "--no-config", "-f", "json", "--verify"}, tc.args...)
			code, stdout, stderr := runWithEnv(t, base, env, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			if got := seen(); tc.requests != slices.Contains(got, "CONNECT api.github.com:443") || !tc.requests && len(got) > 0 {
				t.Errorf("connections %q, want requests %v", got, tc.requests)
			}
			var doc struct {
				Findings []struct {
					Verification *struct {
						Status string `json:"status"`
						Error  string `json:"error"`
					} `json:"verification"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			if len(doc.Findings) != tc.findings {
				t.Fatalf("%d findings, want %d:\n%s", len(doc.Findings), tc.findings, stdout)
			}
			for _, f := range doc.Findings {
				if f.Verification == nil || f.Verification.Status != "unknown" {
					t.Fatalf("verification %+v", f.Verification)
				}
				if redacted := strings.Contains(f.Verification.Error, "redacted"); redacted != (tc.reason != "") || !strings.Contains(f.Verification.Error, tc.reason) {
					t.Errorf("error %q, want %q", f.Verification.Error, tc.reason)
				}
			}
		})
	}
	for _, flag := range []string{"--only-live", "--fail-on-live"} {
		if code, _, stderr := runWithEnv(t, base, nil, "merge", "--no-config", flag, "r1.json"); code != exitUsage || !strings.Contains(stderr, "--verify") {
			t.Errorf("%s without --verify: exit %d: %s", flag, code, stderr)
		}
	}
}

// TestVerifyCacheFile: keylint git --verify --cache DIR keeps the results
// store in DIR (holding no secret); without --verify it is not created.
// (That a stored answer saves the request is verify's TestPersistentCache:
// the proxy here refuses every request, an answer never stored.)
func TestVerifyCacheFile(t *testing.T) {
	r := newGitRepo(t)
	token := ghToken(t)
	r.commit("add key", map[string]string{"config.env": "GITHUB_TOKEN=" + token + "\n"})
	proxy, _ := proxyRecorder(t)
	env := []string{"HTTPS_PROXY=" + proxy, "https_proxy=" + proxy, "NO_PROXY=", "no_proxy="}
	for _, tc := range []struct {
		name   string
		verify bool
	}{{"without --verify", false}, {"with --verify", true}} {
		t.Run(tc.name, func(t *testing.T) {
			cache := filepath.Join(t.TempDir(), "cache")
			args := []string{"git", "--no-config", "--cache", cache, "."}
			if tc.verify {
				args = append(args, "--verify")
			}
			if code, _, stderr := runWithEnv(t, r.dir, env, args...); code != exitFindings || strings.Contains(stderr, "not all cached") {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(filepath.Join(cache, "verify.db"))
			if tc.verify != (err == nil) {
				t.Fatalf("verify.db: %v (verify %v)", err, tc.verify)
			}
			if strings.Contains(string(b), token) {
				t.Error("verify.db holds the secret")
			}
		})
	}
}
