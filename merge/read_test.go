package merge

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
)

func TestRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, shown bool) string {
		rep, err := report.New("json", report.Options{RulesHash: "h", SecretsShown: shown})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rep.Report(&b, nil, scanner.NewSummary()); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain, shown := write("plain.json", false), write("shown.json", true)
	notJSON := filepath.Join(dir, "not.json")
	if err := os.WriteFile(notJSON, []byte("not json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		paths   []string
		max     int64
		shown   bool
		n       int
		wantErr string // the message's beginning
		hint    string
	}{
		{name: "reports", paths: []string{plain, plain}, n: 2},
		{name: "secrets shown, merged with them", paths: []string{plain, shown}, shown: true, n: 2},
		{name: "secrets shown", paths: []string{plain, shown}, wantErr: shown + " holds whole secrets", hint: "pass --show-secrets to merge it"},
		{name: "missing", paths: []string{filepath.Join(dir, "nope.json")}, wantErr: "open ", hint: "give keylint json reports (--format json)"},
		{name: "not json", paths: []string{notJSON}, wantErr: notJSON, hint: "give keylint json reports (--format json); every shard's report whole"},
		{name: "too large", paths: []string{plain}, max: 10, wantErr: plain, hint: "give keylint json reports (--format json); every shard's report whole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := Read(tt.paths, tt.max, tt.shown)
			if tt.wantErr == "" {
				if err != nil || len(in) != tt.n {
					t.Fatalf("Read = %d inputs, %v; want %d", len(in), err, tt.n)
				}
				if in[0].Name != tt.paths[0] || in[0].Doc.RulesHash != "h" {
					t.Errorf("first input %q, hash %q", in[0].Name, in[0].Doc.RulesHash)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) || !clierr.IsUsage(err) || !strings.HasPrefix(clierr.Hint(err), tt.hint) {
				t.Errorf("err = %v (hint %q), want a usage error %q... with hint %q...", err, clierr.Hint(err), tt.wantErr, tt.hint)
			}
		})
	}
}
