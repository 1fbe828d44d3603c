package merge

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/repolist"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

const lowered = "severity lowered one level: found only in tests"

// secretSpec is what one secret looks like under its rule.
type secretSpec struct {
	rule, fp, secret string
	sev              rules.Severity
}

// randomRepo returns the part of one repository, as a history scan of it
// would report it: each finding of a secret drawn from specs, with random
// locations, exposure, context and HEAD membership.
func randomRepo(rng *rand.Rand, repo string, specs []secretSpec) Part {
	var fs []scanner.Finding
	for _, s := range specs {
		if rng.IntN(3) == 0 {
			continue
		}
		f := scanner.Finding{RuleID: s.rule, Description: "desc " + s.rule, Provider: "prov", Severity: s.sev,
			Secret: s.secret, Fingerprint: s.fp, Entropy: 4.5, Remediation: "Rotate it.", InHead: rng.IntN(2) == 0}
		switch rng.IntN(4) {
		case 0:
			f.BrowserExposed, f.Severity = true, rules.Critical
			f.Exposure = fmt.Sprintf("exposed to browsers through a file under %s/", []string{"public", "dist", "static"}[rng.IntN(3)])
		case 1:
			f.Context = lowered
			f.Severity = map[rules.Severity]rules.Severity{rules.Critical: rules.High, rules.High: rules.Medium, rules.Medium: rules.Low, rules.Low: rules.Low}[s.sev]
		case 2:
			f.Exposure = "in an HTML page, but this key type is meant to be public"
		}
		if !f.InHead {
			f.Remediation = scanner.HistoryOnlyNote + f.Remediation
		}
		for range 1 + rng.IntN(3) {
			f.Locations = append(f.Locations, scanner.Location{
				Path: fmt.Sprintf("dir%d/file%d.go", rng.IntN(3), rng.IntN(4)), Line: 1 + rng.IntN(50), Column: 1 + rng.IntN(9),
				EndLine: 60, EndColumn: 70, Commit: fmt.Sprintf("%040x", rng.IntN(5)), Author: "a", Email: "a@example.com",
				Date: time.Date(2024, 1, 1+rng.IntN(28), 0, 0, 0, 0, time.UTC), Message: "m", LineExcerpt: "x = " + s.secret,
			})
		}
		fs = append(fs, f)
	}
	sum := scanner.Summary{Files: rng.IntN(100), Bytes: int64(rng.IntN(1 << 20)), Warnings: rng.IntN(2),
		Skipped: map[string]int{"binary": rng.IntN(3)}, Silenced: map[string]int{"inline-allow": rng.IntN(2)},
		Rejected: map[string]int{"entropy": rng.IntN(9)}, SkippedFiles: []scanner.SkippedFile{{Path: "bin/x", Reason: "binary"}}}
	return FromRepository(repo, fs, sum)
}

func specs(rng *rand.Rand, n int) []secretSpec {
	var out []secretSpec
	for i := range n {
		rule := fmt.Sprintf("rule-%d", i%4)
		out = append(out, secretSpec{rule: rule, fp: fmt.Sprintf("%032x", i+1), secret: fmt.Sprintf("sec%d…", i),
			sev: []rules.Severity{rules.Critical, rules.High, rules.Medium, rules.Low}[i%4]})
	}
	return out
}

// render writes findings in every format.
func render(t *testing.T, fs []scanner.Finding, sum scanner.Summary) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, format := range report.Formats() {
		r, err := report.New(format, report.Options{ToolVersion: "v1.2.3", RulesHash: "feedface"})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := r.Report(&b, fs, sum); err != nil {
			t.Fatal(err)
		}
		out[format] = b.Bytes()
	}
	return out
}

// TestShardsEqualOneRun combines random repositories in one go and, for
// several shard counts, shard by shard through json reports read back, and
// checks that every format is byte for byte the same.
func TestShardsEqualOneRun(t *testing.T) {
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 99))
		sp := specs(rng, 12)
		var repos []string
		parts := map[string]Part{}
		for i := range 9 {
			repo := fmt.Sprintf("org/repo-%02d", i)
			repos = append(repos, repo)
			parts[repo] = randomRepo(rng, repo, sp)
		}
		var all []Part
		for _, r := range repolist.Select(repos, repolist.Shard{}) {
			all = append(all, parts[r])
		}
		fs, sum := Combine(all)
		want := render(t, fs, sum)
		for _, n := range []int{1, 2, 3, 9} {
			var in []Input
			for k := 1; k <= n; k++ {
				var shard []Part
				for _, r := range repolist.Select(repos, repolist.Shard{K: k, N: n}) {
					shard = append(shard, parts[r])
				}
				fs, sum := Combine(shard)
				doc, err := report.ReadJSON(bytes.NewReader(render(t, fs, sum)["json"]), "shard", 0)
				if err != nil {
					t.Fatal(err)
				}
				in = append(in, Input{Name: fmt.Sprintf("shard-%d.json", k), Doc: doc})
			}
			// The order reports are given in does not matter.
			rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
			fs, sum, hash, err := Reports(in, false)
			if err != nil {
				t.Fatal(err)
			}
			if hash != "feedface" {
				t.Errorf("rules hash %q", hash)
			}
			got := render(t, fs, sum)
			for format, w := range want {
				if !bytes.Equal(got[format], w) {
					t.Fatalf("seed %d, %d shards: merged %s report differs from one run: %s", seed, n, format, firstDiff(got[format], w))
				}
			}
		}
	}
}

func TestCombineFinding(t *testing.T) {
	loc := func(repo string) []scanner.Location {
		return []scanner.Location{{Repository: repo, Path: "a.go", Line: 1, Column: 1, Commit: "c"}}
	}
	base := scanner.Finding{RuleID: "generic-password", Fingerprint: "f", Severity: rules.High, Remediation: "Rotate."}
	with := func(repo string, edit func(*scanner.Finding)) Part {
		f := base
		f.Locations = loc(repo)
		edit(&f)
		return Part{Findings: []scanner.Finding{f}}
	}
	lower := func(f *scanner.Finding) { f.Severity, f.Context = rules.Medium, lowered }
	expose := func(why string) func(*scanner.Finding) {
		return func(f *scanner.Finding) { f.Severity, f.BrowserExposed, f.Exposure = rules.Critical, true, why }
	}
	historyOnly := func(f *scanner.Finding) { f.Remediation = scanner.HistoryOnlyNote + f.Remediation }
	inHead := func(f *scanner.Finding) { f.InHead = true }
	tests := []struct {
		name  string
		parts []Part
		check func(f scanner.Finding) string
	}{
		{"lowered everywhere stays lowered", []Part{with("a", lower), with("b", lower)}, func(f scanner.Finding) string {
			if f.Severity != rules.Medium || f.Context != lowered {
				return "want medium, lowered"
			}
			return ""
		}},
		{"lowered in one repository only: the rule's severity", []Part{with("a", lower), with("b", func(*scanner.Finding) {})}, func(f scanner.Finding) string {
			if f.Severity != rules.High || f.Context != "" {
				return "want high, no context"
			}
			return ""
		}},
		{"exposed in one: critical, its note", []Part{with("a", lower), with("b", expose("exposed: z")), with("c", expose("exposed: y"))}, func(f scanner.Finding) string {
			if f.Severity != rules.Critical || !f.BrowserExposed || f.Exposure != "exposed: y" || f.Context != "" {
				return "want critical, exposed, note y"
			}
			return ""
		}},
		{"in HEAD somewhere: no history-only note", []Part{with("a", historyOnly), with("b", inHead)}, func(f scanner.Finding) string {
			if !f.InHead || f.Remediation != "Rotate." {
				return "want in HEAD, plain remediation"
			}
			return ""
		}},
		{"history only everywhere keeps the note", []Part{with("a", historyOnly), with("b", historyOnly)}, func(f scanner.Finding) string {
			if f.InHead || !strings.HasPrefix(f.Remediation, scanner.HistoryOnlyNote) {
				return "want the history-only note"
			}
			return ""
		}},
		{"one location per repository, duplicates dropped", []Part{with("b", inHead), with("a", inHead), with("a", inHead)}, func(f scanner.Finding) string {
			if len(f.Locations) != 2 || f.Locations[0].Repository != "a" || f.Locations[1].Repository != "b" {
				return "want locations a, b"
			}
			return ""
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, sum := Combine(tc.parts)
			if len(fs) != 1 || sum.Findings != 1 || sum.BySeverity[fs[0].Severity] != 1 {
				t.Fatalf("got %d findings, summary %+v", len(fs), sum)
			}
			if msg := tc.check(fs[0]); msg != "" {
				t.Errorf("%s; got %+v", msg, fs[0])
			}
		})
	}
}

func TestCombineSummary(t *testing.T) {
	a := FromRepository("org/a", nil, scanner.Summary{Files: 2, Bytes: 10, Warnings: 1, Skipped: map[string]int{"binary": 1},
		SkippedFiles: []scanner.SkippedFile{{Path: "x.bin", Reason: "binary"}}, Capped: map[string]int{"r": 1}})
	b := FromRepository("org/b", nil, scanner.Summary{Files: 3, Bytes: 5, Skipped: map[string]int{"binary": 2, "too-large": 1},
		SkippedFiles: []scanner.SkippedFile{{Path: "big", Reason: "too-large"}}})
	_, sum := Combine([]Part{b, a})
	if sum.Files != 5 || sum.Bytes != 15 || sum.Warnings != 1 || sum.Skipped["binary"] != 3 || sum.Skipped["too-large"] != 1 || sum.Capped["r"] != 1 {
		t.Errorf("summary %+v", sum)
	}
	if fmt.Sprint(sum.SkippedFiles) != "[{org/a:x.bin binary} {org/b:big too-large}]" {
		t.Errorf("skipped files %v", sum.SkippedFiles)
	}
}

func TestReportsMixedRules(t *testing.T) {
	doc := func(hash string) *report.Document { return &report.Document{RulesHash: hash} }
	tests := []struct {
		name  string
		in    []Input
		allow bool
		err   string
	}{
		{"same", []Input{{"a", doc("h")}, {"b", doc("h")}}, false, ""},
		{"different", []Input{{"a", doc("h")}, {"b", doc("g")}}, false, "a has rules hash h but b has rules hash g"},
		{"different, allowed", []Input{{"a", doc("h")}, {"b", doc("g")}}, true, ""},
		{"no hash", []Input{{"a", doc("")}}, false, "no rules hash"},
		{"none", nil, false, "no report to merge"},
	}
	for _, tc := range tests {
		_, _, _, err := Reports(tc.in, tc.allow)
		if tc.err == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
		if !clierr.IsUsage(err) || clierr.Hint(err) != "merge the reports of one audit, written with the same keylint configuration" {
			t.Errorf("%s: %v is not a usage error with the merge hint (hint %q)", tc.name, err, clierr.Hint(err))
		}
		var mixed *MixedRulesError
		if tc.name == "different" && (!errors.As(err, &mixed) || !strings.Contains(err.Error(), "--allow-mixed-rules")) {
			t.Errorf("%s: %v is not a MixedRulesError that names the flag", tc.name, err)
		}
	}
}

// firstDiff shows the first line that differs between a and b.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n%.400s\nwant\n%.400s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(al), len(bl))
}
