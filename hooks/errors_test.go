package hooks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/gittest"
)

// TestInstallErrorHints: Install's and Uninstall's errors say where to run
// the command, or that nothing was lost, and keep what they wrap.
func TestInstallErrorHints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	outside, bare := t.TempDir(), gittest.NewBare(t).Dir
	// A repository whose hooks directory is a file: writing fails.
	broken := gittest.New(t).Dir
	gittest.Run(t, broken, "config", "core.hooksPath", "hooksfile")
	if err := os.WriteFile(filepath.Join(broken, "hooksfile"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	const lost = "nothing was lost: a hook that was already there is either in place or kept next to it with the suffix " + PreviousSuffix
	tests := []struct {
		name  string
		run   func() error
		is    error
		usage bool
		hint  string
	}{
		{"install outside a repository", func() error { _, err := Install(ctx, Options{Dir: outside}); return err },
			gitexec.ErrNotRepository, true, "run `keylint hook install` inside a git repository"},
		{"uninstall outside a repository", func() error { _, err := Uninstall(ctx, outside); return err },
			gitexec.ErrNotRepository, true, "run `keylint hook uninstall` inside a git repository"},
		{"install in a bare repository", func() error { _, err := Install(ctx, Options{Dir: bare}); return err },
			ErrBare, true, "install the hook in a clone with a working tree"},
		{"unknown hook", func() error { _, err := Install(ctx, Options{Dir: broken, Hooks: []string{"post-merge"}}); return err },
			nil, false, lost},
		{"unwritable hooks directory", func() error { _, err := Install(ctx, Options{Dir: broken}); return err },
			nil, false, lost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want one wrapping %v", err, tt.is)
			}
			if clierr.IsUsage(err) != tt.usage || clierr.Hint(err) != tt.hint {
				t.Errorf("err = %v: usage %v, hint %q; want %v, %q", err, clierr.IsUsage(err), clierr.Hint(err), tt.usage, tt.hint)
			}
			if strings.Contains(err.Error(), "hint") {
				t.Errorf("the hint leaked into the message: %v", err)
			}
		})
	}
	if _, err := Install(ctx, Options{Dir: gittest.New(t).Dir}); err != nil {
		t.Errorf("a clean install: %v", err)
	}
}
