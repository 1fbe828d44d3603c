package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/testsecret"
)

// prSecrets are the secrets every pull request of TestCIPullRequestTrust
// adds, of two token types.
type prSecrets struct{ gh, stripe string }

func newPRSecrets(t *testing.T) prSecrets {
	return prSecrets{gh: ghToken(t), stripe: "sk_" + "live_" + testsecret.Random(t, testsecret.Alnum, 24)}
}

// expand fills the placeholders of a test file or argument: {{WS}} the
// workspace, {{OUT}} a directory outside it, {{GH}} and {{STRIPE}} the
// secrets, {{BASELINE}} a baseline accepting the pull request's secrets,
// {{FIXTURE_BASELINE}} one accepting the fixture's.
func (s prSecrets) expand(t *testing.T, v, ws, out string) string {
	if strings.Contains(v, "{{BASELINE}}") {
		v = strings.ReplaceAll(v, "{{BASELINE}}", baselineOf(t, map[string]string{"app.env": s.appEnv(), "pay.env": s.payEnv()}))
	}
	if strings.Contains(v, "{{FIXTURE_BASELINE}}") {
		v = strings.ReplaceAll(v, "{{FIXTURE_BASELINE}}", baselineOf(t, map[string]string{"fixtures/test.env": s.fixture()}))
	}
	return strings.NewReplacer("{{WS}}", ws, "{{OUT}}", out, "{{GH}}", s.gh, "{{STRIPE}}", s.stripe).Replace(v)
}

func (s prSecrets) appEnv() string  { return "TOKEN=" + s.gh + "\n" }
func (s prSecrets) payEnv() string  { return "STRIPE_KEY=" + s.stripe + "\n" }
func (s prSecrets) fixture() string { return "FIXTURE_TOKEN=" + s.gh + "\n" }

// baselineOf records the findings of files with keylint baseline.
func baselineOf(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		write(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	out := filepath.Join(t.TempDir(), "baseline")
	if r := runCLI(t, dir, "", "baseline", "--no-config", "--quiet", "--output", out, "."); r.code != 0 {
		t.Fatalf("keylint baseline: %d %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// runEvent runs keylint ci in-process for a pull_request (or push) event
// from base to head, in the directory cwd when it is not "".
func runEvent(t *testing.T, ws, cwd, event, base, head string, args ...string) result {
	t.Helper()
	tmp := t.TempDir()
	payload := `{"action":"opened","number":12,"pull_request":{"number":12,"base":{"ref":"main","sha":"` + base + `"},"head":{"ref":"feature","sha":"` + head + `"}},"repository":{"full_name":"acme/shop","default_branch":"main"}}`
	if event == "push" {
		payload = `{"ref":"refs/heads/main","before":"` + base + `","after":"` + head + `","repository":{"full_name":"acme/shop","default_branch":"main"}}`
	}
	evPath := filepath.Join(tmp, "event.json")
	write(t, evPath, payload)
	vars := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": evPath, "GITHUB_WORKSPACE": ws}
	if cwd != "" {
		t.Chdir(cwd)
	}
	e, out, errb := testEnv(vars, "")
	code := e.main(append([]string{"ci", "--sarif", ""}, args...))
	return result{code, out.String(), errb.String()}
}

// TestCIPullRequestTrust: in a pull request, everything that can silence a
// finding (configuration and what it extends, .gitleaksignore, baseline)
// is read from the base commit, however its path is spelled; a change to
// one is named in a warning; one missing from the base is a warning and
// the scan runs without it; a path outside the workspace, or a link of the
// base tree leading out of it, is an error.
func TestCIPullRequestTrust(t *testing.T) {
	const allowAll = "[[allow]]\npaths = ['''.*''']\n"
	const disableBoth = "disable = [\"github-classic-pat\", \"stripe-secret-key\", \"generic-secret-config\"]\n"
	const ignoreBoth = "app.env:github-pat:1\npay.env:stripe-access-token:1\n"
	both := []string{"::error file=app.env,line=1", "::error file=pay.env,line=1"}
	for _, tc := range []struct {
		name  string
		base  map[string]string // files of the base commit; "->x" is a link to x
		head  map[string]string // what the pull request changes besides adding its secrets; "" deletes
		after func(t *testing.T, ws, out string, s prSecrets)
		args  []string
		cwd   string // relative to the workspace; "" runs outside it
		event string // default pull_request
		// wsLink names the workspace through a symbolic link, as a runner
		// may ({{WS}} is then the link).
		wsLink bool
		code   int
		stdout []string // each must appear
		not    []string // none may appear
		stderr []string
		// sanity, when set, is a push of the same commits with these
		// arguments, which must exit 0: the attack works when its files
		// are trusted, so the test can fail.
		sanity []string
	}{
		// 1. The pull request's own configuration, named with --config.
		{name: "--config relative, added by the PR", head: map[string]string{".keylint.toml": allowAll},
			args: []string{"--config", ".keylint.toml"}, code: 1,
			stdout: append(both, "changes the keylint configuration (.keylint.toml); the base commit has no such file", "the keylint configuration .keylint.toml is not in the base commit"),
			sanity: []string{"--config", "{{WS}}/.keylint.toml"}},
		{name: "--config dot-slash spelling", head: map[string]string{".keylint.toml": allowAll},
			args: []string{"--config", "./.keylint.toml"}, code: 1, stdout: append(both, "changes the keylint configuration (.keylint.toml)")},
		{name: "--config dot-dot spelling", head: map[string]string{".keylint.toml": allowAll},
			args: []string{"--config", "ci/../.keylint.toml"}, code: 1, stdout: append(both, "changes the keylint configuration (.keylint.toml)")},
		{name: "--config absolute in the workspace", head: map[string]string{"ci/keylint.toml": disableBoth},
			args: []string{"--config", "{{WS}}/ci/keylint.toml"}, code: 1, stdout: append(both, "changes the keylint configuration (ci/keylint.toml)"),
			sanity: []string{"--config", "{{WS}}/ci/keylint.toml"}},
		{name: "--config relative from a subdirectory", head: map[string]string{"ci/keylint.toml": disableBoth},
			args: []string{"--config", "keylint.toml"}, cwd: "ci", code: 1, stdout: append(both, "changes the keylint configuration (ci/keylint.toml)")},
		{name: "--config changed by the PR", base: map[string]string{"ci/keylint.toml": "disable = []\n"}, head: map[string]string{"ci/keylint.toml": allowAll},
			args: []string{"--config", "ci/keylint.toml"}, code: 1,
			stdout: append(both, "changes the keylint configuration (ci/keylint.toml); the scan used the base branch's version"),
			not:    []string{"not in the base commit"}},
		{name: "--config through a link the PR adds", head: map[string]string{"evil/keylint.toml": allowAll, "cfg": "->evil"},
			args: []string{"--config", "cfg/keylint.toml"}, code: 1, stdout: append(both, "not in the base commit")},
		{name: "--config through a link made in the work tree", base: map[string]string{"ci/keylint.toml": "disable = []\n"},
			after: func(t *testing.T, ws, out string, s prSecrets) {
				write(t, filepath.Join(out, "evil", "keylint.toml"), allowAll)
				if err := os.RemoveAll(filepath.Join(ws, "ci")); err != nil {
					t.Fatal(err)
				}
				link(t, filepath.Join(out, "evil"), filepath.Join(ws, "ci"))
			},
			args: []string{"--config", "ci/keylint.toml"}, code: 1, stdout: both, not: []string{"not in the base commit"}},
		{name: "--config a file the PR turns into a link", base: map[string]string{"ci/keylint.toml": "disable = []\n", "evil.toml": allowAll + "# an old test fixture\n"},
			head: map[string]string{"ci/keylint.toml": "->../evil.toml"},
			args: []string{"--config", "ci/keylint.toml"}, code: 1, stdout: append(both, "changes the keylint configuration (ci/keylint.toml)")},
		{name: "discovered gitleaks configuration added by the PR", head: map[string]string{".gitleaks.toml": "[allowlist]\npaths = ['''.*''']\n"},
			code: 1, stdout: append(both, "changes the keylint configuration (.gitleaks.toml)"), sanity: []string{}},
		{name: "discovered config disabling the rules", head: map[string]string{".keylint.toml": disableBoth},
			code: 1, stdout: append(both, "changes the keylint configuration (.keylint.toml)"), sanity: []string{}},

		{name: "pull_request_target, --config added by the PR", event: "pull_request_target", head: map[string]string{"ci/keylint.toml": allowAll},
			args: []string{"--config", "ci/keylint.toml"}, code: 1, stdout: append(both, "changes the keylint configuration (ci/keylint.toml)")},
		{name: "workspace through a link, --config absolute", wsLink: true, head: map[string]string{"ci/keylint.toml": disableBoth},
			args: []string{"--config", "{{WS}}/ci/keylint.toml"}, code: 1, stdout: append(both, "changes the keylint configuration (ci/keylint.toml)")},
		{name: "workspace through a link, relative from a subdirectory", wsLink: true, base: map[string]string{"ci/keylint.toml": "[[allow]]\npaths = ['''^docs/''']\n"},
			head: map[string]string{"ci/keylint.toml": allowAll, "docs/a.md": "{{GH}}\n"}, cwd: "ci",
			args: []string{"--config", "keylint.toml"}, code: 1, stdout: append(both, "changes the keylint configuration (ci/keylint.toml); the scan used the base branch's version"),
			not: []string{"file=docs/a.md"}},
		{name: "workspace through a link, path outside", wsLink: true, args: []string{"--baseline", "{{WS}}/../b"}, code: 2, stderr: []string{"outside the repository"}},

		// Extends chains, resolved inside the base tree.
		{name: "extends changed by the PR", base: map[string]string{".keylint.toml": "extends = \"ci/base.toml\"\n", "ci/base.toml": "disable = []\n"},
			head: map[string]string{"ci/base.toml": allowAll}, code: 1,
			stdout: append(both, "changes the keylint configuration (ci/base.toml); the scan used the base branch's version"), sanity: []string{}},
		{name: "extends changed by the PR, config named absolutely", base: map[string]string{".keylint.toml": "extends = \"ci/base.toml\"\n", "ci/base.toml": "disable = []\n"},
			head: map[string]string{"ci/base.toml": disableBoth}, args: []string{"--config", "{{WS}}/./.keylint.toml"}, code: 1,
			stdout: append(both, "changes the keylint configuration (ci/base.toml)")},
		{name: "extends relative to the extending file, from the base", base: map[string]string{
			".keylint.toml": "extends = \"ci/base.toml\"\n", "ci/base.toml": "extends = \"shared.toml\"\n", "ci/shared.toml": "[[allow]]\npaths = ['''^docs/''']\n"},
			head: map[string]string{"docs/setup.md": "token {{GH}}\n"}, args: []string{"--config", ".keylint.toml"}, code: 1,
			stdout: both, not: []string{"file=docs/setup.md", "::warning"}},
		{name: "extends from the base, discovered", base: map[string]string{
			".keylint.toml": "extends = \"ci/base.toml\"\n", "ci/base.toml": "[[allow]]\npaths = ['''^docs/''']\n"},
			head: map[string]string{"docs/setup.md": "token {{GH}}\n"}, code: 1, stdout: both, not: []string{"file=docs/setup.md", "::warning"}},
		{name: "extends a file missing from the base, which the PR adds", base: map[string]string{".keylint.toml": "extends = \"ci/base.toml\"\n" + "[[allow]]\npaths = ['''^docs/''']\n"},
			head: map[string]string{"ci/base.toml": allowAll, "docs/a.md": "{{STRIPE}}\n"}, code: 1,
			stdout: append(both, "the keylint configuration ci/base.toml, which .keylint.toml extends, is not in the base commit",
				"changes the keylint configuration (ci/base.toml); the base commit has no such file"),
			not: []string{"file=docs/a.md"}},
		{name: "extends urandom in the base", base: map[string]string{".keylint.toml": "extends = \"/dev/urandom\"\n"},
			code: 2, stderr: []string{"outside the repository", "keylint: hint:"}},
		{name: "extends above the base tree", base: map[string]string{".keylint.toml": "extends = \"ci/../../x.toml\"\n"},
			code: 2, stderr: []string{"leaves the base commit's tree"}},
		{name: "base config is a link to dev-zero", base: map[string]string{".keylint.toml": "->/dev/zero"},
			code: 2, stderr: []string{"symbolic link", "keylint: hint:"}},
		{name: "base extends a link out of the tree", base: map[string]string{".keylint.toml": "extends = \"ci/base.toml\"\n", "ci/base.toml": "->../../../etc/passwd"},
			code: 2, stderr: []string{"symbolic link"}},
		{name: "base .gitleaksignore is a link out of the tree", base: map[string]string{".gitleaksignore": "->/dev/zero"},
			code: 2, stderr: []string{"symbolic link"}},

		// .gitleaksignore.
		{name: ".gitleaksignore added by the PR", head: map[string]string{".gitleaksignore": ignoreBoth}, code: 1,
			stdout: append(both, "changes the keylint ignore file (.gitleaksignore)"), sanity: []string{}},
		{name: ".gitleaksignore added by the PR, with --config", base: map[string]string{"ci/keylint.toml": "disable = []\n"},
			head: map[string]string{".gitleaksignore": ignoreBoth}, args: []string{"--config", "ci/keylint.toml"}, code: 1,
			stdout: append(both, "changes the keylint ignore file (.gitleaksignore)"), sanity: []string{"--config", "{{WS}}/ci/keylint.toml"}},
		{name: ".gitleaksignore changed by the PR", base: map[string]string{".gitleaksignore": "old.env:github-pat:3\n"},
			head: map[string]string{".gitleaksignore": ignoreBoth}, code: 1,
			stdout: append(both, "changes the keylint ignore file (.gitleaksignore); the scan used the base branch's version")},

		// 2. Baselines.
		{name: "--baseline absolute, added by the PR", head: map[string]string{".keylint-baseline": "{{BASELINE}}"},
			args: []string{"--baseline", "{{WS}}/.keylint-baseline"}, code: 1,
			stdout: append(both, "the baseline .keylint-baseline is not in the base commit", "changes the keylint baseline (.keylint-baseline); the base commit has no such file"),
			not:    []string{"used the base branch's version"}, sanity: []string{"--baseline", "{{WS}}/.keylint-baseline"}},
		{name: "--baseline relative, added by the PR", head: map[string]string{".keylint-baseline": "{{BASELINE}}"},
			args: []string{"--baseline", ".keylint-baseline"}, code: 1, stdout: append(both, "changes the keylint baseline (.keylint-baseline)")},
		{name: "--baseline dot-slash spelling, added by the PR", head: map[string]string{"ci/baseline": "{{BASELINE}}"},
			args: []string{"--baseline", "./ci/baseline"}, code: 1, stdout: append(both, "changes the keylint baseline (ci/baseline)")},
		{name: "--baseline dot-dot spelling, changed by the PR", base: map[string]string{"ci/baseline": "{{FIXTURE_BASELINE}}"}, head: map[string]string{"ci/baseline": "{{BASELINE}}"},
			args: []string{"--baseline", "docs/../ci/baseline"}, code: 1,
			stdout: append(both, "changes the keylint baseline (ci/baseline); the scan used the base branch's version")},
		{name: "--baseline through a link made in the work tree", base: map[string]string{"ci/baseline": "{{FIXTURE_BASELINE}}"},
			after: func(t *testing.T, ws, out string, s prSecrets) {
				write(t, filepath.Join(out, "bl", "baseline"), baselineOf(t, map[string]string{"app.env": s.appEnv()}))
				if err := os.RemoveAll(filepath.Join(ws, "ci")); err != nil {
					t.Fatal(err)
				}
				link(t, filepath.Join(out, "bl"), filepath.Join(ws, "ci"))
			},
			args: []string{"--baseline", "ci/baseline"}, code: 1, stdout: both},

		// 3. Ordinary setups.
		{name: "--baseline in a directory of the base", base: map[string]string{"ci/keylint-baseline": "{{FIXTURE_BASELINE}}"},
			head: map[string]string{"fixtures/test.env": "FIXTURE_TOKEN={{GH}}\n"}, args: []string{"--baseline", "ci/keylint-baseline"}, code: 1,
			stdout: both, not: []string{"fixtures/test.env", "::warning"}},
		{name: "--baseline absolute in a directory of the base", base: map[string]string{"ci/keylint-baseline": "{{FIXTURE_BASELINE}}"},
			head: map[string]string{"fixtures/test.env": "FIXTURE_TOKEN={{GH}}\n"}, args: []string{"--baseline", "{{WS}}/ci/keylint-baseline"}, code: 1,
			stdout: both, not: []string{"fixtures/test.env", "::warning"}},
		{name: "--baseline absent from the base", args: []string{"--baseline", ".keylint-baseline"}, code: 1,
			stdout: append(both, "the baseline .keylint-baseline is not in the base commit"), not: []string{"changes the keylint baseline"}},
		{name: "--config absent from the base", args: []string{"--config", "ci/keylint.toml"}, code: 1,
			stdout: append(both, "the keylint configuration ci/keylint.toml is not in the base commit")},
		{name: "--no-config keeps the base baseline", base: map[string]string{".keylint-baseline": "{{FIXTURE_BASELINE}}", ".gitleaksignore": ignoreBoth},
			head: map[string]string{"fixtures/test.env": "FIXTURE_TOKEN={{GH}}\n"}, args: []string{"--no-config", "--baseline", ".keylint-baseline"}, code: 1,
			stdout: both, not: []string{"fixtures/test.env"}},

		// Paths outside the workspace.
		{name: "--config outside the workspace", after: func(t *testing.T, _, out string, _ prSecrets) { write(t, filepath.Join(out, "k.toml"), allowAll) },
			args: []string{"--config", "{{OUT}}/k.toml"}, code: 2, stderr: []string{"outside the repository", "keylint: hint:", "base commit"}},
		{name: "--config dev-zero", args: []string{"--config", "/dev/zero"}, code: 2, stderr: []string{"outside the repository"}},
		{name: "--config above the workspace", args: []string{"--config", "../k.toml"}, code: 2, stderr: []string{"outside the repository"}},
		{name: "--config climbing out of a subdirectory", args: []string{"--config", "../../k.toml"}, cwd: "ci", code: 2, stderr: []string{"outside the repository"},
			base: map[string]string{"ci/keep": "x\n"}},
		{name: "--baseline outside the workspace", after: func(t *testing.T, _, out string, _ prSecrets) { write(t, filepath.Join(out, "b"), "") },
			args: []string{"--baseline", "{{OUT}}/b"}, code: 2, stderr: []string{"outside the repository"}},
		{name: "--baseline dev-zero", args: []string{"--baseline", "/dev/zero"}, code: 2, stderr: []string{"outside the repository"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newPRSecrets(t)
			r := newGitRepo(t)
			out := t.TempDir()
			files := map[string]string{"README.md": "# shop\n"}
			for k, v := range tc.base {
				files[k] = s.expand(t, v, r.dir, out)
			}
			base := r.commitLinks("base", files)
			r.git("checkout", "-q", "-b", "feature")
			files = map[string]string{"app.env": s.appEnv(), "pay.env": s.payEnv()}
			for k, v := range tc.head {
				files[k] = s.expand(t, v, r.dir, out)
			}
			head := r.commitLinks("add secrets", files)
			if tc.after != nil {
				tc.after(t, r.dir, out, s)
			}
			ws := r.dir
			if tc.wsLink {
				ws = filepath.Join(t.TempDir(), "workspace")
				link(t, r.dir, ws)
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = s.expand(t, a, ws, out)
			}
			if tc.sanity != nil {
				sargs := make([]string, len(tc.sanity))
				for i, a := range tc.sanity {
					sargs[i] = s.expand(t, a, r.dir, out)
				}
				if res := runEvent(t, r.dir, "", "push", base, head, sargs...); res.code != 0 {
					t.Fatalf("sanity: trusted, the pull request's files would silence its secrets, but a push exits %d:\n%s\n%s", res.code, res.stdout, res.stderr)
				}
			}
			cwd := ""
			if tc.cwd != "" {
				cwd = filepath.Join(ws, tc.cwd)
			}
			event := tc.event
			if event == "" {
				event = "pull_request"
			}
			res := runEvent(t, ws, cwd, event, base, head, args...)
			if res.code != tc.code {
				t.Fatalf("code %d, want %d\nstdout:\n%s\nstderr:\n%s", res.code, tc.code, res.stdout, res.stderr)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(res.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, res.stdout)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(res.stdout, w) {
					t.Errorf("stdout has %q:\n%s", w, res.stdout)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, res.stderr)
				}
			}
			if strings.Contains(res.stdout+res.stderr, s.gh) || strings.Contains(res.stdout+res.stderr, s.stripe) {
				t.Error("a secret was printed whole")
			}
		})
	}
}

// commitLinks is commit where a content "->x" makes a symbolic link to x.
func (r *gitRepo) commitLinks(msg string, files map[string]string) string {
	r.t.Helper()
	plain := map[string]string{}
	for name, content := range files {
		target, ok := strings.CutPrefix(content, "->")
		if !ok {
			plain[name] = content
			continue
		}
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if err := os.RemoveAll(p); err != nil {
			r.t.Fatal(err)
		}
		link(r.t, target, p)
		r.git("add", name)
	}
	return r.commit(msg, plain)
}
