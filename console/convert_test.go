package console

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

// TestConvertMessages: what keylint config convert prints, with the
// control characters of a hostile path escaped.
func TestConvertMessages(t *testing.T) {
	t.Parallel()
	f, err := rules.Parse("r.toml", []byte("[[rules]]\nid = 'my-token'\ndescription = 'my token'\nkeywords = ['mytok_']\nregex = '''mytok_[a-z0-9]{20}'''\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
		want  string // the output's beginning
	}{
		{"not converted", func(b *bytes.Buffer) error {
			NotConverted(b, "a\nb.toml", []string{"extend.url: not supported", "x\x1b[2J"})
			return nil
		}, "keylint: warning: a\\x0Ab.toml: not converted: extend.url: not supported\nkeylint: warning: a\\x0Ab.toml: not converted: x\\x1B[2J\n"},
		{"nothing to say", func(b *bytes.Buffer) error { NotConverted(b, "g.toml", nil); return nil }, ""},
		{"converted", func(b *bytes.Buffer) error { return Converted(b, ".gitleaks.toml\n[x]", f) },
			"# Converted from .gitleaks.toml\\x0A[x] by `keylint config convert`.\n\n[[rules]]\nid = \"my-token\"\n"},
		{"converted to", func(b *bytes.Buffer) error { ConvertedTo(b, "out.toml", 3, 1); return nil }, "keylint: wrote out.toml (3 rules, 1 not converted)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(b.String(), tt.want) || (tt.want == "" && b.Len() > 0) {
				t.Errorf("wrote %q, want it to start with %q", b.String(), tt.want)
			}
		})
	}
}
