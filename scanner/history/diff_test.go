package history

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/internal/testrules"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// histDiffRules is the default rule set plus histRules.
func histDiffRules(t testing.TB) *rules.Matcher {
	t.Helper()
	return rules.NewMatcher(testrules.WithDefaults(t, "hist.toml", histRules))
}

// histPlant returns, now and then, a line holding a fresh secret: a
// history test token or a checksum-valid GitHub token, sometimes marked
// with an inline allow.
func histPlant(rng *rand.Rand, commit int, path string) string {
	if rng.IntN(6) != 0 {
		return ""
	}
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	rnd := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(b)
	}
	var tok string
	if rng.IntN(2) == 0 {
		tok = "htk" + "_" + rnd(28)
	} else {
		body := rnd(30)
		tok = "gh" + "p_" + body + rules.Base62CRC32(body)
	}
	line := fmt.Sprintf("token := %q // planted in commit %d", tok, commit)
	if rng.IntN(10) == 0 {
		line += " keylint:allow"
	}
	return line
}

type histSecretAt struct{ rule, fingerprint, path string }

// TestHistoryDifferential checks, on a generated history with hundreds of
// commits, merges, renames, deletions, packed and loose objects and
// planted secrets, that Scan finds exactly the (secret, path)
// pairs found by scanning, one by one with the ordinary engine, every
// blob that git rev-list --objects --all lists, at every path any commit
// has it at.
func TestHistoryDifferential(t *testing.T) {
	t.Parallel()
	r, st := gittest.Generated(t, gittest.GenOptions{
		Bytes: 5 << 19, Seed: 7, FilesPerCommit: 1, MaxFile: 16 << 10, Plant: histPlant, Loose: 10,
	})
	if st.Commits < 200 {
		t.Fatalf("only %d commits", st.Commits)
	}
	dir := r.Dir
	m := histDiffRules(t)

	// The reference: every blob rev-list lists...
	blobs := map[string]bool{}
	typed := r.GitInput([]byte(r.Git("rev-list", "--objects", "--all", "--no-object-names")), "cat-file", "--batch-check=%(objecttype) %(objectname)")
	for _, l := range strings.Split(typed, "\n") {
		if typ, id, ok := strings.Cut(l, " "); ok && typ == "blob" {
			blobs[id] = true
		}
	}
	// ...at every path where any commit has it...
	type histPathBlob struct{ path, blob string }
	pairs := map[histPathBlob]bool{}
	for _, c := range strings.Fields(r.Git("rev-list", "--all")) {
		for _, l := range strings.Split(r.Git("ls-tree", "-r", "--full-tree", c), "\n") {
			meta, path, _ := strings.Cut(l, "\t")
			if f := strings.Fields(meta); len(f) == 3 && f[1] == "blob" {
				pairs[histPathBlob{path, f[2]}] = true
			}
		}
	}
	inPairs := map[string]bool{}
	for p := range pairs {
		inPairs[p.blob] = true
	}
	if len(inPairs) != len(blobs) {
		t.Fatalf("rev-list lists %d blobs, the trees hold %d", len(blobs), len(inPairs))
	}
	// ...scanned one by one by the ordinary engine.
	var ids []string
	for id := range blobs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	content := histCatBlobs(t, r, ids)
	items := make([]scanner.Item, 0, len(pairs))
	for p := range pairs {
		data := content[p.blob]
		items = append(items, scanner.Item{Path: p.path, Size: int64(len(data)), Read: func(dst []byte, _ int64) ([]byte, error) {
			return append(dst, data...), nil
		}})
	}
	slices.SortFunc(items, func(a, b scanner.Item) int { return strings.Compare(a.Path, b.Path) })
	ref, err := scanner.New(m, scanner.Options{Workers: 2}).Scan(context.Background(), histItemList(items))
	if err != nil {
		t.Fatal(err)
	}
	want := histSecretsAt(ref.Findings)

	res, err := Scan(context.Background(), scanner.New(m, scanner.Options{Workers: 2}), Options{Repo: dir})
	if err != nil {
		t.Fatal(err)
	}
	got := histSecretsAt(res.Findings)
	if res.Blobs != len(blobs) {
		t.Errorf("Scan saw %d blobs, rev-list lists %d", res.Blobs, len(blobs))
	}
	planted := 0
	for k := range want {
		if k.rule == "hist-token" || k.rule == "github-classic-pat" {
			planted++
		}
	}
	if planted < 50 {
		t.Errorf("only %d planted (secret, path) pairs", planted)
	}
	for k := range want {
		if !got[k] {
			t.Errorf("missed: %s %s in %s", k.rule, k.fingerprint[:8], k.path)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("extra: %s %s in %s", k.rule, k.fingerprint[:8], k.path)
		}
	}
	if ref.Summary.Silenced["inline-allow"] == 0 || res.Summary.Silenced["inline-allow"] == 0 {
		t.Errorf("inline allows: reference %v, history %v", ref.Summary.Silenced, res.Summary.Silenced)
	}
	t.Logf("%d commits, %d blobs, %d (secret, path) pairs, %d planted", res.Commits, res.Blobs, len(want), planted)

	// The result does not depend on the number of workers.
	one, err := Scan(context.Background(), scanner.New(m, scanner.Options{Workers: 1}), Options{Repo: dir})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(one.Findings)
	b, _ := json.Marshal(res.Findings)
	if !bytes.Equal(a, b) {
		t.Error("findings differ between 1 and 2 workers")
	}
}

type histItemList []scanner.Item

func (l histItemList) Items(ctx context.Context, yield func(scanner.Item) error) error {
	for _, it := range l {
		if err := yield(it); err != nil {
			return err
		}
	}
	return nil
}

func histSecretsAt(fs []scanner.Finding) map[histSecretAt]bool {
	out := map[histSecretAt]bool{}
	for _, f := range fs {
		for _, l := range f.Locations {
			out[histSecretAt{f.RuleID, f.Fingerprint, l.Path}] = true
		}
	}
	return out
}

// histCatBlobs reads blobs with git cat-file --batch.
func histCatBlobs(t *testing.T, r *gittest.Repo, ids []string) map[string][]byte {
	t.Helper()
	out := r.Raw([]byte(strings.Join(ids, "\n")+"\n"), "cat-file", "--batch")
	br := bufio.NewReader(bytes.NewReader(out))
	blobs := map[string][]byte{}
	for range ids {
		hdr, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(hdr)
		n, err := strconv.Atoi(f[2])
		if err != nil {
			t.Fatalf("cat-file header %q", hdr)
		}
		data := make([]byte, n+1)
		if _, err := io.ReadFull(br, data); err != nil {
			t.Fatal(err)
		}
		blobs[f[0]] = data[:n]
	}
	return blobs
}
