package hooks

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gittest"
)

func TestReadPush(t *testing.T) {
	t.Parallel()
	const a, b, zero = "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222", "0000000000000000000000000000000000000000"
	line := "refs/heads/main " + a + " refs/heads/main " + b + "\n"
	tests := []struct {
		name    string
		args    []string
		stdin   string
		want    Push
		wantErr string
	}{
		{"no arguments", nil, "", Push{}, ""},
		{"remote", []string{"origin"}, line, Push{Dest: Destination{Remote: "origin"}, Updates: []PushUpdate{{"refs/heads/main", a, "refs/heads/main", b}}}, ""},
		{"remote and url", []string{"origin", "https://example.invalid/r"}, "refs/heads/x " + zero + " refs/heads/x " + b + "\n",
			Push{Dest: Destination{Remote: "origin", URL: "https://example.invalid/r"}, Updates: []PushUpdate{{"refs/heads/x", zero, "refs/heads/x", b}}}, ""},
		{"garbage", []string{"origin", "u"}, "garbage\n", Push{}, `pre-push input line 1: want "<local ref> <local id> <remote ref> <remote id>", got "garbage"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPush(tt.args, strings.NewReader(tt.stdin))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || clierr.Hint(err) != "keylint hook run pre-push reads what git writes to a pre-push hook" {
					t.Fatalf("err = %v (hint %q), want %q with the hint", err, clierr.Hint(err), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Dest != tt.want.Dest || !slices.Equal(got.Updates, tt.want.Updates) {
				t.Errorf("ReadPush = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestPushRanges: each update that does not delete a ref publishes its
// local commit minus what the destination has.
func TestPushRanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := gittest.New(t)
	r.Write("a.txt", "a\n")
	base := r.Commit("base")
	r.Write("b.txt", "b\n")
	head := r.Commit("head")
	const zero = "0000000000000000000000000000000000000000"
	env := r.HermeticEnv()
	tests := []struct {
		name    string
		updates []PushUpdate
		want    []Range
	}{
		{"nothing", nil, nil},
		{"a new branch", []PushUpdate{{"refs/heads/main", head, "refs/heads/main", zero}}, []Range{{Include: []string{head}}}},
		{"an update", []PushUpdate{{"refs/heads/main", head, "refs/heads/main", base}}, []Range{{Include: []string{head}, Exclude: []string{base}}}},
		{"a deletion publishes nothing", []PushUpdate{{"refs/heads/old", zero, "refs/heads/old", base}, {"refs/heads/main", head, "refs/heads/main", base}},
			[]Range{{Include: []string{head}, Exclude: []string{base}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Push{Dest: Destination{Remote: "origin"}, Updates: tt.updates}.Ranges(ctx, r.Dir, env)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tt.want, func(a, b Range) bool {
				return slices.Equal(a.Include, b.Include) && slices.Equal(a.Exclude, b.Exclude)
			}) {
				t.Errorf("Ranges = %+v, want %+v", got, tt.want)
			}
		})
	}
	_, err := Push{Dest: Destination{Remote: "origin"}, Updates: []PushUpdate{{"refs/heads/main", head, "refs/heads/main", zero}}}.Ranges(ctx, t.TempDir(), env)
	if err == nil || clierr.Hint(err) != "run it from the repository you push from; nothing was pushed" {
		t.Errorf("outside a repository: err = %v, hint %q", err, clierr.Hint(err))
	}
}

func TestChosen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		install, prePush bool
		want             []string
	}{
		{true, false, []string{PreCommit}},
		{true, true, []string{PreCommit, PrePush}},
		{false, false, nil},
		{false, true, []string{PrePush}},
	}
	for _, tt := range tests {
		if got := Chosen(tt.install, tt.prePush); !slices.Equal(got, tt.want) {
			t.Errorf("Chosen(%v, %v) = %q, want %q", tt.install, tt.prePush, got, tt.want)
		}
	}
}

// FuzzReadPush: whatever git (or someone else) hands the pre-push hook,
// ReadPush returns the destination it was given and valid updates, or an
// error with its hint; it never panics.
func FuzzReadPush(f *testing.F) {
	a, z := strings.Repeat("a", 40), strings.Repeat("0", 40)
	f.Add("origin", "https://example.invalid/r", "refs/heads/main "+a+" refs/heads/main "+z+"\n")
	f.Add("", "", "garbage\n")
	f.Add("-x", "\n", "\n\n")
	f.Fuzz(func(t *testing.T, remote, url, stdin string) {
		p, err := ReadPush([]string{remote, url}, strings.NewReader(stdin))
		if err != nil {
			if clierr.Hint(err) == "" {
				t.Fatalf("error without a hint: %v", err)
			}
			return
		}
		if p.Dest != (Destination{Remote: remote, URL: url}) {
			t.Fatalf("destination %+v from %q %q", p.Dest, remote, url)
		}
		for _, u := range p.Updates {
			if !isObjectID(u.LocalID) || !isObjectID(u.RemoteID) {
				t.Fatalf("accepted a bad update %+v", u)
			}
		}
	})
}
