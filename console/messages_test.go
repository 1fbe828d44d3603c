package console

import (
	"bytes"
	"testing"
)

func TestBaselineMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		write func(*bytes.Buffer)
		want  string
	}{
		{"recorded", func(b *bytes.Buffer) { BaselineRecorded(b, "bl", 1, 2) }, "keylint: baseline bl: recorded 1 entry for 2 findings\n"},
		{"recorded none", func(b *bytes.Buffer) { BaselineRecorded(b, "bl", 0, 1) }, "keylint: baseline bl: recorded 0 entries for 1 finding\n"},
		{"pruned", func(b *bytes.Buffer) { BaselinePruned(b, "a\x1bb", 1, 3) }, "keylint: baseline a\\x1Bb: dropped 1 stale entry, kept 3\n"},
		{"hint", func(b *bytes.Buffer) { BaselineHint(b, "dir/bl") },
			"keylint: hint: add `baseline = \"dir/bl\"` to .keylint.toml so that every command (scan, git, staged, the hooks, keylint ci) applies it; else pass --baseline dir/bl to each\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		tt.write(&b)
		if b.String() != tt.want {
			t.Errorf("%s: wrote %q, want %q", tt.name, b.String(), tt.want)
		}
	}
}

func TestRepoList(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	RepoList(&b, []string{"a/one", "b\x1b[2Jtwo"})
	if want := "a/one\nb\\x1B[2Jtwo\n"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}
