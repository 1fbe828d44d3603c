package version

import (
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestCacheIdentity(t *testing.T) {
	dir := t.TempDir()
	exeA := filepath.Join(dir, "a")
	exeB := filepath.Join(dir, "b")
	if err := os.WriteFile(exeA, []byte("build one"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exeB, []byte("build two"), 0o700); err != nil {
		t.Fatal(err)
	}
	at := func(p string) func() (string, error) { return func() (string, error) { return p, nil } }
	info := func(version string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	clean := info("(devel)", "vcs.revision", "0123456789abcdef", "vcs.modified", "false")
	dirty := info("(devel)", "vcs.revision", "0123456789abcdef", "vcs.modified", "true")
	tests := []struct {
		name     string
		bi       *debug.BuildInfo
		exeA     bool // the identity names the executable
		sameAsAB bool // builds a and b share the identity
	}{
		{"release", info("v1.2.3"), false, true},
		{"clean commit", clean, false, true},
		{"modified work tree", dirty, true, false},
		{"no build information", nil, true, false},
		{"no VCS information", info("(devel)"), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := identity(tt.bi, tt.bi != nil, at(exeA))
			if err != nil {
				t.Fatal(err)
			}
			b, err := identity(tt.bi, tt.bi != nil, at(exeB))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(a, "executable "); got != tt.exeA {
				t.Errorf("identity %q names the executable: %v, want %v", a, got, tt.exeA)
			}
			if (a == b) != tt.sameAsAB {
				t.Errorf("identities of two executables %q and %q: equal %v, want %v", a, b, a == b, tt.sameAsAB)
			}
		})
	}
	if _, err := identity(dirty, true, func() (string, error) { return "", errors.New("no executable") }); err == nil {
		t.Error("a modified build whose executable cannot be read was given an identity")
	}
	if _, err := identity(dirty, true, at(filepath.Join(dir, "missing"))); err == nil {
		t.Error("a modified build whose executable is missing was given an identity")
	}
}
