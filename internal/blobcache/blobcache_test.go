package blobcache

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/testsecret"
	bolt "go.etcd.io/bbolt"
)

// id returns a deterministic 20-byte object id.
func id(i int) []byte {
	s := sha1.Sum([]byte("blob " + strconv.Itoa(i)))
	return s[:]
}

func keys(from, to int, path string) [][]byte {
	var ks [][]byte
	for i := from; i < to; i++ {
		ks = append(ks, Key(id(i), path))
	}
	return ks
}

func mustOpen(t *testing.T, dir, gen string) *Cache {
	t.Helper()
	c, err := Open(dir, gen, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func countKnown(t *testing.T, c *Cache, ks [][]byte) int {
	t.Helper()
	known, _, err := c.Known(ks)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range known {
		if k {
			n++
		}
	}
	return n
}

func TestAddKnownAndGenerations(t *testing.T) {
	dir := t.TempDir()
	genA := Generation([]byte("rules A"), []byte("settings"))
	genB := Generation([]byte("rules B"), []byte("settings"))
	if genA == genB || Generation([]byte("ab"), []byte("c")) == Generation([]byte("a"), []byte("bc")) {
		t.Fatal("generations collide")
	}
	a := mustOpen(t, dir, genA)
	if err := a.Add(keys(0, 100, "src/a.go"), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		c     *Cache
		keys  [][]byte
		known int
	}{
		{"same generation, same path", a, keys(0, 100, "src/a.go"), 100},
		{"same generation, new blobs", a, keys(100, 150, "src/a.go"), 0},
		{"same blobs at another path", a, keys(0, 100, "src/b.go"), 0},
		{"reopened", mustOpen(t, dir, genA), keys(50, 150, "src/a.go"), 50},
		{"changed rules: fresh generation", mustOpen(t, dir, genB), keys(0, 100, "src/a.go"), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := countKnown(t, tc.c, tc.keys); got != tc.known {
				t.Errorf("known %d, want %d", got, tc.known)
			}
		})
	}
	st, err := ReadStats(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Generations) != 2 || st.Bytes == 0 {
		t.Fatalf("stats %+v", st)
	}
	blobs := map[string]int{}
	for _, g := range st.Generations {
		blobs[g.Name] = g.Blobs
	}
	if blobs[genA] != 100 || blobs[genB] != 0 {
		t.Errorf("blobs per generation %v", blobs)
	}
}

func TestPrune(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) Options { return Options{Now: func() time.Time { return now.Add(d) }} }
	for i, gen := range []string{"old", "middle", "new"} {
		c, err := Open(dir, gen, at(time.Duration(i)*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Add(keys(0, 2000, gen), nil); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		keep   int
		maxAge time.Duration
		kept   []string
	}{
		{keep: 3, kept: []string{"new", "middle", "old"}},
		{keep: 1, maxAge: 30 * time.Hour, kept: []string{"new", "middle"}},
		{keep: 1, kept: []string{"new"}},
	}
	for _, tc := range tests {
		res, err := Prune(dir, tc.keep, tc.maxAge, at(2*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for _, g := range res.Kept {
			kept = append(kept, g.Name)
		}
		if fmt.Sprint(kept) != fmt.Sprint(tc.kept) {
			t.Errorf("keep %d, max age %s: kept %v, want %v", tc.keep, tc.maxAge, kept, tc.kept)
		}
		if res.BytesAfter > res.BytesBefore {
			t.Errorf("compaction grew the file: %d -> %d", res.BytesBefore, res.BytesAfter)
		}
	}
	st, err := ReadStats(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Generations) != 1 || st.Generations[0].Name != "new" || st.Generations[0].Blobs != 2000 {
		t.Fatalf("after prune: %+v", st)
	}
	// The kept generation still answers.
	if got := countKnown(t, mustOpen(t, dir, "new"), keys(0, 2000, "new")); got != 2000 {
		t.Errorf("known after prune %d", got)
	}
}

// TestNoSecretsStored scans the cache file's bytes for the content, the
// secret and the paths of the blobs recorded: only ids and hashes are kept.
func TestNoSecretsStored(t *testing.T) {
	dir := t.TempDir()
	secret := testsecret.GitHubToken(t)
	content := []byte("token = \"" + secret + "\"\n")
	blobID := sha1.Sum(append([]byte(fmt.Sprintf("blob %d\x00", len(content))), content...))
	path := "config/very-distinctive-settings-name.yml"
	c := mustOpen(t, dir, Generation([]byte("rules")))
	if err := c.Add([][]byte{Key(blobID[:], path)}, nil); err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(db, blobID[:]) {
		t.Fatal("the object id is not in the file: the scan of its bytes proves nothing")
	}
	for _, needle := range []string{secret, secret[:12], "very-distinctive", "token ="} {
		if bytes.Contains(db, []byte(needle)) {
			t.Errorf("cache file holds %q", needle)
		}
	}
}

func TestDamagedFile(t *testing.T) {
	valid := func(t *testing.T, dir string) {
		c := mustOpen(t, dir, "g")
		if err := c.Add(keys(0, 5000, "p"), nil); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"not a database", func(t *testing.T, path string) {
			os.WriteFile(path, bytes.Repeat([]byte("not bbolt "), 2000), 0o600)
		}},
		{"tiny", func(t *testing.T, path string) { os.WriteFile(path, []byte("x"), 0o600) }},
		{"meta pages overwritten", func(t *testing.T, path string) {
			b, _ := os.ReadFile(path)
			for i := 0; i < 8192 && i < len(b); i++ {
				b[i] ^= 0x5a
			}
			os.WriteFile(path, b, 0o600)
		}},
		{"data pages overwritten", func(t *testing.T, path string) {
			b, _ := os.ReadFile(path)
			for i := 16384; i < len(b); i++ {
				b[i] = 0xff
			}
			os.WriteFile(path, b, 0o600)
		}},
		{"truncated", func(t *testing.T, path string) {
			b, _ := os.ReadFile(path)
			os.WriteFile(path, b[:len(b)/3], 0o600)
		}},
		{"other format version", func(t *testing.T, path string) {
			c := &Cache{path: path}
			db, err := c.open(false)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.Update(func(tx *bolt.Tx) error { return tx.Bucket(metaBucket).Put(formatKey, []byte("99")) })
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			valid(t, dir)
			tc.damage(t, filepath.Join(dir, FileName))
			var err error
			if c, oerr := Open(dir, "g", Options{Timeout: time.Minute}); oerr != nil {
				err = oerr
			} else {
				_, _, err = c.Known(keys(0, 5000, "p"))
				if err == nil {
					err = c.Add(keys(5000, 6000, "p"), nil)
				}
			}
			if err == nil {
				// Damage that bbolt cannot notice must at least leave
				// a cache that answers; nothing else is promised.
				t.Skip("damage not detected; the cache still answers")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			if msg := err.Error(); !bytes.Contains([]byte(msg), []byte("keylint cache prune --reset")) {
				t.Errorf("error does not say what to do: %s", msg)
			}
			if err := Reset(dir, Options{}); err != nil {
				t.Fatal(err)
			}
			c := mustOpen(t, dir, "g")
			if got := countKnown(t, c, keys(0, 10, "p")); got != 0 {
				t.Errorf("fresh cache knows %d keys", got)
			}
		})
	}
}

func TestLockTimeout(t *testing.T) {
	dir := t.TempDir()
	c := mustOpen(t, dir, "g")
	held, err := c.open(false) // the exclusive lock, as a writer holds it
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	// A helper process, with its own file descriptor, cannot get the lock.
	out, err := helper(t, "lock", dir, "0", "1")
	if err == nil {
		t.Fatalf("helper got the lock: %s", out)
	}
	if !bytes.Contains(out, []byte("locked by another process")) || !bytes.Contains(out, []byte("--cache")) {
		t.Errorf("unclear lock error: %s", out)
	}
}

// TestTwoProcesses runs two helper processes that add and look up keys in
// one cache directory at the same time, each in many short transactions;
// afterwards every key of both is known.
func TestTwoProcesses(t *testing.T) {
	dir := t.TempDir()
	mustOpen(t, dir, "g")
	const per = 400
	cmds := make([]*exec.Cmd, 2)
	outs := make([]*bytes.Buffer, 2)
	for i := range cmds {
		cmds[i], outs[i] = helperCmd(t, "add", dir, strconv.Itoa(i*per), strconv.Itoa((i+1)*per))
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, outs[i])
		}
	}
	if got := countKnown(t, mustOpen(t, dir, "g"), keys(0, 2*per, "p")); got != 2*per {
		t.Errorf("known %d of %d", got, 2*per)
	}
}

const helperEnv = "KEYLINT_BLOBCACHE_HELPER"

func helperCmd(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+fmt.Sprint(len(args)))
	for i, a := range args {
		cmd.Env = append(cmd.Env, fmt.Sprintf("%s_%d=%s", helperEnv, i, a))
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func helper(t *testing.T, args ...string) ([]byte, error) {
	cmd, out := helperCmd(t, args...)
	err := cmd.Run()
	return out.Bytes(), err
}

// TestHelperProcess is the helper process of the tests above; it does
// nothing in a normal run.
func TestHelperProcess(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv(helperEnv))
	if err != nil {
		return
	}
	var args []string
	for i := range n {
		args = append(args, os.Getenv(fmt.Sprintf("%s_%d", helperEnv, i)))
	}
	from, _ := strconv.Atoi(args[2])
	to, _ := strconv.Atoi(args[3])
	switch args[0] {
	case "lock":
		_, err := Open(args[1], "g", Options{Timeout: 100 * time.Millisecond})
		if err == nil {
			os.Exit(0)
		}
		fmt.Println(err)
		os.Exit(1)
	case "add":
		c, err := Open(args[1], "g", Options{})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		for i := from; i < to; i += 10 {
			if err := c.Add(keys(i, i+10, "p"), nil); err != nil {
				fmt.Println(err)
				os.Exit(1)
			}
			if got := countKnown(t, c, keys(from, i+10, "p")); got != i+10-from {
				fmt.Printf("after adding up to %d, %d known\n", i+10, got)
				os.Exit(1)
			}
		}
		os.Exit(0)
	}
}

// TestValuesRecorded: a key added with a value is known with it, a clean
// key with none; values past MaxValue and lists of another length are
// errors.
func TestValuesRecorded(t *testing.T) {
	dir := t.TempDir()
	c := mustOpen(t, dir, "g")
	ks := keys(0, 3, "p")
	if err := c.Add(ks, [][]byte{nil, []byte("rules and offsets"), {}}); err != nil {
		t.Fatal(err)
	}
	known, values, err := c.Known(append(ks, Key(id(99), "p")))
	if err != nil {
		t.Fatal(err)
	}
	wantKnown := []bool{true, true, true, false}
	wantValues := []string{"", "rules and offsets", "", ""}
	for i := range wantKnown {
		if known[i] != wantKnown[i] || string(values[i]) != wantValues[i] {
			t.Errorf("key %d: known %v value %q, want %v %q", i, known[i], values[i], wantKnown[i], wantValues[i])
		}
	}
	if err := c.Add(keys(10, 11, "p"), [][]byte{make([]byte, MaxValue+1)}); err == nil {
		t.Error("a value past MaxValue was stored")
	}
	if err := c.Add(keys(10, 12, "p"), [][]byte{nil}); err == nil {
		t.Error("two keys with one value were stored")
	}
}

// TestKeyPathHashWidth: a blob's key carries 128 bits of its path's hash,
// too many for a crafted repository to find two paths of one hash.
func TestKeyPathHashWidth(t *testing.T) {
	id := make([]byte, 20)
	for _, path := range []string{"a.env", "allowed/c.env", ""} {
		k := Key(id, path)
		sum := sha256.Sum256([]byte(path))
		if len(k) != 36 || !bytes.Equal(k[:20], id) || !bytes.Equal(k[20:], sum[:16]) {
			t.Errorf("Key(%q) = %x: want the id and 16 bytes of SHA-256(path)", path, k)
		}
	}
}
