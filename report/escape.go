package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes text from outside keygate (file names, error messages that
// quote them) safe to print on a terminal: control characters become
// visible escapes (\x1b, \r, \n, \t, \u202e), as do invalid UTF-8 bytes and
// the Unicode controls that reorder or hide text. A file name therefore
// cannot move the cursor, erase a line or start a line of its own (such as
// a forged "keygate: pass"). Every text and Markdown writer passes outside
// text through it; JSON and SARIF get the same guarantee from encoding/json
// and EscapeJSON.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r < 0x80 && unicode.IsControl(r) || unsafeRune(r) {
			return true
		}
		i += size
	}
	return false
}

// unsafeRune is a non-ASCII rune a terminal acts on or that hides or
// reorders the text around it: C1 controls (0x9b is a one-byte CSI on some
// terminals), bidirectional overrides and isolates ("Trojan Source"), line
// and paragraph separators.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}

// EscapeJSON rewrites, in encoded JSON, the characters encoding/json leaves
// raw but a terminal acts on (C1 controls, bidirectional overrides) as
// \u escapes. Outside strings JSON is ASCII, so every such rune is inside
// a string, where \u is its plain JSON spelling: the document decodes to
// the same values.
func EscapeJSON(data []byte) []byte {
	if !needsEscape(string(data)) {
		return data
	}
	out := make([]byte, 0, len(data)+32)
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if unsafeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out
}
