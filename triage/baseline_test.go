package triage

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keylint/keylint/scanner"
)

func TestBaselineRoundTrip(t *testing.T) {
	t.Parallel()
	fs := []scanner.Finding{
		{RuleID: "r-one", Fingerprint: strings.Repeat("a", 32), Locations: []scanner.Location{{Path: "b/x.env", Line: 3}, {Path: "a/with space.txt", Line: 9}}},
		{RuleID: "r-two", Fingerprint: strings.Repeat("b", 32), Locations: []scanner.Location{{Path: "odd\nname\"q"}}},
	}
	b := NewBaseline(fs)
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if !strings.HasPrefix(text, BaselineHeader) || strings.Count(text, "\n") != strings.Count(BaselineHeader, "\n")+3 {
		t.Fatalf("unexpected baseline:\n%s", text)
	}
	// Sorted by path: "a/…" before "b/…".
	if strings.Index(text, "a/with space.txt") > strings.Index(text, "b/x.env") {
		t.Errorf("entries are not sorted:\n%s", text)
	}
	b2, err := ParseBaseline(strings.NewReader(strings.ReplaceAll(text, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	var buf2 bytes.Buffer
	if _, err := b2.WriteTo(&buf2); err != nil {
		t.Fatal(err)
	}
	if buf2.String() != text {
		t.Errorf("round trip changed the file:\n%s\n---\n%s", text, buf2.String())
	}
}

func TestBaselineFilter(t *testing.T) {
	t.Parallel()
	fp1, fp2 := strings.Repeat("1", 32), strings.Repeat("2", 32)
	b := NewBaseline([]scanner.Finding{
		{RuleID: "r", Fingerprint: fp1, Locations: []scanner.Location{{Path: "a.env", Line: 1}}},
		{RuleID: "r", Fingerprint: fp2, Locations: []scanner.Location{{Path: "gone.env", Line: 1}}},
	})
	now := []scanner.Finding{
		// Same secret, same path, another line: still baselined.
		{RuleID: "r", Fingerprint: fp1, Severity: "high", Locations: []scanner.Location{{Path: "a.env", Line: 40}, {Path: "new.env", Line: 2}}},
		// Another secret on the baselined line: reported.
		{RuleID: "r", Fingerprint: strings.Repeat("3", 32), Severity: "high", Locations: []scanner.Location{{Path: "a.env", Line: 1}}},
	}
	// Each baselined location counts, also of a finding that stays.
	kept, silenced, stale := b.Filter(now)
	if silenced != 1 || len(kept) != 2 {
		t.Fatalf("kept %d silenced %d", len(kept), silenced)
	}
	if len(kept[0].Locations) != 1 || kept[0].Locations[0].Path != "new.env" {
		t.Errorf("the baselined path must be dropped, the new one kept: %+v", kept[0].Locations)
	}
	if len(stale) != 1 || stale[0].Path != "gone.env" {
		t.Errorf("stale = %+v", stale)
	}
	kept, silenced, _ = b.Filter(now[:1:1])
	kept2, silenced2, _ := NewBaseline(now).Filter(now)
	if len(kept) != 1 || silenced != 1 || len(kept2) != 0 || silenced2 != 3 {
		t.Errorf("filter counts wrong: %d %d %d %d", len(kept), silenced, len(kept2), silenced2)
	}
	if p := b.Prune(stale); p.Len() != 1 {
		t.Errorf("prune left %d entries", p.Len())
	}
}

func TestParseBaselineErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"zz r p\n",
		strings.Repeat("a", 32) + "\n",
		strings.Repeat("a", 32) + " r\n",
		strings.Repeat("g", 32) + " r p\n",
		strings.Repeat("a", 32) + " r \"unterminated\n",
	} {
		if _, err := ParseBaseline(strings.NewReader("# c\n\n" + in)); err == nil || !strings.Contains(err.Error(), "line 3") {
			t.Errorf("ParseBaseline(%q) error = %v, want one naming line 3", in, err)
		}
	}
}

func FuzzParseBaseline(f *testing.F) {
	f.Add("# x\n" + strings.Repeat("a", 32) + " rule-id path/with space\n")
	f.Add(strings.Repeat("0", 32) + " r \"q\\n\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBaseline(strings.NewReader(s))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if _, err := b.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		b2, err := ParseBaseline(&buf)
		if err != nil || b2.Len() != b.Len() {
			t.Fatalf("written baseline does not parse back: %v", err)
		}
	})
}
