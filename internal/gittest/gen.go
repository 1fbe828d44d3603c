package gittest

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// GenOptions configure [Generate].
type GenOptions struct {
	// Source is a directory of real text replayed into the history, such
	// as $(go env GOROOT)/src.
	Source string
	// Bytes is the total of unique blob bytes to produce, approximately.
	Bytes int64
	// Seed selects one of many reproducible histories.
	Seed uint64
	// FilesPerCommit is the mean number of files a commit changes
	// (default 6).
	FilesPerCommit int
	// Plant, when set, is called for each file a commit adds or edits; a
	// non-empty result is inserted into the file as a line.
	Plant func(rng *rand.Rand, commit int, path string) string
	// Loose leaves the last commits' objects loose instead of packing
	// everything: that many commits are made after the repack.
	Loose int
	// MaxFile skips source files larger than this (default 1 MiB).
	MaxFile int64
}

// GenStats describes a generated repository.
type GenStats struct {
	Commits   int
	Blobs     int   // unique blobs
	BlobBytes int64 // their total size
}

// Generate builds a bare repository in dir (which must not exist or be
// empty) whose history replays real text: a first commit holding about a
// third of the target size in files taken from opt.Source, then commits
// that edit a few files each by moving real lines around (replacing,
// inserting and deleting runs of lines taken from other files), add,
// delete and rename files, with a side branch merged back every 40
// commits (a file changed on both sides gets a merge resolution of its
// own) and a tag every 100 commits, until the unique blob bytes reach
// opt.Bytes. The result is packed the way git gc packs (git repack -adf
// --window=10 --depth=50). The same options and source give the same
// repository, byte for byte.
func Generate(dir string, opt GenOptions) (GenStats, error) {
	g, err := newGen(opt)
	if err != nil {
		return GenStats{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return GenStats{}, err
	}
	home, err := os.MkdirTemp("", "gittest-home")
	if err != nil {
		return GenStats{}, err
	}
	defer os.RemoveAll(home)
	env := Env(home, Start)
	if _, err := RunIn(dir, env, nil, "init", "-q", "--bare", "-b", "main", "."); err != nil {
		return GenStats{}, err
	}
	fi := func(stop int) error {
		marks := filepath.Join(home, "marks")
		cmd := exec.Command("git", "fast-import", "--quiet", "--done",
			"--export-marks="+marks, "--import-marks-if-exists="+marks)
		cmd.Dir, cmd.Env = dir, env
		var errb bytes.Buffer
		cmd.Stderr = &errb
		in, err := cmd.StdinPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		w := bufio.NewWriterSize(in, 1<<20)
		g.w = w
		werr := g.run(stop)
		fmt.Fprintf(w, "done\n")
		if err := w.Flush(); err != nil && werr == nil {
			werr = err
		}
		in.Close()
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("git fast-import: %v\n%s", err, errb.String())
		}
		return werr
	}
	if err := fi(-1); err != nil {
		return GenStats{}, err
	}
	if _, err := RunIn(dir, env, nil, "repack", "-a", "-d", "-f", "-q", "--window=10", "--depth=50"); err != nil {
		return GenStats{}, err
	}
	if _, err := RunIn(dir, env, nil, "prune-packed"); err != nil {
		return GenStats{}, err
	}
	if opt.Loose > 0 {
		// A few more commits written as loose objects, as git commit does.
		if err := fi(g.commits + opt.Loose); err != nil {
			return GenStats{}, err
		}
		if err := explodeNewestPack(dir, env); err != nil {
			return GenStats{}, err
		}
	}
	return GenStats{Commits: g.commits, Blobs: len(g.seen), BlobBytes: g.unique}, nil
}

// explodeNewestPack turns the pack fast-import wrote last into loose
// objects.
func explodeNewestPack(dir string, env []string) error {
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "pack-*.pack"))
	var newest string
	var mt int64
	for _, p := range packs {
		fi, err := os.Stat(p)
		if err == nil && fi.ModTime().UnixNano() >= mt {
			newest, mt = p, fi.ModTime().UnixNano()
		}
	}
	if newest == "" {
		return nil
	}
	data, err := os.ReadFile(newest)
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(newest, ".pack")
	for _, ext := range []string{".pack", ".idx", ".rev"} {
		os.Remove(base + ext)
	}
	_, err = RunIn(dir, env, data, "unpack-objects", "-q")
	return err
}

type corpusFile struct {
	path string
	size int64
}

type branch struct {
	ref     string
	mark    int
	files   map[string][]byte
	changed map[string]bool // paths changed since the fork (side branches)
}

type gen struct {
	opt    GenOptions
	rng    *rand.Rand
	corpus []corpusFile
	pool   []corpusFile // files not yet added
	w      *bufio.Writer
	marks  int
	seen   map[[20]byte]bool
	unique int64

	commits int
	main    *branch
	side    *branch
	mainChg map[string]bool // paths changed on main since the side fork
	sideAt  int             // commit number the side branch forked at
}

func newGen(opt GenOptions) (*gen, error) {
	if opt.FilesPerCommit <= 0 {
		opt.FilesPerCommit = 6
	}
	if opt.MaxFile <= 0 {
		opt.MaxFile = 1 << 20
	}
	g := &gen{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, 0x6b65796c696e74)), seen: map[[20]byte]bool{}}
	err := filepath.WalkDir(opt.Source, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(opt.Source, p)
		rel = filepath.ToSlash(rel)
		if strings.ContainsAny(rel, " \"\\\n\t") || strings.Contains(rel, "/renamed_") {
			return nil
		}
		fi, err := d.Info()
		if err != nil || fi.Size() > opt.MaxFile || fi.Size() == 0 {
			return nil
		}
		g.corpus = append(g.corpus, corpusFile{rel, fi.Size()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(g.corpus) < 10 {
		return nil, fmt.Errorf("gittest: %s has too few files", opt.Source)
	}
	slices.SortFunc(g.corpus, func(a, b corpusFile) int { return strings.Compare(a.path, b.path) })
	return g, nil
}

func (g *gen) read(path string) []byte {
	b, err := os.ReadFile(filepath.Join(g.opt.Source, filepath.FromSlash(path)))
	if err != nil {
		return []byte("unreadable\n")
	}
	return b
}

// run writes commits until the target size is reached, or until commit
// number stop when stop >= 0.
func (g *gen) run(stop int) error {
	if g.main == nil {
		g.main = &branch{ref: "refs/heads/main", files: map[string][]byte{}}
		order := slices.Clone(g.corpus)
		g.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var budget int64
		first := map[string][]byte{}
		i := 0
		for ; i < len(order) && budget < g.opt.Bytes/3; i++ {
			first[order[i].path] = g.read(order[i].path)
			budget += order[i].size
		}
		g.pool = order[i:]
		g.commit(g.main, first, nil, nil, "import the first third")
	}
	for {
		if stop >= 0 && g.commits >= stop || stop < 0 && g.unique >= g.opt.Bytes {
			break
		}
		n := g.commits
		switch {
		case g.side == nil && n%40 == 20:
			g.side = &branch{ref: "refs/heads/side", mark: g.main.mark, files: maps(g.main.files), changed: map[string]bool{}}
			g.mainChg = map[string]bool{}
			g.sideAt = n
		case g.side != nil && n-g.sideAt >= 8:
			g.merge()
			continue
		}
		b := g.main
		if g.side != nil && n%2 == 1 {
			b = g.side
		}
		g.change(b)
		if g.commits%100 == 0 {
			fmt.Fprintf(g.w, "reset refs/tags/v0.%d\nfrom :%d\n\n", g.commits/100, g.main.mark)
		}
	}
	return nil
}

func maps(m map[string][]byte) map[string][]byte {
	c := make(map[string][]byte, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// change makes one ordinary commit on b.
func (g *gen) change(b *branch) {
	rng := g.rng
	paths := sortedKeys(b.files)
	mod := map[string][]byte{}
	var del []string
	var renames [][2]string
	k := 1 + rng.IntN(2*g.opt.FilesPerCommit)
	for range k {
		p := paths[rng.IntN(len(paths))]
		old := b.files[p]
		if m, ok := mod[p]; ok {
			old = m
		}
		mod[p] = g.edit(old)
	}
	if rng.IntN(5) == 0 && len(g.pool) > 0 {
		for range 1 + rng.IntN(3) {
			if len(g.pool) == 0 {
				break
			}
			f := g.pool[0]
			g.pool = g.pool[1:]
			if _, ok := b.files[f.path]; !ok {
				mod[f.path] = g.read(f.path)
			}
		}
	}
	if rng.IntN(30) == 0 && len(paths) > 10 {
		p := paths[rng.IntN(len(paths))]
		if _, ok := mod[p]; !ok {
			del = append(del, p)
		}
	}
	if rng.IntN(30) == 0 && len(paths) > 10 {
		p := paths[rng.IntN(len(paths))]
		dir, base := filepath.Split(p)
		np := dir + "renamed_" + base
		if _, ok := mod[p]; !ok && !slices.Contains(del, p) {
			if _, exists := b.files[np]; !exists {
				renames = append(renames, [2]string{p, np})
			}
		}
	}
	if g.opt.Plant != nil {
		for _, p := range sortedKeys(mod) {
			if line := g.opt.Plant(rng, g.commits, p); line != "" {
				mod[p] = insertLine(mod[p], line, rng)
			}
		}
	}
	for _, r := range renames {
		mod[r[1]] = b.files[r[0]]
		del = append(del, r[0])
	}
	g.commit(b, mod, del, nil, fmt.Sprintf("change %d files", len(mod)))
}

func insertLine(content []byte, line string, rng *rand.Rand) []byte {
	lines := bytes.SplitAfter(content, []byte("\n"))
	at := rng.IntN(len(lines) + 1)
	out := make([]byte, 0, len(content)+len(line)+1)
	for i, l := range lines {
		if i == at {
			out = append(out, line...)
			out = append(out, '\n')
		}
		out = append(out, l...)
	}
	if at == len(lines) {
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out
}

// edit changes a file the way people do: runs of real lines replaced,
// inserted or deleted, or a line tweaked.
func (g *gen) edit(old []byte) []byte {
	rng := g.rng
	lines := bytes.SplitAfter(old, []byte("\n"))
	donor := func() [][]byte {
		f := g.corpus[rng.IntN(len(g.corpus))]
		dl := bytes.SplitAfter(g.read(f.path), []byte("\n"))
		start := rng.IntN(len(dl))
		return dl[start:min(len(dl), start+1+rng.IntN(12))]
	}
	at := rng.IntN(len(lines))
	var out [][]byte
	switch op := rng.IntN(10); {
	case op < 4: // replace
		end := min(len(lines), at+1+rng.IntN(8))
		out = append(append(append(out, lines[:at]...), donor()...), lines[end:]...)
	case op < 6: // delete
		end := min(len(lines), at+1+rng.IntN(8))
		out = append(append(out, lines[:at]...), lines[end:]...)
	case op < 9: // insert
		out = append(append(append(out, lines[:at]...), donor()...), lines[at:]...)
	default: // tweak one line
		l := bytes.TrimRight(lines[at], "\n")
		tw := append(slices.Clone(l), []byte(" // "+strconv.Itoa(rng.IntN(1000))+"\n")...)
		out = append(append(append(out, lines[:at]...), tw), lines[at+1:]...)
	}
	res := bytes.Join(out, nil)
	if bytes.Equal(res, old) {
		res = append(slices.Clone(old), "\n"...)
	}
	return res
}

// merge merges the side branch into main. A file changed on both sides
// gets a resolution that neither side has.
func (g *gen) merge() {
	mod := map[string][]byte{}
	var del []string
	for _, p := range sortedKeys(boolMap(g.side.changed)) {
		c, ok := g.side.files[p]
		switch {
		case !ok:
			if _, onMain := g.main.files[p]; onMain {
				del = append(del, p)
			}
		case g.mainChg[p]:
			mod[p] = append(slices.Clone(c), []byte("// resolved in merge\n")...)
		default:
			mod[p] = c
		}
	}
	side := g.side
	g.side, g.mainChg = nil, nil
	g.commit(g.main, mod, del, side, "merge side")
}

func boolMap(m map[string]bool) map[string][]byte {
	out := make(map[string][]byte, len(m))
	for k := range m {
		out[k] = nil
	}
	return out
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

var authors = []string{
	"Ada Tester <ada@example.test>",
	"Grace Hopper <grace@example.test>",
	"Linus Pauling <linus@example.test>",
	"Barbara Liskov <barbara@example.test>",
}

// commit writes a commit on b with the given changes.
func (g *gen) commit(b *branch, mod map[string][]byte, del []string, merge *branch, msg string) {
	w := g.w
	g.marks++
	mark := g.marks
	when := Start.Unix() + int64(g.commits)*3600
	who := authors[g.commits%len(authors)]
	fmt.Fprintf(w, "commit %s\nmark :%d\n", b.ref, mark)
	fmt.Fprintf(w, "author %s %d +0000\ncommitter %s %d +0000\n", who, when, who, when)
	fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
	if b.mark > 0 {
		fmt.Fprintf(w, "from :%d\n", b.mark)
	}
	if merge != nil {
		fmt.Fprintf(w, "merge :%d\n", merge.mark)
	}
	for _, p := range del {
		fmt.Fprintf(w, "D %s\n", p)
		delete(b.files, p)
		g.touch(b, p)
	}
	for _, p := range sortedKeys(mod) {
		c := mod[p]
		fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n", p, len(c))
		w.Write(c)
		w.WriteByte('\n')
		b.files[p] = c
		g.touch(b, p)
		sum := sha1.Sum(c)
		if !g.seen[sum] {
			g.seen[sum] = true
			g.unique += int64(len(c))
		}
	}
	w.WriteByte('\n')
	b.mark = mark
	g.commits++
}

func (g *gen) touch(b *branch, p string) {
	if b.changed != nil {
		b.changed[p] = true
	} else if g.mainChg != nil && b == g.main {
		g.mainChg[p] = true
	}
}

// Cached returns a repository generated with opt in dir, generating it
// only when dir does not already hold one made with the same options, the
// same Go version and the same source.
func Cached(dir string, opt GenOptions) (GenStats, error) {
	stamp := fmt.Sprintf("v1 %s %s %d %d %d %d %d\n", runtime.Version(), opt.Source, opt.Bytes, opt.Seed, opt.FilesPerCommit, opt.Loose, opt.MaxFile)
	if opt.Plant != nil {
		return GenStats{}, fmt.Errorf("gittest: Cached does not support Plant")
	}
	stampFile := filepath.Join(dir, "keylint-gen-stamp")
	if b, err := os.ReadFile(stampFile); err == nil && bytes.HasPrefix(b, []byte(stamp)) {
		var st GenStats
		_, err := fmt.Sscanf(string(b[len(stamp):]), "%d %d %d", &st.Commits, &st.Blobs, &st.BlobBytes)
		if err == nil {
			return st, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return GenStats{}, err
	}
	st, err := Generate(dir, opt)
	if err != nil {
		return st, err
	}
	err = os.WriteFile(stampFile, fmt.Appendf([]byte(stamp), "%d %d %d\n", st.Commits, st.Blobs, st.BlobBytes), 0o644)
	return st, err
}

// GoSource returns $(go env GOROOT)/src, the real text benchmarks replay.
func GoSource() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "src"), nil
}
