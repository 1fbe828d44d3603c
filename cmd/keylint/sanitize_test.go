package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unsafeOutputRune reports whether r must never reach a terminal or a CI
// log raw: a control character other than the line feed, DEL, a C1
// control, a line or paragraph separator, or a bidirectional control.
func unsafeOutputRune(r rune) bool {
	switch {
	case r < 0x20 && r != '\n', r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	case r >= 0x2028 && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// checkPrintable reports raw unsafe characters and lines that GitHub
// Actions would run as workflow commands.
func checkPrintable(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if unsafeOutputRune(r) {
			t.Errorf("%s: raw %U at byte %d:\n%q", what, r, i, out)
			break
		}
	}
	for _, line := range strings.Split(out, "\n") {
		l := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##[") {
			t.Errorf("%s: line is a workflow command: %q", what, line)
		}
	}
}

// TestCLIOutputIsSanitized runs the scanning commands on hostile file names
// and a custom configuration whose description, provider and
// remediation are hostile, and checks everything printed on stdout and
// stderr: reports, --verbose silenced lines, warnings, errors and hints.
func TestCLIOutputIsSanitized(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(dir, ".keylint.toml"), `[[rules]]
id = "evil-rule"
description = "desc \u202e\u2028::warning::x"
provider = "::notice::provider\u009b"
severity = "high"
keywords = ["zzkey_"]
regex = '''(zzkey_[a-z0-9]{15,17})'''
secret_group = 1
remediation = "fix\r\n##[error]now"
`)
	names := []string{
		"a\x1b]0;title\x07\n::error::f.txt",
		"b\u202etxt.exe",
		"::warning::c\rd.txt",
		"e\u2028##[error]x.txt",
		"f\x9b31m.txt",
	}
	for i, n := range names {
		content := fmt.Sprintf("k = zzkey_q7zk2wm9rv4tx8b%d\n", i)
		if i%2 == 1 {
			content = fmt.Sprintf("k = zzkey_q7zk2wm9rv4tx8b%d # keylint:allow\n", i)
		}
		if err := os.WriteFile(filepath.Join(dir, n), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hostileBaseline := filepath.Join(t.TempDir(), "missing\x1b[2J\n::error::baseline")
	for _, args := range [][]string{
		{"scan", "--verbose", "."},
		{"scan", "--verbose", "--format", "csv", "."},
		{"scan", "--show-secrets", "--format", "csv", "."},
		{"scan", "--format", "jsonl", "."},
		{"scan", "--baseline", hostileBaseline, "."},
		{"scan", "--output", hostileBaseline, "."},
		{"rules", "list"},
		{"rules", "show", "evil-rule"},
		{"config"},
	} {
		r := runCLI(t, dir, "", args...)
		if r.code == exitUsage && args[1] != "--baseline" || args[0] != "scan" && r.code != exitClean {
			t.Fatalf("%v: %d %s", args, r.code, r.stderr)
		}
		checkPrintable(t, fmt.Sprintf("%q stdout", args), r.stdout)
		checkPrintable(t, fmt.Sprintf("%q stderr", args), r.stderr)
	}
	// The findings are really there, escaped.
	r := runCLI(t, dir, "", "scan", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, `./::warning::c\x0Dd.txt`) {
		t.Errorf("the hostile rule did not report:\n%s\n%s", r.stdout, r.stderr)
	}
}
