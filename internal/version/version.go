// Package version tells which version of keylint is running, from the
// build information the Go toolchain records.
package version

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// String is the module version keylint was built from, or "dev" for a
// build of a work tree.
func String() string {
	v, _ := FromBuildInfo(debug.ReadBuildInfo())
	return v
}

// Line is what keylint version prints: the version, and the commit
// and its date when the build recorded them ("+dirty" for uncommitted
// changes).
func Line() string {
	v, rev := FromBuildInfo(debug.ReadBuildInfo())
	if rev != "" {
		return fmt.Sprintf("keylint %s (%s)", v, rev)
	}
	return "keylint " + v
}

// FromBuildInfo reads the module version and VCS revision from build info:
// `go install github.com/keylint/keylint/cmd/keylint@v1.2.3` records the
// version; `go build` in a clone records the commit.
func FromBuildInfo(bi *debug.BuildInfo, ok bool) (version, revision string) {
	version = "dev"
	if !ok || bi == nil {
		return version, ""
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		version = v
	}
	var rev, at string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return version, ""
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	revision = "commit " + rev
	if dirty {
		revision += "+dirty"
	}
	if at != "" {
		revision += ", " + at
	}
	return version, revision
}

// CacheIdentity names this build for caches of scan results, which a
// different build must not answer from. A release or a build of a clean
// commit is named by its version line. A build of a modified work tree
// ("+dirty") or one without VCS information shares its version line with
// builds of other code, so it is also named by a SHA-256 of its executable,
// read from exe (os.Executable in production).
func CacheIdentity(exe func() (string, error)) (string, error) {
	bi, ok := debug.ReadBuildInfo()
	return identity(bi, ok, exe)
}

func identity(bi *debug.BuildInfo, ok bool, exe func() (string, error)) (string, error) {
	v, rev := FromBuildInfo(bi, ok)
	line := "keylint " + v
	if rev != "" {
		line += " (" + rev + ")"
	}
	if !strings.Contains(rev, "+dirty") && (v != "dev" || rev != "") {
		return line, nil
	}
	path, err := exe()
	if err != nil {
		return "", fmt.Errorf("identify this development build for the cache: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("identify this development build for the cache: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("identify this development build for the cache: read %s: %w", path, err)
	}
	return line + " executable " + hex.EncodeToString(h.Sum(nil)), nil
}
