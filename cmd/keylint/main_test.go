package main

import "testing"

// TestShortLived: only the hook commands run with the collector held off.
func TestShortLived(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"staged"}, true},
		{[]string{"staged", "--verbose"}, true},
		{[]string{"hook", "run", "pre-push", "origin", "url"}, true},
		{[]string{"hook", "install"}, false},
		{[]string{"hook"}, false},
		{[]string{"scan", "."}, false},
		{[]string{"git", "."}, false},
		{[]string{"run"}, false},
		{nil, false},
	} {
		if got := shortLived(tc.args); got != tc.want {
			t.Errorf("shortLived(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
