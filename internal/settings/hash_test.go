package settings

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/keylint/keylint/internal/config"
)

// TestRulesHash: the hash is stable for the same settings and changes
// with the rules, the file size limit and --show-secrets, and nothing else
// that a report does not depend on.
func TestRulesHash(t *testing.T) {
	ctx := context.Background()
	base, err := Load(ctx, Flags{NoConfig: true}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	id := base.Ruleset.Rules()[0].ID
	if err := os.WriteFile(filepath.Join(repo, config.FileName), []byte("disable = [\""+id+"\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	disabled, err := Load(ctx, Flags{}, repo)
	if err != nil {
		t.Fatal(err)
	}
	hash := func(s Settings) string {
		t.Helper()
		h, err := s.RulesHash()
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	want := hash(base)
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(want) {
		t.Fatalf("hash %q is not 32 hex digits", want)
	}
	same := base
	same.Jobs, same.Format, same.Quiet = 7, "json", true
	shown := base
	shown.ShowSecrets = true
	smaller := base
	smaller.MaxFileSize = 1024
	for _, tc := range []struct {
		name  string
		s     Settings
		equal bool
	}{
		{"same settings", base, true},
		{"jobs, format and quiet do not count", same, true},
		{"a rule disabled", disabled, false},
		{"--show-secrets", shown, false},
		{"--max-file-size", smaller, false},
	} {
		if got := hash(tc.s); (got == want) != tc.equal {
			t.Errorf("%s: hash %s, base %s, want equal=%t", tc.name, got, want, tc.equal)
		}
	}
}
