package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gitexec/gitexectest"
)

// TestHostileConfigEveryCommand (issue 15, item 6): a repository whose
// configuration sets every key that can run a program or redirect a read
// (log.showSignature with gpg.program, the reported attack, and every
// relative: gpg.<format>.program, fsmonitor, pagers, editors, textconv and
// external diff drivers, filters, merge drivers, credential helpers,
// transports, hooks, attribute and exclude files ...), directly or through
// include.path and includeIf, runs nothing and has nothing read, whatever
// keylint command runs on it. Its history holds signed commits of the
// three kinds git verifies, so log.showSignature has something to verify.
func TestHostileConfigEveryCommand(t *testing.T) {
	clearHookEnv(t)
	zero := strings.Repeat("0", 40)
	for _, tc := range []struct {
		name      string
		byInclude bool
	}{
		{"config", false},
		{"include", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := ghToken(t)
			m := gitexectest.NewMarker(t)
			r := gitexectest.Init(t)
			base := r.Git("rev-parse", "HEAD")
			for i, s := range gitexectest.Signatures {
				files := map[string]string{"b.cfg": "x = " + s.Program + "\n"}
				if i == 1 {
					files["a.txt"] = "token: " + tok + "\n"
				}
				r.CommitSigned(s.Armor, "signed for "+s.Program, files)
			}
			head := r.Git("rev-parse", "HEAD")
			r.Write("staged.txt", "staged: "+tok+"\n")
			r.Git("add", "staged.txt")
			if tc.byInclude {
				r.PoisonByInclude(m)
			} else {
				r.Poison(m)
			}
			out := filepath.Join(t.TempDir(), "baseline")
			for _, c := range []struct {
				args  []string
				stdin string
				code  int
			}{
				{[]string{"scan", "."}, "", exitFindings},
				{[]string{"git", "."}, "", exitFindings},
				{[]string{"git", "--range", base + ".." + head, "."}, "", exitFindings},
				{[]string{"git", "--branch", "main", "."}, "", exitFindings},
				{[]string{"staged"}, "", exitFindings},
				{[]string{"hook", "run", "pre-commit"}, "", exitUsage},
				{[]string{"hook", "run", "pre-push", "--", "origin", "/x"}, "refs/heads/main " + head + " refs/heads/main " + base + "\n", exitFindings},
				{[]string{"hook", "run", "pre-push", "--", "origin", "/x"}, "refs/heads/topic " + head + " refs/heads/topic " + zero + "\n", exitFindings},
				{[]string{"baseline", "--output", out, "."}, "", exitClean},
				{[]string{"config", "."}, "", exitClean},
				{[]string{"hook", "install", "--pre-push"}, "", exitClean},
				{[]string{"hook", "uninstall"}, "", exitClean},
			} {
				res := runCLI(t, r.Dir, c.stdin, c.args...)
				what := "keylint " + strings.Join(c.args, " ")
				if res.code != c.code {
					t.Errorf("%s: exit %d, want %d\nstderr: %s", what, res.code, c.code, res.stderr)
				}
				m.Check(t, what)
			}
			for _, ev := range []struct{ event, template string }{
				{"push", "push.json"},
				{"pull_request", "pull_request.json"},
			} {
				res := runCI(t, r.Dir, ev.event, ev.template, base, head)
				if res.code != exitFindings {
					t.Errorf("keylint ci (%s): exit %d, want %d\nstderr: %s", ev.event, res.code, exitFindings, res.stderr)
				}
				m.Check(t, "keylint ci ("+ev.event+")")
			}
		})
	}
}
