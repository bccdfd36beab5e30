package source

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// gitIndex is what a staged scan needs of git's index: its entries and the
// cached-tree extension (TREE), which names the tree ids of directories
// whose entries have not changed since git last wrote a tree.
type gitIndex struct {
	Version uint32
	Entries []indexEntry
	// Tree is the cached tree of the root; nil when the index has none.
	Tree *cachedTree
}

// indexEntry is one entry of the index.
type indexEntry struct {
	Name         string
	Hash         plumbing.Hash
	Mode         filemode.FileMode
	Stage        int
	IntentToAdd  bool
	SkipWorktree bool
}

// cachedTree is a directory of the TREE extension. Entries is the number of
// index entries it covers, -1 when git invalidated it (then Hash is zero).
type cachedTree struct {
	Name     string
	Entries  int
	Hash     plumbing.Hash
	Children []*cachedTree
}

// ErrIndexCorrupt is wrapped by every error reading a malformed index.
var ErrIndexCorrupt = errors.New("corrupt git index")

const (
	indexEntryHeader = 62 // times, ids, mode, size, object id, flags
	indexExtended    = 0x4000
	indexNameMask    = 0xfff
	indexIntentToAdd = 1 << 13
	indexSkipWork    = 1 << 14
)

// errIndexFallback tells decodeIndex that the index uses what this reader
// leaves to go-git's decoder (a split index's link extension, a sparse
// index's directory entries, other mandatory extensions, a resolve-undo or
// end-of-entries extension, a cached tree this reader finds malformed):
// rather than guess at their meaning, go-git decodes such an index.
var errIndexFallback = errors.New("index feature left to go-git")

// decodeIndex reads an index held whole in memory (versions 2 to 4). It
// verifies the trailing SHA-1 checksum and bounds every allocation by the
// bytes left; corrupt input is an error, never a panic.
func decodeIndex(data []byte) (*gitIndex, error) {
	idx, err := parseIndex(data)
	if errors.Is(err, errIndexFallback) {
		return decodeIndexGoGit(data)
	}
	return idx, err
}

// decodeIndexGoGit decodes with go-git's decoder, for the features
// parseIndex leaves to it.
func decodeIndexGoGit(data []byte) (*gitIndex, error) {
	var gi index.Index
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(&gi); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrIndexCorrupt, err)
	}
	return fromGoGitIndex(&gi), nil
}

// fromGoGitIndex converts go-git's index, leaving out its cached tree: the
// staged scan then walks all of HEAD.
func fromGoGitIndex(gi *index.Index) *gitIndex {
	idx := &gitIndex{Version: gi.Version, Entries: make([]indexEntry, len(gi.Entries))}
	for i, e := range gi.Entries {
		idx.Entries[i] = indexEntry{Name: e.Name, Hash: e.Hash, Mode: e.Mode, Stage: int(e.Stage),
			IntentToAdd: e.IntentToAdd, SkipWorktree: e.SkipWorktree}
	}
	return idx
}

func corrupt(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrIndexCorrupt, fmt.Sprintf(format, a...))
}

func parseIndex(data []byte) (*gitIndex, error) {
	if len(data) < 12+sha1.Size {
		return nil, corrupt("%d bytes, shorter than a header and checksum", len(data))
	}
	if string(data[:4]) != "DIRC" {
		return nil, corrupt("no index signature")
	}
	body := data[:len(data)-sha1.Size]
	if sum := sha1.Sum(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, corrupt("checksum mismatch")
	}
	idx := &gitIndex{Version: binary.BigEndian.Uint32(data[4:])}
	if idx.Version < 2 || idx.Version > 4 {
		return nil, corrupt("unsupported version %d", idx.Version)
	}
	count := binary.BigEndian.Uint32(data[8:])
	pos := 12
	if uint64(count) > uint64(len(body)-pos)/indexEntryHeader {
		return nil, corrupt("%d entries claimed in %d bytes", count, len(body)-pos)
	}
	idx.Entries = make([]indexEntry, 0, count)
	var last string
	for i := uint32(0); i < count; i++ {
		e, n, err := parseIndexEntry(body[pos:], idx.Version, last)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		if e.Mode == filemode.Dir {
			return nil, errIndexFallback // a sparse index's directory entry
		}
		idx.Entries = append(idx.Entries, e)
		last = e.Name
		pos += n
	}
	for pos < len(body) {
		if len(body)-pos < 8 {
			return nil, corrupt("%d stray bytes before the checksum", len(body)-pos)
		}
		sig := string(body[pos : pos+4])
		size := binary.BigEndian.Uint32(body[pos+4:])
		pos += 8
		if uint64(size) > uint64(len(body)-pos) {
			return nil, corrupt("extension %q of %d bytes, %d left", sig, size, len(body)-pos)
		}
		ext := body[pos : pos+int(size)]
		pos += int(size)
		switch {
		case sig == "TREE":
			t, err := parseCachedTree(ext)
			if err != nil {
				return nil, err
			}
			idx.Tree = t
		case sig == "REUC" || sig == "EOIE" || sig[0] < 'A' || sig[0] > 'Z':
			// go-git checks the resolve-undo and end-of-entries
			// extensions' contents and refuses every mandatory one (a
			// split index's "link", a sparse index's "sdir"): it decides.
			return nil, errIndexFallback
		}
		// Other optional extensions (untracked cache, fsmonitor) are skipped.
	}
	return idx, nil
}

// parseIndexEntry reads the entry at the start of b and returns it and its
// length on disk. last is the previous entry's name (version 4 compresses a
// name against it).
func parseIndexEntry(b []byte, version uint32, last string) (indexEntry, int, error) {
	var e indexEntry
	if len(b) < indexEntryHeader {
		return e, 0, corrupt("truncated entry")
	}
	e.Mode = filemode.FileMode(binary.BigEndian.Uint32(b[24:]))
	copy(e.Hash[:], b[40:60])
	flags := binary.BigEndian.Uint16(b[60:])
	e.Stage = int(flags>>12) & 3
	n := indexEntryHeader
	if flags&indexExtended != 0 {
		if len(b) < n+2 {
			return e, 0, corrupt("truncated entry")
		}
		ext := binary.BigEndian.Uint16(b[n:])
		e.IntentToAdd = ext&indexIntentToAdd != 0
		e.SkipWorktree = ext&indexSkipWork != 0
		n += 2
	}
	if version == 4 {
		strip, w, err := indexVarint(b[n:])
		if err != nil {
			return e, 0, err
		}
		n += w
		if strip > uint64(len(last)) {
			return e, 0, corrupt("name strips %d bytes of a %d-byte previous name", strip, len(last))
		}
		end := bytes.IndexByte(b[n:], 0)
		if end < 0 {
			return e, 0, corrupt("unterminated name")
		}
		e.Name = last[:len(last)-int(strip)] + string(b[n:n+end])
		return e, n + end + 1, nil // no padding in version 4
	}
	nameLen := int(flags & indexNameMask)
	if nameLen == indexNameMask {
		// A name of 0xfff bytes or more: its NUL ends it.
		if nameLen = bytes.IndexByte(b[n:], 0); nameLen < 0 {
			return e, 0, corrupt("unterminated name")
		}
	} else if len(b)-n < nameLen {
		return e, 0, corrupt("name of %d bytes, %d left", nameLen, len(b)-n)
	}
	e.Name = string(b[n : n+nameLen])
	// Entries are NUL-padded to a multiple of 8 bytes (1 to 8 NULs).
	size := n + nameLen + 8 - (n+nameLen)%8
	if size > len(b) {
		return e, 0, corrupt("truncated entry padding")
	}
	return e, size, nil
}

// indexVarint reads git's offset varint (varint.c): each continuation adds
// one before shifting, so every value has a single encoding.
func indexVarint(b []byte) (uint64, int, error) {
	if len(b) == 0 {
		return 0, 0, corrupt("truncated name")
	}
	c := b[0]
	v := uint64(c & 0x7f)
	i := 1
	for c&0x80 != 0 {
		if i >= len(b) {
			return 0, 0, corrupt("truncated name")
		}
		if v >= (1<<63-0x7f)>>7 {
			return 0, 0, corrupt("name strip length overflows")
		}
		c = b[i]
		i++
		v = (v+1)<<7 + uint64(c&0x7f)
	}
	return v, i, nil
}

// parseCachedTree reads the TREE extension: directories in pre-order, each
// "name\0count subtrees\n" and, when count is not negative, its tree id.
// It is read iteratively (a crafted index can nest deeply). Anything it
// finds malformed leaves the index to go-git, whose decoder is laxer here.
func parseCachedTree(b []byte) (*cachedTree, error) {
	if len(b) == 0 {
		return nil, nil
	}
	type open struct {
		t    *cachedTree
		left int // subtrees still to read
	}
	var root *cachedTree
	var stack []open
	for len(b) > 0 {
		nul := bytes.IndexByte(b, 0)
		if nul < 0 {
			return nil, errIndexFallback
		}
		t := &cachedTree{Name: string(b[:nul])}
		b = b[nul+1:]
		sp := bytes.IndexByte(b, ' ')
		if sp < 0 {
			return nil, errIndexFallback
		}
		entries, err := strconv.Atoi(string(b[:sp]))
		if err != nil || entries < -1 || !isDecimal(b[:sp]) {
			return nil, errIndexFallback
		}
		b = b[sp+1:]
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 {
			return nil, errIndexFallback
		}
		subtrees, err := strconv.Atoi(string(b[:nl]))
		if err != nil || subtrees < 0 || !isDecimal(b[:nl]) || subtrees > len(b)/4 {
			return nil, errIndexFallback
		}
		b = b[nl+1:]
		t.Entries = entries
		if entries >= 0 {
			if len(b) < len(t.Hash) {
				return nil, errIndexFallback
			}
			copy(t.Hash[:], b)
			b = b[len(t.Hash):]
		}
		if root == nil {
			root = t
		} else {
			if len(stack) == 0 {
				return nil, errIndexFallback // more than one root
			}
			top := &stack[len(stack)-1]
			top.t.Children = append(top.t.Children, t)
			top.left--
		}
		for len(stack) > 0 && stack[len(stack)-1].left == 0 {
			stack = stack[:len(stack)-1]
		}
		if subtrees > 0 {
			stack = append(stack, open{t, subtrees})
		} else if len(stack) == 0 && len(b) > 0 {
			return nil, errIndexFallback // bytes after the root's last subtree
		}
	}
	if len(stack) > 0 {
		return nil, errIndexFallback // subtrees promised, not written
	}
	return root, nil
}

// isDecimal reports whether s is an optional '-' and digits, as git writes.
func isDecimal(s []byte) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
