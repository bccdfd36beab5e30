// Package content decides what a file or blob holds and opens it down to
// the text to scan: the one step every scan mode runs before the detector
// (working-tree files, staged and history blobs, standard input).
//
// Invariants: every byte is read or the walk returns an error. Compressed
// streams (gzip, bzip2, xz, zstd) and archives (zip, tar) are recognised
// by their magic bytes, whatever the name, and opened to a bounded depth;
// UTF-16 (with or without a byte-order mark) is transcoded to UTF-8 and a
// UTF-8 byte-order mark dropped; a file is binary only when a real share
// of its bytes are not text, and a binary's printable runs are still
// scanned. Exceeding a Limit is a *LimitError, never a skip.
package content

import (
	"bytes"
	"unicode/utf8"
)

// Kind is what the start of a stream says it is.
type Kind int

// Kinds of content.
const (
	Text    Kind = iota // text, read as it is
	UTF8BOM             // UTF-8 text after a byte-order mark
	UTF16LE             // UTF-16, little-endian (with or without a BOM)
	UTF16BE             // UTF-16, big-endian (with or without a BOM)
	Binary              // not text: its printable runs are scanned
	Gzip
	Bzip2
	Xz
	Zstd
	Zip
	Tar
)

var kindNames = [...]string{"text", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "binary", "gzip", "bzip2", "xz", "zstd", "zip", "tar"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Plain reports whether the kind is UTF-8 text whose lines are the
// stream's own lines (after dropping BOMLen bytes).
func (k Kind) Plain() bool { return k == Text || k == UTF8BOM }

// BOMLen is the length of the byte-order mark that starts a stream of
// this kind (only UTF8BOM has one to drop; UTF-16's is handled by the
// transcoder).
func (k Kind) BOMLen() int {
	if k == UTF8BOM {
		return 3
	}
	return 0
}

// SniffLen is how much of a stream Sniff looks at (as git's binary
// check; a tar header's magic sits at byte 257).
const SniffLen = 8000

// binaryShare is the share of non-text bytes (control characters other
// than whitespace and escape, invalid UTF-8) from which a stream is
// binary: a text file with a stray NUL stays text; compressed or machine
// data, where about half the bytes fail, is binary.
const binaryShare = 0.10

var (
	magicGzip = []byte{0x1f, 0x8b}
	magicXz   = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	magicZstd = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicZip  = []byte("PK\x03\x04")
	emptyZip  = []byte("PK\x05\x06")
)

// Sniff tells what a stream is from its first bytes (up to SniffLen).
func Sniff(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, magicGzip) && len(head) > 2 && head[2] == 8: // deflate, the only method
		return Gzip
	case isBzip2(head):
		return Bzip2
	case bytes.HasPrefix(head, magicXz):
		return Xz
	case bytes.HasPrefix(head, magicZstd):
		return Zstd
	case bytes.HasPrefix(head, magicZip) || bytes.HasPrefix(head, emptyZip):
		return Zip
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return Tar
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		return UTF8BOM
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}) && !bytes.HasPrefix(head, []byte{0xff, 0xfe, 0, 0}):
		return UTF16LE
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return UTF16BE
	}
	if bytes.IndexByte(head, 0) < 0 {
		// The common case, on fast paths: no NUL rules out UTF-16 of
		// ASCII, and valid UTF-8 without NUL is text (a NUL-free binary
		// is not valid UTF-8).
		if utf8.Valid(head[:validPrefix(head)]) {
			return Text
		}
	} else if k, ok := utf16Shape(head); ok {
		return k
	}
	if nonText(head) > binaryShare*float64(len(head)) {
		return Binary
	}
	return Text
}

// validPrefix is len(head) less a UTF-8 sequence its end may have cut.
func validPrefix(head []byte) int {
	for i := len(head) - 1; i >= 0 && i >= len(head)-utf8.UTFMax; i-- {
		if utf8.RuneStart(head[i]) {
			if !utf8.FullRune(head[i:]) {
				return i
			}
			break
		}
	}
	return len(head)
}

// isBzip2 checks the stream header and the magic of its first block (or
// of the end of an empty stream), so a text starting "BZh" is not one.
func isBzip2(head []byte) bool {
	if len(head) < 10 || string(head[:3]) != "BZh" || head[3] < '1' || head[3] > '9' {
		return false
	}
	block := string(head[4:10])
	return block == "1AY&SY" || block == "\x17rE8P\x90"
}

// utf16Shape recognises UTF-16 text without a BOM: in most code units
// one byte is zero (the high byte of an ASCII character) and the other
// is text.
func utf16Shape(head []byte) (Kind, bool) {
	n := len(head) / 2
	if n < 2 {
		return Text, false
	}
	var zeroEven, zeroOdd, textEven, textOdd int
	for i := 0; i+1 < len(head); i += 2 {
		a, b := head[i], head[i+1]
		switch {
		case a == 0 && b != 0:
			zeroEven++
			if isTextByte(b) {
				textOdd++
			}
		case b == 0 && a != 0:
			zeroOdd++
			if isTextByte(a) {
				textEven++
			}
		}
	}
	switch {
	case zeroOdd*10 >= n*7 && zeroEven*10 < n && textEven*10 >= zeroOdd*9:
		return UTF16LE, true
	case zeroEven*10 >= n*7 && zeroOdd*10 < n && textOdd*10 >= zeroEven*9:
		return UTF16BE, true
	}
	return Text, false
}

// textBytes are the ASCII bytes of text: printable, whitespace, escape.
var textBytes = func() (t [256]bool) {
	for b := 0x20; b < 0x7f; b++ {
		t[b] = true
	}
	for _, b := range []byte{'\t', '\n', '\v', '\f', '\r', 0x1b} {
		t[b] = true
	}
	return t
}()

func isTextByte(b byte) bool { return textBytes[b] }

// nonText counts the bytes of head that are not text: ASCII control
// characters other than whitespace and escape, and bytes of invalid
// UTF-8 (a sequence cut by the end of head is not counted).
func nonText(head []byte) float64 {
	bad := 0
	for i := 0; i < len(head); {
		b := head[i]
		if b < utf8.RuneSelf {
			if !textBytes[b] {
				bad++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size == 1 {
			if len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				break
			}
			bad++
		}
		i += size
	}
	return float64(bad)
}
