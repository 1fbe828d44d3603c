package rules

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// EncodeFile writes f as a keylint configuration file that [Parse] reads
// back into an equivalent File. The output is deterministic: keys in the
// order of the struct fields, rules and allowlists in slice order, one
// table per rule and allowlist. Fields at their zero value are left out, as
// Parse reads a missing key as zero. Regex-like strings (anything with a
// backslash) are written as literal strings when TOML allows it.
//
// Every exported field with a toml tag is written, so fields added to [File],
// [Rule], [Allowlist] or [Override] need no change here as long as they are
// strings, booleans, numbers, pointers to those, string slices, or slices of
// tables.
func EncodeFile(w io.Writer, f *File) error {
	if f == nil {
		return fmt.Errorf("rules: encode: nil file")
	}
	e := &encoder{}
	if err := e.table(nil, reflect.ValueOf(f).Elem()); err != nil {
		return fmt.Errorf("rules: encode: %w", err)
	}
	_, err := w.Write(e.buf.Bytes())
	return err
}

type encoder struct {
	buf bytes.Buffer
}

// field is one tagged, exported field of a struct.
type field struct {
	key string
	v   reflect.Value
}

func tagged(v reflect.Value) []field {
	var out []field
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		key, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		if key == "" || key == "-" {
			continue
		}
		out = append(out, field{key, v.Field(i)})
	}
	return out
}

// isTableArray reports whether v is a slice of structs or struct pointers,
// written as an array of tables.
func isTableArray(v reflect.Value) bool {
	if v.Kind() != reflect.Slice {
		return false
	}
	el := v.Type().Elem()
	if el.Kind() == reflect.Pointer {
		el = el.Elem()
	}
	return el.Kind() == reflect.Struct
}

// table writes the plain keys of struct v, then its arrays of tables under
// path.
func (e *encoder) table(path []string, v reflect.Value) error {
	fields := tagged(v)
	for _, f := range fields {
		if isTableArray(f.v) || f.v.IsZero() {
			continue
		}
		if err := e.keyValue(f.key, f.v); err != nil {
			return fmt.Errorf("%s: %w", strings.Join(append(path, f.key), "."), err)
		}
	}
	for _, f := range fields {
		if !isTableArray(f.v) {
			continue
		}
		sub := append(path[:len(path):len(path)], f.key)
		header := "[[" + strings.Join(sub, ".") + "]]"
		for i := range f.v.Len() {
			el := f.v.Index(i)
			if el.Kind() == reflect.Pointer {
				if el.IsNil() {
					return fmt.Errorf("%s[%d]: nil entry", strings.Join(sub, "."), i)
				}
				el = el.Elem()
			}
			if e.buf.Len() > 0 {
				e.buf.WriteByte('\n')
			}
			e.buf.WriteString(header + "\n")
			if err := e.table(sub, el); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *encoder) keyValue(key string, v reflect.Value) error {
	s, err := value(v)
	if err != nil {
		return err
	}
	e.buf.WriteString(key + " = " + s + "\n")
	return nil
}

// value renders a TOML value.
func value(v reflect.Value) (string, error) {
	switch v.Kind() {
	case reflect.Pointer:
		return value(v.Elem())
	case reflect.String:
		return tomlString(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return tomlFloat(v.Float()), nil
	case reflect.Slice, reflect.Array:
		items := make([]string, v.Len())
		width := 0
		for i := range items {
			s, err := value(v.Index(i))
			if err != nil {
				return "", err
			}
			items[i] = s
			width += len(s) + 2
		}
		if width <= 80 {
			return "[" + strings.Join(items, ", ") + "]", nil
		}
		return "[\n    " + strings.Join(items, ",\n    ") + ",\n]", nil
	}
	return "", fmt.Errorf("cannot encode a %s", v.Type())
}

func tomlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0" // "3" would be read back as an integer
	}
	return s
}

// tomlString quotes s. Strings with a backslash (regexes, Windows paths)
// become literal strings when TOML allows it: in single quotes, or in
// triple single quotes when they hold a single quote.
func tomlString(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("string %q is not valid UTF-8", s)
	}
	if strings.Contains(s, `\`) && literalSafe(s) {
		if !strings.Contains(s, "'") {
			return "'" + s + "'", nil
		}
		if !strings.Contains(s, "'''") && !strings.HasPrefix(s, "'") && !strings.HasSuffix(s, "'") {
			return "'''" + s + "'''", nil
		}
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f || unprintable(r) {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String(), nil
}

// literalSafe reports whether s can be a one-line TOML literal string: no
// control characters other than tab.
func literalSafe(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f || unprintable(r) {
			return false
		}
	}
	return true
}

// unprintable reports whether r is a character above DEL that a printed
// configuration must not hold raw, as keylint's reports escape it: a C1
// control, a line or paragraph separator, or a bidirectional control
// (which would reorder the text on screen).
func unprintable(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f, r >= 0x2028 && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}
