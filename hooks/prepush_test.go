package hooks

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePrePush(t *testing.T) {
	t.Parallel()
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	z := strings.Repeat("0", 40)
	long := strings.Repeat("c", 64)
	in := "refs/heads/main " + a + " refs/heads/main " + b + "\n" +
		"\n" +
		"refs/heads/new " + a + " refs/heads/new " + z + "\r\n" +
		"(delete) " + z + " refs/heads/old " + b + "\n" +
		"refs/tags/v1 " + long + " refs/tags/v1 " + strings.Repeat("0", 64)
	got, err := ParsePrePush(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []PushUpdate{
		{"refs/heads/main", a, "refs/heads/main", b},
		{"refs/heads/new", a, "refs/heads/new", z},
		{"(delete)", z, "refs/heads/old", b},
		{"refs/tags/v1", long, "refs/tags/v1", strings.Repeat("0", 64)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for i, w := range []struct{ deletes, creates bool }{{false, false}, {false, true}, {true, false}, {false, true}} {
		if got[i].Deletes() != w.deletes || got[i].Creates() != w.creates {
			t.Errorf("line %d: deletes %v creates %v", i, got[i].Deletes(), got[i].Creates())
		}
	}
	if got, err := ParsePrePush(strings.NewReader("")); err != nil || got != nil {
		t.Errorf("empty input: %v, %v", got, err)
	}

	for _, bad := range []string{
		"refs/heads/main " + a + " refs/heads/main",
		"refs/heads/main " + a + " refs/heads/main " + b + " extra",
		"refs/heads/main " + a[:39] + " refs/heads/main " + b,
		"refs/heads/main " + strings.ToUpper(a) + " refs/heads/main " + b,
		"refs/heads/main --output=x refs/heads/main " + b,
		" " + a + " refs/heads/main " + b,
		"refs/heads/main  " + a + " refs/heads/main " + b,
		strings.Repeat("x", 70<<10),
	} {
		if _, err := ParsePrePush(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %.80q", bad)
		}
	}
}

func FuzzParsePrePush(f *testing.F) {
	a, z := strings.Repeat("a", 40), strings.Repeat("0", 40)
	f.Add("refs/heads/main " + a + " refs/heads/main " + z + "\n")
	f.Add("(delete) " + z + " refs/heads/x " + a + "\n\n")
	f.Add("x y z w\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		ups, err := ParsePrePush(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, u := range ups {
			if !isObjectID(u.LocalID) || !isObjectID(u.RemoteID) || u.LocalRef == "" || u.RemoteRef == "" {
				t.Fatalf("accepted a bad update %+v from %q", u, in)
			}
			if strings.HasPrefix(u.LocalID, "-") || strings.ContainsAny(u.LocalRef+u.RemoteRef, " \n") {
				t.Fatalf("unsafe update %+v", u)
			}
		}
		// What parses formats back to the same updates.
		var b strings.Builder
		for _, u := range ups {
			b.WriteString(u.LocalRef + " " + u.LocalID + " " + u.RemoteRef + " " + u.RemoteID + "\n")
		}
		again, err := ParsePrePush(strings.NewReader(b.String()))
		if err != nil || !reflect.DeepEqual(again, ups) {
			t.Fatalf("round trip: %+v, %v; want %+v", again, err, ups)
		}
	})
}

func TestDestinationTrackingPrefix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		remote, url, want string
	}{
		{"origin", "git@example.com:a/b.git", "refs/remotes/origin/"},
		{"team/fork", "https://example.com/b.git", "refs/remotes/team/fork/"},
		{"https://example.com/b.git", "https://example.com/b.git", ""}, // a URL push
		{"/srv/b.git", "/srv/b.git", ""},
		{"../b.git", "../b.git", ""},
		{"", "", ""},
		{"or*", "x", ""},
		{"a?b", "x", ""},
		{"[ab]", "x", ""},
		{"-x", "x", ""},
		{"a/../b", "x", ""},
		{"a/", "x", ""},
		{"host:path", "x", ""},
	} {
		if got := (Destination{Remote: tc.remote, URL: tc.url}).trackingPrefix(); got != tc.want {
			t.Errorf("trackingPrefix(%q, %q) = %q, want %q", tc.remote, tc.url, got, tc.want)
		}
	}
}
