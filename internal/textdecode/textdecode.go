// Package textdecode tells text from binary content by its first bytes,
// decodes UTF-16 (with or without a byte order mark) and UTF-8 with a byte
// order mark into plain UTF-8 with the same lines, and extracts the
// printable strings of binary content, as strings(1) sees them.
//
// Everything here reads untrusted bytes: no input makes it fail, loop or
// allocate more than a small multiple of the input.
package textdecode

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// SniffLen is how many leading bytes [Sniff] looks at.
const SniffLen = 8 << 10

// utf16SniffLen is how many leading bytes the UTF-16 heuristic looks at.
const utf16SniffLen = 1 << 10

// Encoding is what [Sniff] decided a content is.
type Encoding int

// The encodings [Sniff] tells apart.
const (
	// UTF8 is text to scan as it is (UTF-8, ASCII or a legacy 8-bit
	// encoding: all keep ASCII secrets as they are).
	UTF8 Encoding = iota
	// UTF8BOM is UTF-8 text behind a byte order mark (EF BB BF).
	UTF8BOM
	// UTF16LE is little-endian UTF-16 text, with a BOM (FF FE) or without.
	UTF16LE
	// UTF16BE is big-endian UTF-16 text, with a BOM (FE FF) or without.
	UTF16BE
	// Binary is content that is not text: only its printable strings
	// (see [Strings]) can hold a secret.
	Binary
)

// String names the encoding as reports show it.
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "utf-8"
	case UTF8BOM:
		return "utf-8-bom"
	case UTF16LE:
		return "utf-16le"
	case UTF16BE:
		return "utf-16be"
	}
	return "binary"
}

// BOMLen is the length of the byte order mark that starts content of
// encoding e, given its first bytes (0 when there is none).
func BOMLen(e Encoding, prefix []byte) int {
	switch {
	case e == UTF8BOM && len(prefix) >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF:
		return 3
	case e == UTF16LE && len(prefix) >= 2 && prefix[0] == 0xFF && prefix[1] == 0xFE,
		e == UTF16BE && len(prefix) >= 2 && prefix[0] == 0xFE && prefix[1] == 0xFF:
		return 2
	}
	return 0
}

// Sniff decides how to read content from its first bytes (pass at least
// [SniffLen] of them when the content is that long). A byte order mark
// decides; without one, UTF-16 is recognised by its pattern of zero bytes
// at odd (little-endian) or even (big-endian) offsets, which mostly-ASCII
// text always has. Otherwise the content is binary when more than a tenth
// of the sniffed bytes are control characters (NUL included), bytes of
// broken UTF-8 sequences counting half, so a stray NUL does not make a
// text file binary.
func Sniff(prefix []byte) Encoding {
	p := prefix[:min(len(prefix), SniffLen)]
	switch {
	case len(p) >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF:
		return UTF8BOM
	case len(p) >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0:
		return Binary // UTF-32LE, which no editor writes by default
	case len(p) >= 2 && p[0] == 0xFF && p[1] == 0xFE && !eightBit(p[2:]):
		return UTF16LE
	case len(p) >= 2 && p[0] == 0xFE && p[1] == 0xFF && !eightBit(p[2:]):
		return UTF16BE
	}
	if e, ok := sniffUTF16(p[:min(len(p), utf16SniffLen)]); ok {
		return e
	}
	if suspicious(p)*10 > len(p) {
		return Binary
	}
	return UTF8
}

// eightBit reports whether what follows a UTF-16 byte order mark reads
// as 8-bit text instead: no zero byte (UTF-16 of ASCII has one in every
// code unit) and hardly anything suspicious. Such a file merely starts
// with the bytes of a BOM (a Latin-1 "ÿþ", a corrupt first line).
func eightBit(rest []byte) bool {
	return len(rest) > 0 && bytes.IndexByte(rest, 0) < 0 && suspicious(rest)*10 <= len(rest)
}

// sniffUTF16 recognises BOM-less UTF-16 text: many code units have a zero
// high byte (its ASCII characters), few have a zero low byte, and the
// decoded text is not itself mostly control characters or unpaired
// surrogates.
func sniffUTF16(p []byte) (Encoding, bool) {
	pairs := len(p) / 2
	if pairs < 1 {
		return 0, false
	}
	var zeroEven, zeroOdd int
	for i := 0; i+1 < len(p); i += 2 {
		if p[i] == 0 {
			zeroEven++
		}
		if p[i+1] == 0 {
			zeroOdd++
		}
	}
	var e Encoding
	// Mostly ASCII: most units have a zero high byte. Mostly other scripts
	// (CJK, Cyrillic) with some ASCII: a fifth or more do, and almost no
	// low byte is zero.
	switch {
	case zeroOdd*10 >= pairs*6 && zeroEven*10 <= pairs,
		zeroOdd*5 >= pairs && zeroEven*50 <= pairs:
		e = UTF16LE
	case zeroEven*10 >= pairs*6 && zeroOdd*10 <= pairs,
		zeroEven*5 >= pairs && zeroOdd*50 <= pairs:
		e = UTF16BE
	default:
		return 0, false
	}
	var d UTF16Decoder
	d.BigEndian = e == UTF16BE
	text := d.Decode(make([]byte, 0, len(p)*3/2+4), p, true)
	bad := suspicious(text) + 3*bytes.Count(text, []byte("\uFFFD"))
	if bad*10 > len(text) {
		return 0, false // zero bytes in a pattern, but not text: binary
	}
	return e, true
}

// suspicious counts the bytes of p that text rarely has: control
// characters other than tab, newlines, form feed and escape, and bytes of
// invalid UTF-8 sequences, which count half (a legacy 8-bit encoding has
// some; a sequence cut by the end of p is not counted).
func suspicious(p []byte) int { return binaryScore(p) / 2 }

// binaryScore is twice the count of control bytes plus the count of
// invalid UTF-8 bytes.
func binaryScore(p []byte) int {
	n := 0
	for i := 0; i < len(p); {
		// Eight bytes at once while they are ASCII, which is most of any
		// text: control bytes counted by their mask, and on to the first
		// byte of a multi-byte sequence, if any.
		for i+8 <= len(p) {
			w := binary.LittleEndian.Uint64(p[i:])
			if printableWord(w) {
				i += 8
				continue
			}
			ctrl := controls(w)
			high := w & highs
			if high == 0 {
				n += 2 * bits.OnesCount64(ctrl)
				i += 8
				continue
			}
			k := bits.TrailingZeros64(high) / 8 // the first byte >= 0x80
			n += 2 * bits.OnesCount64(ctrl&(1<<(8*k)-1))
			i += k
			break
		}
		if i == len(p) {
			break
		}
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
				break // cut at the end of the sniffed prefix
			}
			n++
			i++
			continue
		}
		i += size
	}
	return n
}

// The word constants of the byte masks: a one and a top bit in every byte,
// and every byte 0x7f.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	lows  = 0x7f7f7f7f7f7f7f7f
)

// printableWord reports whether every byte of w is in 0x20..0x7e: none
// below 0x20 (w - 0x20 in a byte borrows), none of 0x7f and above (w +
// 0x01 in a byte carries into the top bit, or the top bit is set). The
// cheap test of most words of text; [controls] is the exact one.
func printableWord(w uint64) bool {
	below := (w - 0x20*ones) & ^w & highs
	above := (w + 0x01*ones | w) & highs
	return below|above == 0
}

// zeros has the top bit set in exactly the bytes of w that are zero (no
// borrow or carry crosses a byte).
func zeros(w uint64) uint64 { return ^((w&lows + lows) | w) & highs }

// below20 has the top bit set in exactly the bytes of w below 0x20.
func below20(w uint64) uint64 { return ^((w&lows + 0x60*ones) | w) & highs }

// controls has the top bit set in exactly the bytes of w that
// [binaryScore] counts as control characters: below 0x20 except tab,
// newline, carriage return, form feed and escape, and 0x7f.
func controls(w uint64) uint64 {
	ok := zeros(w^'\t'*ones) | zeros(w^'\n'*ones) | zeros(w^'\r'*ones) | zeros(w^'\f'*ones) | zeros(w^0x1b*ones)
	return below20(w)&^ok | zeros(w^0x7f*ones)
}

// unprintables has the top bit set in exactly the bytes of w that
// [printable] rejects: below 0x20 except tab, 0x7f and above.
func unprintables(w uint64) uint64 {
	return below20(w)&^zeros(w^'\t'*ones) | (w&lows+ones|w)&highs
}

// UTF16Decoder turns UTF-16 into UTF-8 piece by piece: a code unit or a
// surrogate pair split between two pieces is carried over. Unpaired
// surrogates and a final odd byte become U+FFFD. Every U+000A becomes one
// '\n' and every '\n' of the output comes from one U+000A, so lines are
// those an editor shows. The zero value decodes little-endian.
type UTF16Decoder struct {
	// BigEndian selects big-endian code units.
	BigEndian bool
	carry     [3]byte
	ncarry    int
}

// Decode appends the UTF-8 form of src to dst and returns it. final says
// src is the last piece: what is carried is then flushed.
func (d *UTF16Decoder) Decode(dst, src []byte, final bool) []byte {
	if d.ncarry > 0 {
		// A unit or pair split by the previous piece: decode it joined
		// with this one (a copy of one piece; pieces are bounded).
		src = append(d.carry[:d.ncarry:d.ncarry], src...)
		d.ncarry = 0
	}
	used, dst := d.decodeUnits(dst, src, final)
	d.ncarry = copy(d.carry[:], src[used:])
	return dst
}

// decodeUnits decodes whole code units of src into dst and returns how
// many bytes it consumed; unless final, it stops before a unit or a high
// surrogate that the next piece may complete.
func (d *UTF16Decoder) decodeUnits(dst, src []byte, final bool) (int, []byte) {
	unit := func(i int) rune {
		if d.BigEndian {
			return rune(src[i])<<8 | rune(src[i+1])
		}
		return rune(src[i+1])<<8 | rune(src[i])
	}
	i := 0
	for i+1 < len(src) {
		u := unit(i)
		switch {
		case u < 0x80:
			dst = append(dst, byte(u))
			i += 2
			continue
		case utf16.IsSurrogate(u):
			if u < 0xDC00 { // high surrogate: needs a low one next
				if i+3 < len(src) {
					if r := utf16.DecodeRune(u, unit(i+2)); r != utf8.RuneError {
						dst = utf8.AppendRune(dst, r)
						i += 4
						continue
					}
				} else if !final {
					return i, dst // the pair may continue in the next piece
				}
			}
			dst = utf8.AppendRune(dst, utf8.RuneError)
		default:
			dst = utf8.AppendRune(dst, u)
		}
		i += 2
	}
	if final && i < len(src) {
		dst = utf8.AppendRune(dst, utf8.RuneError) // odd final byte
		i = len(src)
	}
	return i, dst
}

// DecodeUTF16 returns the UTF-8 form of all of src, appended to dst.
func DecodeUTF16(dst, src []byte, bigEndian bool) []byte {
	d := UTF16Decoder{BigEndian: bigEndian}
	return d.Decode(dst, src, true)
}

// LineMapper maps the line numbers git gives for UTF-16 content (git
// counts 0x0A bytes, since it sees the content as bytes) to the lines of
// the decoded text. Built by [NewLineMapper].
type LineMapper struct {
	// decoded[k] is the decoded line that holds the start of raw line k+1.
	decoded []int32
}

// NewLineMapper reads UTF-16 content raw (BOM included or not) and maps
// its 0x0A-byte lines to text lines.
func NewLineMapper(raw []byte, bigEndian bool) *LineMapper {
	m := &LineMapper{decoded: []int32{1}}
	line := int32(1)
	for i := 0; i+1 < len(raw); i += 2 {
		lo, hi := raw[i], raw[i+1]
		if bigEndian {
			lo, hi = hi, lo
		}
		isNL := lo == '\n' && hi == 0
		// Byte by byte, in file order; a raw line starts after each 0x0A.
		for _, b := range raw[i : i+2] {
			if b == '\n' {
				next := line
				if isNL {
					next = line + 1
				}
				m.decoded = append(m.decoded, next)
			}
		}
		if isNL {
			line++
		}
	}
	return m
}

// Line returns the decoded line holding the start of raw line n (1-based);
// lines beyond the content map to the last line.
func (m *LineMapper) Line(n int) int {
	switch {
	case n < 1:
		return 1
	case n > len(m.decoded):
		return int(m.decoded[len(m.decoded)-1])
	}
	return int(m.decoded[n-1])
}
