package report

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sanitize makes s safe to print on a terminal. It replaces every character
// that could move the cursor, start an escape sequence, break the line or
// reorder the text with a visible escape, and leaves everything else alone:
//
//   - C0 controls (U+0000-U+001F, including TAB, LF, CR and ESC) and DEL
//     become \xNN, e.g. "\x1B";
//   - bytes that are not valid UTF-8 become \xNN too;
//   - C1 controls (U+0080-U+009F), the line and paragraph separators
//     U+2028 and U+2029, and the bidirectional controls (U+061C, U+200E,
//     U+200F, U+202A-U+202E, U+2066-U+2069) become \u{NNNN}, e.g. "\u{202E}".
//
// Backslashes are not escaped, so the result is for display and is not
// meant to be unescaped. Sanitize returns s itself when nothing needs
// escaping.
func Sanitize(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < utf8.RuneSelf && unsafeRune(r):
			b.WriteString(`\x`)
			writeHex(&b, uint32(s[i]), 2)
		case unsafeRune(r):
			b.WriteString(`\u{`)
			writeHex(&b, uint32(r), 4)
			b.WriteByte('}')
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// firstUnsafe returns the byte index of the first character of s that
// [Sanitize] escapes, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeRune(rune(c)) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeRune reports whether r is a control, separator or bidirectional
// formatting character that must not reach a terminal as is.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7F: // C0 controls, DEL
		return true
	case r >= 0x80 && r <= 0x9F: // C1 controls, including CSI (U+009B)
		return true
	case r == 0x061C, r == 0x200E, r == 0x200F: // ALM, LRM, RLM
		return true
	case r >= 0x2028 && r <= 0x202E: // LS, PS, LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	}
	return false
}

// writeHex writes v in upper-case hexadecimal, zero-padded to width digits.
func writeHex(b *strings.Builder, v uint32, width int) {
	h := strings.ToUpper(strconv.FormatUint(uint64(v), 16))
	for n := len(h); n < width; n++ {
		b.WriteByte('0')
	}
	b.WriteString(h)
}

// SafeLineStart makes s safe to print at the start of a line in a CI log:
// a line that starts (after white space) with "::" or "##[" is a workflow
// command to GitHub Actions, so a crafted file name could fake an
// annotation, mask a value or stop command processing. Such a value gets a
// "./" prefix, which keeps a path meaning the same file.
func SafeLineStart(s string) string {
	t := strings.TrimLeft(s, " \t")
	if strings.HasPrefix(t, "::") || strings.HasPrefix(t, "##[") {
		return "./" + s
	}
	return s
}
