//go:build unix

package gitobj

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
)

const (
	idA = "0123456789abcdef0123456789abcdef01234567"
	idB = "89abcdef0123456789abcdef0123456789abcdef"
)

func TestParseRef(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in     string
		id     string
		target string
		bad    bool
	}{
		{idA + "\n", idA, "", false},
		{idA, idA, "", false},
		{strings.ToUpper(idA) + "\n", idA, "", false},
		{"ref: refs/heads/main\n", "", "refs/heads/main", false},
		{"ref:refs/heads/main", "", "refs/heads/main", false},
		{"garbage\n", "", "", true},
		{"", "", "", true},
		{"\n", "", "", true},
		{idA[:39] + "\n", "", "", true},
		{idA + "0\n", "", "", true},
		{idA + " \n", "", "", true},
		{idA + "\n" + idB + "\n", "", "", true},
		{strings.Repeat("0", 40) + "\n", "", "", true},
		{"ref: \n", "", "", true},
		{"ref: refs/heads/../../etc\n", "", "", true},
		{"ref: refs/heads/a b\n", "", "", true},
		{"ref: /etc/passwd\n", "", "", true},
		{"ref: refs/heads/x.lock\n", "", "", true},
		{"ref: refs/heads/\x1b[31m\n", "", "", true},
		{"\x00\x01\x02", "", "", true},
	} {
		id, target, err := ParseRef([]byte(tc.in))
		if tc.bad {
			if err == nil || !errors.Is(err, ErrBadRef) {
				t.Errorf("%q: err %v, want ErrBadRef", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if target != tc.target || (tc.id != "" && id.String() != tc.id) {
			t.Errorf("%q: %s %q", tc.in, id, target)
		}
	}
}

func TestParsePackedRefs(t *testing.T) {
	t.Parallel()
	data := "# pack-refs with: peeled fully-peeled sorted \n" +
		idA + " refs/heads/main\n" +
		idB + " refs/tags/v1\n" +
		"^" + idA + "\n" +
		"garbage line\n" +
		"zz" + idA[2:] + " refs/heads/bad\n" +
		idA + " refs/heads/..\n" +
		"^nothex\n" +
		idB + " refs/remotes/origin/main\r\n" +
		idA + "\n"
	got := map[string]string{}
	errs := ParsePackedRefs([]byte(data), func(name string, id ID) { got[name] = id.String() })
	want := map[string]string{"refs/heads/main": idA, "refs/tags/v1": idB, "refs/remotes/origin/main": idB}
	if len(got) != len(want) {
		t.Errorf("refs %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %s, want %s", k, got[k], v)
		}
	}
	if len(errs) != 5 {
		t.Fatalf("%d errors: %v", len(errs), errs)
	}
	var named bool
	for _, err := range errs {
		var re *RefError
		if !errors.As(err, &re) || !errors.Is(err, ErrBadRef) || !strings.Contains(re.File, "packed-refs line") {
			t.Errorf("error %v", err)
		}
		named = named || re.Name == "refs/heads/bad"
	}
	if !named {
		t.Errorf("the bad id of a named ref names it: %v", errs)
	}
}

// TestReadRefs reads the refs of a real repository, loose and packed, with
// a linked worktree, and damaged ones.
func TestReadRefs(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("a", "a\n")
	c1 := r.Commit("a")
	r.Git("tag", "-a", "-m", "t", "v1")
	r.Git("branch", "side")
	r.Git("pack-refs", "--all")
	r.Write("a", "b\n")
	c2 := r.Commit("b") // refs/heads/main is loose again, overriding the packed value
	wt := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", "-b", "wtb", wt)
	git := filepath.Join(r.Dir, ".git")
	refs, errs := ReadRefs(git, git)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	byName := map[string]Ref{}
	for _, ref := range refs {
		byName[ref.Name] = ref
	}
	if byName["refs/heads/main"].ID.String() != c2 || byName["refs/heads/side"].ID.String() != c1 ||
		byName["HEAD"].Target != "refs/heads/main" || byName["refs/heads/wtb"].ID.String() != c2 {
		t.Errorf("refs: %+v", refs)
	}
	if _, ok := byName["refs/tags/v1"]; !ok {
		t.Error("packed tag missing")
	}
	// The linked worktree's HEAD is its own.
	wgit := strings.TrimSpace(r.Git("-C", wt, "rev-parse", "--absolute-git-dir"))
	wrefs, errs := ReadRefs(wgit, git)
	if len(errs) != 0 {
		t.Fatalf("worktree errors: %v", errs)
	}
	for _, ref := range wrefs {
		if ref.Name == "HEAD" && ref.Target != "refs/heads/wtb" {
			t.Errorf("worktree HEAD: %+v", ref)
		}
	}

	// Damage: each bad ref is reported by name; the others are still read.
	if err := os.WriteFile(filepath.Join(git, "refs", "heads", "side"), []byte("garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(git, "refs", "heads", "dir"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(git, "refs", "heads", "dir", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(git, "refs", "heads", "link")); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("a", maxLooseRef+1)
	if err := os.WriteFile(filepath.Join(git, "refs", "tags", "big"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	refs, errs = ReadRefs(git, git)
	var names []string
	for _, err := range errs {
		var re *RefError
		if !errors.As(err, &re) {
			t.Fatalf("not a RefError: %v", err)
		}
		names = append(names, re.Name)
	}
	for _, want := range []string{"refs/heads/side", "refs/heads/dir/fifo", "refs/heads/link", "refs/tags/big"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("no error for %s: %v", want, errs)
		}
	}
	for _, ref := range refs {
		if ref.Name == "refs/heads/side" {
			t.Errorf("a garbage loose ref must not fall back to its stale packed value: %+v", ref)
		}
	}
	if len(refs) < 3 {
		t.Errorf("the good refs are still read: %+v", refs)
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{idA + "\n", "ref: refs/heads/main\n", "garbage", "", "ref: ", idA + "\n" + idA} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		id, target, err := ParseRef(data)
		if err != nil {
			if !errors.Is(err, ErrBadRef) {
				t.Fatalf("error %v does not wrap ErrBadRef", err)
			}
			return
		}
		if target == "" && id.IsZero() {
			t.Fatal("neither an id nor a target")
		}
		if target != "" && !validRefName([]byte(target)) {
			t.Fatalf("invalid target %q accepted", target)
		}
	})
}

func FuzzParsePackedRefs(f *testing.F) {
	f.Add([]byte("# pack-refs with: peeled\n" + idA + " refs/heads/main\n^" + idB + "\n"))
	f.Add([]byte("garbage\n\n\r\n^\n" + idA + " \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		errs := ParsePackedRefs(data, func(name string, id ID) {
			n++
			if id.IsZero() || !validRefName([]byte(name)) {
				t.Fatalf("accepted %q %s", name, id)
			}
		})
		if lines := strings.Count(string(data), "\n") + 1; n+len(errs) > lines {
			t.Fatalf("%d refs and %d errors from %d lines", n, len(errs), lines)
		}
		for _, err := range errs {
			if !errors.Is(err, ErrBadRef) {
				t.Fatalf("error %v does not wrap ErrBadRef", err)
			}
		}
	})
}

// TestOpenDamaged: Open reads what it can and lists the rest as problems.
func TestOpenDamaged(t *testing.T) {
	t.Parallel()
	build := func(t *testing.T) (string, string) {
		r := gittest.New(t)
		r.Write("a", "a\n")
		r.Commit("a")
		r.Git("gc", "-q")
		r.Write("b", "b\n")
		c := r.Commit("b") // loose
		m, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.pack"))
		return m[0], c
	}
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, pack string)
		want   string
	}{
		{"no pack", func(t *testing.T, pack string) { os.Remove(pack) }, "has no pack"},
		{"no index", func(t *testing.T, pack string) { os.Remove(strings.TrimSuffix(pack, ".pack") + ".idx") }, "has no index"},
		{"short pack", func(t *testing.T, pack string) { os.Truncate(pack, 40) }, "does not match its index"},
		{"empty pack", func(t *testing.T, pack string) { os.Truncate(pack, 0) }, "not a pack file"},
		{"bad index", func(t *testing.T, pack string) {
			os.WriteFile(strings.TrimSuffix(pack, ".pack")+".idx", []byte("\xfftOc\x00\x00\x00\x02"), 0o644)
		}, "pack index"},
		{"missing alternate", func(t *testing.T, pack string) {
			info := filepath.Join(filepath.Dir(filepath.Dir(pack)), "info")
			os.MkdirAll(info, 0o755)
			os.WriteFile(filepath.Join(info, "alternates"), []byte("../../nowhere/objects\n"), 0o644)
		}, "nowhere"},
		{"alternates is a FIFO", func(t *testing.T, pack string) {
			info := filepath.Join(filepath.Dir(filepath.Dir(pack)), "info")
			os.MkdirAll(info, 0o755)
			if err := syscall.Mkfifo(filepath.Join(info, "alternates"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "alternates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pack, loose := build(t)
			tc.damage(t, pack)
			db, err := Open(filepath.Dir(filepath.Dir(pack)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ps := db.Problems()
			if len(ps) == 0 || !strings.Contains(ps[0].Error(), tc.want) || !errors.Is(ps[0], ErrDamaged) {
				t.Errorf("problems %v, want %q", ps, tc.want)
			}
			id, _ := ParseID(loose)
			if _, _, err := db.Read(id); err != nil {
				t.Errorf("the loose commit is readable: %v", err)
			}
		})
	}
}

func TestParseShallow(t *testing.T) {
	t.Parallel()
	ids, errs := ParseShallow([]byte(idA + "\n\n" + "garbage\n" + idB + "\r\n" + strings.Repeat("0", 40) + "\n" + idA[:20]))
	if len(ids) != 2 || ids[0].String() != idA || ids[1].String() != idB {
		t.Errorf("ids %v", ids)
	}
	if len(errs) != 3 {
		t.Fatalf("errors %v", errs)
	}
	for _, err := range errs {
		if !errors.Is(err, ErrBadRef) || !strings.Contains(err.Error(), "shallow file line") {
			t.Errorf("error %v", err)
		}
	}
}

func FuzzParseShallow(f *testing.F) {
	f.Add([]byte(idA + "\n" + idB + "\n"))
	f.Add([]byte("garbage\n\r\n" + idA))
	f.Fuzz(func(t *testing.T, data []byte) {
		ids, errs := ParseShallow(data)
		if lines := bytes.Count(data, []byte("\n")) + 1; len(ids)+len(errs) > lines {
			t.Fatalf("%d ids and %d errors from %d lines", len(ids), len(errs), lines)
		}
		for _, id := range ids {
			if id.IsZero() || !bytes.Contains(bytes.ToLower(data), []byte(id.String())) {
				t.Fatalf("id %s not in the input", id)
			}
		}
	})
}
