package scanner

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/keylint/keylint/internal/textdecode"
	"github.com/keylint/keylint/rules"
)

// DefaultWindow is how much decoded content one matcher pass sees: larger
// files are read in windows of this size, overlapping by twice the
// longest match extent of the rules, so memory is bounded by the window
// and not by the file.
const DefaultWindow = 8 << 20

// rawChunk is how much undecoded UTF-16 is read at a time.
const rawChunk = 64 << 10

// origin places a piece of scanned text in its file, so that findings
// report the file's own lines and columns.
type origin struct {
	// line is the number of lines before the piece; col the number of
	// bytes of the piece's first line that come before it.
	line, col int
	// raw and runs are set for the printable strings of binary content:
	// text offsets map through runs to offsets of raw, whose newlines
	// count the lines.
	raw  []byte
	runs []textdecode.Run
	// Raw position cache: line and line start at offset at.
	at, atLine, atStart int
}

// advance moves the origin past skipped, the part of the piece that the
// next piece no longer holds.
func (o *origin) advance(skipped []byte) {
	n := bytes.Count(skipped, []byte{'\n'})
	if n == 0 {
		o.col += len(skipped)
		return
	}
	o.line += n
	o.col = len(skipped) - (bytes.LastIndexByte(skipped, '\n') + 1)
}

// shift turns a line and column within the piece into the file's.
func (o *origin) shift(line, col int) (int, int) {
	if line == 1 {
		col += o.col
	}
	return line + o.line, col
}

// rawPos returns the piece-relative line and column of a raw offset.
func (o *origin) rawPos(off int) (int, int) {
	if off < o.at {
		o.at, o.atLine, o.atStart = 0, 1, 0
	}
	if o.atLine == 0 {
		o.atLine = 1
	}
	seg := o.raw[o.at:off]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		o.atLine += n
		o.atStart = o.at + bytes.LastIndexByte(seg, '\n') + 1
	}
	o.at = off
	return o.atLine, off - o.atStart + 1
}

// rawOffset maps an offset of the strings text to the raw content; a
// separator maps to the next string's start.
func (o *origin) rawOffset(textOff int) int {
	if r := textdecode.Offset(o.runs, textOff); r >= 0 {
		return r
	}
	if r := textdecode.Offset(o.runs, textOff+1); r >= 0 {
		return r
	}
	return 0
}

// locateRun locates a secret of the strings text in the raw content.
func (o *origin) locateRun(start, end int) Location {
	rs := o.rawOffset(start)
	re := textdecode.Offset(o.runs, max(start, end-1))
	if re < rs {
		re = rs
	}
	line, col := o.shift(o.rawPos(rs))
	eline, ecol := o.shift(o.rawPos(re))
	return Location{Line: line, Column: col, EndLine: eline, EndColumn: ecol + 1}
}

// window is one piece of an item being scanned: text (decoded, or the
// printable strings of binary content) and which of its matches belong to
// it. Matches whose start lies in (lo, hi] of the piece belong here (lo
// -1 for the first piece); the others belong to a neighbouring piece,
// which sees them whole.
type window struct {
	text   []byte
	org    *origin
	binary bool
	lo, hi int
}

// scanState carries what one item's windows share.
type scanState struct {
	it       Item
	r        *itemResult
	seenFile map[string]bool // path-rule findings, reported once per item
	// text and runs are the strings of the last binary window.
	text []byte
	runs []textdecode.Run
	// keepMatches is set when the item's matches are kept in the
	// result (see ItemResult.Matches).
	keepMatches bool
}

// scanWindow matches one window and adds its located hits.
func (s *Scanner) scanWindow(st *scanState, w window) {
	m := s.m
	if w.binary {
		m = s.m.Distinctive()
	}
	matches := m.FindPath(st.it.Path, w.text, &st.r.stats)
	kept := matches[:0]
	for _, mt := range matches {
		if mt.File {
			if st.seenFile[mt.Rule.ID] {
				continue
			}
			if st.seenFile == nil {
				st.seenFile = map[string]bool{}
			}
			st.seenFile[mt.Rule.ID] = true
			kept = append(kept, mt)
			continue
		}
		pos := mt.Start
		if w.binary {
			pos = w.org.rawOffset(mt.SecretStart)
		}
		if pos > w.lo && pos <= w.hi {
			kept = append(kept, mt)
		}
	}
	if st.keepMatches {
		st.r.matches = append(st.r.matches, kept...)
	}
	st.r.hits = append(st.r.hits, s.locateIn(st.it, w.text, kept, st.r.silence, w.org)...)
}

// scanContent scans content read whole (a blob, a staged file): text as
// it is, UTF-16 and UTF-8 with a BOM decoded, binary content through its
// printable strings.
func (s *Scanner) scanContent(it Item, data []byte, r *itemResult, depth int, b *budget) {
	r.bytes = int64(len(data))
	st := &scanState{it: it, r: r}
	enc := textdecode.Sniff(data)
	text := data
	switch enc {
	case textdecode.UTF8BOM:
		text = data[textdecode.BOMLen(enc, data):]
	case textdecode.UTF16LE, textdecode.UTF16BE:
		be := enc == textdecode.UTF16BE
		if it.Added != nil {
			st.it.Added = remapAdded(it.Added, textdecode.NewLineMapper(data, be))
		}
		text = textdecode.DecodeUTF16(make([]byte, 0, len(data)*3/4+4), data[textdecode.BOMLen(enc, data):], be)
		s.noteBuf(cap(text))
	case textdecode.Binary:
		if zipMagic(data) && depth < maxArchiveDepth && s.scanZip(it, bytes.NewReader(data), int64(len(data)), depth, b, r) {
			return
		}
		if gzipMagic(data) && depth < maxArchiveDepth {
			if zr, err := gzip.NewReader(bytes.NewReader(data)); err == nil {
				s.scanGzip(it, zr, depth, b, r)
				return
			}
		}
		s.scanBinary(st, data, &origin{}, -1, len(data))
		return
	}
	st.keepMatches = depth == 0 && enc == textdecode.UTF8
	s.scanWindow(st, window{text: text, lo: -1, hi: len(text)})
}

// scanBinary scans the printable strings of raw, a piece of binary
// content, with the distinctive rules; path rules that need no content
// run once per item.
func (s *Scanner) scanBinary(st *scanState, raw []byte, org *origin, lo, hi int) {
	if st.seenFile == nil {
		st.seenFile = map[string]bool{}
		for _, mt := range s.m.FindFile(st.it.Path, &st.r.stats) {
			st.seenFile[mt.Rule.ID] = true
			st.r.hits = append(st.r.hits, s.Locate(st.it, nil, []rules.Match{mt}, st.r.silence)...)
		}
	}
	text, runs := textdecode.Strings(st.text[:0], st.runs[:0], raw, textdecode.MinRun)
	st.text, st.runs = text, runs // reused by the next window
	s.noteBuf(cap(text))
	org.raw, org.runs, org.at, org.atLine, org.atStart = raw, runs, 0, 1, 0
	s.scanWindow(st, window{text: text, org: org, binary: true, lo: lo, hi: hi})
	org.raw, org.runs = nil, nil
}

// remapAdded turns the added lines git reports for UTF-16 content (lines
// of 0x0A bytes) into lines of the decoded text.
func remapAdded(added []LineRange, m *textdecode.LineMapper) []LineRange {
	out := make([]LineRange, 0, len(added))
	for _, a := range added {
		out = append(out, LineRange{Start: m.Line(a.Start), End: m.Line(a.End)})
	}
	return out
}

// streamReader turns a content stream into scanned text: UTF-8 as it is,
// UTF-16 decoded, binary content raw (its strings are taken per window).
type streamReader struct {
	src   io.Reader
	enc   textdecode.Encoding
	dec   textdecode.UTF16Decoder
	chunk []byte
	eof   bool
	n     int64 // raw bytes read
	// noteBuf records a grown buffer (see Scanner.noteBuf).
	noteBuf func(int)
}

// fill appends to buf until it holds at least want bytes or the stream
// ends; it reports the end.
func (sr *streamReader) fill(buf []byte, want int) ([]byte, error) {
	for len(buf) < want && !sr.eof {
		if sr.enc != textdecode.UTF16LE && sr.enc != textdecode.UTF16BE {
			if len(buf) == cap(buf) {
				// Sized for a smaller file than the one read (it grew).
				buf = append(buf[:cap(buf)], make([]byte, min(want, 2*cap(buf)+rawChunk)-cap(buf))...)[:len(buf)]
				sr.noteBuf(cap(buf))
			}
			k, err := sr.src.Read(buf[len(buf):min(want, cap(buf))])
			buf = buf[:len(buf)+k]
			sr.n += int64(k)
			if err == io.EOF {
				sr.eof = true
			} else if err != nil {
				return buf, err
			}
			continue
		}
		k, err := sr.src.Read(sr.chunk)
		sr.n += int64(k)
		if err == io.EOF {
			sr.eof = true
		} else if err != nil {
			return buf, err
		}
		buf = sr.dec.Decode(buf, sr.chunk[:k], sr.eof)
	}
	return buf, nil
}

// scanStream scans an item that can be opened as a stream: it sniffs the
// first bytes, then reads and matches the content window by window, so
// memory stays bounded by the window whatever the file's size.
func (s *Scanner) scanStream(it Item, bp *[]byte, r *itemResult, depth int, b *budget) {
	rc, err := it.Open()
	if err != nil {
		var se *SkipError
		if errors.As(err, &se) {
			r.skipped = se.Reason
			return
		}
		r.warning = err
		return
	}
	defer rc.Close()
	limit := s.opt.MaxFileSize
	src := io.LimitReader(rc, limit+1)

	// The window, plus room for what one decoded chunk adds past it; a
	// file of known size smaller than that gets a buffer to its measure.
	size := s.window + 2*rawChunk
	if it.Size >= 0 {
		size = min(size, int(it.Size)*3/2+textdecode.SniffLen+2*rawChunk)
	}
	buf := *bp
	if cap(buf) < size {
		buf = make([]byte, 0, size)
	}
	buf = buf[:0]
	s.noteBuf(cap(buf))
	defer func() {
		if cap(buf) <= 4*DefaultMaxFileSize {
			*bp = buf[:0]
		}
	}()

	head, err := io.ReadFull(src, buf[:min(textdecode.SniffLen, cap(buf))])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		r.warning = fmt.Errorf("cannot read: %w", err)
		return
	}
	enc := textdecode.Sniff(buf[:head])
	var read []byte // read past head to look for an archive
	if enc == textdecode.Binary && zipMagic(buf[:head]) && depth < maxArchiveDepth {
		var done bool
		if done, read = s.scanStreamedZip(it, rc, buf[:head], depth, b, r); done {
			return
		}
	}
	if enc == textdecode.Binary && gzipMagic(buf[:head]) && depth < maxArchiveDepth {
		// The inflated stream is the item; the compressed bytes count
		// against the size limit as they are read.
		rec := &recorder{r: io.MultiReader(bytes.NewReader(append([]byte(nil), buf[:head]...)), src), on: true}
		zr, err := gzip.NewReader(rec)
		if err == nil {
			rec.on, rec.buf = false, nil
			s.scanGzip(it, zr, depth, b, r)
			r.bytes = max(it.Size, int64(head))
			return
		}
		// Not gzip after all: read on from what the header reader took.
		read = rec.buf[min(head, len(rec.buf)):]
	}
	sr := &streamReader{src: src, enc: enc, n: int64(head), eof: head < textdecode.SniffLen, noteBuf: s.noteBuf}
	if len(read) > 0 {
		sr.src, sr.n = io.MultiReader(bytes.NewReader(read), src), sr.n-int64(len(read))
	}
	buf = buf[:head]
	switch enc {
	case textdecode.UTF8BOM:
		buf = buf[:copy(buf, buf[textdecode.BOMLen(enc, buf):])]
	case textdecode.UTF16LE, textdecode.UTF16BE:
		sr.dec.BigEndian = enc == textdecode.UTF16BE
		sr.chunk = make([]byte, rawChunk)
		// Decode the sniffed bytes in place: the decoder writes no faster
		// than it reads, except for a final U+FFFD, so copy them first.
		raw := append(make([]byte, 0, head), buf[textdecode.BOMLen(enc, buf):]...)
		buf = sr.dec.Decode(buf[:0], raw, sr.eof)
	}

	st := &scanState{it: it, r: r}
	org := &origin{}
	binary := enc == textdecode.Binary
	overlap := s.overlap
	if binary {
		overlap = s.binOverlap
	}
	step := s.window - overlap
	lo := -1
	for {
		buf, err = sr.fill(buf, s.window)
		if err != nil {
			r.warning = fmt.Errorf("cannot read past byte %d: %w", sr.n, err)
			return
		}
		if sr.n > limit {
			// Only an unsized stream gets here (a sized item is skipped
			// before reading): what was read is scanned, the rest is not.
			r.skipped = "too-large"
		}
		last := sr.eof || sr.n > limit
		hi := len(buf)
		if !last {
			hi = overlap/2 + step
		}
		if binary {
			s.scanBinary(st, buf, org, lo, hi)
		} else {
			s.scanWindow(st, window{text: buf, org: org, lo: lo, hi: hi})
		}
		if last {
			break
		}
		org.advance(buf[:step])
		buf = buf[:copy(buf, buf[step:])]
		lo = overlap / 2
	}
	r.bytes = sr.n
	if r.skipped != "" {
		r.bytes = 0
	}
}

// noteBuf records the largest buffer an item scan allocated (for the
// memory bound test).
func (s *Scanner) noteBuf(n int) {
	for {
		cur := s.peakBuf.Load()
		if int64(n) <= cur || s.peakBuf.CompareAndSwap(cur, int64(n)) {
			return
		}
	}
}
