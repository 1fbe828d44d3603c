package textdecode

import (
	"bytes"
	"encoding/binary"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/keylint/keylint/internal/corpus"
	"github.com/keylint/keylint/internal/gittest"
)

const ps1 = "$ErrorActionPreference = 'Stop'\r\n# deploy script\r\n$token = 'value'\r\nWrite-Host \"done\"\r\n"

func TestSniff(t *testing.T) {
	t.Parallel()
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0, 0, 0, 0, 3, 0, 0x3e, 0, 1, 0, 0, 0}, 200)...)
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(i*131 + i*i*7 + 13) // a fixed spread of every byte value
	}
	tests := []struct {
		name string
		in   []byte
		want Encoding
	}{
		{"empty", nil, UTF8},
		{"ascii", []byte("hello world\n"), UTF8},
		{"utf8 non-ascii", []byte("clé = «valeur» 日本語\n"), UTF8},
		{"latin1 accents", []byte("caf\xe9 cr\xe8me br\xfbl\xe9e and a long line of plain text\n"), UTF8},
		{"stray NUL", append(append([]byte(strings.Repeat("line of text\n", 40)), 0), "more text\n"...), UTF8},
		{"few NULs", []byte(strings.Repeat("text\x00 with a nul in the middle of the line\n", 20)), UTF8},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, "key = 1\n"...), UTF8BOM},
		{"utf16le bom", corpus.UTF16(ps1, false, true), UTF16LE},
		{"utf16be bom", corpus.UTF16(ps1, true, true), UTF16BE},
		{"utf16le no bom", corpus.UTF16(ps1, false, false), UTF16LE},
		{"utf16be no bom", corpus.UTF16(ps1, true, false), UTF16BE},
		{"utf16le no bom some non-ascii", corpus.UTF16("Grüße, naïve café: "+ps1, false, false), UTF16LE},
		{"utf16le one char", corpus.UTF16("a", false, false), UTF16LE},
		{"utf16le bom cjk", corpus.UTF16("日本語のテキスト、中文文本。", false, true), UTF16LE},
		{"utf16be bom cjk", corpus.UTF16("日本語のテキスト、中文文本。", true, true), UTF16BE},
		{"bom bytes then ascii", []byte("\xff\xfe token = abcdefgh \xc3\x28\n"), UTF8},
		{"be bom bytes then ascii", []byte("\xfe\xff plain text line\n"), UTF8},
		{"utf16le no bom mostly cjk", corpus.UTF16("// 設定ファイルの読み込みと検証を行います。\r\nkey = \"value\"\r\n// 日本語のコメントがたくさんあります。\r\n", false, false), UTF16LE},
		{"utf16be no bom mostly cyrillic", corpus.UTF16("// Настройки приложения и проверка ключей\nkey = 1\n", true, false), UTF16BE},
		{"16-bit integers", bytes.Repeat([]byte{1, 0, 7, 0, 3, 0, 2, 0, 0x10, 0, 0x1f, 0}, 50), Binary},
		// Zero high bytes, but the units are unpaired surrogates.
		{"wide surrogates", bytes.Repeat([]byte{'a', 0, 0x3D, 0xD8, 'b', 0, 'c', 0}, 50), Binary},
		{"utf32le bom", []byte{0xFF, 0xFE, 0, 0, 'a', 0, 0, 0}, Binary},
		{"elf", elf, Binary},
		{"random", random, Binary},
		{"zeros", make([]byte, 1<<20), Binary},
		{"controls", bytes.Repeat([]byte{1, 2, 3, 'a', 'b', 'c', 4, 5}, 100), Binary},
		// Zero bytes at odd offsets, but decoding gives control characters.
		{"wide controls", bytes.Repeat([]byte{1, 0, 2, 0, 'a', 0, 3, 0}, 100), Binary},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Sniff(tc.in); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDecodeUTF16(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []byte
		be   bool
		want string
	}{
		{"ascii le", corpus.UTF16("a\nb\r\nc", false, false), false, "a\nb\r\nc"},
		{"ascii be", corpus.UTF16("a\nb\r\nc", true, false), true, "a\nb\r\nc"},
		{"bmp and astral", corpus.UTF16("é日😀\n", false, false), false, "é日😀\n"},
		{"unpaired high", []byte{0x3D, 0xD8, 'a', 0}, false, "\uFFFDa"},
		{"unpaired low", []byte{0x00, 0xDC, 'a', 0}, false, "\uFFFDa"},
		{"odd byte", []byte{'a', 0, 'b'}, false, "a\uFFFD"},
		{"high at end", []byte{'a', 0, 0x3D, 0xD8}, false, "a\uFFFD"},
		// U+0A0A has a 0x0A byte but is not a newline.
		{"0x0A bytes", corpus.UTF16("\u0a0a\u010a\n", false, false), false, "\u0a0a\u010a\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := string(DecodeUTF16(nil, tc.in, tc.be)); got != tc.want {
				t.Errorf("DecodeUTF16 = %q, want %q", got, tc.want)
			}
			// Piece by piece, cut anywhere, gives the same text.
			for cut := range len(tc.in) + 1 {
				d := UTF16Decoder{BigEndian: tc.be}
				out := d.Decode(nil, tc.in[:cut], false)
				out = d.Decode(out, tc.in[cut:], true)
				if string(out) != tc.want {
					t.Errorf("cut at %d: %q, want %q", cut, out, tc.want)
				}
			}
		})
	}
}

func TestLineMapper(t *testing.T) {
	t.Parallel()
	// Raw 0x0A bytes that are not newlines (U+010A, U+0A0A) make git see
	// more lines than an editor does.
	text := "one\n\u010a two\nthree \u0a0a\nfour\n"
	for _, be := range []bool{false, true} {
		raw := corpus.UTF16(text, be, true)
		m := NewLineMapper(raw, be)
		// The decoded line of each raw line: the line after each 0x0A byte.
		var want []int
		line := 1
		want = append(want, 1)
		for i := 0; i+1 < len(raw); i += 2 {
			u := binary.LittleEndian.Uint16(raw[i:])
			if be {
				u = binary.BigEndian.Uint16(raw[i:])
			}
			for _, b := range raw[i : i+2] {
				if b == '\n' {
					if u == '\n' {
						want = append(want, line+1)
					} else {
						want = append(want, line)
					}
				}
			}
			if u == '\n' {
				line++
			}
		}
		for n := range want {
			if got := m.Line(n + 1); got != want[n] {
				t.Errorf("be=%v: Line(%d) = %d, want %d", be, n+1, got, want[n])
			}
		}
		if got := m.Line(1000); got != 5 {
			t.Errorf("be=%v: Line(1000) = %d, want the last line 5", be, got)
		}
		if got := m.Line(0); got != 1 {
			t.Errorf("Line(0) = %d, want 1", got)
		}
		// The last raw line (after the final newline) is decoded line 5.
		if got := m.Line(len(want)); got != 5 {
			t.Errorf("be=%v: last raw line maps to %d, want 5", be, got)
		}
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	wide := corpus.UTF16("WideString_1234", false, false)
	data := append([]byte("\x00\x01short\x00\x02a longer run\xff\xfe"), wide...)
	data = append(data, 0x90, 0x90, 't', 'a', 'i', 'l', '-', 'r', 'u', 'n', '!', 0x01)
	data = append(data, corpus.UTF16("BigEndian_5678", true, false)...)
	text, runs := Strings(nil, nil, data, 8)
	want := "a longer run\ntail-run!\nWideString_1234\nBigEndian_5678\n"
	if string(text) != want {
		t.Fatalf("text = %q, want %q", text, want)
	}
	if len(runs) != 4 || !runs[2].Wide || !runs[3].Wide || runs[0].Wide {
		t.Fatalf("runs = %+v", runs)
	}
	for i := range text {
		off := Offset(runs, i)
		if text[i] == '\n' {
			if off != -1 {
				t.Errorf("separator at %d maps to %d", i, off)
			}
			continue
		}
		if off < 0 || data[off] != text[i] {
			t.Errorf("text[%d]=%q maps to %d", i, text[i], off)
		}
	}
	if Offset(runs, -1) != -1 || Offset(runs, len(text)) != -1 {
		t.Error("offsets outside the text must map to -1")
	}
}

// FuzzDecodeUTF16 checks decoding of arbitrary bytes: valid UTF-8 out,
// one '\n' per U+000A unit, the same text however it is cut, and line
// numbers from git's 0x0A-byte lines that never decrease and never pass
// the text's line count.
func FuzzDecodeUTF16(f *testing.F) {
	f.Add(corpus.UTF16(ps1, false, true), 3, false)
	f.Add(corpus.UTF16("é日😀\n\u0a0a", true, false), 5, true)
	f.Add([]byte{0x3D, 0xD8, 0x0A, 0, 0x00, 0xDC}, 1, false)
	f.Fuzz(func(t *testing.T, data []byte, cut int, be bool) {
		out := DecodeUTF16(nil, data, be)
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 from %x", data)
		}
		nl := 0
		for i := 0; i+1 < len(data); i += 2 {
			if be && data[i] == 0 && data[i+1] == '\n' || !be && data[i] == '\n' && data[i+1] == 0 {
				nl++
			}
		}
		if got := bytes.Count(out, []byte{'\n'}); got != nl {
			t.Fatalf("%d newlines out, %d U+000A in", got, nl)
		}
		if cut < 0 {
			cut = -cut
		}
		if len(data) > 0 {
			cut %= len(data) + 1
			d := UTF16Decoder{BigEndian: be}
			pieces := d.Decode(nil, data[:cut], false)
			pieces = d.Decode(pieces, data[cut:], true)
			if !bytes.Equal(pieces, out) {
				t.Fatalf("cut at %d: %q, whole: %q", cut, pieces, out)
			}
		}
		m := NewLineMapper(data, be)
		prev := 1
		raw := bytes.Count(data, []byte{'\n'}) + 1
		for n := 1; n <= raw+1; n++ {
			l := m.Line(n)
			if l < prev || l > nl+1 {
				t.Fatalf("Line(%d) = %d after %d, text has %d lines", n, l, prev, nl+1)
			}
			prev = l
		}
		_ = Sniff(data)
	})
}

// FuzzStrings checks printable-run extraction: every character of the text
// maps back to the same byte of the input, runs are long enough and in
// text order, and the text stays within its bound.
func FuzzStrings(f *testing.F) {
	f.Add([]byte("\x00\x01a longer run\xff"), 4)
	f.Add(corpus.UTF16("WideString_1234", false, false), 8)
	f.Add([]byte("a\x00b\x00c\x00dddddddd\x00e\x00"), 3)
	f.Fuzz(func(t *testing.T, data []byte, minRun int) {
		minRun = minRun%16 + 1
		if minRun < 1 {
			minRun += 16
		}
		text, runs := Strings(nil, nil, data, minRun)
		if len(text) > 2*len(data)+len(runs) {
			t.Fatalf("text of %d bytes from %d bytes and %d runs", len(text), len(data), len(runs))
		}
		for k, r := range runs {
			if r.Len < minRun || k > 0 && r.TextOff <= runs[k-1].TextOff {
				t.Fatalf("run %d: %+v", k, r)
			}
			if text[r.TextOff+r.Len] != '\n' {
				t.Fatalf("run %d not followed by a separator", k)
			}
		}
		for i := range text {
			off := Offset(runs, i)
			if text[i] == '\n' {
				continue
			}
			if off < 0 || off >= len(data) || data[off] != text[i] || !printable(text[i]) {
				t.Fatalf("text[%d]=%q maps to %d", i, text[i], off)
			}
		}
	})
}

// BenchmarkStrings measures printable-string extraction on bytes like a
// compiled program's: mostly random, with ASCII and UTF-16 strings.
func BenchmarkStrings(b *testing.B) {
	data := make([]byte, 8<<20)
	x := uint32(1)
	for i := range data {
		x = x*1664525 + 1013904223
		data[i] = byte(x >> 24)
		if i%512 < 40 {
			data[i] = "abcdefghijklmnopqrstuvwxyz0123456789_:/."[i%40]
		}
	}
	copy(data[4096:], corpus.UTF16("a wide resource string", false, false))
	b.SetBytes(int64(len(data)))
	c0 := gittest.CPUTime()
	b.ResetTimer()
	var text []byte
	var runs []Run
	for range b.N {
		text, runs = Strings(text[:0], runs[:0], data, MinRun)
	}
	reportCPU(b, c0)
}

// naiveBinaryScore is binaryScore one byte at a time, as it was written
// before it learned to skip eight printable bytes at once.
func naiveBinaryScore(p []byte) int {
	n := 0
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b || c == 0x7f {
				n += 2
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(p[i:]) {
				break
			}
			n++
			i++
			continue
		}
		i += size
	}
	return n
}

// TestMasks checks the eight-byte masks on every byte value in every
// position, against the byte-at-a-time rules.
func TestMasks(t *testing.T) {
	t.Parallel()
	for pos := range 8 {
		for c := range 256 {
			w := []byte("abcdefgh")
			w[pos] = byte(c)
			x := binary.LittleEndian.Uint64(w)
			b := byte(c)
			ctrl := b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1b || b == 0x7f
			for _, m := range []struct {
				name string
				got  uint64
				want bool
			}{
				{"zeros", zeros(x), b == 0},
				{"printableWord", map[bool]uint64{false: 0x80 << (8 * pos)}[printableWord(x)], b < 0x20 || b > 0x7e},
				{"below20", below20(x), b < 0x20},
				{"controls", controls(x), ctrl},
				{"unprintables", unprintables(x), !printable(b)},
			} {
				want := uint64(0)
				if m.want {
					want = 0x80 << (8 * pos)
				}
				if m.got != want {
					t.Fatalf("%s(%q) = %#x, want %#x", m.name, w, m.got, want)
				}
			}
		}
	}
}

// edgeBytes are the bytes on the borders of the word tests: NUL, the
// control characters text keeps, escape, DEL, the first byte of UTF-8's
// upper half and 0xff.
var edgeBytes = []byte{0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x1b, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xc3, 0xe2, 0xff}

// edgeInputs are inputs of 0 to 17 bytes, printable ASCII, tab-separated
// text or UTF-16LE characters, with each edge byte at each position: every
// place in a word, and the bytes of the tail that follows the last whole
// word.
func edgeInputs() [][]byte {
	var in [][]byte
	fills := []func(i int) byte{
		func(i int) byte { return "abcdefghijklmnopqrstuvwxyz"[i%26] },
		func(i int) byte { return "ab\tcd\nef\r\n"[i%10] },
		func(i int) byte {
			if i%2 == 1 {
				return 0
			}
			return 'A' + byte(i%26)
		},
	}
	for n := 0; n <= 17; n++ {
		for _, fill := range fills {
			base := make([]byte, n)
			for i := range base {
				base[i] = fill(i)
			}
			in = append(in, base)
			for pos := range n {
				for _, c := range edgeBytes {
					p := bytes.Clone(base)
					p[pos] = c
					in = append(in, p)
				}
			}
		}
	}
	return in
}

// TestScoreAndStringsEdges compares binaryScore with the byte-at-a-time
// count, and Strings with its byte-at-a-time form, on every edge input
// and every run length up to past the input's.
func TestScoreAndStringsEdges(t *testing.T) {
	t.Parallel()
	for _, p := range edgeInputs() {
		if got, want := binaryScore(p), naiveBinaryScore(p); got != want {
			t.Fatalf("binaryScore(%q) = %d, want %d", p, got, want)
		}
		for minRun := 0; minRun <= 10; minRun++ {
			checkStrings(t, p, minRun)
		}
	}
}

// checkStrings fails t when Strings and refStrings disagree on data.
func checkStrings(t *testing.T, data []byte, minRun int) {
	t.Helper()
	text, runs := Strings([]byte("x"), []Run{{Off: 9}}, data, minRun)
	wantText, wantRuns := refStrings([]byte("x"), []Run{{Off: 9}}, data, minRun)
	if !bytes.Equal(text, wantText) || !slices.Equal(runs, wantRuns) {
		t.Fatalf("Strings(%q, %d) = %q %+v, want %q %+v", data, minRun, text, runs, wantText, wantRuns)
	}
}

// FuzzStringsReference checks Strings against its byte-at-a-time form.
func FuzzStringsReference(f *testing.F) {
	f.Add([]byte("\x00\x01a longer run\xff and\tanother one\x7f"), 8)
	f.Add(corpus.UTF16("WideString_1234", false, false), 8)
	f.Add([]byte("abcdefgh\x00ijklmnopq"), 3)
	f.Fuzz(func(t *testing.T, data []byte, minRun int) {
		checkStrings(t, data, minRun%20)
	})
}

// refStrings is Strings as it was written before its ASCII pass learned
// to skip: one byte at a time. It is the reference of the tests.
func refStrings(text []byte, runs []Run, data []byte, minRun int) ([]byte, []Run) {
	minRun = max(minRun, 1)
	for i := 0; i < len(data); {
		if !printable(data[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(data) && printable(data[j]) {
			j++
		}
		if j-i >= minRun {
			runs = append(runs, Run{Off: i, TextOff: len(text), Len: j - i})
			text = append(text, data[i:j]...)
			text = append(text, '\n')
		}
		i = j
	}
	type wide struct{ off, n int }
	var ws []wide
	for i := 0; i+1 < len(data); {
		if data[i+1] != 0 {
			z := bytes.IndexByte(data[i+1:], 0)
			if z < 0 {
				break
			}
			i += z
			continue
		}
		if !printable(data[i]) {
			i++
			continue
		}
		j := i + 2
		for j+1 < len(data) && printable(data[j]) && data[j+1] == 0 {
			j += 2
		}
		if n := (j - i) / 2; n >= minRun {
			ws = append(ws, wide{i, n})
		}
		i = j
	}
	for i := 0; i+1 < len(data); {
		if data[i] != 0 {
			z := bytes.IndexByte(data[i:], 0)
			if z < 0 {
				break
			}
			i += z
			continue
		}
		if !printable(data[i+1]) {
			i++
			continue
		}
		j := i + 2
		for j+1 < len(data) && data[j] == 0 && printable(data[j+1]) {
			j += 2
		}
		if n := (j - i) / 2; n >= minRun {
			ws = append(ws, wide{i + 1, n})
		}
		i = j
	}
	sort.Slice(ws, func(a, b int) bool {
		if ws[a].off != ws[b].off {
			return ws[a].off < ws[b].off
		}
		return ws[a].n > ws[b].n
	})
	var reach [2]int
	for _, w := range ws {
		end := w.off + 2*w.n
		if end <= reach[w.off%2] {
			continue
		}
		reach[w.off%2] = end
		runs = append(runs, Run{Off: w.off, TextOff: len(text), Len: w.n, Wide: true})
		for k := w.off; k < end; k += 2 {
			text = append(text, data[k])
		}
		text = append(text, '\n')
	}
	return text, runs
}

// BenchmarkSniff measures Sniff, the binaryScore of each file's first
// bytes, on real Go source (tabs and newlines in most words) and on
// generated web and configuration source and minified JavaScript.
func BenchmarkSniff(b *testing.B) {
	src, err := corpus.GoSrc()
	if err != nil {
		b.Skip(err)
	}
	goFiles, err := corpus.GoFiles(src, 16<<20)
	if err != nil {
		b.Skip(err)
	}
	for _, c := range []struct {
		name  string
		files [][]byte
	}{
		{"go", goFiles},
		{"mixed", append(corpus.MixedFiles(1, 8<<20, 0), corpus.MinifiedJS(2, 1<<20))},
	} {
		b.Run(c.name, func(b *testing.B) {
			var n int64
			for _, f := range c.files {
				n += int64(min(len(f), SniffLen))
			}
			b.SetBytes(n)
			c0 := gittest.CPUTime()
			b.ResetTimer()
			for range b.N {
				for _, f := range c.files {
					_ = Sniff(f)
				}
			}
			reportCPU(b, c0)
		})
	}
}

// BenchmarkStringsExecutable measures printable-string extraction on a
// real compiled program: the test binary itself.
func BenchmarkStringsExecutable(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Skip(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	c0 := gittest.CPUTime()
	b.ResetTimer()
	var text []byte
	var runs []Run
	for range b.N {
		text, runs = Strings(text[:0], runs[:0], data, MinRun)
	}
	reportCPU(b, c0)
}

// FuzzBinaryScore checks binaryScore against the byte-at-a-time count.
func FuzzBinaryScore(f *testing.F) {
	f.Add([]byte("plain text, long enough for a word or two\n\tand a tab"))
	f.Add([]byte("\x00\x01binary\x7f\xff\xfe caf\xc3\xa9 \xe2\x82"))
	f.Add([]byte("func f() {\n\tif x {\r\n\t\treturn \"caf\xc3\xa9\"\n\t}\x1b\x0c\n}\n"))
	f.Fuzz(func(t *testing.T, p []byte) {
		if got, want := binaryScore(p), naiveBinaryScore(p); got != want {
			t.Fatalf("binaryScore(%q) = %d, want %d", p, got, want)
		}
	})
}

// reportCPU reports the process CPU time per operation since c0, the
// figure that stays meaningful on a loaded machine.
func reportCPU(b *testing.B, c0 time.Duration) {
	b.ReportMetric(float64(gittest.CPUTime()-c0)/float64(b.N), "cpu-ns/op")
}
