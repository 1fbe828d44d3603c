package gitobj

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
)

// objectSum is how git names an object: the SHA-1 of its header and content.
func objectSum(typ Type, data []byte) ID {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", typ, len(data))
	h.Write(data)
	var id ID
	copy(id[:], h.Sum(nil))
	return id
}

type listed struct {
	id   ID
	typ  Type
	size int
}

// allObjects lists every object of the repository with git itself.
func allObjects(t *testing.T, r *gittest.Repo) []listed {
	t.Helper()
	out := r.Git("cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype) %(objectsize)")
	var objs []listed
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		id, err := ParseID(f[0])
		if err != nil {
			t.Fatal(err)
		}
		typ, _ := ParseType(f[1])
		n, _ := strconv.Atoi(f[2])
		objs = append(objs, listed{id, typ, n})
	}
	return objs
}

func generated(t *testing.T, opt gittest.GenOptions) (*gittest.Repo, string) {
	t.Helper()
	r, _ := gittest.Generated(t, opt)
	return r, filepath.Join(r.Dir, "objects")
}

// TestReadAndDecodeMatchGit reads every object of a generated repository
// (packed with deltas, plus loose objects) with Read and Decode and checks
// each against the id git gave it.
func TestReadAndDecodeMatchGit(t *testing.T) {
	t.Parallel()
	r, objects := generated(t, gittest.GenOptions{Bytes: 3 << 20, Seed: 1, Loose: 5})
	objs := allObjects(t, r)
	db, err := Open(objects, Options{CacheBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var loose, blobs int
	for _, o := range objs {
		typ, data, err := db.Read(o.id)
		if err != nil {
			t.Fatalf("Read %s: %v", o.id, err)
		}
		if typ != o.typ || len(data) != o.size || objectSum(typ, data) != o.id {
			t.Fatalf("Read %s: got %s of %d bytes, want %s of %d", o.id, typ, len(data), o.typ, o.size)
		}
		if loc, _ := db.locate(o.id, 0); loc.pack < 0 {
			loose++
		}
		if o.typ == TypeBlob {
			blobs++
		}
	}
	if loose == 0 || blobs < 100 {
		t.Fatalf("the repository should have loose objects and many blobs: %d loose, %d blobs", loose, blobs)
	}

	for _, workers := range []int{1, 3} {
		ids := make([]ID, len(objs))
		for i, o := range objs {
			ids[i] = o.id
		}
		seen := make([]int, len(ids))
		var mu sync.Mutex
		err := db.Decode(context.Background(), ids, DecodeOptions{Workers: workers}, func(w, i int, typ Type, data []byte, err error) {
			if err != nil {
				t.Errorf("Decode %s: %v", ids[i], err)
				return
			}
			if objectSum(typ, data) != ids[i] {
				t.Errorf("Decode %s: wrong content", ids[i])
			}
			mu.Lock()
			seen[i]++
			mu.Unlock()
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range seen {
			if n != 1 {
				t.Fatalf("workers=%d: object %s decoded %d times", workers, ids[i], n)
			}
		}
	}
}

func TestDecodeMissingAndTooLarge(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("small.txt", "hello\n")
	r.Write("big.txt", strings.Repeat("0123456789abcdef\n", 4096))
	r.Commit("one")
	r.Write("big.txt", strings.Repeat("0123456789abcdef\n", 4096)+"more\n")
	r.Commit("two")
	r.Git("gc", "-q")
	small, _ := ParseID(r.Git("rev-parse", "HEAD:small.txt"))
	big, _ := ParseID(r.Git("rev-parse", "HEAD:big.txt"))
	bigOld, _ := ParseID(r.Git("rev-parse", "HEAD~:big.txt"))
	missing, _ := ParseID(strings.Repeat("ab", 20))
	db, err := Open(filepath.Join(r.Dir, ".git", "objects"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids := []ID{small, big, bigOld, missing}
	got := make([]string, len(ids))
	err = db.Decode(context.Background(), ids, DecodeOptions{MaxSize: 1000}, func(w, i int, typ Type, data []byte, err error) {
		var tl *TooLargeError
		switch {
		case errors.Is(err, ErrNotFound):
			got[i] = "missing"
		case errors.As(err, &tl):
			got[i] = "too-large"
		case err != nil:
			got[i] = err.Error()
		default:
			got[i] = string(data)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"hello\n", "too-large", "too-large", "missing"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("object %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

func TestResolvePrefix(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("a", "a\n")
	head := r.Commit("one")
	db, err := Open(filepath.Join(r.Dir, ".git", "objects"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, p := range []string{head[:7], head[:8], strings.ToUpper(head[:10]), head} {
		ids, err := db.Resolve(p)
		if err != nil || len(ids) != 1 || ids[0].String() != head {
			t.Errorf("Resolve(%q) = %v, %v", p, ids, err)
		}
	}
	r.Git("gc", "-q")
	db2, err := Open(filepath.Join(r.Dir, ".git", "objects"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if ids, _ := db2.Resolve(head[:7]); len(ids) != 1 || ids[0].String() != head {
		t.Errorf("packed Resolve = %v", ids)
	}
}

func TestAlternates(t *testing.T) {
	t.Parallel()
	base := gittest.New(t)
	base.Write("a.txt", "shared content\n")
	base.Commit("one")
	base.Git("gc", "-q")
	clone := gittest.Open(t, t.TempDir())
	clone.Git("clone", "-q", "--shared", base.Dir, ".")
	clone.Write("b.txt", "own content\n")
	clone.Commit("two")
	db, err := Open(filepath.Join(clone.Dir, ".git", "objects"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if len(db.Dirs()) != 2 {
		t.Fatalf("dirs = %v", db.Dirs())
	}
	for _, rev := range []string{"HEAD:a.txt", "HEAD:b.txt"} {
		id, _ := ParseID(clone.Git("rev-parse", rev))
		if _, data, err := db.Read(id); err != nil || !bytes.Contains(data, []byte("content")) {
			t.Errorf("%s: %q %v", rev, data, err)
		}
	}
}
