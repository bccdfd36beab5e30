// Package affix measures what two byte strings share at their start and
// at their end. A history scan compares each tree and each file version
// with the one before it, where most bytes are shared: the comparison runs
// a block at a time (bytes.Equal is vectorised), then a word at a time,
// then a byte at a time.
package affix

import (
	"bytes"
	"encoding/binary"
)

// block is how many bytes are compared at once before the last block.
const block = 256

// Prefix is the length of the longest prefix a and b share.
func Prefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+block <= n && bytes.Equal(a[i:i+block], b[i:i+block]) {
		i += block
	}
	for i+8 <= n && binary.LittleEndian.Uint64(a[i:]) == binary.LittleEndian.Uint64(b[i:]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// Suffix is the length of the longest suffix a and b share.
func Suffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+block <= n && bytes.Equal(a[len(a)-i-block:len(a)-i], b[len(b)-i-block:len(b)-i]) {
		i += block
	}
	for i+8 <= n && binary.LittleEndian.Uint64(a[len(a)-i-8:]) == binary.LittleEndian.Uint64(b[len(b)-i-8:]) {
		i += 8
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}
