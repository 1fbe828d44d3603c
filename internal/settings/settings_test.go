package settings

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/rules"
)

// TestResolvePrecedence: a flag beats the configuration, which beats the
// default, for each setting the configuration can give.
func TestResolvePrecedence(t *testing.T) {
	withSize := func(n int64) *rules.Ruleset { return &rules.Ruleset{MaxFileSize: n} }
	for _, tc := range []struct {
		name         string
		flags        Flags
		loaded       config.Loaded
		wantSize     int64
		wantFailOn   rules.Severity
		wantBaseline string
		fromConfig   bool
	}{
		{"defaults", Flags{}, config.Loaded{Ruleset: withSize(0)}, DefaultMaxFileSize, rules.Low, "", false},
		{"configuration", Flags{}, config.Loaded{Ruleset: withSize(512), FailOn: rules.High, Baseline: "cfg-bl"}, 512, rules.High, "cfg-bl", true},
		{"flags beat the configuration", Flags{MaxFileSize: 2048, FailOn: rules.Medium, Baseline: "flag-bl"},
			config.Loaded{Ruleset: withSize(512), FailOn: rules.High, Baseline: "cfg-bl"}, 2048, rules.Medium, "flag-bl", false},
		{"flags without a configuration", Flags{MaxFileSize: 1, FailOn: rules.Critical, Baseline: "b"}, config.Loaded{Ruleset: withSize(0)}, 1, rules.Critical, "b", false},
		{"no ruleset", Flags{}, config.Loaded{}, DefaultMaxFileSize, rules.Low, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Resolve(tc.flags, &tc.loaded, "start")
			if s.MaxFileSize != tc.wantSize || s.FailOn != tc.wantFailOn || s.Baseline != tc.wantBaseline || s.BaselineFromConfig != tc.fromConfig {
				t.Errorf("got size %d, fail-on %q, baseline %q (from config %v); want %d, %q, %q (%v)",
					s.MaxFileSize, s.FailOn, s.Baseline, s.BaselineFromConfig, tc.wantSize, tc.wantFailOn, tc.wantBaseline, tc.fromConfig)
			}
			if s.Start != "start" {
				t.Errorf("start %q", s.Start)
			}
		})
	}
}

// TestResolveKeepsNotices: the configuration's notices are copied, so the
// settings do not share them with the loaded configuration.
func TestResolveKeepsNotices(t *testing.T) {
	l := &config.Loaded{Notices: []string{"one"}}
	s := Resolve(Flags{}, l, ".")
	l.Notices[0] = "changed"
	if len(s.Notices) != 1 || s.Notices[0] != "one" {
		t.Fatalf("notices %q", s.Notices)
	}
}

// TestColored: --color and --no-color decide, else a terminal without
// NO_COLOR.
func TestColored(t *testing.T) {
	for _, tc := range []struct {
		color    string
		noColor  bool
		terminal bool
		noEnv    bool
		want     bool
	}{
		{"auto", false, true, false, true},
		{"auto", false, false, false, false},
		{"auto", false, true, true, false},
		{"always", false, false, true, true},
		{"always", true, true, false, false},
		{"never", false, true, false, false},
	} {
		s := Resolve(Flags{Color: tc.color, NoColor: tc.noColor}, &config.Loaded{}, ".")
		if got := s.Colored(tc.terminal, tc.noEnv); got != tc.want {
			t.Errorf("--color %s --no-color=%v, terminal %v, NO_COLOR %v: %v, want %v", tc.color, tc.noColor, tc.terminal, tc.noEnv, got, tc.want)
		}
	}
}

// TestLoad: Load finds the configuration from start and resolves it;
// --no-config ignores it; a broken one is an error.
func TestLoad(t *testing.T) {
	repo := t.TempDir()
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(repo, config.FileName), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("fail_on = \"high\"\nmax_file_size = 4096\n")
	for _, tc := range []struct {
		name     string
		flags    Flags
		wantSize int64
		wantFail rules.Severity
	}{
		{"configuration found", Flags{}, 4096, rules.High},
		{"--no-config", Flags{NoConfig: true}, DefaultMaxFileSize, rules.Low},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Load(context.Background(), tc.flags, repo)
			if err != nil {
				t.Fatal(err)
			}
			if s.MaxFileSize != tc.wantSize || s.FailOn != tc.wantFail || s.Ruleset == nil {
				t.Errorf("size %d, fail-on %q; want %d, %q", s.MaxFileSize, s.FailOn, tc.wantSize, tc.wantFail)
			}
		})
	}
	write("disable = [\"no-such-rule\"]\n")
	if _, err := Load(context.Background(), Flags{}, repo); err == nil {
		t.Fatal("a broken configuration loads")
	}
}
