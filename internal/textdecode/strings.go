package textdecode

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"sort"
)

// MinRun is the shortest printable string [Strings] keeps. strings(1)
// keeps 4; no credential format is shorter than 8 with its prefix, and
// shorter runs are mostly noise in machine code.
const MinRun = 8

// Run is one printable string of binary content, as [Strings] copied it
// into its text.
type Run struct {
	// Off is the offset of the string's first byte in the content.
	Off int
	// TextOff is the offset of its first character in the text.
	TextOff int
	// Len is its length in characters (bytes of the text).
	Len int
	// Wide marks a UTF-16LE string: two content bytes per character.
	Wide bool
}

// printable reports whether strings(1) counts c as part of a string:
// ASCII graphic characters, space and tab.
func printable(c byte) bool { return printables[c] }

// printables is the table of [printable].
var printables = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c < 0x7f || c == '\t'
	}
	return t
}()

// Strings appends to text every run of at least minRun printable ASCII
// bytes of data (what strings(1) shows), then every run of at least minRun
// printable ASCII characters encoded as UTF-16LE (what strings -el shows),
// then as UTF-16BE (strings -eb), each followed by '\n', and returns the text with one [Run] per string
// appended to runs, in text order. The text grows by at most twice
// data's length plus one byte per run.
func Strings(text []byte, runs []Run, data []byte, minRun int) ([]byte, []Run) {
	minRun = max(minRun, 1)
	// Every kept run of at least minRun bytes that starts in
	// [i, i+minRun) holds the byte at i+minRun-1: when that byte is not
	// printable, none starts there. i is always 0 or just past an
	// unprintable byte, so a run through i starts at i.
	for i := 0; i+minRun <= len(data); {
		last := i + minRun - 1
		if !printable(data[last]) {
			i = last + 1
			continue
		}
		// The last unprintable byte before it, if any, is where the next
		// candidate starts.
		k := last - 1
		for k >= i && printable(data[k]) {
			k--
		}
		if k >= i {
			i = k + 1
			continue
		}
		j := i + minRun
		for j+8 <= len(data) {
			if u := unprintables(binary.LittleEndian.Uint64(data[j:])); u != 0 {
				j += bits.TrailingZeros64(u) / 8
				break
			}
			j += 8
		}
		for j < len(data) && printable(data[j]) {
			j++
		}
		runs = append(runs, Run{Off: i, TextOff: len(text), Len: j - i})
		text = append(text, data[i:j]...)
		text = append(text, '\n')
		i = j + 1
	}
	// Wide strings: little-endian (a character, then a zero) and
	// big-endian (a zero, then a character). The same bytes often read
	// both ways ("\x00a\x00b\x00c\x00"): a string whose characters are
	// all those of another is dropped.
	type wide struct{ off, n int } // first character's offset, length
	var ws []wide
	for i := 0; i+1 < len(data); {
		if data[i+1] != 0 {
			// A character then a zero: go to the next zero.
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
		// No string starts inside [i, j) at the other parity (its bytes
		// there are zeros), nor a longer one at this parity.
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
	var reach [2]int // per parity, the end of the strings kept so far
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

// Offset maps an offset of the text built by [Strings] to the offset of
// the same character in the content, or -1 for a separator or an offset
// outside every run.
func Offset(runs []Run, textOff int) int {
	k := sort.Search(len(runs), func(i int) bool { return runs[i].TextOff > textOff }) - 1
	if k < 0 {
		return -1
	}
	r := runs[k]
	d := textOff - r.TextOff
	if d >= r.Len {
		return -1
	}
	if r.Wide {
		return r.Off + 2*d
	}
	return r.Off + d
}
