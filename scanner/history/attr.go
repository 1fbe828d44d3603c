package history

import (
	"bytes"
	"context"
	"strings"

	"github.com/keylint/keylint/internal/gitobj"
	"github.com/keylint/keylint/scanner"
)

// attribute gives every hit the commit that introduced its blob at its
// path (the earliest in topological order), marks hits whose blob is in
// HEAD's tree, groups them into findings, and keeps, for each finding and
// path, only the locations of the earliest introduction: a later commit
// that edits other lines of the file did not introduce the secret.
func (s *scan) attribute(ctx context.Context, r *histRepo, w *histWalker, d *histDiffer, x *histIndex, selected []*histCommit, hits []blobHits) ([]scanner.Finding, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	type blobPath struct{ blob, path int32 }
	withHits := make(map[int32]bool, len(hits))
	for _, bh := range hits {
		withHits[bh.blob] = true
	}
	earliest := map[blobPath]int32{}
	for _, in := range x.intros {
		if !withHits[in.blob] {
			continue
		}
		k := blobPath{in.blob, in.path}
		if cur, ok := earliest[k]; !ok || in.commit >= 0 && (cur < 0 || in.commit < cur) {
			earliest[k] = in.commit
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Blobs in HEAD's tree (in a bare repository, the default branch's),
	// and which blob HEAD has at each path with a hit.
	inHead := map[gitobj.ID]bool{}
	hitPaths := map[string]gitobj.ID{}
	for _, bh := range hits {
		for _, h := range bh.hits {
			hitPaths[h.Loc.Path] = gitobj.ID{}
		}
	}
	if id, ok := r.head(); ok {
		if typ, cid, err := r.peel(id); err == nil && typ == gitobj.TypeCommit {
			if c := w.load(cid); c != nil {
				d.path = d.path[:0]
				d.treeBlobs(c.tree, func(path []byte, id gitobj.ID) {
					if _, ok := x.blobs[id]; ok {
						inHead[id] = true
					}
					if _, ok := hitPaths[string(path)]; ok {
						hitPaths[string(path)] = id
					}
				}, 0)
			}
		}
	}
	// A scan narrowed by --branch or --range may not have scanned HEAD's
	// version of a file, and an older version's secret may still be in
	// HEAD's: the secret is in HEAD if HEAD's version of its path holds
	// it. Each such version is read once, for all the secrets asked of it
	// (a test file with keys in every version asks thousands of times).
	stillIn := map[string]map[string]bool{} // path -> secret -> in HEAD's version
	for _, bh := range hits {
		if inHead[x.blobIDs[bh.blob]] {
			continue
		}
		for _, h := range bh.hits {
			if h.File || hitPaths[h.Loc.Path].IsZero() {
				continue
			}
			if stillIn[h.Loc.Path] == nil {
				stillIn[h.Loc.Path] = map[string]bool{}
			}
			stillIn[h.Loc.Path][h.Secret] = false
		}
	}
	for path, secrets := range stillIn {
		typ, data, err := r.db.Read(hitPaths[path])
		if err != nil || typ != gitobj.TypeBlob {
			continue
		}
		for secret := range secrets {
			secrets[secret] = bytes.Contains(data, []byte(secret))
		}
	}
	headHas := func(path, secret string) bool { return stillIn[path][secret] }

	details := map[int32]*scanner.Commit{}
	commitOf := func(ci int32) *scanner.Commit {
		if c, ok := details[ci]; ok {
			return c
		}
		hc := selected[ci]
		c := &scanner.Commit{Hash: hc.id.String()}
		if _, data, err := r.db.Read(hc.id); err == nil {
			if pc, err := gitobj.ParseCommit(data); err == nil {
				c.Author, c.Email, c.Date = pc.Author.Name, pc.Author.Email, pc.Author.When
				c.Message = strings.TrimSpace(pc.Message)
			}
		}
		details[ci] = c
		return c
	}
	topo := map[string]int32{}
	var all []scanner.Hit
	for _, bh := range hits {
		head := inHead[x.blobIDs[bh.blob]]
		for _, h := range bh.hits {
			h.InHead = head || !h.File && headHas(h.Loc.Path, h.Secret)
			ci, ok := earliest[blobPath{bh.blob, x.pathIdx[h.Loc.Path]}]
			if ok && ci >= 0 {
				c := commitOf(ci)
				h.Loc.Commit, h.Loc.Author, h.Loc.Email, h.Loc.Date, h.Loc.Message = c.Hash, c.Author, c.Email, c.Date, c.Message
				topo[c.Hash] = ci
			}
			all = append(all, h)
		}
	}
	fs := scanner.Group(all, s.opt.ShowSecrets)
	for i := range fs {
		fs[i].Locations = earliestPerPath(fs[i].Locations, topo)
	}
	return fs, nil
}

// earliestPerPath keeps, for each path, the locations whose commit comes
// first in topological order. ls is sorted by path.
func earliestPerPath(ls []scanner.Location, topo map[string]int32) []scanner.Location {
	rank := func(l scanner.Location) int64 {
		if t, ok := topo[l.Commit]; ok {
			return int64(t)
		}
		return 1 << 40 // no commit: a ref naming a tree or blob
	}
	out := ls[:0]
	for i := 0; i < len(ls); {
		j := i
		best := rank(ls[i])
		for j < len(ls) && ls[j].Path == ls[i].Path {
			best = min(best, rank(ls[j]))
			j++
		}
		for k := i; k < j; k++ {
			if rank(ls[k]) == best {
				out = append(out, ls[k])
			}
		}
		i = j
	}
	return out
}
