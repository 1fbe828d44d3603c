package scanner

import (
	"context"
	"io"
	"time"
)

// Item is one unit of content to scan: a file, a blob, stdin.
type Item struct {
	// Path is the slash-separated path reported in findings.
	Path string
	// Size is the content size if known before reading, or -1.
	Size int64
	// Read appends the content to dst and returns it. It is called from a
	// worker, so reading runs in parallel, and dst is a reused buffer. When
	// the content is larger than limit bytes it returns a *SkipError with
	// reason "too-large"; it may return other *SkipErrors to skip the item.
	Read func(dst []byte, limit int64) ([]byte, error)
	// Open, when set, opens the content as a stream, which the engine then
	// reads in bounded windows instead of calling Read, so that memory
	// does not grow with the content. It is called at most once per scan
	// of the item, from a worker.
	Open func() (io.ReadCloser, error)
	// Commit attributes the content to a commit (history, staged and range
	// scans); nil for plain files.
	Commit *Commit
	// Added, when non-nil, restricts findings to matches that overlap one
	// of these 1-based inclusive line ranges (the added lines of a change).
	Added []LineRange
	// InHead reports whether this content is present in the checked-out
	// tree; plain file scans set it.
	InHead bool
}

// Commit describes the commit a location is attributed to.
type Commit struct {
	Hash    string
	Author  string
	Email   string
	Date    time.Time
	Message string
}

// LineRange is an inclusive range of 1-based line numbers.
type LineRange struct{ Start, End int }

// Source produces the items of a scan. Items calls yield for each item in a
// deterministic order and stops at the first error yield returns.
type Source interface {
	Items(ctx context.Context, yield func(Item) error) error
}

// SkipError marks an item that was deliberately not scanned; Reason is the
// summary's skip category ("binary", "too-large", "symlink", ...).
type SkipError struct {
	Reason string
	Path   string
}

func (e *SkipError) Error() string { return e.Path + ": skipped (" + e.Reason + ")" }
