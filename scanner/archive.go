package scanner

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"strings"
)

// Bounds of the look inside zip archives (JAR, WAR, APK, wheels, zip),
// which a hostile repository can make as large or as deep as it likes.
const (
	// maxArchiveDepth is how deep archives inside archives are opened: a
	// JAR in a WAR or a fat JAR is opened, a zip in that JAR is not.
	maxArchiveDepth = 2
	// maxArchiveEntries is how many entries of one archive are scanned.
	maxArchiveEntries = 10000
	// archiveBudget times the size limit is how many bytes one archive
	// (with the archives inside it) may inflate to in all.
	archiveBudget = 8
	// maxNestedArchive is the largest archive inside an archive that is
	// read into memory to be opened.
	maxNestedArchive = 64 << 20
)

// errArchiveBudget stops the reading of an archive that inflates to more
// than its budget.
var errArchiveBudget = errors.New("archive inflates past its budget")

// zipMagic reports whether content starts like a zip archive.
func zipMagic(p []byte) bool {
	return len(p) >= 4 && p[0] == 'P' && p[1] == 'K' && (p[2] == 3 && p[3] == 4 || p[2] == 5 && p[3] == 6)
}

// gzipMagic reports whether content starts like gzip data (.gz, .tgz).
func gzipMagic(p []byte) bool { return len(p) >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 }

// scanGzip scans the inflated content of gzip data (zr, opened on it) as
// an item of its own, named after the file inside ("logs.gz!/logs"):
// sniffed, decoded and matched like a file, within the size limit and the
// archive budget (a .tar.gz becomes a tar, whose members' strings are
// scanned).
func (s *Scanner) scanGzip(it Item, zr *gzip.Reader, depth int, b *budget, r *itemResult) {
	defer zr.Close()
	if b == nil {
		b = &budget{left: archiveBudget * s.opt.MaxFileSize}
	}
	name := zr.Name
	if name == "" {
		name = strings.TrimSuffix(strings.TrimSuffix(path.Base(it.Path), ".gz"), ".tgz")
	}
	eit := Item{Path: entryPath(it.Path, path.Base(name)), Size: -1, Commit: it.Commit, InHead: it.InHead,
		Open: func() (io.ReadCloser, error) { return countedReader{io.NopCloser(zr), b}, nil }}
	var buf []byte
	er := s.scanItemAt(eit, &buf, depth+1, b)
	s.mergeInner(eit.Path, er, r)
}

// recorder keeps what is read through it while on, so that a stream whose
// gzip header turned out invalid can be read again from where it was.
type recorder struct {
	r   io.Reader
	buf []byte
	on  bool
}

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	if rc.on {
		rc.buf = append(rc.buf, p[:n]...)
	}
	return n, err
}

// mergeInner adds what the scan of an item inside another (an archive
// entry, inflated data) found to the outer item's result.
func (s *Scanner) mergeInner(path string, er itemResult, r *itemResult) {
	r.hits = append(r.hits, er.hits...)
	r.stats.Merge(er.stats)
	for k, v := range er.silenced {
		if r.silenced == nil {
			r.silenced = map[string]int{}
		}
		r.silenced[k] += v
	}
	r.allowed = append(r.allowed, er.allowed...)
	r.extra = append(r.extra, er.extra...)
	switch {
	case er.warning != nil && errors.Is(er.warning, errArchiveBudget):
		r.skip(path, "archive-limit")
	case er.warning != nil:
		// Corrupt data, an unknown compression method, encryption.
		r.skip(path, "decode-failed")
	case er.skipped != "":
		r.skip(path, er.skipped)
	}
}

// budget counts the bytes an archive (and those inside it) inflated to.
type budget struct{ left int64 }

// countedReader charges what it reads to a budget.
type countedReader struct {
	io.ReadCloser
	b *budget
}

func (c countedReader) Read(p []byte) (int, error) {
	if c.b.left <= 0 {
		return 0, errArchiveBudget
	}
	n, err := c.ReadCloser.Read(p[:min(int64(len(p)), c.b.left)])
	c.b.left -= int64(n)
	return n, err
}

// entryPath names an archive entry in findings: "app.jar!/com/x/A.class".
// Control characters of the (untrusted) name are replaced.
func entryPath(archive, name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(name, "\uFFFD"))
	return archive + "!/" + strings.TrimPrefix(name, "/")
}

// scanZip scans the entries of a zip archive of the given size as items of
// their own, each sniffed, decoded and matched like a file; it returns
// false when the content is not a readable zip archive (the caller then
// scans its printable strings instead). Entries that are skipped are
// listed with their reason; an archive cut short by its bounds is listed
// as "archive-limit".
func (s *Scanner) scanZip(it Item, ra io.ReaderAt, size int64, depth int, b *budget, r *itemResult) bool {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return false
	}
	if b == nil {
		b = &budget{left: archiveBudget * s.opt.MaxFileSize}
	}
	var buf []byte
	n := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if n++; n > maxArchiveEntries || b.left <= 0 {
			r.skip(it.Path, "archive-limit")
			break
		}
		esize := int64(-1)
		if f.UncompressedSize64 <= math.MaxInt64 {
			esize = int64(f.UncompressedSize64)
		}
		eit := Item{Path: entryPath(it.Path, f.Name), Size: esize, Commit: it.Commit, InHead: it.InHead,
			Open: func() (io.ReadCloser, error) {
				rc, err := f.Open()
				if err != nil {
					return nil, err
				}
				return countedReader{rc, b}, nil
			}}
		er := s.scanItemAt(eit, &buf, depth+1, b)
		s.mergeInner(eit.Path, er, r)
	}
	return true
}

// skip lists one more skipped file (an archive entry) besides the item.
func (r *itemResult) skip(path, reason string) {
	r.extra = append(r.extra, SkippedFile{Path: path, Reason: reason})
}

// scanStreamedZip scans a streamed item whose first bytes, head, are
// those of a zip archive: a file is opened in place, a stream (an archive
// entry, stdin) is read whole when it ends within the smaller of the size
// limit and maxNestedArchive. It reports whether the item was scanned; if
// not, the caller reads on from what was read past head (returned) and
// then the stream.
func (s *Scanner) scanStreamedZip(it Item, rc io.ReadCloser, head []byte, depth int, b *budget, r *itemResult) (bool, []byte) {
	limit := s.opt.MaxFileSize
	if f, ok := rc.(*os.File); ok {
		fi, err := f.Stat()
		if err != nil || fi.Size() > limit {
			return false, nil
		}
		// ReadAt leaves the stream's offset alone.
		if !s.scanZip(it, f, fi.Size(), depth, b, r) {
			return false, nil
		}
		r.bytes = fi.Size()
		return true, nil
	}
	bound := min(limit, maxNestedArchive)
	if it.Size > bound {
		return false, nil
	}
	rest, err := io.ReadAll(io.LimitReader(rc, bound+1-int64(len(head))))
	if err != nil {
		r.warning = fmt.Errorf("cannot read: %w", err)
		return true, nil
	}
	if int64(len(head)+len(rest)) > bound {
		return false, rest
	}
	data := append(append(make([]byte, 0, len(head)+len(rest)), head...), rest...)
	if !s.scanZip(it, bytes.NewReader(data), int64(len(data)), depth, b, r) {
		// Not a readable archive after all: its strings, then.
		s.scanBinary(&scanState{it: it, r: r}, data, &origin{}, -1, len(data))
	}
	r.bytes = int64(len(data))
	return true, nil
}
