// Package gitobj reads a git object database directly: pack indexes (.idx
// version 1 and 2), packs (version 2 and 3, with offset and reference
// deltas), loose objects and alternates, plus parsers for commits, trees
// and tags.
//
// It exists for speed. [DB.Decode] decodes a set of objects in pack order,
// resolving every delta chain once from its base with reusable buffers, so
// each object is inflated exactly once and decoded objects are never all
// in memory; [DB.Read] is the random-access path for commits, trees and
// tags, with a bounded cache of delta bases.
//
// Everything it reads comes from repositories keylint does not trust: every
// length and offset is checked, sizes are bounded, delta chains have a
// depth limit, and malformed data is an error, never a panic. It never runs
// git and never fetches missing objects (a partial clone's missing blobs
// are reported as [ErrNotFound]).
//
// It also reads refs (loose refs, packed-refs and HEAD, see [ReadRefs]),
// reporting each ref it cannot parse. It knows nothing of configuration or
// scanning: the scanner package reads the configuration itself and uses
// this package for refs and objects.
//
// A damaged repository is read as far as it can be: [Open] lists what it
// found broken ([DB.Problems]) instead of failing, and every object that
// cannot be read is an error naming the object and the file.
package gitobj
