package suggest

import (
	"reflect"
	"testing"
)

func TestClosest(t *testing.T) {
	cmds := []string{"scan", "baseline", "git", "staged", "hook", "ci", "config", "rules", "version", "help"}
	ids := []string{"github-classic-pat", "github-fine-grained-pat", "gitlab-pat", "stripe-secret-key"}
	for _, tc := range []struct {
		word  string
		cands []string
		want  []string
	}{
		{"scna", cmds, []string{"scan"}}, // a swap is one edit
		{"stagde", cmds, []string{"staged"}},
		{"xyzzy", cmds, nil},
		{"github-pat", ids, []string{"gitlab-pat", "github-classic-pat", "github-fine-grained-pat"}}, // close, then every part present
		{"stripe", ids, []string{"stripe-secret-key"}},                                               // a substring
		{"g", cmds, nil},
	} {
		if got := Closest(tc.word, tc.cands); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Closest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, name string
		names      []string
		prefix     string
		want       string
	}{
		{"command", "scnn", []string{"scan", "git"}, "keylint ", "unknown command \"scnn\"; did you mean `keylint scan`?"},
		{"hook subcommand", "zzz", []string{"install", "run"}, "keylint hook ", `unknown hook subcommand "zzz"`},
		{"command", "a\nb", []string{"scan"}, "keylint ", `unknown command "a\nb"`},
	}
	for _, tt := range tests {
		if got := Unknown(tt.kind, tt.name, tt.names, tt.prefix); got != tt.want {
			t.Errorf("Unknown(%q, %q) = %q, want %q", tt.kind, tt.name, got, tt.want)
		}
	}
}
