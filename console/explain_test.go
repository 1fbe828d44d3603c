package console

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/triage"
)

// TestExplain: rejected candidates are listed as text or JSON from named
// items; stdin and binary items are not explained.
func TestExplain(t *testing.T) {
	t.Parallel()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := rules.NewMatcher(rs)
	data := "DB_PASSWORD=<your-password>\n"
	src := func() scanner.Source {
		return scanner.Multi{
			&scanner.Reader{Name: "stdin", R: strings.NewReader(data)},
			&scanner.Reader{Name: "bin.dat", R: strings.NewReader(data + "\x00")},
			&scanner.Reader{Name: "app.env", R: strings.NewReader(data)},
		}
	}
	for _, tc := range []struct {
		name string
		opt  ExplainOptions
	}{
		{"text", ExplainOptions{MaxFileSize: 1 << 20}},
		{"json", ExplainOptions{MaxFileSize: 1 << 20, JSON: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Explain(context.Background(), &b, m, src(), tc.opt); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if out == "" || strings.Contains(out, "stdin") || strings.Contains(out, "bin.dat") {
				t.Fatalf("output %q: want app.env's rejections only", out)
			}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if tc.opt.JSON {
					var r rules.Rejection
					if err := json.Unmarshal([]byte(line), &r); err != nil || r.Path != "app.env" || r.Line != 1 {
						t.Errorf("line %q: %+v, %v", line, r, err)
					}
				} else if !strings.HasPrefix(line, "keylint: rejected: app.env:1:") {
					t.Errorf("line %q", line)
				}
			}
		})
	}
}

func TestAddedAllowNotes(t *testing.T) {
	t.Parallel()
	got := AddedAllowNotes([]triage.Notice{
		{Kind: triage.AddedAllow, Allow: scanner.Silenced{Location: scanner.Location{Path: "a.go", Line: 3}, RuleID: "aws-access-key"}},
		{Kind: triage.StaleBaseline},
	})
	want := []string{"this change adds an inline allow that silences aws-access-key at a.go:3"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}
