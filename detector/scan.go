package detector

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Stream chunking: a file of any size is scanned in chunkSize pieces, each
// read with chunkOverlap bytes of context on both sides: look-behind (the
// end of the chunk before, already reported) and look-ahead (the start of
// the next, reported there). A chunk reports the matches whose secret
// starts in its own bytes, so a secret is reported once, and found
// whatever its place: a rule's whole match (keyword and context included,
// as far back as its line or a multi-line rule's window reaches) lies in
// one buffer when it is no longer than the overlap. A match longer than
// the overlap, or a keyword further than it from its secret on one line,
// could be cut; no rule's match comes near that length (the longest, a
// private key block, is a few KB; multilineBack and multilineFwd are
// within it).
const (
	chunkSize    = 4 << 20
	chunkOverlap = 64 << 10
)

// ChunkSize is the size of a stream chunk, for tests of the chunk edge
// in every mode.
const ChunkSize = chunkSize

// bufPool holds chunk buffers: look-behind, chunk, look-ahead.
var bufPool = sync.Pool{New: func() any {
	b := make([]byte, 0, chunkSize+chunkOverlap)
	return &b
}}

// Scan finds secrets in data, labelled with path for rules limited by paths.
// Offsets, lines and columns are relative to data.
func (d *Detector) Scan(data []byte, path string) (out []Finding, err error) {
	defer guard(&err)
	enterInput(path)
	_, err = d.scanChunks(bytes.NewReader(data), path, everything, nil, func(f Finding) { out = append(out, f) })
	return out, err
}

// ScanReader streams r through the detector in bounded memory, calling fn
// for each finding in order. It returns the number of bytes read.
func (d *Detector) ScanReader(r io.Reader, path string, fn func(Finding)) (n int64, err error) {
	defer guard(&err)
	enterInput(path)
	return d.scanChunks(r, path, everything, nil, fn)
}

// position tracks line numbers across chunks.
type position struct {
	base      int64 // stream offset of the current buffer's first byte
	line      int   // 1-based line of the current buffer's first byte
	lineStart int64 // stream offset where that line starts
	// lineCols counts that line's text from lineStart to base, when the
	// line began in an earlier chunk: columns count characters, not bytes.
	lineCols textColumns
}

// textColumns counts text in the two units a column is given in: Unicode
// code points (report and text output) and UTF-16 code units (SARIF for
// GitHub code scanning).
type textColumns struct{ points, utf16 int }

// add counts the UTF-8 text b: one code point per byte that does not
// continue a sequence (so a sequence split across chunks is counted once),
// and a second UTF-16 unit for each 4-byte sequence (a surrogate pair).
func (c textColumns) add(b []byte) textColumns {
	for _, x := range b {
		if x&0xC0 != 0x80 {
			c.points++
			c.utf16++
			if x >= 0xF0 {
				c.utf16++
			}
		}
	}
	return c
}

func (d *Detector) scanChunks(r io.Reader, path string, m matchers, nonLocal *bool, fn func(Finding)) (int64, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := (*bp)[:0]
	active := d.activeRules(path, m)
	pos := position{line: 1}
	var total int64
	// from is where this chunk's own bytes start in buf (what comes
	// before is the look-behind); lead counts the base64-class bytes
	// before buf[0] of a run that buf starts inside, which a decoder
	// needs to align on the run's units.
	from, lead := 0, 0
	for {
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		total += int64(n)
		final := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !final {
			return total, fmt.Errorf("read at byte %d: %w", total, err)
		}
		limit := len(buf)
		if !final {
			limit = len(buf) - chunkOverlap
		}
		ms, ferr := d.find(buf, active, m, nonLocal)
		if ferr == nil {
			ms, ferr = d.findDecodedAt(ms, buf, lead, active, 0, forScan)
		}
		if ferr == nil {
			ms, _, ferr = d.findJoined(ms, buf, nil, active, forScan, nil, nil)
		}
		if ferr != nil {
			return total, ferr
		}
		ms = d.resolve(ms, buf, forScan)
		d.emit(ms, buf, from, limit, final, &pos, fn)
		if final {
			return total, nil
		}
		// The next buffer starts chunkOverlap before this chunk's end.
		keep := limit - chunkOverlap
		lead = runLead(buf, keep, lead)
		pos.line += bytes.Count(buf[:keep], []byte{'\n'})
		if i := bytes.LastIndexByte(buf[:keep], '\n'); i >= 0 {
			pos.lineStart = pos.base + int64(i) + 1
			pos.lineCols = textColumns{}.add(buf[i+1 : keep])
		} else {
			pos.lineCols = pos.lineCols.add(buf[:keep])
		}
		pos.base += int64(keep)
		buf = buf[:copy(buf, buf[keep:])]
		from = limit - keep
	}
}

// runLead is, for a buffer about to start at buf[at], how many bytes of a
// base64-class run lie before it (0 when buf[at] starts no run's middle);
// lead is that count for buf[0].
func runLead(buf []byte, at, lead int) int {
	if at == 0 || !b64Class[buf[at]] {
		return 0
	}
	i := at
	for i > 0 && b64Class[buf[i-1]] {
		i--
	}
	if i == 0 {
		return lead + at
	}
	return at - i
}

// emit positions and reports the matches that belong to this chunk: those
// starting in buf[from:limit] (earlier ones were reported by the chunk
// before, later ones are found again in the next chunk).
func (d *Detector) emit(ms []rawMatch, buf []byte, from, limit int, final bool, pos *position, fn func(Finding)) {
	line, lineStart, at := pos.line, pos.lineStart, 0
	for _, m := range ms {
		if m.start < from || m.start >= limit || (!final && m.end >= len(buf)) {
			continue
		}
		line += bytes.Count(buf[at:m.start], []byte{'\n'})
		if i := bytes.LastIndexByte(buf[at:m.start], '\n'); i >= 0 {
			lineStart = pos.base + int64(at+i) + 1
		}
		at = m.start
		f := Finding{
			Start:   pos.base + int64(m.start),
			End:     pos.base + int64(m.end),
			Line:    line,
			Secret:  m.secret,
			EnvName: m.envName,
			Allowed: m.allowed,
			Decoded: m.decoded,
			Source:  SourcePattern,
		}
		var cols textColumns
		if lineStart >= pos.base {
			cols = cols.add(buf[lineStart-pos.base : m.start])
		} else {
			cols = pos.lineCols.add(buf[:m.start])
		}
		f.Column, f.ColumnUTF16 = cols.points+1, cols.utf16+1
		if m.rule >= 0 {
			r := d.rules[m.rule].rule
			f.RuleID, f.Severity = r.ID, r.Severity
		} else {
			f.RuleID, f.Severity, f.Source = KnownValueRuleID, KnownValueSeverity, SourceKnownValue
		}
		fn(f)
	}
}

// MatchRule reports whether rule id alone finds a secret in text, ignoring
// its path limits. It runs a rule's examples for `keygate rules test`.
func (d *Detector) MatchRule(id, text string) (found bool, err error) {
	defer guard(&err)
	enterInput("")
	i, ok := d.byID[id]
	if !ok {
		return false, fmt.Errorf("no rule %q", id)
	}
	_, err = d.scanChunks(bytes.NewReader([]byte(text)), "", oneRule(i), nil, func(f Finding) {
		if f.Allowed == "" {
			found = true
		}
	})
	return found, err
}

// Span is a secret's place in a buffer and the text that replaces it.
type Span struct {
	Start, End  int
	Replacement string // the masked form shown in its place
}

// Spans finds every secret in buf for redaction: all rules apply whatever
// the path, inline allows are ignored (a redactor masks everything), values
// of a placeholder shape are masked too (only the pack's declared
// placeholders are left), and
// overlapping matches are resolved to one span each, sorted by start.
func (d *Detector) Spans(buf []byte) (_ []Span, err error) {
	defer guard(&err)
	enterInput("")
	ms, err := d.find(buf, nil, everything, nil)
	if err == nil {
		ms, err = d.findDecoded(ms, buf, nil, 0, forRedact)
	}
	if err != nil {
		return nil, err
	}
	ms = d.resolve(ms, buf, forRedact)
	out := make([]Span, 0, len(ms))
	for _, m := range ms {
		out = append(out, Span{Start: m.start, End: m.end, Replacement: Mask(m.secret)})
	}
	return out, nil
}
