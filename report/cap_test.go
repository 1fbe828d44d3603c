package report

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/keylint/keylint/scanner"
)

// TestCapAnnotations: a warning that a rule's findings were cut short is
// one `::warning file=…` command whose file, title and message cannot end
// the command or start another, whatever the path holds; other warnings
// are left to stderr.
func TestCapAnnotations(t *testing.T) {
	t.Parallel()
	capErr := &scanner.CapError{Rule: "github-classic-pat", Limit: 65536}
	for _, c := range []struct {
		name, path, want string
	}{
		{"plain", "fixtures/tokens.txt", "::warning file=fixtures/tokens.txt,title=keylint%3A findings cut short (github-classic-pat)::rule github-classic-pat found more than 65536 secrets"},
		{"comma and colon", "a,b:c.txt", "::warning file=a%2Cb%3Ac.txt,title="},
		{"newline and command", "x\n::error file=y::boom", "::warning file=x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			ws := []scanner.Warning{
				{Path: "other.txt", Err: errors.New("unreadable")},
				{Path: c.path, Err: fmt.Errorf("scanning: %w", capErr)},
			}
			if err := WriteCapAnnotations(&b, ws); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, c.want) {
				t.Errorf("got %q, want one line starting %q", out, c.want)
			}
			if strings.Contains(out, "other.txt") || strings.Contains(out, "::error") {
				t.Errorf("got %q: another warning annotated, or a command injected", out)
			}
		})
	}
}

// TestSummaryCapped: a capped rule is a line of the summary, by rule.
func TestSummaryCapped(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	sum := scanner.Summary{Files: 2, Capped: map[string]int{"zq-b": 1, "zq-a": 2}}
	if err := WriteSummary(&b, sum, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "findings cut short at the per-rule limit in 3 files (zq-a 2, zq-b 1): see the warnings\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("summary:\n%s\nwant a line %q", b.String(), want)
	}
	b.Reset()
	if err := WriteSummary(&b, scanner.Summary{Files: 2}, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "cut short") {
		t.Errorf("summary without a capped rule mentions one:\n%s", b.String())
	}
}

// TestStepSummaryCapped: the step summary of a run with a capped rule
// says so in a warning block.
func TestStepSummaryCapped(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	sum := scanner.Summary{Files: 1, Capped: map[string]int{"github-classic-pat": 1}}
	if err := WriteStepSummary(&b, nil, sum, nil, nil, 0); err != nil {
		t.Fatal(err)
	}
	want := "> [!WARNING]\n> Findings were cut short at the per-rule limit in 1 file (github-classic-pat 1): the annotations name each file"
	if !strings.Contains(b.String(), want) {
		t.Errorf("step summary:\n%s\nwant %q", b.String(), want)
	}
}
