package scanner

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
)

// zipOf builds a zip archive of the given entries, in order; names ending
// in "/" are directories. Entries are deflated unless stored is set.
func zipOf(t testing.TB, stored bool, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		m := zip.Deflate
		if stored {
			m = zip.Store
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: e[0], Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gzipOf compresses data, recording name in the gzip header.
func gzipOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Name = name
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tarOf builds a tar archive of one file.
func tarOf(t testing.TB, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := tar.NewWriter(&buf)
	if err := w.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(content))}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestArchives scans keys inside zip archives (a JAR's class file and
// properties, a UTF-16 entry, a JAR inside a WAR) and gzip data (a .gz, a
// .tar.gz), as a file on disk and as a blob, and checks the bounds: entries over the size limit, archives
// with too many entries or inflating past their budget, corrupt entries
// and nesting past the depth limit are listed with their reason.
func TestArchives(t *testing.T) {
	t.Parallel()
	tok1, tok2, tok3, tok4, tok5 := token(t), token(t), token(t), token(t), token(t)
	class := "\xca\xfe\xba\xbe\x00\x00\x00\x34\x00\x1d\x08\x00\x10\x01\x00\x1c" + tok1 + "\x01\x00\x04Code"
	jar := zipOf(t, false,
		[2]string{"META-INF/", ""},
		[2]string{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"},
		[2]string{"com/x/Config.class", class},
		[2]string{"application.properties", "a=1\nb=2\nkey=" + tok2 + "\n"},
		[2]string{"win/setup.ps1", string(corpus.UTF16("x\r\n$k = '"+tok3+"'\r\n", false, true))},
	)
	inner := zipOf(t, false, [2]string{"secret.txt", "s " + tok4 + "\n"})
	war := zipOf(t, true, [2]string{"WEB-INF/lib/inner.jar", string(inner)})
	// Three levels: the innermost archive is not opened; deflated, its
	// key is out of sight (stored, its strings would be scanned).
	deep := zipOf(t, false, [2]string{"l1.zip", string(zipOf(t, false, [2]string{"l2.zip", string(zipOf(t, false, [2]string{"k.txt", tok5}))}))})

	type loc struct {
		path string
		line int
	}
	tests := []struct {
		name     string
		data     []byte
		limit    int64
		want     []loc
		wantSkip []SkippedFile
	}{
		{"jar", jar, 0, []loc{{"app!/application.properties", 3}, {"app!/com/x/Config.class", 1}, {"app!/win/setup.ps1", 2}}, nil},
		{"jar in war", war, 0, []loc{{"app!/WEB-INF/lib/inner.jar!/secret.txt", 1}}, nil},
		{"too deep", deep, 0, nil, nil},
		{"entry too large", zipOf(t, false, [2]string{"big.txt", strings.Repeat("z", 64<<10)}, [2]string{"k.txt", tok1}), 32 << 10,
			[]loc{{"app!/k.txt", 1}}, []SkippedFile{{"app!/big.txt", "too-large"}}},
	}
	// An archive inflating past its budget (8 times the size limit).
	var many [][2]string
	for i := range 12 {
		many = append(many, [2]string{fmt.Sprintf("f%02d.txt", i), strings.Repeat("y", 30<<10)})
	}
	tests = append(tests, struct {
		name     string
		data     []byte
		limit    int64
		want     []loc
		wantSkip []SkippedFile
	}{"budget", zipOf(t, false, many...), 32 << 10, nil, []SkippedFile{{"app", "archive-limit"}, {"app!/f08.txt", "archive-limit"}}})
	// A corrupt entry: its deflated bytes damaged, the next entry scanned.
	bad := zipOf(t, false, [2]string{"a.txt", strings.Repeat("hello world ", 200)}, [2]string{"b.txt", tok2})
	if i := bytes.Index(bad, []byte("a.txt")); i > 0 {
		for j := i + 10; j < i+40; j++ {
			bad[j] ^= 0x5a
		}
	}
	tests = append(tests, struct {
		name     string
		data     []byte
		limit    int64
		want     []loc
		wantSkip []SkippedFile
	}{"corrupt entry", bad, 0, []loc{{"app!/b.txt", 1}}, []SkippedFile{{"app!/a.txt", "decode-failed"}}})

	type tcase = struct {
		name     string
		data     []byte
		limit    int64
		want     []loc
		wantSkip []SkippedFile
	}
	corrupt := gzipOf(t, "x", bytes.Repeat([]byte("lorem ipsum "), 400))
	for j := 14; j < len(corrupt)-10; j++ {
		corrupt[j] ^= 0x33
	}
	notGzip := append([]byte{0x1f, 0x8b, 8, 0xff}, make([]byte, 100)...)
	notGzip = append(notGzip, "\n"+tok3+"\x00"...)
	tests = append(tests,
		tcase{"gzip", gzipOf(t, "config.env", []byte("a\nb "+tok1+"\n")), 0, []loc{{"app!/config.env", 2}}, nil},
		tcase{"tar.gz", gzipOf(t, "", tarOf(t, "etc/app.conf", "x\ntoken "+tok2+"\n")), 0, []loc{{"app!/app", 2}}, nil},
		tcase{"gzip past the limit", gzipOf(t, "big", append([]byte("k "+tok4+"\n"), make([]byte, 1<<20)...)), 64 << 10,
			[]loc{{"app!/big", 1}}, []SkippedFile{{"app!/big", "too-large"}}},
		tcase{"corrupt gzip", corrupt, 0, nil, []SkippedFile{{"app!/x", "decode-failed"}}},
		tcase{"gzip magic, not gzip", notGzip, 0, []loc{{"app", 2}}, nil},
	)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "app")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			for name, src := range map[string]Source{
				"file": &Dir{Paths: []string{path}},
				"blob": staticSource{contentItem(filepath.ToSlash(path), tc.data, nil, nil)},
			} {
				res, err := newTestScanner(t, Options{MaxFileSize: tc.limit}).Scan(context.Background(), src)
				if err != nil {
					t.Fatal(err)
				}
				var got []loc
				for _, f := range res.Findings {
					for _, l := range f.Locations {
						got = append(got, loc{strings.TrimPrefix(l.Path, filepath.ToSlash(dir)+"/"), l.Line})
					}
				}
				slices.SortFunc(got, func(a, b loc) int { return strings.Compare(a.path, b.path) })
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s: findings %v, want %v", name, got, tc.want)
				}
				var skips []SkippedFile
				for _, sf := range res.Summary.SkippedFiles {
					sf.Path = strings.TrimPrefix(sf.Path, filepath.ToSlash(dir)+"/")
					skips = append(skips, sf)
				}
				if !slices.Equal(skips, tc.wantSkip) {
					t.Errorf("%s: skipped %v, want %v", name, skips, tc.wantSkip)
				}
			}
		})
	}
}

// TestArchiveEntryLimit lists an archive with more entries than are
// scanned as cut short.
func TestArchiveEntryLimit(t *testing.T) {
	t.Parallel()
	var entries [][2]string
	for i := range maxArchiveEntries + 1 {
		entries = append(entries, [2]string{fmt.Sprintf("e%05d", i), "x"})
	}
	data := zipOf(t, true, entries...)
	res, err := newTestScanner(t, Options{}).Scan(context.Background(), staticSource{contentItem("a.zip", data, nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Summary.SkippedFiles, []SkippedFile{{"a.zip", "archive-limit"}}) {
		t.Errorf("skipped %v, want a.zip archive-limit", res.Summary.SkippedFiles)
	}
}
