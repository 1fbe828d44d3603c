package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/testsecret"
	"github.com/keylint/keylint/rules"
)

// badChecksum turns a token that passes its checksum into one that fails
// it: the last character changes.
func badChecksum(tok string) string {
	last := tok[len(tok)-1]
	next := byte('A')
	if last == 'A' {
		next = 'B'
	}
	return tok[:len(tok)-1] + string(next)
}

// TestCIDecoysAndFindingLimit: in a pull request, a real key hidden behind
// thousands of look-alikes that fail their checksum is still reported; a
// file with more genuine findings than the per-rule limit is reported up
// to the limit with a `::warning file=…` annotation, a warning on stderr
// naming file and rule, and a summary line.
func TestCIDecoysAndFindingLimit(t *testing.T) {
	t.Parallel()
	const decoys = 4200 // more than the raw-candidate limit that used to hide the key
	real := ghToken(t)
	npmReal := func() string {
		body := testsecret.Random(t, testsecret.Alnum, 30)
		return "npm" + "_" + body + rules.Base62CRC32(body)
	}()
	var before, after, sameLine strings.Builder
	for range decoys {
		before.WriteString("token: " + badChecksum(ghToken(t)) + "\n")
		after.WriteString(badChecksum(ghToken(t)) + "\n")
		sameLine.WriteString(badChecksum(strings.Replace(ghToken(t), "gh"+"p_", "npm_", 1)) + " ")
	}
	// Random tokens: a few may look like placeholders and be rejected, so
	// go well past the limit.
	const over = rules.MaxFindingsPerRule + 100
	var many strings.Builder
	for range over {
		many.WriteString(ghToken(t) + "\n")
	}
	for _, c := range []struct {
		name, file, content string
		wantErrors          []string // annotation prefixes that must appear
		capped              bool
	}{
		{"ghp decoys before and after", "fixtures/decoys.txt", before.String() + "GITHUB_TOKEN=" + real + "\n" + after.String(),
			[]string{fmt.Sprintf("::error file=fixtures/decoys.txt,line=%d,col=14,", decoys+1)}, false},
		{"npm decoys on the key's line", "fixtures/npmrc", "//registry.npmjs.org/:_authToken=" + sameLine.String() + npmReal + "\n",
			[]string{fmt.Sprintf("::error file=fixtures/npmrc,line=1,col=%d,", len("//registry.npmjs.org/:_authToken=")+decoys*len(npmReal+" ")+1)}, false},
		{"more genuine findings than the limit", "fixtures/tokens.txt", many.String(),
			[]string{"::error file=fixtures/tokens.txt,line=1,", fmt.Sprintf("::error file=fixtures/tokens.txt,line=%d,", rules.MaxFindingsPerRule)}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.capped && raceEnabled {
				t.Skip("65,536 findings through the whole CLI take minutes under the race detector; the plain test run covers it")
			}
			t.Parallel()
			r := newGitRepo(t)
			base := r.commit("base", map[string]string{"README.md": "# shop\n"})
			r.git("checkout", "-q", "-b", "feature")
			head := r.commit("fixtures", map[string]string{c.file: c.content})
			run := runCI(t, r.dir, "pull_request", "pull_request.json", base, head)
			if run.code != 1 {
				t.Fatalf("code %d, want 1 (findings)\nstderr:%s", run.code, run.stderr)
			}
			for _, w := range c.wantErrors {
				if !strings.Contains(run.stdout, w) {
					t.Errorf("stdout lacks %q", w)
				}
			}
			warn := "::warning file=" + c.file + ",title=keylint%3A findings cut short (github-classic-pat)::rule github-classic-pat found more than"
			stderrWarn := "keylint: warning: " + c.file + ": rule github-classic-pat found more than"
			summary := "findings cut short at the per-rule limit in 1 file (github-classic-pat 1): see the warnings"
			for _, w := range []struct{ where, got, want string }{
				{"stdout", run.stdout, warn}, {"stderr", run.stderr, stderrWarn}, {"stderr", run.stderr, summary},
				{"step summary", run.summary, "> Findings were cut short at the per-rule limit in 1 file (github-classic-pat 1)"},
			} {
				if strings.Contains(w.got, w.want) != c.capped {
					t.Errorf("%s has %q: %v, want %v", w.where, w.want, !c.capped, c.capped)
				}
			}
			if strings.Contains(run.stdout, fmt.Sprintf("line=%d,", over)) {
				t.Errorf("a finding past the limit was reported\n%s", run.stderr)
			}
		})
	}
}
