package history

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/gitobj"
	"github.com/keylint/keylint/scanner"
)

// RevisionError is a branch, ref or commit name that does not resolve.
type RevisionError struct {
	Rev string
	Err error
}

func (e *RevisionError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("unknown revision %q: %v", e.Rev, e.Err)
	}
	return fmt.Sprintf("unknown revision %q", e.Rev)
}

func (e *RevisionError) Unwrap() error { return e.Err }

// ErrDamaged marks an error about a repository that is there but cannot
// be read: a named ref that is garbage, or that names an object missing or
// corrupt in the object database. Run git fsck to see the damage.
var ErrDamaged = errors.New("the repository is damaged")

// damagedObject reports whether err is about an object the object
// database should have but cannot give.
func damagedObject(err error) bool {
	var ce *gitobj.CorruptError
	return errors.Is(err, gitobj.ErrNotFound) || errors.As(err, &ce)
}

// histRepo is an opened repository: its own configuration, its refs and
// the object database, read by gitobj.
type histRepo struct {
	gitDir    string // the (per-worktree) git directory
	commonDir string // where objects and shared refs live
	db        *gitobj.DB
	shallow   map[gitobj.ID]bool
	partial   bool // a partial clone: blobs may be missing on purpose
	refs      map[string]gitobj.Ref
	// problems are what could not be read on opening: damaged packs,
	// indexes, alternates and refs. The rest of the repository is scanned.
	problems []scanner.Warning
}

// openHistRepo finds the repository holding path (a working tree, a linked
// worktree, a subdirectory of either, or a bare repository) and opens it.
func openHistRepo(path string) (*histRepo, error) {
	repo, err := gitexec.Find(path, nil)
	if err != nil {
		return nil, err
	}
	gitDir := repo.GitDir
	if err := gitexec.CheckGitDir(gitDir); err != nil {
		return nil, err // a FIFO would block the reads below forever
	}
	r := &histRepo{gitDir: gitDir, commonDir: gitDir}
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(b))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		r.commonDir = filepath.Clean(c)
	}
	// The configuration shared by every worktree, as git reads it for
	// the repository's format (config.worktree cannot set extensions).
	cfg, err := readRepoConfig(filepath.Join(r.commonDir, "config"))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the configuration: %w", gitDir, err)
	}
	if v := cfg.get("core", "", "repositoryformatversion"); v != "" && v != "0" && v != "1" {
		return nil, fmt.Errorf("%s: unsupported repository format version %s", gitDir, v)
	}
	for _, o := range cfg {
		if o.section != "extensions" || o.sub != "" {
			continue
		}
		switch k, v := o.name, strings.ToLower(o.value); {
		case k == "objectformat" && v != "sha1":
			return nil, fmt.Errorf("%s: %s object ids are not supported yet (only sha1)", gitDir, v)
		case k == "refstorage" && v != "files":
			return nil, fmt.Errorf("%s: the %s ref storage is not supported yet (only files)", gitDir, v)
		case k == "partialclone":
			r.partial = true
		}
	}
	// Partial clones: git 2.x marks the promisor remote, newer versions
	// also set extensions.partialClone; promisor packs say it too.
	for _, o := range cfg {
		if o.section == "remote" && o.sub != "" && o.name == "promisor" && strings.EqualFold(cfg.get("remote", o.sub, "promisor"), "true") {
			r.partial = true
		}
	}
	if m, _ := filepath.Glob(filepath.Join(r.commonDir, "objects", "pack", "*.promisor")); len(m) > 0 {
		r.partial = true
	}
	// The shared cache serves the commit walk; tree diffs have their own.
	r.db, err = gitobj.Open(filepath.Join(r.commonDir, "objects"), gitobj.Options{CacheBytes: 16 << 20})
	if err != nil {
		return nil, fmt.Errorf("%s: opening the object database: %w", gitDir, err)
	}
	sh, errs := gitobj.ReadShallow(r.commonDir)
	r.shallow = map[gitobj.ID]bool{}
	for _, id := range sh {
		r.shallow[id] = true
	}
	for _, err := range errs {
		r.problems = append(r.problems, scanner.Warning{Path: "shallow", Err: err})
	}
	for _, err := range r.db.Problems() {
		r.problems = append(r.problems, scanner.Warning{Path: gitDir, Err: err})
	}
	refs, errs := gitobj.ReadRefs(gitDir, r.commonDir)
	r.refs = make(map[string]gitobj.Ref, len(refs))
	for _, ref := range refs {
		r.refs[ref.Name] = ref
	}
	for _, err := range errs {
		name := "refs"
		var re *gitobj.RefError
		if errors.As(err, &re) {
			name = re.Name
		}
		r.problems = append(r.problems, scanner.Warning{Path: name, Err: err})
	}
	return r, nil
}

func (r *histRepo) close() { r.db.Close() }

// histTip is a starting point of the walk: a ref and the object it names.
type histTip struct {
	name string
	id   gitobj.ID
}

// allTips returns every ref (branches, tags, remote-tracking refs, the
// stash and any other ref under refs/), HEAD, and every entry of the stash
// reflog, sorted by name. A symbolic ref is followed; one that leads
// nowhere is a warning unless it is HEAD on an unborn branch.
func (r *histRepo) allTips() ([]histTip, []scanner.Warning, error) {
	var tips []histTip
	var warns []scanner.Warning
	for name, ref := range r.refs {
		if ref.Target == "" {
			tips = append(tips, histTip{name, ref.ID})
			continue
		}
		id, err := r.resolveRef(name)
		if err != nil {
			if name == "HEAD" && r.unborn(ref.Target) {
				continue // a new repository: HEAD names a branch with no commit yet
			}
			warns = append(warns, scanner.Warning{Path: name, Err: err})
			continue
		}
		tips = append(tips, histTip{name, id})
	}
	stash, err := r.stashLog()
	if err != nil {
		return nil, nil, err
	}
	tips = append(tips, stash...)
	slices.SortFunc(tips, func(a, b histTip) int { return strings.Compare(a.name, b.name) })
	return slices.CompactFunc(tips, func(a, b histTip) bool { return a == b }), warns, nil
}

// unborn reports whether target is a branch that does not exist (nor is
// broken): HEAD of a repository without commits names one.
func (r *histRepo) unborn(target string) bool {
	if _, ok := r.refs[target]; ok {
		return false
	}
	for _, p := range r.problems {
		if p.Path == target {
			return false
		}
	}
	return true
}

// stashLog returns the stash entries older than refs/stash, which only the
// reflog remembers.
func (r *histRepo) stashLog() ([]histTip, error) {
	f, err := os.Open(filepath.Join(r.commonDir, "logs", "refs", "stash"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	var tips []histTip
	for i, l := range lines {
		fields := strings.Fields(l)
		if len(fields) < 2 {
			continue
		}
		if id, err := gitobj.ParseID(fields[1]); err == nil && !id.IsZero() {
			tips = append(tips, histTip{"stash@{" + strconv.Itoa(len(lines)-1-i) + "}", id})
		}
	}
	return tips, nil
}

// head resolves HEAD (in a bare repository, the default branch it names).
func (r *histRepo) head() (gitobj.ID, bool) {
	id, err := r.resolveRef("HEAD")
	return id, err == nil
}

// errNoRef is a ref that does not exist.
var errNoRef = errors.New("no such ref")

// resolveRef follows symbolic refs to an object id.
func (r *histRepo) resolveRef(name string) (gitobj.ID, error) {
	for range 10 {
		ref, ok := r.refs[name]
		if !ok {
			return gitobj.ID{}, fmt.Errorf("%s: %w", name, errNoRef)
		}
		if ref.Target == "" {
			return ref.ID, nil
		}
		name = ref.Target
	}
	return gitobj.ID{}, fmt.Errorf("symbolic ref %s: too many levels", name)
}

// peel follows annotated tags to the object they finally name.
func (r *histRepo) peel(id gitobj.ID) (gitobj.Type, gitobj.ID, error) {
	for range 20 {
		typ, data, err := r.db.Read(id)
		if err != nil {
			return 0, id, err
		}
		if typ != gitobj.TypeTag {
			return typ, id, nil
		}
		t, err := gitobj.ParseTag(data)
		if err != nil {
			return 0, id, fmt.Errorf("tag %s: %w", id, err)
		}
		id = t.Object
	}
	return 0, id, fmt.Errorf("tag %s: too many levels of tags", id)
}

// resolveRev resolves a revision: a ref or branch name, HEAD, a full or
// abbreviated commit id, each optionally followed by ~N and ^N steps. The
// result is a commit.
func (r *histRepo) resolveRev(rev string) (gitobj.ID, error) {
	base, steps := histSplitRev(rev)
	id, err := r.resolveName(base)
	if errors.Is(err, ErrDamaged) {
		return id, fmt.Errorf("%s: %w", rev, err)
	}
	if err != nil {
		return id, &RevisionError{Rev: rev, Err: err}
	}
	typ, id, err := r.peel(id)
	if damagedObject(err) {
		return id, fmt.Errorf("%s: %w: %w", rev, ErrDamaged, err)
	}
	if err != nil {
		return id, &RevisionError{Rev: rev, Err: err}
	}
	if typ != gitobj.TypeCommit {
		return id, &RevisionError{Rev: rev, Err: fmt.Errorf("%s is a %s, not a commit", id, typ)}
	}
	for _, s := range steps {
		n, nth := s.n, 0 // ~N: N times the first parent
		if s.caret {
			n, nth = min(s.n, 1), s.n-1 // ^N: once the Nth parent (^0: the commit)
		}
		for range n {
			if id, err = r.parent(id, nth); err != nil {
				return id, &RevisionError{Rev: rev, Err: err}
			}
		}
	}
	return id, nil
}

// parent returns the nth parent (from 0) of a commit.
func (r *histRepo) parent(id gitobj.ID, nth int) (gitobj.ID, error) {
	_, data, err := r.db.Read(id)
	if err != nil {
		return id, err
	}
	h, err := gitobj.ParseCommitHeader(data, nil)
	if err != nil {
		return id, err
	}
	if nth >= len(h.Parents) {
		return id, fmt.Errorf("commit %s has no parent %d", id, nth+1)
	}
	return h.Parents[nth], nil
}

type histRevStep struct {
	caret bool // ^N: the Nth parent; ~N: N first parents back
	n     int
}

// histSplitRev splits "main~2^2" into "main" and its steps.
func histSplitRev(rev string) (string, []histRevStep) {
	i := strings.IndexAny(rev, "~^")
	if i < 0 {
		return rev, nil
	}
	base, rest := rev[:i], rev[i:]
	var steps []histRevStep
	for len(rest) > 0 {
		s := histRevStep{caret: rest[0] == '^'}
		rest = rest[1:]
		j := 0
		for j < len(rest) && '0' <= rest[j] && rest[j] <= '9' {
			j++
		}
		if j == 0 {
			s.n = 1
		} else {
			s.n, _ = strconv.Atoi(rest[:j])
		}
		rest = rest[j:]
		if len(rest) > 0 && rest[0] != '~' && rest[0] != '^' {
			return rev, nil // not a step suffix after all
		}
		steps = append(steps, s)
	}
	return base, steps
}

// resolveName resolves a name the way git does: a ref, then refs/NAME,
// refs/tags/NAME, refs/heads/NAME, refs/remotes/NAME and
// refs/remotes/NAME/HEAD, then an object id or unique prefix.
func (r *histRepo) resolveName(name string) (gitobj.ID, error) {
	if name == "" || name == "@" {
		name = "HEAD"
	}
	cands := []string{name}
	if !strings.HasPrefix(name, "refs/") && name != "HEAD" {
		cands = append(cands, "refs/"+name, "refs/tags/"+name, "refs/heads/"+name,
			"refs/remotes/"+name, "refs/remotes/"+name+"/HEAD")
	}
	for _, c := range cands {
		if id, err := r.resolveRef(c); err == nil {
			return id, nil
		}
		for _, p := range r.problems {
			if p.Path == c {
				return gitobj.ID{}, fmt.Errorf("%w: %w", ErrDamaged, p.Err)
			}
		}
	}
	if len(name) >= 4 && len(name) <= 40 && histIsHex(name) {
		ids, err := r.db.Resolve(name)
		if err != nil {
			return gitobj.ID{}, err
		}
		switch len(ids) {
		case 1:
			return ids[0], nil
		case 0:
		default:
			return gitobj.ID{}, fmt.Errorf("ambiguous: %d objects start with %s", len(ids), name)
		}
	}
	return gitobj.ID{}, errors.New("no such ref or commit")
}

func histIsHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
