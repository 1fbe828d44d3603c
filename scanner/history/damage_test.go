package history

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
)

// damageRepo is a repository whose history is split between a pack (the
// older commits, with keyPacked) and loose objects (the newer commits,
// with keyLoose), with a side branch and refs both loose and packed, so
// that each kind of damage leaves something readable to report.
type damageRepo struct {
	dir                 string
	keyPacked, keyLoose string
	// ids of objects the damage cases aim at, found with git itself.
	looseBlob, midTree, midCommit string
}

func newDamageRepo(t *testing.T) damageRepo {
	t.Helper()
	r := gittest.New(t)
	d := damageRepo{keyPacked: histToken(t), keyLoose: histToken(t)}
	body := strings.Repeat("ordinary text that deltas well between versions\n", 300)
	for i := range 6 {
		r.Write("big.txt", body+strings.Repeat("edit\n", i))
		r.Write("notes.txt", "note "+strconv.Itoa(i)+"\n")
		if i == 2 {
			r.Write("keys/packed.env", "K="+d.keyPacked+"\n")
		}
		r.Commit("packed " + strconv.Itoa(i))
	}
	r.Git("branch", "side")
	r.Git("tag", "v1")
	r.Git("gc", "-q", "--aggressive")
	// Loose history on top: a directory changed in the middle commit only.
	r.Write("mid/only.txt", "middle\n")
	r.Write("loose.txt", "loose blob\n")
	d.midCommit = r.Commit("loose 1")
	d.midTree = strings.TrimSpace(r.Git("rev-parse", "HEAD:mid"))
	d.looseBlob = strings.TrimSpace(r.Git("rev-parse", "HEAD:loose.txt"))
	r.Write("mid/only.txt", "changed\n")
	r.Commit("loose 2")
	r.Write("keys/loose.env", "K="+d.keyLoose+"\n")
	r.Commit("loose key")
	d.dir = r.Dir
	return d
}

// copyRepo copies the repository for one case to damage.
func (d damageRepo) copy(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	if err := os.CopyFS(dst, os.DirFS(d.dir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func objectPath(dir, id string) string {
	return filepath.Join(dir, ".git", "objects", id[:2], id[2:])
}

func onlyPack(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(m) != 1 {
		t.Fatalf("packs: %v", m)
	}
	return m[0]
}

// deltaBase returns the offset and packed size of an object that another
// object of the pack is a delta of.
func deltaBase(t *testing.T, dir string) (off, size int64) {
	t.Helper()
	pk := onlyPack(t, dir)
	out := gittest.Open(t, dir).Git("verify-pack", "-v", strings.TrimSuffix(pk, ".pack")+".idx")
	type ent struct{ size, off int64 }
	ents := map[string]ent{}
	var base string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 || len(f[0]) != 40 {
			continue
		}
		size, _ := strconv.ParseInt(f[3], 10, 64)
		o, _ := strconv.ParseInt(f[4], 10, 64)
		ents[f[0]] = ent{size, o}
		if len(f) == 7 && base == "" {
			base = f[6]
		}
	}
	e, ok := ents[base]
	if !ok {
		t.Fatalf("no delta in the pack:\n%s", out)
	}
	return e.off, e.size
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHistoryDamagedRepository damages a repository in every way the object
// database, its indexes and refs can be damaged, and checks that the scan
// says what is broken (not a clean result), and still reports the
// findings of what it could read.
func TestHistoryDamagedRepository(t *testing.T) {
	t.Parallel()
	base := newDamageRepo(t)
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   string // in the warnings that make the scan incomplete
		found  string // "packed", "loose" or "both": keys still reported
	}{
		{"pack deleted", func(t *testing.T, dir string) {
			os.Remove(onlyPack(t, dir))
		}, "has no pack", "loose"},
		{"index deleted", func(t *testing.T, dir string) {
			os.Remove(strings.TrimSuffix(onlyPack(t, dir), ".pack") + ".idx")
		}, "has no index", "loose"},
		{"pack cut in half", func(t *testing.T, dir string) {
			pk := onlyPack(t, dir)
			fi, _ := os.Stat(pk)
			os.Truncate(pk, fi.Size()/2)
		}, "does not match its index", "loose"},
		{"pack header garbage", func(t *testing.T, dir string) {
			f, _ := os.OpenFile(onlyPack(t, dir), os.O_WRONLY, 0)
			f.WriteAt([]byte("JUNK"), 0)
			f.Close()
		}, "not a pack file", "loose"},
		{"index garbage", func(t *testing.T, dir string) {
			writeFile(t, strings.TrimSuffix(onlyPack(t, dir), ".pack")+".idx", "garbage")
		}, "pack index", "loose"},
		{"corrupt delta base", func(t *testing.T, dir string) {
			off, size := deltaBase(t, dir)
			f, _ := os.OpenFile(onlyPack(t, dir), os.O_WRONLY, 0)
			f.WriteAt([]byte{0xde, 0xad, 0xbe, 0xef}, off+size/2)
			f.Close()
		}, "big.txt", "both"},
		{"garbage in a branch", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".git", "refs", "heads", "side"), "garbage\n")
		}, "refs/heads/side", "both"},
		{"garbage in the checked-out branch", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".git", "refs", "heads", "main"), "not a commit id at all\n")
		}, "refs/heads/main", "packed"},
		{"null id in a branch", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".git", "refs", "heads", "side"), strings.Repeat("0", 40)+"\n")
		}, `"0000000000`, "both"},
		{"branch names a missing commit", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".git", "refs", "heads", "side"), strings.Repeat("ab", 20)+"\n")
		}, "abababab", "both"},
		{"HEAD garbage", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".git", "HEAD"), "garbage\n")
		}, "HEAD", "both"},
		{"HEAD names a broken branch", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/nope..bad\n")
		}, "HEAD", "both"},
		{"packed-refs with garbage", func(t *testing.T, dir string) {
			gittest.Open(t, dir).Git("pack-refs", "--all")
			p := filepath.Join(dir, ".git", "packed-refs")
			b, _ := os.ReadFile(p)
			writeFile(t, p, string(b)+"garbage line\n"+strings.Repeat("z", 40)+" refs/heads/zzz\n")
		}, "packed-refs", "both"},
		{"packed ref names a missing commit", func(t *testing.T, dir string) {
			gittest.Open(t, dir).Git("pack-refs", "--all")
			p := filepath.Join(dir, ".git", "packed-refs")
			b, _ := os.ReadFile(p)
			writeFile(t, p, string(b)+strings.Repeat("cd", 20)+" refs/tags/gone\n")
		}, "cdcdcdcd", "both"},
		{"truncated loose object", func(t *testing.T, dir string) {
			p := objectPath(dir, base.looseBlob)
			b, _ := os.ReadFile(p)
			os.Chmod(p, 0o644)
			writeFile(t, p, string(b[:len(b)/2]))
		}, base.looseBlob[2:], "both"},
		{"loose object with bad zlib", func(t *testing.T, dir string) {
			p := objectPath(dir, base.looseBlob)
			os.Chmod(p, 0o644)
			writeFile(t, p, "\x78\x9cthis is not deflate data at all")
		}, base.looseBlob[2:], "both"},
		{"missing tree in the middle of history", func(t *testing.T, dir string) {
			os.Remove(objectPath(dir, base.midTree))
		}, base.midTree, "both"},
		{"missing commit in the middle of history", func(t *testing.T, dir string) {
			os.Remove(objectPath(dir, base.midCommit))
		}, base.midCommit, "loose"},
		{"shallow file with garbage", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".git", "shallow"), "garbage\n")
		}, "shallow file line 1", "both"},
		{"alternates to a missing directory", func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, ".git", "objects", "info"), 0o755)
			writeFile(t, filepath.Join(dir, ".git", "objects", "info", "alternates"), filepath.Join(dir, "no", "such", "objects")+"\n")
		}, "alternate object directory", "both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := base.copy(t)
			tc.damage(t, dir)
			res := scanHistory(t, Options{Repo: dir})
			inc := res.Incomplete()
			if len(inc) == 0 {
				t.Fatalf("the scan is complete, with %d findings and warnings %v", len(res.Findings), res.Warnings)
			}
			var all strings.Builder
			for _, w := range inc {
				all.WriteString(w.Error() + "\n")
			}
			if !strings.Contains(all.String(), tc.want) {
				t.Errorf("warnings do not name %q:\n%s", tc.want, all.String())
			}
			for _, k := range []struct{ which, key string }{{"packed", base.keyPacked}, {"loose", base.keyLoose}} {
				if (tc.found == k.which || tc.found == "both") && findingOf(res, k.key) == nil {
					t.Errorf("the %s key, in a readable part, is not reported", k.which)
				}
			}
		})
	}
}

// TestHistoryExpectedGaps checks that what a repository legitimately lacks,
// a shallow clone's older history and a partial clone's blobs, is reported
// but does not make the scan incomplete, while the same objects missing
// from an ordinary clone do.
func TestHistoryExpectedGaps(t *testing.T) {
	t.Parallel()
	base := newDamageRepo(t)
	src := gittest.Open(t, base.dir)
	src.Git("config", "uploadpack.allowFilter", "true")
	for _, tc := range []struct {
		name     string
		clone    []string
		expected string
	}{
		{"shallow", []string{"--depth", "2"}, "shallow clone"},
		{"shallow, one commit", []string{"--depth", "1"}, "shallow clone"},
		{"partial, blobs", []string{"--filter=blob:none", "--no-checkout"}, "not fetched (partial clone)"},
		{"partial, trees", []string{"--filter=tree:0", "--no-checkout"}, "trees are not fetched (partial clone)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := gittest.Open(t, t.TempDir())
			c.Git(append(append([]string{"clone", "-q"}, tc.clone...), "file://"+base.dir, ".")...)
			res := scanHistory(t, Options{Repo: c.Dir})
			if inc := res.Incomplete(); len(inc) != 0 {
				t.Errorf("incomplete: %v", inc)
			}
			var exp strings.Builder
			for _, w := range res.Warnings {
				if w.Expected {
					exp.WriteString(w.Error() + "\n")
				}
			}
			if !strings.Contains(exp.String(), tc.expected) {
				t.Errorf("expected warnings lack %q:\n%s", tc.expected, exp.String())
			}
		})
	}
	// The same shallow clone without its shallow file: the grafted parents
	// are now missing for real.
	c := gittest.Open(t, t.TempDir())
	c.Git("clone", "-q", "--depth", "2", "file://"+base.dir, ".")
	if err := os.Remove(filepath.Join(c.Dir, ".git", "shallow")); err != nil {
		t.Fatal(err)
	}
	if res := scanHistory(t, Options{Repo: c.Dir}); len(res.Incomplete()) == 0 {
		t.Error("a clone missing commits without a shallow file must be incomplete")
	}
	// A promisor remote configured on an ordinary clone whose blob is gone:
	// missing blobs are then expected; without it they are not.
	for _, promisor := range []bool{false, true} {
		dir := base.copy(t)
		if promisor {
			gittest.Open(t, dir).Git("config", "remote.origin.promisor", "true")
		}
		os.Remove(objectPath(dir, base.looseBlob))
		res := scanHistory(t, Options{Repo: dir})
		if got := len(res.Incomplete()) > 0; got == promisor {
			t.Errorf("promisor=%v: incomplete=%v (%v)", promisor, got, res.Warnings)
		}
		if findingOf(res, base.keyLoose) == nil || findingOf(res, base.keyPacked) == nil {
			t.Errorf("promisor=%v: keys not reported", promisor)
		}
	}
}
