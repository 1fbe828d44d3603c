package history

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/internal/testrules"
	"github.com/keylint/keylint/internal/testsecret"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// capRules has a rule without placeholder detection, so every random
// token is a finding and the counts are exact.
const capRules = `
[[rules]]
id = "cap-token"
description = "Test token"
provider = "Test"
severity = "high"
keywords = ["ctk_"]
regex = '''\b(ctk_[A-Za-z0-9]{24})\b'''
secret_group = 1
placeholders = false
remediation = "Revoke it."
`

func capScanner(t *testing.T) *scanner.Scanner {
	t.Helper()
	return scanner.New(testrules.Matcher(t, "cap.toml", capRules), scanner.Options{Workers: 2})
}

// TestFindingLimitWarns: a file with more genuine findings of one rule
// than rules.MaxFindingsPerRule is a warning naming the file and the rule
// and a count in the summary, in a directory scan and in a history scan;
// a file at the limit, and the other files, report everything and warn
// of nothing.
func TestFindingLimitWarns(t *testing.T) {
	t.Parallel()
	lines := func(n int, tok func() string) string {
		var b strings.Builder
		for range n {
			b.WriteString("key: " + tok() + "\n")
		}
		return b.String()
	}
	over := rules.MaxFindingsPerRule + 1
	tok := func() string { return "ctk_" + testsecret.Random(t, testsecret.Alnum, 24) }
	dir := func(t *testing.T) *scanner.Result {
		root := t.TempDir()
		for name, content := range map[string]string{
			"fixtures/over.txt": lines(over, tok),
			"fixtures/at.txt":   lines(rules.MaxFindingsPerRule, tok),
			"app/config.env":    "TOKEN=" + tok() + "\n",
		} {
			p := filepath.Join(root, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := capScanner(t).Scan(context.Background(), &scanner.Dir{Paths: []string{root}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	history := func(t *testing.T) *scanner.Result {
		r := gittest.New(t)
		r.Write("fixtures/over.txt", lines(over, tok))
		r.Write("fixtures/at.txt", lines(rules.MaxFindingsPerRule, tok))
		r.Write("app/config.env", "TOKEN="+tok()+"\n")
		r.Commit("fixtures")
		res, err := Scan(context.Background(), capScanner(t), Options{Repo: r.Dir})
		if err != nil {
			t.Fatal(err)
		}
		return &res.Result
	}
	for _, c := range []struct {
		name string
		scan func(t *testing.T) *scanner.Result
	}{
		{"directory", dir},
		{"history", history},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := c.scan(t)
			var capped []string
			for _, w := range res.Warnings {
				var ce *scanner.CapError
				if !errors.As(w.Err, &ce) {
					t.Errorf("unexpected warning %v", w)
					continue
				}
				capped = append(capped, w.Path+" "+ce.Rule)
				if ce.Limit != rules.MaxFindingsPerRule || !strings.Contains(w.Error(), "cap-token") || !strings.Contains(w.Error(), "scan again") {
					t.Errorf("warning %q: want the rule, the limit and what to do", w.Error())
				}
			}
			if len(capped) != 1 || !strings.HasSuffix(capped[0], "fixtures/over.txt cap-token") {
				t.Errorf("cap warnings %q, want one for fixtures/over.txt and cap-token", capped)
			}
			if res.Summary.Capped["cap-token"] != 1 || len(res.Summary.Capped) != 1 {
				t.Errorf("summary capped %v, want cap-token 1", res.Summary.Capped)
			}
			if want := 2*rules.MaxFindingsPerRule + 1; res.Summary.Findings != want {
				t.Errorf("%d findings, want %d (the limit from the capped file, all of the others)", res.Summary.Findings, want)
			}
		})
	}
}
