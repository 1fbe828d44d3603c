package textdecode

import (
	"bytes"
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
// each followed by '\n', and returns the text with one [Run] per string
// appended to runs, in text order. The text grows by at most data's
// length plus one byte per run.
func Strings(text []byte, runs []Run, data []byte, minRun int) ([]byte, []Run) {
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
	for i := 0; i+1 < len(data); {
		if data[i+1] != 0 {
			// A wide string has a zero byte after each character: go to
			// the next zero.
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
			runs = append(runs, Run{Off: i, TextOff: len(text), Len: n, Wide: true})
			for k := i; k < j; k += 2 {
				text = append(text, data[k])
			}
			text = append(text, '\n')
		}
		// No wide string starts inside [i, j) at the other parity (its
		// bytes there are zeros), nor a longer one at this parity.
		i = j
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
