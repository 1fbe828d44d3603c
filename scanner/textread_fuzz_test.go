package scanner

import (
	"context"
	"io"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
)

// FuzzScanContent feeds arbitrary content through the item scan as a blob
// and as a stream with small windows: sniffing, UTF-16 decoding, strings
// of binary content, zip archives and gzip data. Nothing may panic or
// hang, every location must be a real position, and a stream must find
// what the blob finds.
func FuzzScanContent(f *testing.F) {
	tok := "tkn_" + "AbCdEfGhIjKlMnOpQrStUvWx"
	f.Add([]byte("key " + tok + "\n"))
	f.Add(corpus.UTF16("x\r\nk = '"+tok+"'\r\n", false, true))
	f.Add(corpus.UTF16("k = '"+tok+"'\n", true, false))
	f.Add([]byte("\x7fELF\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + tok + "\x00"))
	f.Add(zipOf(f, false, [2]string{"a/b.txt", "k " + tok}, [2]string{"c.jar", string(zipOf(f, true, [2]string{"d", tok}))}))
	f.Add(gzipOf(f, "n", tarOf(f, "a.txt", "k "+tok)))
	s := newTestScanner(f, Options{Workers: 1, MaxFileSize: 1 << 20})
	small := newTestScanner(f, Options{Workers: 1, MaxFileSize: 1 << 20})
	small.window = 4 * max(small.overlap, small.binOverlap)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := s.Scan(context.Background(), staticSource{contentItem("f", data, nil, nil)})
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range res.Findings {
			for _, l := range fd.Locations {
				if l.Line < 1 || l.Column < 1 || l.EndLine < l.Line {
					t.Fatalf("bad location %+v", l)
				}
			}
		}
		res2, err := small.Scan(context.Background(), &Reader{Name: "f", R: bytesReader(data)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res2.Findings) != len(res.Findings) {
			t.Fatalf("stream found %d, blob %d", len(res2.Findings), len(res.Findings))
		}
	})
}

func bytesReader(b []byte) *bytesReaderT { return &bytesReaderT{b: b} }

// bytesReaderT is a plain io.Reader (no ReaderAt), as stdin is.
type bytesReaderT struct{ b []byte }

func (r *bytesReaderT) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
