package settings

import (
	"context"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/rules"
)

// TestLoadBase: a pull request's settings come from its base commit,
// whatever the head and the work tree say; a flag still beats them.
func TestLoadBase(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(".keylint.toml", "fail_on = \"high\"\nmax_file_size = 4096\n")
	base := r.Commit("base")
	r.Write(".keylint.toml", "fail_on = \"low\"\n")
	head := r.Commit("the pull request lowers the bar")
	r.Write(".keylint.toml", "fail_on = \"medium\"\n")
	tests := []struct {
		name    string
		flags   Flags
		failOn  rules.Severity
		maxSize int64
	}{
		{"from the base", Flags{}, rules.High, 4096},
		{"a flag beats it", Flags{FailOn: rules.Critical}, rules.Critical, 4096},
		{"--no-config", Flags{NoConfig: true}, rules.Low, DefaultMaxFileSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b, err := LoadBase(context.Background(), tt.flags, r.Dir, base, head)
			if err != nil {
				t.Fatal(err)
			}
			if s.FailOn != tt.failOn || s.MaxFileSize != tt.maxSize || b == nil || b.Config == nil {
				t.Errorf("fail on %q, max size %d (base %v); want %q, %d", s.FailOn, s.MaxFileSize, b, tt.failOn, tt.maxSize)
			}
		})
	}
	if _, _, err := LoadBase(context.Background(), Flags{}, t.TempDir(), base, head); err == nil {
		t.Error("outside a repository: no error")
	}
}
