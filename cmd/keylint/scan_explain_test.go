package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanExplain: --explain lists every rejected candidate with its
// place, rule and reason, as text or as JSON lines (issue 17).
func TestScanExplain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "export class User extends Model {\n  declare password: CreationOptional<string>\n}\nbaseUser.password = user?.data?.password\n"
	if err := os.WriteFile(filepath.Join(dir, "user.ts"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "", "scan", "--no-config", "--quiet", "--explain", dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"user.ts:2:", "user.ts:4:", "(check:password: type)", "(check:password: reference)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "user?.data?.password") {
		t.Errorf("the rejected value is not redacted:\n%s", r.stderr)
	}
	r = runCLI(t, "", "", "scan", "--no-config", "--quiet", "--format", "jsonl", "--explain", dir)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		var rej struct {
			RuleID string `json:"rule_id"`
			Reason string `json:"reason"`
			Line   int    `json:"line"`
		}
		if err := json.Unmarshal([]byte(line), &rej); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		if rej.RuleID == "" || rej.Reason == "" || rej.Line == 0 {
			t.Errorf("incomplete: %q", line)
		}
		n++
	}
	if n < 2 {
		t.Errorf("%d JSON rejections, want 2 or more:\n%s", n, r.stderr)
	}
}
