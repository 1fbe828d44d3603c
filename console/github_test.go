package console

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/scanner"
)

// TestStepSummary: keylint ci appends its job summary to the file GitHub
// names, and says which file it could not write.
func TestStepSummary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res := &scanner.Result{Summary: scanner.NewSummary()}
	existing := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(existing, []byte("earlier step\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{"not in GitHub Actions", "", ""},
		{"appended", existing, ""},
		{"unwritable", filepath.Join(dir, "missing", "summary.md"), "writing the step summary: "},
	}
	for _, tt := range tests {
		err := StepSummary(tt.path, res, []string{"a note"}, nil, 0)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		}
	}
	data, err := os.ReadFile(existing)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "earlier step\n") || !strings.Contains(string(data), "a note") {
		t.Errorf("summary file:\n%s", data)
	}
}
