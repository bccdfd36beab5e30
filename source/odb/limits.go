package odb

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// Limits bound what one read may cost, whatever a pack or loose object
// claims: nothing is allocated for an object before its claimed size is
// checked against them and against the bytes that could hold it.
type Limits struct {
	// MaxObject is the largest object read whole, in bytes (0: 1 GiB). A
	// bigger one is a *TooLargeError; a large binary one is still
	// recognised from its first bytes (ReadOrSkip) without being read.
	MaxObject int64
	// MaxDepth bounds the objects a delta chain passes through, across
	// packs (0: 10,000; git writes 50 by default and 4,095 at most).
	MaxDepth int
	// MaxResolve bounds the bytes one read may inflate or rebuild along a
	// delta chain, across packs (0: 8 times MaxObject): a chain of deltas
	// that each rebuild a big object costs at most this much work.
	MaxResolve int64
}

// DefaultMaxObject is the largest object read whole when Limits leaves it
// unset.
const DefaultMaxObject = 1 << 30

func (l Limits) withDefaults() Limits {
	if l.MaxObject <= 0 {
		l.MaxObject = DefaultMaxObject
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = 10_000
	}
	if l.MaxResolve <= 0 {
		l.MaxResolve = 8 * l.MaxObject
	}
	return l
}

// TooLargeError reports an object, or a delta on the way to it, whose
// size is over Limits.MaxObject: it was not read, and so not scanned.
type TooLargeError struct {
	ID   plumbing.Hash // the object asked for
	Size int64         // the size its pack or loose file claims
	Max  int64         // the limit it is over
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("object %s is %d bytes, over the %d-byte maximum object size: skipped as too large", e.ID, e.Size, e.Max)
}
