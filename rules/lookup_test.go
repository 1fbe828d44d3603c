package rules

import (
	"slices"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
)

func TestParseSeverity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Severity
		wantErr string
	}{
		{"critical", Critical, ""},
		{"HIGH", High, ""},
		{"Medium", Medium, ""},
		{"low", Low, ""},
		{"", "", `invalid severity "" (critical, high, medium or low)`},
		{"bogus", "", `invalid severity "bogus" (critical, high, medium or low)`},
		{" high", "", `invalid severity " high" (critical, high, medium or low)`},
	}
	for _, tt := range tests {
		got, err := ParseSeverity(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseSeverity(%q) err = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSeverity(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id      string
		wantErr string
	}{
		{"aws-access-key-id", ""},
		{"aws-acess-key-id", `no active rule "aws-acess-key-id"; did you mean aws-access-key-id?`},
		{"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", `no active rule "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"`},
	}
	for _, tt := range tests {
		r, err := rs.Lookup(tt.id)
		if tt.wantErr == "" {
			if err != nil || r == nil || r.ID != tt.id {
				t.Errorf("Lookup(%q) = %v, %v", tt.id, r, err)
			}
			continue
		}
		if err == nil || err.Error() != tt.wantErr || !clierr.IsUsage(err) || clierr.Hint(err) != "run `keylint rules list` to see the ids" {
			t.Errorf("Lookup(%q) err = %v (hint %q), want the usage error %q", tt.id, err, clierr.Hint(err), tt.wantErr)
		}
	}
}

func TestDefinedIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		toml string
		want []string
	}{
		{"none", ``, nil},
		{"rules then overrides, each once", `
[[rules]]
id = 'b-rule'
description = 'b'
regex = 'b_[a-z]{8}'
keywords = ['b_']
[[rules]]
id = 'a-rule'
description = 'a'
regex = 'a_[a-z]{8}'
keywords = ['a_']
[[override]]
id = 'a-rule'
severity = 'low'
[[override]]
id = 'aws-access-key-id'
severity = 'low'
`, []string{"b-rule", "a-rule", "aws-access-key-id"}},
	}
	for _, tt := range tests {
		f, err := Parse(tt.name+".toml", []byte(tt.toml))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := f.DefinedIDs(); !slices.Equal(got, tt.want) {
			t.Errorf("%s: DefinedIDs = %q, want %q", tt.name, got, tt.want)
		}
	}
}
