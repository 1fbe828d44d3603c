package ghevent

import (
	"path/filepath"
	"testing"
)

func TestOwnersRevs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ev           Event
		owners, read string
	}{
		{Event{Name: "pull_request", Base: "b", Head: "h"}, "b", "h"},
		{Event{Name: "pull_request_target", Head: "h"}, "h", "h"},
		{Event{Name: "pull_request"}, "HEAD", "HEAD"},
		{Event{Name: "push", Base: "b", Head: "h"}, "h", "h"},
		{Event{Name: "schedule"}, "HEAD", "HEAD"},
	} {
		owners, read := tc.ev.OwnersRevs()
		if owners != tc.owners || read != tc.read {
			t.Errorf("%+v: OwnersRevs = %q, %q; want %q, %q", tc.ev, owners, read, tc.owners, tc.read)
		}
	}
}

func TestWorkspace(t *testing.T) {
	t.Parallel()
	env := func(ws string) func(string) string {
		return func(k string) string {
			if k == "GITHUB_WORKSPACE" {
				return ws
			}
			return ""
		}
	}
	for _, tc := range []struct{ repo, ws, want string }{
		{"r", "w", "r"},
		{"", "w", "w"},
		{"", "", "."},
	} {
		if got := Workspace(tc.repo, env(tc.ws)); got != tc.want {
			t.Errorf("Workspace(%q) with GITHUB_WORKSPACE=%q = %q, want %q", tc.repo, tc.ws, got, tc.want)
		}
	}
}

func TestRepository(t *testing.T) {
	t.Parallel()
	abs, err := filepath.Abs("some/dir")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		dir  string
		want string
	}{
		{"from GitHub", map[string]string{"GITHUB_REPOSITORY": "owner/name"}, "some/dir", "owner/name"},
		{"outside GitHub, the checkout's path", nil, "some/dir", abs},
	}
	for _, tt := range tests {
		if got := Repository(tt.dir, func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%s: Repository = %q, want %q", tt.name, got, tt.want)
		}
	}
}
