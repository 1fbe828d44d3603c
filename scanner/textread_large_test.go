package scanner

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
)

// sparsePiece is content written at an offset of a sparse file.
type sparsePiece struct {
	off  int64
	data []byte
}

// writeSparse makes a file of size bytes, zero except for pieces.
func writeSparse(t *testing.T, path string, size int64, pieces []sparsePiece) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	for _, p := range pieces {
		if _, err := f.WriteAt(p.data, p.off); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLargeFileWindows scans sparse files far larger than the window with
// keys past the first window and straddling the first window's end, as
// text, as UTF-16 and as binary content, from a file and from a stream of
// unknown size. Every key must be found once, at its line, and memory must
// stay bounded by the window, not the file: the largest buffer the scan
// allocates is measured by a counter, and the bytes allocated in all by
// the runtime. Not parallel, so that the allocation count is this test's.
func TestLargeFileWindows(t *testing.T) {
	const size = 64 << 20
	w := DefaultWindow
	tokA, tokB := token(t), token(t)
	head := strings.Repeat("line\n", 100)
	type variant struct {
		name   string
		pieces []sparsePiece
		stream bool
		lineA  int // lines of the two keys
		lineB  int
		colA   int
		colB   int
	}
	text := func(s string) []byte { return []byte(s) }
	wide := func(s string) []byte { return corpus.UTF16(s, false, false) }
	// A key straddles the end of the first window (w bytes of text), the
	// other lies at 20 MiB of text.
	mk := func(name string, enc func(string) []byte, headBytes []byte, unit int64, base int64) variant {
		v := variant{name: name}
		if headBytes != nil {
			v.pieces = append(v.pieces, sparsePiece{0, headBytes})
		}
		offA := base + unit*int64(w-10)
		offB := base + unit*int64(20<<20)
		v.pieces = append(v.pieces,
			sparsePiece{offA, enc("\nk " + tokA + "\n")},
			sparsePiece{offB, enc("\n\nk " + tokB + "\n")})
		nlHead := 0
		if headBytes != nil {
			nlHead = 100
		}
		v.lineA, v.lineB = nlHead+2, nlHead+5
		v.colA, v.colB = 3, 3
		return v
	}
	variants := []variant{
		mk("text", text, []byte(head), 1, 0),
		mk("utf16", wide, corpus.UTF16(head, false, true), 2, 2),
		mk("binary", text, nil, 1, 0),
	}
	st := variants[0]
	st.name, st.stream = "text stream", true
	variants = append(variants, st)
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "big.dat")
			writeSparse(t, path, size, v.pieces)
			s := newTestScanner(t, Options{Workers: 1, MaxFileSize: 1 << 30})
			var src Source = &Dir{Paths: []string{path}}
			if v.stream {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				src = &Reader{Name: "stdin", R: f}
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			res, err := s.Scan(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			got := locs(res)
			if len(got) != 2 || got[0].line != v.lineA || got[0].col != v.colA || got[1].line != v.lineB || got[1].col != v.colB {
				t.Errorf("findings %+v, want lines %d and %d, column 3 (each key once)", got, v.lineA, v.lineB)
			}
			if len(res.Findings) != 2 {
				t.Errorf("%d findings, want 2", len(res.Findings))
			}
			if res.Summary.Files != 1 || res.Summary.Bytes != size {
				t.Errorf("files %d bytes %d, want 1 and %d", res.Summary.Files, res.Summary.Bytes, size)
			}
			if p := peakBuffer(s); p > int64(2*w) {
				t.Errorf("largest buffer %d bytes, want at most %d", p, 2*w)
			}
			if a := after.TotalAlloc - before.TotalAlloc; a > uint64(4*w) {
				t.Errorf("allocated %d bytes scanning a %d-byte file, want at most %d", a, size, 4*w)
			}
		})
	}
}

// TestOverLimit checks the size limit: a file over it is listed with its
// reason and still meets the path rules; a stream of unknown size over it
// is scanned up to the limit (its findings kept) and listed too.
func TestOverLimit(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	tok := token(t)
	big := bytes.Repeat([]byte("x"), 4096)
	writeFiles(t, root, map[string]string{"big.txt": "k " + tok + "\n" + string(big)})
	s := newTestScanner(t, Options{MaxFileSize: 1024})
	res := scanDir(t, s, &Dir{Paths: []string{root}})
	p := filepath.ToSlash(filepath.Join(root, "big.txt"))
	if len(res.Summary.SkippedFiles) != 1 || res.Summary.SkippedFiles[0] != (SkippedFile{Path: p, Reason: "too-large"}) {
		t.Errorf("skipped files %v, want big.txt too-large", res.Summary.SkippedFiles)
	}
	res, err := s.Scan(context.Background(), &Reader{Name: "stdin", R: bytes.NewReader([]byte("k " + tok + "\n" + string(big)))})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Summary.SkippedFiles) != 1 || res.Summary.SkippedFiles[0] != (SkippedFile{Path: "stdin", Reason: "too-large"}) {
		t.Errorf("skipped files %v, want stdin too-large", res.Summary.SkippedFiles)
	}
	if got := locs(res); len(got) != 1 || got[0].line != 1 {
		t.Errorf("findings %v: the key before the limit must be reported", got)
	}
}

// TestWindowBoundaries places keys at and around every window boundary and
// every boundary between the matches one window keeps and the next one's
// (the middle of the overlap), for text, UTF-16 and binary content, and
// compares the findings with those of one window holding the whole file:
// windows must neither lose nor repeat a finding, nor move it.
func TestWindowBoundaries(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"text", "utf16", "binary"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			small := newTestScanner(t, Options{Workers: 1, MaxFileSize: 1 << 30})
			overlap := small.overlap
			if kind == "binary" {
				overlap = small.binOverlap
			}
			small.window = 4 * overlap
			step := small.window - overlap
			// Offsets in text bytes (content bytes for binary files): each
			// probe of a boundary in a window of its own.
			var offs []int
			k := 1
			for _, d := range []int{-40, -31, -30, -29, -2, -1, 0, 1, 2, 29} {
				for _, edge := range []int{0, overlap / 2, overlap} {
					offs = append(offs, k*step+edge+d)
					k++
				}
			}
			size := (k+1)*step + small.window
			var content []byte
			switch kind {
			case "binary":
				content = make([]byte, size)
			default:
				// No newline but those before keys: lines longer than a
				// window, so columns depend on where a window starts.
				content = bytes.Repeat([]byte("filler text, nothing here; "), size/27+1)[:size]
			}
			var toks []string
			for _, off := range offs {
				tok := token(t)
				sep := " "
				if len(toks)%2 == 0 {
					sep = "\n"
				}
				toks = append(toks, tok)
				copy(content[off:], sep+tok+sep)
			}
			if kind == "utf16" {
				content = corpus.UTF16(string(content), false, true)
			}
			path := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			whole := newTestScanner(t, Options{Workers: 1, MaxFileSize: 1 << 30})
			want := locs(scanDir(t, whole, &Dir{Paths: []string{path}}))
			got := locs(scanDir(t, small, &Dir{Paths: []string{path}}))
			if len(want) != len(toks) {
				t.Fatalf("one window found %d keys, want %d", len(want), len(toks))
			}
			if len(got) != len(want) {
				t.Fatalf("windows found %d locations, one window %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("location %d: windows %+v, one window %+v", i, got[i], want[i])
				}
			}
		})
	}
}

// failingReader returns data, then an error.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// TestReadErrorMidStream checks that a stream failing after its first
// window keeps the findings already made, and is both a warning and a
// file listed as unreadable; so is a file that cannot be opened.
func TestReadErrorMidStream(t *testing.T) {
	t.Parallel()
	tok := token(t)
	s := newTestScanner(t, Options{})
	s.window = 4 * max(s.overlap, s.binOverlap)
	for _, enc := range []string{"text", "utf16", "binary"} {
		data := []byte("k " + tok + "\n" + strings.Repeat("filler line\n", s.window/6))
		switch enc {
		case "utf16":
			data = corpus.UTF16(string(data), false, true)
		case "binary":
			data = append(append(make([]byte, 64), "\n"+tok+"\x00"...), make([]byte, 2*s.window)...)
		}
		res, err := s.Scan(context.Background(), &Reader{Name: "stdin", R: &failingReader{data: data, err: os.ErrDeadlineExceeded}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != 1 {
			t.Errorf("%s: %d findings, want the key read before the error", enc, len(res.Findings))
		}
		if len(res.Warnings) != 1 || len(res.Summary.SkippedFiles) != 1 || res.Summary.SkippedFiles[0] != (SkippedFile{Path: "stdin", Reason: "unreadable"}) {
			t.Errorf("%s: warnings %v, skipped %v: want stdin unreadable", enc, res.Warnings, res.Summary.SkippedFiles)
		}
	}
	// A file that vanished between the walk and the read.
	gone := filepath.Join(t.TempDir(), "gone")
	it := fileItem(func() (*os.File, error) { return os.Open(gone) }, "gone", -1)
	res, err := s.Scan(context.Background(), staticSource{it})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Summary.SkippedFiles) != 1 || res.Summary.SkippedFiles[0] != (SkippedFile{Path: "gone", Reason: "unreadable"}) {
		t.Errorf("skipped %v, want gone unreadable", res.Summary.SkippedFiles)
	}
}

// TestSmallFilesSmallBuffers checks that the window is a bound, not a
// size: small files, and a file that grew after it was listed, are read
// with buffers to their measure.
func TestSmallFilesSmallBuffers(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string]string{}
	for i := range 20 {
		files[filepath.Join("d", strings.Repeat("x", i+1))] = strings.Repeat("small file line\n", 100*i)
	}
	writeFiles(t, root, files)
	s := newTestScanner(t, Options{Workers: 2})
	res := scanDir(t, s, &Dir{Paths: []string{root}})
	if res.Summary.Files != 20 {
		t.Fatalf("files %d, want 20", res.Summary.Files)
	}
	if p := peakBuffer(s); p > 1<<20 {
		t.Errorf("largest buffer %d bytes for files under 32 KiB, want under 1 MiB", p)
	}
	// Listed at 10 bytes, 3 MiB when read: the buffer grows as needed.
	tok := token(t)
	path := filepath.Join(root, "grown")
	writeFiles(t, root, map[string]string{"grown": strings.Repeat("y", 3<<20) + " " + tok})
	it := fileItem(func() (*os.File, error) { return os.Open(path) }, "grown", -1)
	it.Size = 10
	res, err := s.Scan(context.Background(), staticSource{it})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Errorf("findings %d, want the key at the end of the grown file", len(res.Findings))
	}
}
