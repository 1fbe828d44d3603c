package ghevent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file, name string
		want       Event
		errLike    string
	}{
		{file: "pull_request.json", name: "pull_request", want: Event{Name: "pull_request", Kind: Range,
			Base: "1111111111111111111111111111111111111111", Head: "2222222222222222222222222222222222222222", DefaultBranch: "main", PullRequest: 7}},
		{file: "pull_request.json", name: "pull_request_target", want: Event{Name: "pull_request_target", Kind: Range,
			Base: "1111111111111111111111111111111111111111", Head: "2222222222222222222222222222222222222222", DefaultBranch: "main", PullRequest: 7}},
		{file: "push.json", name: "push", want: Event{Name: "push", Kind: Range,
			Base: "3333333333333333333333333333333333333333", Head: "4444444444444444444444444444444444444444", DefaultBranch: "main"}},
		{file: "push_forced.json", name: "push", want: Event{Name: "push", Kind: Range, Forced: true,
			Base: "3333333333333333333333333333333333333333", Head: "4444444444444444444444444444444444444444", DefaultBranch: "main"}},
		{file: "push_new_branch.json", name: "push", want: Event{Name: "push", Kind: NewBranch,
			Head: "4444444444444444444444444444444444444444", DefaultBranch: "main"}},
		{file: "push_delete.json", name: "push", want: Event{Name: "push", Kind: Nothing, DefaultBranch: "main"}},
		{file: "workflow_dispatch.json", name: "workflow_dispatch", want: Event{Name: "workflow_dispatch", Kind: Full, DefaultBranch: "main"}},
		{file: "workflow_dispatch.json", name: "schedule", want: Event{Name: "schedule", Kind: Full, DefaultBranch: "main"}},
		{file: "workflow_dispatch.json", name: "issues", errLike: "does not handle"},
		{file: "push.json", name: "pull_request", errLike: "no pull_request object"},
		{file: "bad_sha.json", name: "pull_request", errLike: "not a commit id"},
		{file: "not_json.json", name: "push", errLike: "not valid JSON"},
	} {
		t.Run(tc.name+"/"+tc.file, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ev, err := Parse(tc.name, f)
			if tc.errLike != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errLike) {
					t.Fatalf("err = %v, want %q", err, tc.errLike)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *ev != tc.want {
				t.Fatalf("got %+v\nwant %+v", *ev, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"pull_request.json", "push.json", "push_new_branch.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add("pull_request", data)
		f.Add("push", data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		ev, err := Parse(name, strings.NewReader(string(data)))
		if err != nil {
			return
		}
		for _, sha := range []string{ev.Base, ev.Head} {
			if sha != "" && !shaRe().MatchString(strings.ToLower(sha)) {
				t.Fatalf("accepted a non-commit id %q", sha)
			}
		}
		if ev.Kind == Range && (ev.Base == "" || ev.Head == "") {
			t.Fatalf("a range without ends: %+v", ev)
		}
	})
}
