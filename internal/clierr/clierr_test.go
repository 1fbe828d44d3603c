package clierr

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrors(t *testing.T) {
	base := errors.New("not a git repository")
	tests := []struct {
		name          string
		err           error
		msg, hint     string
		usage, isBase bool
	}{
		{"usagef", Usagef("give a path", "%s does not exist", "x"), "x does not exist", "give a path", true, false},
		{"usage keeps the chain", Usage(fmt.Errorf("repo: %w", base), "run it inside"), "repo: not a git repository", "run it inside", true, true},
		{"with hint", WithHint(base, "try again"), "not a git repository", "try again", false, true},
		{"wrapped hint", fmt.Errorf("scan: %w", WithHint(base, "try again")), "scan: not a git repository", "try again", false, true},
		{"plain", base, "not a git repository", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.msg {
				t.Errorf("Error() = %q, want %q", got, tt.msg)
			}
			if got := Hint(tt.err); got != tt.hint {
				t.Errorf("Hint = %q, want %q", got, tt.hint)
			}
			if got := IsUsage(tt.err); got != tt.usage {
				t.Errorf("IsUsage = %v, want %v", got, tt.usage)
			}
			if got := errors.Is(tt.err, base); got != tt.isBase {
				t.Errorf("errors.Is(base) = %v, want %v", got, tt.isBase)
			}
		})
	}
}
