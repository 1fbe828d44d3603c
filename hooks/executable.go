package hooks

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Executable is the absolute path of keylint for a hook to record (as
// [Options].Keylint): the name on PATH when it is this binary (a package
// manager's symlink survives upgrades), else the executable itself. It
// warns when the binary is a temporary build (path is then "": the hook
// looks for keylint on PATH).
func Executable() (path, warning string) {
	self, err := os.Executable()
	if err != nil {
		return "", "cannot tell where keylint is installed; the hook will look for it on PATH"
	}
	if onPath, err := exec.LookPath("keylint"); err == nil {
		if abs, err := filepath.Abs(onPath); err == nil && sameFile(abs, self) {
			return abs, ""
		}
	}
	if strings.Contains(self, string(filepath.Separator)+"go-build") {
		return "", "keylint runs from a temporary build (go run); the hook will look for keylint on PATH"
	}
	return self, ""
}

func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
