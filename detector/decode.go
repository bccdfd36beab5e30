package detector

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
)

// Decoding: a secret written base64 (standard or URL-safe), hex,
// percent-encoded or with \uXXXX / \xNN escapes is found by running the
// pattern rules on the decoded text of each encoded segment, to a depth of
// two (percent-encoded base64). A segment lies within one line (none of
// the encodings holds a raw newline) and its findings depend on its bytes
// alone, so decoding keeps the line-local contract of ScanVersion. A
// finding is reported at the encoded text that holds the secret, with the
// encoding named in Finding.Decoded.

// Encoding names, as reports show them.
const (
	EncBase64  = "base64"
	EncHex     = "hex"
	EncPercent = "percent"
	EncEscape  = "escape"
)

// Decoding limits: the shortest runs worth decoding, the longest segment
// decoded, and the nesting depth.
const (
	minBase64Run  = 16
	minHexRun     = 32
	maxSegmentLen = 16 << 10
	maxDecodeDeep = 2
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

// segments finds the encoded segments of buf and decodes those that decode
// to mostly printable text.
func segments(buf []byte, fn func(*segment)) {
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
		if e-s <= maxSegmentLen {
			if g := decodeRun(buf, s, e, end, scratch[:]); g != nil {
				fn(g)
			}
		}
	})
	// Percent-encoding and escapes: the run of non-space, non-quote bytes
	// around each escape, decoded once.
	for _, esc := range []struct {
		lead byte
		enc  string
	}{{'%', EncPercent}, {'\\', EncEscape}} {
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
			for s > 0 && !segmentStop(buf[s-1]) {
				s--
			}
			for e < len(buf) && !segmentStop(buf[e]) {
				e++
			}
			at = e
			if e-s > maxSegmentLen {
				continue
			}
			var g *segment
			if esc.lead == '%' {
				g = unescape(buf, s, e, EncPercent)
			} else {
				g = unescape(buf, s, e, EncEscape)
			}
			if g != nil && printable(g.text) {
				fn(g)
			}
		}
	}
}

// segmentStop ends a percent or escape segment.
func segmentStop(c byte) bool {
	return c <= ' ' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == 0x7f
}

// escapeAt reports whether buf[k] starts an escape: %XX, \uXXXX or \xNN.
func escapeAt(buf []byte, k int, lead byte) bool {
	if lead == '%' {
		return k+2 < len(buf) && hexClass[buf[k+1]] && hexClass[buf[k+2]]
	}
	if k+1 >= len(buf) {
		return false
	}
	switch buf[k+1] {
	case 'u':
		return k+5 < len(buf) && hexClass[buf[k+2]] && hexClass[buf[k+3]] && hexClass[buf[k+4]] && hexClass[buf[k+5]]
	case 'x':
		return k+3 < len(buf) && hexClass[buf[k+2]] && hexClass[buf[k+3]]
	}
	return false
}

// decodeRun decodes a base64 or hex run buf[s:e] (pad: the end with its
// '=' padding): hex when every character is a hex digit, else base64 in
// the alphabet its characters show.
func decodeRun(buf []byte, s, e, pad int, scratch []byte) *segment {
	run := buf[s:e]
	allHex := true
	for _, c := range run {
		if !hexClass[c] {
			allHex = false
			break
		}
	}
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
	std := bytes.ContainsAny(run, "+/")
	url := bytes.ContainsAny(run, "-_")
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

// unescape decodes the percent escapes (enc EncPercent) or the \u and \x
// escapes (EncEscape) of buf[s:e], keeping other bytes, with the offset
// map back to buf.
func unescape(buf []byte, s, e int, enc string) *segment {
	g := &segment{start: s, end: e, enc: enc}
	for i := s; i < e; {
		g.orig = append(g.orig, i)
		switch {
		case enc == EncPercent && buf[i] == '%' && escapeAt(buf[:e], i, '%'):
			g.text = append(g.text, unhex(buf[i+1])<<4|unhex(buf[i+2]))
			i += 3
		case enc == EncEscape && buf[i] == '\\' && escapeAt(buf[:e], i, '\\') && buf[i+1] == 'x':
			g.text = append(g.text, unhex(buf[i+2])<<4|unhex(buf[i+3]))
			i += 4
		case enc == EncEscape && buf[i] == '\\' && escapeAt(buf[:e], i, '\\'):
			r := rune(unhex(buf[i+2]))<<12 | rune(unhex(buf[i+3]))<<8 | rune(unhex(buf[i+4]))<<4 | rune(unhex(buf[i+5]))
			// A character outside Latin-1 cannot be part of a pattern
			// secret; it stands in as a space.
			if r > 0xff {
				r = ' '
			}
			g.text = append(g.text, byte(r))
			// The decoded bytes of a multi-byte character map to its
			// escape's start.
			i += 6
		default:
			g.text = append(g.text, buf[i])
			i++
		}
	}
	g.orig = append(g.orig, e)
	return g
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
	var ferr error
	segments(buf, func(g *segment) {
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
			if m.rule < 0 {
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
