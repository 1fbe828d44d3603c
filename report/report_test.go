package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The secrets below are redacted or obviously fake: keylint scans its own
// source, and none of them may look like a real key.

// testFindings is a fixed set of findings covering several rules and
// severities, a secret found in several files, a file holding several
// findings, commit details, a path with a space, paths with control and
// bidi characters, and non-ASCII text. It is deliberately out of order.
func testFindings() []scanner.Finding {
	date := time.Date(2024, 3, 5, 10, 20, 30, 0, time.FixedZone("CET", 3600))
	return []scanner.Finding{
		{
			RuleID:      "generic-password",
			Description: "Password in an assignment",
			Severity:    rules.Medium,
			Secret:      "s3cr3t…",
			Fingerprint: "c0ffee0000000003",
			Entropy:     2.75,
			Remediation: "Move the password to the environment or a secret manager, and change it.",
			InHead:      true,
			Locations: []scanner.Location{{
				Path:        "evil\x1b[31m\u202Ename\r.txt",
				Line:        7,
				Column:      10,
				EndLine:     7,
				EndColumn:   17,
				LineExcerpt: "\tpassword = \"s3cr3t…\" \x1b]0;pwned\x07",
			}},
		},
		{
			RuleID:      "github-pat",
			Description: "GitHub personal access token",
			Provider:    "GitHub",
			Severity:    rules.High,
			Secret:      "ghp_…",
			Fingerprint: "c0ffee0000000001",
			Entropy:     4.5,
			Remediation: "Revoke the token at https://github.com/settings/tokens and create a new one with the fewest scopes.",
			InHead:      true,
			Locations: []scanner.Location{
				{Path: "deploy/.env", Line: 3, Column: 14, EndLine: 3, EndColumn: 54, LineExcerpt: "GITHUB_TOKEN=ghp_…"},
				{Path: "config/my app/settings.yaml", Line: 12, Column: 9, EndLine: 12, EndColumn: 49, LineExcerpt: "  token: ghp_…"},
			},
		},
		{
			RuleID:      "aws-access-key-id",
			Description: "AWS access key ID",
			Provider:    "AWS",
			Severity:    rules.Critical,
			Secret:      "AKIA…",
			Fingerprint: "c0ffee0000000002",
			Entropy:     3.875,
			Remediation: "Deactivate the key in IAM, create a new one, and check CloudTrail for its use.",
			InHead:      false,
			Locations: []scanner.Location{
				{
					Path: "src/app/ünïcödé/配置.go", Line: 21, Column: 5, EndLine: 21, EndColumn: 25,
					Commit: "0123456789abcdef0123456789abcdef01234567", Author: "Zoë Müller", Email: "zoe@example.com",
					Date: date, Message: "Add staging credentials\n\nThe long body is not shown.",
					LineExcerpt: "key := \"AKIA…\" // 鍵",
				},
				{Path: "deploy/.env", Line: 1, Column: 19, EndLine: 1, EndColumn: 39, LineExcerpt: "AWS_ACCESS_KEY_ID=AKIA…"},
			},
		},
		{
			RuleID:      "generic-api-key",
			Description: "Generic API key",
			Severity:    rules.Low,
			Secret:      "+s3cr3t/…",
			Fingerprint: "c0ffee0000000004",
			Entropy:     3.25,
			InHead:      true,
			Locations: []scanner.Location{
				{Path: "=cmd|' /C calc'!A0.csv", Line: 2, Column: 1, EndLine: 2, EndColumn: 12, Author: "@admin"},
			},
		},
	}
}

// testSummary is a fixed summary.
func testSummary() scanner.Summary {
	return scanner.Summary{
		Files:    1234,
		Bytes:    12_345_678,
		Duration: 1234567 * time.Microsecond,
		Findings: 4,
		BySeverity: map[rules.Severity]int{
			rules.Low: 1, rules.Critical: 1, rules.Medium: 1, rules.High: 1,
		},
		Skipped:  map[string]int{"too-large": 2, "binary": 17, "symlink": 0, "unreadable\x1b[2J": 1},
		Silenced: map[string]int{"inline-allow": 1, "baseline": 3, "allowlist": 2},
		Rejected: map[string]int{"placeholder": 9, "entropy": 40, "check:github": 1},
		Warnings: 1,
	}
}

// golden compares got with testdata/name.golden, or rewrites the
// file when -update is given.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./report -update if the change is intended)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func render(t *testing.T, format string, opts Options, fs []scanner.Finding, sum scanner.Summary) []byte {
	t.Helper()
	r, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Report(&buf, fs, sum); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		format   string
		opts     Options
		findings []scanner.Finding
	}{
		{"text", "text", Options{}, testFindings()},
		{"text_color", "text", Options{Color: true}, testFindings()},
		{"text_empty", "text", Options{Color: true}, nil},
		{"json", "json", Options{}, testFindings()},
		{"json_empty", "json", Options{}, nil},
		{"jsonl", "jsonl", Options{}, testFindings()},
		{"jsonl_empty", "jsonl", Options{}, nil},
		{"sarif", "sarif", Options{ToolVersion: "v1.2.3"}, testFindings()},
		{"sarif_empty", "sarif", Options{}, nil},
		{"csv", "csv", Options{}, testFindings()},
		{"csv_empty", "csv", Options{}, []scanner.Finding{}},
		{"csv_repository", "csv", Options{Repository: "acme/shop"}, testFindings()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sum := testSummary()
			if len(tt.findings) == 0 {
				sum = scanner.Summary{}
			}
			got := render(t, tt.format, tt.opts, tt.findings, sum)
			golden(t, tt.name, got)
		})
	}
}

func TestSummaryGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sum  scanner.Summary
		opts Options
	}{
		{"summary", testSummary(), Options{}},
		{"summary_color", testSummary(), Options{Color: true}},
		{"summary_empty", scanner.Summary{Files: 1, Bytes: 512, Duration: 1500 * time.Microsecond}, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := WriteSummary(&buf, tt.sum, tt.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, buf.Bytes())
		})
	}
}

// TestDeterministic checks that output does not depend on the order of the
// input, and that reporters leave their input alone, while every format
// runs concurrently (go test -race).
func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			fs := testFindings()
			orig := testFindings()
			want := render(t, format, Options{Color: true}, fs, testSummary())
			if !reflect.DeepEqual(fs, orig) {
				t.Fatal("Report modified its input")
			}

			var wg sync.WaitGroup
			outs := make([][]byte, 8)
			for i := range outs {
				shuffled := testFindings()
				for j := range shuffled {
					k := (j*7 + i) % len(shuffled)
					shuffled[j], shuffled[k] = shuffled[k], shuffled[j]
					slices.Reverse(shuffled[j].Locations)
				}
				wg.Go(func() {
					outs[i] = render(t, format, Options{Color: true}, shuffled, testSummary())
				})
			}
			wg.Wait()
			for i, got := range outs {
				if !bytes.Equal(got, want) {
					t.Errorf("run %d: output depends on input order:\n%s\nwant:\n%s", i, got, want)
				}
			}
		})
	}
}

// TestNoControlCharacters checks that no format lets a raw control or bidi
// character through, except the newlines (and, for csv, the quoted
// carriage return) of its own syntax.
func TestNoControlCharacters(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			out := string(render(t, format, Options{}, testFindings(), testSummary()))
			for i, r := range out {
				if r != '\n' && unsafeRune(r) {
					t.Fatalf("raw %U at byte %d of %s output", r, i, format)
				}
			}
		})
	}
}

func TestTextColor(t *testing.T) {
	t.Parallel()
	plain := string(render(t, "text", Options{}, testFindings(), testSummary()))
	if strings.Contains(plain, "\x1b") {
		t.Error("text without Color contains an escape sequence")
	}
	colored := string(render(t, "text", Options{Color: true}, testFindings(), testSummary()))
	if !strings.Contains(colored, "\x1b[") {
		t.Error("text with Color has no colour")
	}
}

func TestCSVInjection(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=1+1", "'=1+1"},
		{"+s3cr3t", "'+s3cr3t"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", `\x09x`},
		{"\rx", `\x0Dx`},
		{"\t=1", `\x09=1`},
		{" =1+1", "' =1+1"},
		{"\uFF1D1+1", "'\uFF1D1+1"},
		{"::add-mask::x", "./::add-mask::x"},
		{"a\x1b[31m\u202E", `a\x1B[31m\u{202E}`},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := csvCell(tt.in); got != tt.want {
			t.Errorf("csvCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, f := range append(Formats(), "SARIF", " json ") {
		if _, err := New(f, Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	_, err := New("xml", Options{})
	if err == nil {
		t.Fatal(`New("xml") succeeded`)
	}
	for _, f := range Formats() {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list format %q", err, f)
		}
	}
	fs := Formats()
	fs[0] = "changed"
	if Formats()[0] != "text" {
		t.Error("Formats returns a shared slice")
	}
}

type failWriter struct{}

var errWrite = errors.New("broken pipe")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteError(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		r, _ := New(format, Options{})
		if err := r.Report(failWriter{}, testFindings(), testSummary()); !errors.Is(err, errWrite) {
			t.Errorf("%s: Report error = %v, want %v", format, err, errWrite)
		}
	}
	if err := WriteSummary(failWriter{}, testSummary(), Options{}); !errors.Is(err, errWrite) {
		t.Errorf("WriteSummary error = %v, want %v", err, errWrite)
	}
}

func TestHumanUnits(t *testing.T) {
	t.Parallel()
	bytesTests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{1024*1024 - 1, "1.0 MiB"},
		{12_345_678, "11.8 MiB"},
		{5 << 40, "5.0 TiB"},
	}
	for _, tt := range bytesTests {
		if got := humanBytes(tt.n); got != tt.want {
			t.Errorf("humanBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	durTests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{1500 * time.Nanosecond, "2µs"},
		{1234567 * time.Nanosecond, "1ms"},
		{1234567 * time.Microsecond, "1.23s"},
		{90*time.Second + 400*time.Millisecond, "1m30s"},
	}
	for _, tt := range durTests {
		if got := humanDuration(tt.d); got != tt.want {
			t.Errorf("humanDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
