// Package version tells which version of keylint is running, from the
// build information the Go toolchain records.
package version

import (
	"fmt"
	"runtime/debug"
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
