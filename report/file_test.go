package report

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/scanner"
)

func TestCheckFormat(t *testing.T) {
	t.Parallel()
	if got, want := FormatList(), "text, compact, json, jsonl, sarif, csv or html"; got != want {
		t.Errorf("FormatList = %q, want %q", got, want)
	}
	for _, f := range append(Formats(), "JSON", " sarif ") {
		if err := CheckFormat(f); err != nil {
			t.Errorf("CheckFormat(%q) = %v", f, err)
		}
	}
	err := CheckFormat("yaml")
	if err == nil || err.Error() != `unknown format "yaml"` || !clierr.IsUsage(err) || clierr.Hint(err) != "use --format "+FormatList() {
		t.Errorf("CheckFormat(yaml) = %v (hint %q)", err, clierr.Hint(err))
	}
}

func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fs := []scanner.Finding{{RuleID: "r", Fingerprint: "f", Severity: "high", Locations: []scanner.Location{{Path: "a.env", Line: 1}}}}
	sum := scanner.NewSummary()
	tests := []struct {
		format  string
		want    string // in the file
		wantErr string
	}{
		{"sarif", `"ruleId": "r"`, ""},
		{"csv", "a.env", ""},
		{"yaml", "", `unknown format "yaml"`},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, "report."+tt.format)
		err := WriteFile(context.Background(), path, tt.format, Options{ToolVersion: "1.2.3"}, fs, sum)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr || !clierr.IsUsage(err) {
				t.Errorf("%s: err = %v, want the usage error %q", tt.format, err, tt.wantErr)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("%s: a file was written (%v)", tt.format, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.format, err)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want 0600", tt.format, err, fi.Mode())
		}
		data, _ := os.ReadFile(path)
		if !strings.Contains(string(data), tt.want) {
			t.Errorf("%s: file lacks %q:\n%s", tt.format, tt.want, data)
		}
	}
}
