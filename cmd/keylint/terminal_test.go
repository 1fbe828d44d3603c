package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
)

// esc starts every colour sequence; clearLine is how the progress display
// erases its line.
const (
	esc       = "\x1b["
	clearLine = "\r\x1b[K"
)

// TestColourOnATerminal: the report and the summary are coloured on a
// terminal, and only there, unless NO_COLOR or --color say otherwise; a
// report written to a file never is.
func TestColourOnATerminal(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "config.env"), "GITHUB_TOKEN="+ghToken(t)+"\n")
	report := filepath.Join(t.TempDir(), "report.txt")
	for _, tc := range []struct {
		name             string
		args             []string
		vars             map[string]string
		outTTY, errTTY   bool
		wantOut, wantErr bool // coloured
	}{
		{"pipes", nil, nil, false, false, false, false},
		{"stdout a terminal", nil, nil, true, false, true, false},
		{"stderr a terminal", nil, nil, false, true, false, true},
		{"both terminals", nil, nil, true, true, true, true},
		{"NO_COLOR", nil, map[string]string{"NO_COLOR": "1"}, true, true, false, false},
		{"--color never", []string{"--color", "never"}, nil, true, true, false, false},
		{"--no-color", []string{"--no-color"}, nil, true, true, false, false},
		{"--color always on pipes", []string{"--color", "always"}, map[string]string{"NO_COLOR": "1"}, false, false, true, true},
		{"--output to a file", []string{"--output", report}, nil, true, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"scan", "--no-config"}, tc.args...), dir)
			r := runTerminal(t, "", tc.vars, tc.outTTY, tc.errTTY, "", args...)
			if r.code != exitFindings {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if got := strings.Contains(r.stdout, esc); got != tc.wantOut {
				t.Errorf("stdout coloured: %v, want %v\n%q", got, tc.wantOut, r.stdout)
			}
			if got := strings.Contains(r.stderr, esc); got != tc.wantErr {
				t.Errorf("stderr coloured: %v, want %v\n%q", got, tc.wantErr, r.stderr)
			}
			if len(tc.args) > 1 && tc.args[0] == "--output" {
				data, err := os.ReadFile(report)
				if err != nil || !strings.Contains(string(data), "github-classic-pat") || strings.Contains(string(data), esc) {
					t.Errorf("report file: %v\n%q", err, data)
				}
			}
		})
	}
}

// TestHookColourFollowsStderr: a hook writes its text report to stderr,
// so stderr being a terminal decides its colour, not stdout.
func TestHookColourFollowsStderr(t *testing.T) {
	clearHookEnv(t)
	dir := stagedRepo(t)
	write(t, filepath.Join(dir, "k.txt"), "token: "+ghToken(t)+"\n")
	gitIn(t, dir, "add", "k.txt")
	for _, tc := range []struct {
		name           string
		outTTY, errTTY bool
		want           bool
	}{
		{"stderr a terminal", false, true, true},
		{"only stdout a terminal", true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runTerminal(t, dir, nil, tc.outTTY, tc.errTTY, "", "staged")
			if r.code != exitFindings || r.stdout != "" || !strings.Contains(r.stderr, "github-classic-pat") {
				t.Fatalf("exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
			}
			if got := strings.Contains(r.stderr, esc); got != tc.want {
				t.Errorf("report coloured: %v, want %v\n%q", got, tc.want, r.stderr)
			}
		})
	}
}

// TestHistoryProgressOnATerminal: keylint git draws its progress line on
// stderr when it is a terminal, and erases it before the summary; never on
// a pipe, and not with --quiet.
func TestHistoryProgressOnATerminal(t *testing.T) {
	r := gittest.New(t)
	r.Write("a.env", "TOKEN="+ghToken(t)+"\n")
	r.Commit("one")
	for _, tc := range []struct {
		name   string
		errTTY bool
		args   []string
		want   bool
	}{
		{"terminal", true, nil, true},
		{"pipe", false, nil, false},
		{"terminal, --quiet", true, []string{"--quiet"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"git", "--no-config"}, tc.args...), r.Dir)
			res := runTerminal(t, "", nil, false, tc.errTTY, "", args...)
			if res.code != exitFindings {
				t.Fatalf("exit %d\n%s", res.code, res.stderr)
			}
			if got := strings.Contains(res.stderr, clearLine); got != tc.want {
				t.Errorf("progress drawn: %v, want %v\n%q", got, tc.want, res.stderr)
			}
			if tc.want && !strings.HasPrefix(res.stderr, clearLine) {
				t.Errorf("the progress line is not erased before the rest:\n%q", res.stderr)
			}
		})
	}
}
