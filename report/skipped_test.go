package report

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/keylint/keylint/scanner"
)

// TestUnscanned: files skipped on purpose are not listed; files too large,
// binary, unmerged or of an unknown reason are, and so is every warning;
// skips a scan counted without naming them are counted as unnamed.
func TestUnscanned(t *testing.T) {
	t.Parallel()
	sum := scanner.Summary{
		Skipped: map[string]int{"too-large": 2, "binary": 1, "allowlisted-path": 5, "ignored": 3, "symlink": 1, "undecodable": 1},
		SkippedFiles: []scanner.SkippedFile{
			{Path: "z.bin", Reason: "too-large"},
			{Path: "vendor/a.txt", Reason: "allowlisted-path"},
			{Path: "build/out.log", Reason: "ignored"},
			{Path: "link", Reason: "symlink"},
			{Path: "img.png", Reason: "binary"},
			{Path: "utf16.txt", Reason: "undecodable"},
		},
	}
	warnings := []scanner.Warning{{Path: "locked.txt", Err: errors.New("permission denied")}, {Path: "img.png", Err: errors.New("read error")}}
	named, unnamed := Unscanned(sum, warnings)
	want := []scanner.SkippedFile{
		{Path: "img.png", Reason: "binary"},
		{Path: "img.png", Reason: UnreadableReason},
		{Path: "locked.txt", Reason: UnreadableReason},
		{Path: "utf16.txt", Reason: "undecodable"},
		{Path: "z.bin", Reason: "too-large"},
	}
	if !reflect.DeepEqual(named, want) || unnamed != 1 {
		t.Errorf("Unscanned = %v, %d; want %v, 1 (the second too-large file is not named)", named, unnamed, want)
	}
	var buf bytes.Buffer
	if err := WriteSkipped(&buf, named, unnamed); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"keylint: not scanned: z.bin (too-large)\n", "keylint: not scanned: 1 file whose path was not recorded", "too-large: raise --max-file-size"} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("WriteSkipped lacks %q:\n%s", w, buf.String())
		}
	}
	if named, unnamed := Unscanned(scanner.Summary{Skipped: map[string]int{"ignored": 4}}, nil); len(named) != 0 || unnamed != 0 {
		t.Errorf("deliberate skips only: %v, %d", named, unnamed)
	}
}

// TestStepSummarySkipped: the headline and the scanned line of the step
// summary say which files were not scanned, ten at most by name.
func TestStepSummarySkipped(t *testing.T) {
	t.Parallel()
	var skipped []scanner.SkippedFile
	for _, p := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
		skipped = append(skipped, scanner.SkippedFile{Path: p + ".bin", Reason: "too-large"})
	}
	tests := []struct {
		skipped []scanner.SkippedFile
		unnamed int
		want    []string
	}{
		{skipped[:1], 0, []string{"## keylint: no secrets found, but 1 file was not scanned\n", "Scanned 3 files (3.0 KiB); 1 file skipped: a.bin (too-large).\n"}},
		{skipped, 0, []string{"but 12 files were not scanned", "12 files skipped: a.bin (too-large), ", "j.bin (too-large), and 2 more (see the warnings on the files)."}},
		{nil, 2, []string{"but 2 files were not scanned", "Scanned 3 files (3.0 KiB); 2 files skipped (2 without a recorded path)."}},
		{nil, 0, []string{"## keylint: no secrets found\n", "Scanned 3 files (3.0 KiB).\n"}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := WriteStepSummary(&buf, nil, scanner.Summary{Files: 3, Bytes: 3072}, nil, tt.skipped, tt.unnamed); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("summary lacks %q:\n%s", w, buf.String())
			}
		}
	}
}
