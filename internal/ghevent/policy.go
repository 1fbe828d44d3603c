package ghevent

import (
	"cmp"
	"path/filepath"
	"strings"
)

// IsPullRequest reports whether the event is a pull request's
// (pull_request or pull_request_target): everything that can suppress a
// finding then comes from its base commit, which it cannot change.
func (ev *Event) IsPullRequest() bool { return strings.HasPrefix(ev.Name, "pull_request") }

// OwnersRevs says where a scan of the event reads CODEOWNERS from: owners
// is the revision whose CODEOWNERS file counts (a pull request's base,
// which the pull request cannot change; else the scanned head), read the
// revision whose files are looked up (the head). Both fall back to HEAD.
func (ev *Event) OwnersRevs() (owners, read string) {
	read = cmp.Or(ev.Head, "HEAD")
	if ev.IsPullRequest() {
		return cmp.Or(ev.Base, ev.Head, "HEAD"), read
	}
	return read, read
}

// Workspace is the checked-out repository keylint ci scans: repo (--repo)
// when given, else $GITHUB_WORKSPACE through getenv, else ".".
func Workspace(repo string, getenv func(string) string) string {
	return cmp.Or(repo, getenv("GITHUB_WORKSPACE"), ".")
}

// Repository names the scanned repository in keylint ci's reports:
// $GITHUB_REPOSITORY (owner/name) through getenv, else the absolute path
// of dir.
func Repository(dir string, getenv func(string) string) string {
	if r := getenv("GITHUB_REPOSITORY"); r != "" {
		return r
	}
	abs, _ := filepath.Abs(dir)
	return abs
}
