package detector

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
)

// Decoding: a secret written base64 (standard or URL-safe), hex,
// percent-encoded, with string escapes (\uXXXX, \xNN, octal \NNN) or
// HTML character references is found by running the pattern rules on the
// decoded text of each encoded segment, to a depth of three (base64 of
// base64 of base64, percent-encoded base64 of hex). A base64, hex or
// percent segment is a run of its encoding; an escape or HTML segment is
// the whole line around its escapes, so that the context a rule needs
// (the variable's name, quoted in JSON) is decoded with the value. A
// segment lies within one line (none of the encodings holds a raw
// newline) and its findings depend on its bytes alone, so decoding keeps
// the line-local contract of ScanVersion. A segment of any length is
// decoded in windows of maxSegmentLen that overlap by decodeOverlap, so
// memory stays bounded and a secret (with its context) up to the overlap
// long is decoded whole in one of them. A finding is reported at the
// encoded text that holds the secret, with the encoding named in
// Finding.Decoded.

// Encoding names, as reports show them.
const (
	EncBase64  = "base64"
	EncHex     = "hex"
	EncPercent = "percent"
	EncEscape  = "escape"
	EncHTML    = "html"
)

// Decoding limits: the shortest runs worth decoding, the window a long
// segment is decoded in and the overlap of consecutive windows (both
// multiples of 4, so base64 windows stay on the run's units), and the
// nesting depth.
const (
	minBase64Run  = 16
	minHexRun     = 32
	maxSegmentLen = 16 << 10
	decodeOverlap = 4 << 10
	maxDecodeDeep = 3
)

// segment is one encoded run of buf and its decoded bytes.
type segment struct {
	start, end int // in buf
	enc        string
	text       []byte
	// orig maps a decoded offset (0..len(text)) to a buf offset, for the
	// encodings whose units have no fixed width; nil for base64 and hex.
	orig []int
}

// span maps a decoded span [s,e) back to the encoded bytes of buf that
// hold it.
func (g *segment) span(s, e int) (int, int) {
	switch {
	case g.orig != nil:
		return g.orig[s], g.orig[e]
	case g.enc == EncHex:
		return g.start + 2*s, g.start + 2*e
	}
	return g.start + s*4/3, min(g.end, g.start+(e*4+2)/3)
}

var (
	b64Class [256]bool // base64 and base64url characters, without padding
	hexClass [256]bool
)

func init() {
	for _, c := range []byte(b64Std[:64] + "-_") {
		b64Class[c] = true
	}
	for _, c := range []byte("0123456789abcdefABCDEF") {
		hexClass[c] = true
	}
}

// windows calls fn with the windows [ws,we) a segment [s,e) is decoded
// in: itself when it is short, else maxSegmentLen pieces overlapping by
// decodeOverlap, the last ending at e.
func windows(s, e int, fn func(ws, we int)) {
	for ws := s; ; ws += maxSegmentLen - decodeOverlap {
		we := min(e, ws+maxSegmentLen)
		fn(ws, we)
		if we == e {
			return
		}
	}
}

// segments finds the encoded segments of buf and decodes those that decode
// to mostly printable text. fn must not keep a segment: its buffers are
// reused. lead is how many base64-class bytes of a run
// that buf starts inside lie before buf[0] (a stream chunk's look-behind
// may start mid-run): the run's first whole unit is then further on.
func segments(buf []byte, lead int, fn func(*segment)) {
	// Most runs (digests, ids) decode to binary: they are decoded here
	// first, and copied out only when they are text.
	var scratch [1024]byte
	// Base64 and hex (its alphabet is within base64's): maximal runs of
	// at least minBase64Run, with their padding.
	classRuns(buf, &b64Class, minBase64Run, func(s, e int) {
		end := e
		for end < len(buf) && end-e < 2 && buf[end] == '=' {
			end++
		}
		allHex := true
		for _, c := range buf[s:e] {
			if !hexClass[c] {
				allHex = false
				break
			}
		}
		unit := 4
		if allHex {
			unit = 2
		}
		if s == 0 && lead%unit != 0 {
			s += unit - lead%unit
		}
		windows(s, e, func(ws, we int) {
			pad := we
			if we == e {
				pad = end
			}
			if g := decodeRun(buf, ws, we, pad, allHex, scratch[:]); g != nil {
				fn(g)
			}
		})
	})
	// Percent-encoding: the run of non-space, non-quote bytes around each
	// escape. Escapes and HTML references: the line around them. Their
	// decoded windows are decoded into one buffer and map, reused.
	var reuse segment
	for _, esc := range []struct {
		lead byte
		enc  string
	}{{'%', EncPercent}, {'\\', EncEscape}, {'&', EncHTML}} {
		for at := 0; at < len(buf); {
			k := bytes.IndexByte(buf[at:], esc.lead)
			if k < 0 {
				break
			}
			k += at
			if !escapeAt(buf, k, esc.lead) {
				at = k + 1
				continue
			}
			s, e := k, k
			if esc.enc == EncPercent {
				for s > 0 && !segmentStop(buf[s-1]) {
					s--
				}
				for e < len(buf) && !segmentStop(buf[e]) {
					e++
				}
			} else {
				s = bytes.LastIndexByte(buf[:k], '\n') + 1
				e = len(buf)
				if i := bytes.IndexByte(buf[k:], '\n'); i >= 0 {
					e = k + i
				}
			}
			at = e
			windows(s, e, func(ws, we int) {
				if g := unescape(&reuse, buf, ws, we, esc.enc); printable(g.text) {
					fn(g)
				}
			})
		}
	}
}

// segmentStop ends a percent segment.
func segmentStop(c byte) bool {
	return c <= ' ' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == 0x7f
}

// escapeAt reports whether buf[k] starts an escape: %XX, \uXXXX, \xNN,
// \NNN (octal, at most \377) or an HTML character reference (&#NN;,
// &#xNN; or a named one).
func escapeAt(buf []byte, k int, lead byte) bool {
	switch lead {
	case '%':
		return k+2 < len(buf) && hexClass[buf[k+1]] && hexClass[buf[k+2]]
	case '&':
		_, n := htmlRef(buf[k:])
		return n > 0
	}
	if k+1 >= len(buf) {
		return false
	}
	switch c := buf[k+1]; {
	case c == 'u':
		return k+5 < len(buf) && hexClass[buf[k+2]] && hexClass[buf[k+3]] && hexClass[buf[k+4]] && hexClass[buf[k+5]]
	case c == 'x':
		return k+3 < len(buf) && hexClass[buf[k+2]] && hexClass[buf[k+3]]
	case c >= '0' && c <= '3':
		return k+3 < len(buf) && octal(buf[k+2]) && octal(buf[k+3])
	}
	return false
}

func octal(c byte) bool { return c >= '0' && c <= '7' }

// htmlNamed are the named references a credential or its context holds.
var htmlNamed = map[string]byte{"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "sol": '/', "equals": '=', "num": '#', "plus": '+', "percnt": '%', "colon": ':', "nbsp": ' '}

// htmlRef decodes the HTML character reference b starts with: its byte
// (a character outside Latin-1 stands in as a space) and length, or a
// length of 0 when b starts none.
func htmlRef(b []byte) (byte, int) {
	if len(b) < 3 || b[0] != '&' {
		return 0, 0
	}
	end := bytes.IndexByte(b[:min(len(b), 12)], ';')
	if end < 2 {
		return 0, 0
	}
	body := b[1:end]
	if body[0] != '#' {
		c, ok := htmlNamed[string(body)]
		if !ok {
			return 0, 0
		}
		return c, end + 1
	}
	digits, base := body[1:], 10
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, 0
	}
	r := 0
	for _, c := range digits {
		switch {
		case c >= '0' && c <= '9':
		case base == 16 && hexClass[c]:
		default:
			return 0, 0
		}
		r = r*base + int(unhex(c))
		if r > 0x10ffff {
			return 0, 0
		}
	}
	if r > 0xff {
		r = ' '
	}
	return byte(r), end + 1
}

// decodeRun decodes a base64 or hex run buf[s:e] (pad: the end with its
// '=' padding): hex when every character of the whole run is a hex digit
// (allHex), else base64 in the alphabet its characters show.
func decodeRun(buf []byte, s, e, pad int, allHex bool, scratch []byte) *segment {
	run := buf[s:e]
	if allHex {
		// A hex digest or id decodes to binary: only long runs can hold
		// text, and a run of digits alone is a number.
		if len(run) < minHexRun || digitsOnly(run) {
			return nil
		}
		n := len(run) &^ 1
		out := into(scratch, n/2)
		if _, err := hex.Decode(out, run[:n]); err != nil || !printable(out) {
			return nil
		}
		return &segment{start: s, end: s + n, enc: EncHex, text: bytes.Clone(out)}
	}
	if len(run) < minBase64Run {
		return nil
	}
	// Which alphabet, in one pass (ContainsAny builds its set each call).
	std, url := false, false
	for _, c := range run {
		switch c {
		case '+', '/':
			std = true
		case '-', '_':
			url = true
		}
	}
	if std && url {
		return nil
	}
	enc := base64.RawStdEncoding
	if url {
		enc = base64.RawURLEncoding
	}
	n := len(run)
	if n%4 == 1 {
		n-- // a lone trailing character encodes no whole byte
	}
	out := into(scratch, enc.DecodedLen(n))
	m, err := enc.Decode(out, run[:n])
	if err != nil || !printable(out[:m]) {
		return nil
	}
	return &segment{start: s, end: max(e, pad), enc: EncBase64, text: bytes.Clone(out[:m])}
}

func digitsOnly(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// into is scratch[:n] when it fits, else a new buffer.
func into(scratch []byte, n int) []byte {
	if n <= len(scratch) {
		return scratch[:n]
	}
	return make([]byte, n)
}

// unescape decodes the percent escapes (enc EncPercent), the string
// escapes (EncEscape) or the HTML character references (EncHTML) of
// buf[s:e], keeping other bytes, with the offset map back to buf, into g,
// whose buffers it reuses (a window of a long line is 16 KB of text and
// 128 KB of map, grown byte by byte before).
func unescape(g *segment, buf []byte, s, e int, enc string) *segment {
	g.start, g.end, g.enc = s, e, enc
	if cap(g.text) < e-s {
		g.text, g.orig = make([]byte, 0, e-s), make([]int, 0, e-s+1)
	}
	g.text, g.orig = g.text[:0], g.orig[:0]
	seg := buf[:e]
	for i := s; i < e; {
		g.orig = append(g.orig, i)
		c := seg[i]
		switch {
		case enc == EncPercent && c == '%' && escapeAt(seg, i, '%'):
			g.text = append(g.text, unhex(seg[i+1])<<4|unhex(seg[i+2]))
			i += 3
		case enc == EncHTML && c == '&':
			b, n := htmlRef(seg[i:])
			if n == 0 {
				g.text = append(g.text, c)
				i++
				continue
			}
			g.text = append(g.text, b)
			i += n
		case enc == EncEscape && c == '\\' && i+1 < e:
			b, n := unescapeOne(seg, i)
			g.text = append(g.text, b)
			i += n
		default:
			g.text = append(g.text, c)
			i++
		}
	}
	g.orig = append(g.orig, e)
	return g
}

// unescapeOne decodes the string escape at seg[i] (a backslash): \uXXXX,
// \xNN, octal \NNN, and \\, \/, \n, \r and \t; any other backslash is
// kept as it is. It returns the byte and the escape's length.
func unescapeOne(seg []byte, i int) (byte, int) {
	if escapeAt(seg, i, '\\') {
		switch c := seg[i+1]; c {
		case 'u':
			r := rune(unhex(seg[i+2]))<<12 | rune(unhex(seg[i+3]))<<8 | rune(unhex(seg[i+4]))<<4 | rune(unhex(seg[i+5]))
			// A character outside Latin-1 cannot be part of a pattern
			// secret; it stands in as a space.
			if r > 0xff {
				r = ' '
			}
			return byte(r), 6
		case 'x':
			return unhex(seg[i+2])<<4 | unhex(seg[i+3]), 4
		default:
			return (c-'0')<<6 | (seg[i+2]-'0')<<3 | (seg[i+3] - '0'), 4
		}
	}
	switch seg[i+1] {
	case '\\', '/':
		return seg[i+1], 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	}
	return '\\', 1
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// printable reports whether b is text: at least 90% printable ASCII or
// whitespace. Decoded binary is never scanned.
func printable(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	bad := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7f {
			bad++
		}
	}
	return bad*10 <= len(b)
}

// findDecoded runs the rules of active (nil: all) on the decoded text of
// buf's encoded segments, and on segments nested in those up to
// maxDecodeDeep, and appends the filtered matches, placed on the encoded
// bytes of buf, to out. Known values are not searched there: their
// encoded forms are keywords of their own.
func (d *Detector) findDecoded(out []rawMatch, buf []byte, active []bool, depth int, p purpose) ([]rawMatch, error) {
	return d.findDecodedAt(out, buf, 0, active, depth, p)
}

// controlBytes reports a decoded value holding a control byte other than
// tab and line breaks: no credential does, and a format string read as
// percent-encoding does (`bg_%032x` decodes %03 to 0x03).
func controlBytes(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return true
		}
	}
	return false
}

// findDecodedAt is findDecoded on a buffer that starts lead bytes into a
// base64-class run (see segments).
func (d *Detector) findDecodedAt(out []rawMatch, buf []byte, lead int, active []bool, depth int, p purpose) ([]rawMatch, error) {
	var ferr error
	segments(buf, lead, func(g *segment) {
		if ferr != nil {
			return
		}
		ms, err := d.find(g.text, active, rulesOnly, nil)
		if err == nil && depth+1 < maxDecodeDeep {
			ms, err = d.findDecoded(ms, g.text, active, depth+1, p)
		}
		if err != nil {
			ferr = err
			return
		}
		for _, m := range d.filter(ms, g.text, p) {
			if m.rule < 0 || controlBytes(m.secret) {
				continue
			}
			s, e := g.span(m.start, m.end)
			if e <= s {
				continue
			}
			enc := g.enc
			if m.decoded != "" {
				enc += "+" + m.decoded
			}
			out = append(out, rawMatch{start: s, end: e, rank: m.rank, rule: m.rule,
				secret: string(buf[s:e]), decoded: enc})
		}
	})
	return out, ferr
}
