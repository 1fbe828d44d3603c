package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keylint/keylint/scanner"
)

func TestAnnotationEscaping(t *testing.T) {
	t.Parallel()
	fs := []scanner.Finding{{
		RuleID: "generic-api-key", Description: "Generic, API: key", Provider: "Generic", Severity: "high",
		Secret: "abcd…", Remediation: "Rotate it.\n::add-mask::oops",
		Locations: []scanner.Location{{
			Path: "evil\n::stop-commands::tok%0A,file=x:y.txt", Line: 3, Column: 7, EndLine: 3, EndColumn: 20,
		}},
	}}
	var buf bytes.Buffer
	if err := WriteAnnotations(&buf, fs); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("a hostile path or message must not add lines:\n%s", out)
	}
	want := "::error file=evil\\x0A%3A%3Astop-commands%3A%3Atok%250A%2Cfile=x%3Ay.txt,line=3,col=7,endLine=3,endColumn=20,title=generic-api-key%3A Generic%2C API%3A key (high)::Generic secret abcd… found. Rotate it.\\x0A::add-mask::oops\n"
	if out != want {
		t.Errorf("got\n%q\nwant\n%q", out, want)
	}
}

func TestStepSummary(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	fs := []scanner.Finding{{RuleID: "r-x", Provider: "P|<b>", Severity: "critical", Secret: "ab`c…",
		Remediation: "Revoke.", Locations: []scanner.Location{{Path: "a|b.env", Line: 2, Column: 1, Commit: "0123456789abcdef"}}}}
	if err := WriteStepSummary(&buf, fs, scanner.Summary{Files: 3, Bytes: 2048}, []string{"this pull request changes the keylint configuration (.keylint.toml)"}, nil, 0); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"## keylint: 1 secret found", `a\|b.env:2:1 (01234567)`, `P\|&lt;b&gt;`, "changes the keylint configuration", "`ab'c…`"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := WriteStepSummary(&buf, nil, scanner.Summary{}, nil, nil, 0); err != nil || !strings.Contains(buf.String(), "no secrets found") {
		t.Errorf("clean summary: %v %q", err, buf.String())
	}
}
