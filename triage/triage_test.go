package triage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// fp is a fingerprint for finding n.
func fp(n byte) string { return strings.Repeat(string('a'+n), 32) }

// result is a scan result with one finding per spec: rule, severity, path,
// line; a finding's fingerprint is fp(its index).
func result(specs ...finding) *scanner.Result {
	res := &scanner.Result{Summary: scanner.Summary{Silenced: map[string]int{}}}
	for i, s := range specs {
		res.Findings = append(res.Findings, scanner.Finding{RuleID: s.rule, Severity: s.sev, Fingerprint: fp(byte(i)),
			Locations: []scanner.Location{{Path: s.path, Line: s.line}}})
	}
	res.Recount()
	return res
}

type finding struct {
	rule string
	sev  rules.Severity
	path string
	line int
}

// TestApply: each suppressing input drops what it lists and counts it, the
// notices say what a full scan left unmatched, and the gate counts only
// findings at or above fail-on.
func TestApply(t *testing.T) {
	high := finding{"r-high", rules.High, "a.env", 1}
	low := finding{"r-low", rules.Low, "b.env", 2}
	baseline := func(fs ...scanner.Finding) *Baseline { return NewBaseline(fs) }
	stale := scanner.Finding{RuleID: "gone", Fingerprint: fp(9), Locations: []scanner.Location{{Path: "gone.env"}}}
	ignore := func(t *testing.T, text string) *GitleaksIgnore {
		g, err := ParseGitleaksIgnore(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	for _, tc := range []struct {
		name        string
		opt         func(t *testing.T, res *scanner.Result) Options
		wantIDs     []string
		wantFailing int
		wantKinds   []Kind
		silenced    map[string]int
	}{
		{
			name:        "nothing to apply, fail on low",
			opt:         func(*testing.T, *scanner.Result) Options { return Options{NoIgnore: true, FailOn: rules.Low} },
			wantIDs:     []string{"r-high", "r-low"},
			wantFailing: 2,
			silenced:    map[string]int{},
		},
		{
			name:        "fail on high: the low finding is reported, not failing",
			opt:         func(*testing.T, *scanner.Result) Options { return Options{NoIgnore: true, FailOn: rules.High} },
			wantIDs:     []string{"r-high", "r-low"},
			wantFailing: 1,
			silenced:    map[string]int{"below-fail-on": 1},
		},
		{
			name: "pinned baseline drops its finding; stale entry noticed on a full scan",
			opt: func(_ *testing.T, res *scanner.Result) Options {
				return Options{Full: true, FailOn: rules.Low, Pinned: &Pinned{Baseline: baseline(res.Findings[0], stale), BaselinePath: "bl"}}
			},
			wantIDs:     []string{"r-low"},
			wantFailing: 1,
			wantKinds:   []Kind{StaleBaseline},
			silenced:    map[string]int{"baseline": 1},
		},
		{
			name: "stale entries are not noticed when the scan covered a change",
			opt: func(_ *testing.T, res *scanner.Result) Options {
				return Options{FailOn: rules.Low, Pinned: &Pinned{Baseline: baseline(res.Findings[0], stale)}}
			},
			wantIDs:     []string{"r-low"},
			wantFailing: 1,
			silenced:    map[string]int{"baseline": 1},
		},
		{
			name: "pinned .gitleaksignore drops its location; an unmatched fingerprint is noticed",
			opt: func(t *testing.T, _ *scanner.Result) Options {
				return Options{Full: true, FailOn: rules.Low, Pinned: &Pinned{Ignore: ignore(t, "b.env:r-low:2\nc.env:r-x:9\n")}}
			},
			wantIDs:     []string{"r-high"},
			wantFailing: 1,
			wantKinds:   []Kind{UnmatchedIgnore},
			silenced:    map[string]int{"gitleaksignore": 1},
		},
		{
			name: "--no-config skips the .gitleaksignore",
			opt: func(t *testing.T, _ *scanner.Result) Options {
				return Options{NoIgnore: true, FailOn: rules.Low, Pinned: &Pinned{Ignore: ignore(t, "b.env:r-low:2\n")}}
			},
			wantIDs:     []string{"r-high", "r-low"},
			wantFailing: 2,
			silenced:    map[string]int{},
		},
		{
			name: "baseline on disk, named by --baseline",
			opt: func(t *testing.T, res *scanner.Result) Options {
				return Options{NoIgnore: true, FailOn: rules.Low, Baseline: writeBaseline(t, baseline(res.Findings[1]))}
			},
			wantIDs:     []string{"r-high"},
			wantFailing: 1,
			silenced:    map[string]int{"baseline": 1},
		},
		{
			name: "a configured baseline that does not exist is a notice",
			opt: func(t *testing.T, _ *scanner.Result) Options {
				return Options{NoIgnore: true, FailOn: rules.Low, Baseline: filepath.Join(t.TempDir(), "none"), BaselineOptional: true}
			},
			wantIDs:     []string{"r-high", "r-low"},
			wantFailing: 2,
			wantKinds:   []Kind{MissingBaseline},
			silenced:    map[string]int{},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := result(high, low)
			out, err := Apply(context.Background(), res, tc.opt(t, res))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range res.Findings {
				ids = append(ids, f.RuleID)
			}
			if !reflect.DeepEqual(ids, tc.wantIDs) {
				t.Errorf("findings %v, want %v", ids, tc.wantIDs)
			}
			if res.Summary.Findings != len(tc.wantIDs) {
				t.Errorf("summary counts %d findings, want %d", res.Summary.Findings, len(tc.wantIDs))
			}
			if out.Failing != tc.wantFailing {
				t.Errorf("failing %d, want %d", out.Failing, tc.wantFailing)
			}
			var kinds []Kind
			for _, n := range out.Notices {
				kinds = append(kinds, n.Kind)
			}
			if !reflect.DeepEqual(kinds, tc.wantKinds) {
				t.Errorf("notices %v, want %v", kinds, tc.wantKinds)
			}
			if !reflect.DeepEqual(res.Summary.Silenced, tc.silenced) {
				t.Errorf("silenced %v, want %v", res.Summary.Silenced, tc.silenced)
			}
		})
	}
}

func writeBaseline(t *testing.T, b *Baseline) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "baseline")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestApplyGitleaksIgnoreOnDisk: the .gitleaksignore at the repository
// root of Start is read and applied.
func TestApplyGitleaksIgnoreOnDisk(t *testing.T) {
	repo := t.TempDir()
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, config.GitleaksIgnoreName), []byte("a.env:r-high:1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := result(finding{"r-high", rules.High, "a.env", 1})
	out, err := Apply(context.Background(), res, Options{Start: repo, FailOn: rules.Low})
	if err != nil || len(res.Findings) != 0 || out.Failing != 0 || res.Summary.Silenced["gitleaksignore"] != 1 {
		t.Fatalf("Apply = %+v, %v; findings %v", out, err, res.Findings)
	}
}

// TestApplyErrors: a baseline that cannot be read or parsed is an error
// with a hint.
func TestApplyErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken")
	if err := os.WriteFile(broken, []byte("not a baseline\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, baseline, inErr, inHint string
	}{
		{"missing --baseline", filepath.Join(dir, "none"), "cannot read baseline", "keylint baseline --output"},
		{"malformed", broken, "baseline line 1", "regenerate it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := result(finding{"r-high", rules.High, "a.env", 1})
			out, err := Apply(context.Background(), res, Options{NoIgnore: true, Baseline: tc.baseline, FailOn: rules.Low})
			var h interface{ Hint() string }
			if err == nil || !strings.Contains(err.Error(), tc.inErr) || !errors.As(err, &h) || !strings.Contains(h.Hint(), tc.inHint) {
				t.Fatalf("err = %v, want %q with hint %q", err, tc.inErr, tc.inHint)
			}
			if len(out.Notices) != 0 {
				t.Errorf("notices %v", out.Notices)
			}
		})
	}
}

// TestAddedAllowNotices: an inline allow on an added line is a notice; one
// on an unchanged line is not.
func TestAddedAllowNotices(t *testing.T) {
	res := result()
	res.Allowed = []scanner.Silenced{
		{RuleID: "r", Location: scanner.Location{Path: "a.go", Line: 3}, Added: true},
		{RuleID: "r", Location: scanner.Location{Path: "b.go", Line: 4}},
	}
	out, err := Apply(context.Background(), res, Options{NoIgnore: true, FailOn: rules.Low})
	if err != nil || len(out.Notices) != 1 || out.Notices[0].Kind != AddedAllow || out.Notices[0].Allow.Path != "a.go" {
		t.Fatalf("Apply = %+v, %v", out, err)
	}
}

// TestDropOwnDefinitions: a custom rule's finding in the file that defines
// it is dropped and counted; elsewhere it stays.
func TestDropOwnDefinitions(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".keylint.toml")
	if err := os.WriteFile(cfg, []byte("[[rules]]\nid = \"acme\"\ndescription = \"Acme\"\nkeywords = [\"acme_\"]\nregex = 'acme_[a-z]{8}'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := config.Load(config.Options{Path: cfg})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		kept       bool
	}{
		{"in its configuration file", cfg, false},
		{"relative to the repository root", ".keylint.toml", false},
		{"elsewhere", filepath.Join(dir, "app.env"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := result(finding{"acme", rules.Medium, tc.path, 1})
			DropOwnDefinitions(l.Ruleset, res)
			if got := len(res.Findings) == 1; got != tc.kept {
				t.Fatalf("kept %v, want %v", got, tc.kept)
			}
			if !tc.kept && res.Summary.Silenced["rule-definition"] != 1 {
				t.Errorf("silenced %v", res.Summary.Silenced)
			}
		})
	}
}
