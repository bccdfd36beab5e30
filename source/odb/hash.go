package odb

import (
	"crypto/sha1"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// hashObject is an object's id: the SHA-1 of "type size\0" and its
// content. crypto/sha1 (with the CPU's SHA instructions where it has
// them), not go-git's collision-detecting hasher: this checks that a
// loose object's file holds the object its name says, at a fraction of
// that one's cost. (Packed objects are checked by their index's CRC-32:
// hashing every version of every file was a tenth of a history's CPU.)
func hashObject(t Type, data []byte) plumbing.Hash {
	var head [32]byte
	b := append(head[:0], t.String()...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(data)), 10)
	b = append(b, 0)
	h := sha1.New()
	h.Write(b)
	h.Write(data)
	var id plumbing.Hash
	h.Sum(id[:0])
	return id
}
