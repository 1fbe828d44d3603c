package history

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// maxConfigSize is the largest repository configuration file read.
const maxConfigSize = 16 << 20

// configEntry is one setting of a git configuration file: section and
// name lower-cased, the subsection as written; a name without "=" has
// noValue set (git reads it as true).
type configEntry struct {
	section, sub, name, value string
	noValue                   bool
}

// repoConfig is a repository's own configuration file, its settings in
// file order. Includes are not followed and no other file (the user's or
// the system's) is read: only what the repository itself says about its
// format decides how it is read.
type repoConfig []configEntry

// get returns the last value of section.name (subsection sub).
func (c repoConfig) get(section, sub, name string) string {
	for i := len(c) - 1; i >= 0; i-- {
		if e := c[i]; e.section == section && e.sub == sub && e.name == name {
			if e.noValue {
				return "true"
			}
			return e.value
		}
	}
	return ""
}

// readRepoConfig reads the configuration file path; a missing one is an
// empty configuration.
func readRepoConfig(path string) (repoConfig, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, maxConfigSize>>20)
	}
	return parseConfig(data)
}

// parseConfig parses a git configuration file as git does: [section],
// [section "subsection"] and the old [section.subsection] headers, name =
// value lines, "#" and ";" comments, quoted values with \" \\ \n \t \b
// escapes, and lines continued by a final backslash. Anything else is an
// error naming its line.
func parseConfig(data []byte) (repoConfig, error) {
	p := &configParser{data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), line: 1}
	var out repoConfig
	var section, sub string
	for {
		c, ok := p.next()
		if !ok {
			return out, nil
		}
		switch {
		case c == '\n' || c == ' ' || c == '\t' || c == '\r':
		case c == '#' || c == ';':
			p.skipLine()
		case c == '[':
			var err error
			if section, sub, err = p.header(); err != nil {
				return nil, err
			}
		case isAlpha(c):
			// git reads a setting before any section too.
			e, err := p.entry(c)
			if err != nil {
				return nil, err
			}
			e.section, e.sub = section, sub
			out = append(out, e)
		default:
			return nil, p.errorf("unexpected %q", c)
		}
	}
}

// configParser reads a configuration file byte by byte.
type configParser struct {
	data []byte
	pos  int
	line int
}

func (p *configParser) next() (byte, bool) {
	if p.pos == len(p.data) {
		return 0, false
	}
	c := p.data[p.pos]
	p.pos++
	if c == '\n' {
		p.line++
	}
	return c, true
}

func (p *configParser) peek() (byte, bool) {
	if p.pos == len(p.data) {
		return 0, false
	}
	return p.data[p.pos], true
}

func (p *configParser) skipLine() {
	for c, ok := p.next(); ok && c != '\n'; c, ok = p.next() {
	}
}

func (p *configParser) errorf(format string, args ...any) error {
	return fmt.Errorf("bad configuration line %d: %s", p.line, fmt.Sprintf(format, args...))
}

// header reads a section header after its "[".
func (p *configParser) header() (section, sub string, err error) {
	var name []byte
	for {
		c, ok := p.next()
		switch {
		case !ok || c == '\n':
			return "", "", p.errorf("unterminated section header")
		case c == ']':
			s := strings.ToLower(string(name))
			if s == "" {
				return "", "", p.errorf("empty section name")
			}
			// The old form [section.subsection]: the subsection is
			// lower-cased, as git does.
			if i := strings.IndexByte(s, '.'); i >= 0 {
				return s[:i], s[i+1:], nil
			}
			return s, "", nil
		case c == ' ' || c == '\t':
			if len(name) == 0 {
				return "", "", p.errorf("empty section name")
			}
			sub, err := p.subsection()
			return strings.ToLower(string(name)), sub, err
		case isAlnum(c) || c == '-' || c == '.':
			name = append(name, c)
		default:
			return "", "", p.errorf("unexpected %q in a section name", c)
		}
	}
}

// subsection reads ` "subsection"]` after a section name.
func (p *configParser) subsection() (string, error) {
	c, ok := p.next()
	for ok && (c == ' ' || c == '\t') {
		c, ok = p.next()
	}
	if c != '"' {
		return "", p.errorf("a subsection must be quoted")
	}
	var sub []byte
	for {
		c, ok := p.next()
		switch {
		case !ok || c == '\n':
			return "", p.errorf("unterminated subsection")
		case c == '"':
			if c, ok := p.next(); !ok || c != ']' {
				return "", p.errorf("expected ] after the subsection")
			}
			return string(sub), nil
		case c == '\\':
			c, ok = p.next()
			if !ok || c == '\n' {
				return "", p.errorf("unterminated subsection")
			}
			sub = append(sub, c)
		default:
			sub = append(sub, c)
		}
	}
}

// entry reads a setting whose name starts with first.
func (p *configParser) entry(first byte) (configEntry, error) {
	name := []byte{first}
	for c, ok := p.peek(); ok && (isAlnum(c) || c == '-'); c, ok = p.peek() {
		name = append(name, c)
		p.pos++
	}
	e := configEntry{name: strings.ToLower(string(name))}
	c, ok := p.peek()
	for ok && (c == ' ' || c == '\t') {
		p.pos++
		c, ok = p.peek()
	}
	switch {
	case !ok || c == '\n' || c == '\r' && p.pos+1 < len(p.data) && p.data[p.pos+1] == '\n':
		e.noValue = true
		return e, nil
	case c == '#' || c == ';':
		e.noValue = true
		p.skipLine()
		return e, nil
	case c != '=':
		return e, p.errorf("unexpected %q after %s", c, e.name)
	}
	p.pos++
	v, err := p.value()
	e.value = v
	return e, err
}

// value reads a setting's value after its "=", to the end of its line.
func (p *configParser) value() (string, error) {
	var v []byte
	quoted := false
	trim := 0 // length of v without the unquoted white space at its end
	for {
		c, ok := p.next()
		if !ok || c == '\n' {
			if quoted {
				return "", p.errorf("unterminated quoted value")
			}
			return string(v[:trim]), nil
		}
		switch {
		case c == '\r' && !quoted:
			if n, ok := p.peek(); ok && n == '\n' {
				continue
			}
			return "", p.errorf("unexpected carriage return")
		case (c == ' ' || c == '\t') && !quoted:
			if len(v) > 0 {
				v = append(v, c)
			}
			continue
		case (c == '#' || c == ';') && !quoted:
			p.skipLine()
			return string(v[:trim]), nil
		case c == '"':
			quoted = !quoted
		case c == '\\':
			c, ok = p.next()
			switch {
			case !ok:
				return string(v), nil // as git: the end of the file ends the line
			case c == '\n':
				continue // a continued line
			case c == 'n':
				v = append(v, '\n')
			case c == 't':
				v = append(v, '\t')
			case c == 'b':
				v = append(v, '\b')
			case c == '\\' || c == '"':
				v = append(v, c)
			default:
				return "", p.errorf("unknown escape \\%c", c)
			}
		default:
			v = append(v, c)
		}
		trim = len(v)
	}
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || '0' <= c && c <= '9' }
