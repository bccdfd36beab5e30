package source

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keygate/keygate/internal/affix"
	"github.com/keygate/keygate/source/odb"
)

// gitWalker reads commits and trees through one object reader, keeping
// the raw trees it read last: a history walk reads a tree once however
// many nearby commits share it; the staged scan reads HEAD's tree with it.
type gitWalker struct {
	repo     *Repo
	rd       *odb.Reader
	boundary map[plumbing.Hash]bool // shallow boundary commits
	trees    treeCache
}

// maxTreeBytes bounds the raw trees kept in memory.
const maxTreeBytes = 16 << 20

// treeCache keeps recently used raw trees in two generations: when the
// young one fills half the budget it becomes the old one and the old one
// is dropped; a tree found in the old one moves back to the young. It
// approximates an LRU at the cost of two map lookups.
type treeCache struct {
	young, old map[plumbing.Hash][]byte
	youngBytes int
}

func (c *treeCache) get(h plumbing.Hash) ([]byte, bool) {
	if t, ok := c.young[h]; ok {
		return t, true
	}
	if t, ok := c.old[h]; ok {
		c.put(h, t)
		return t, true
	}
	return nil, false
}

func (c *treeCache) put(h plumbing.Hash, t []byte) {
	if c.young == nil {
		c.young = map[plumbing.Hash][]byte{}
	}
	c.young[h] = t
	if c.youngBytes += len(t); c.youngBytes > maxTreeBytes/2 {
		c.old, c.young, c.youngBytes = c.young, map[plumbing.Hash][]byte{}, 0
	}
}

func (w *gitWalker) tree(h plumbing.Hash) ([]byte, error) {
	if t, ok := w.trees.get(h); ok {
		return t, nil
	}
	typ, data, err := w.rd.Read(h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	if typ != odb.Tree {
		return nil, fmt.Errorf("read tree %s: it is a %s", h, typ)
	}
	w.trees.put(h, data)
	return data, nil
}

// treeEntry is one entry of a raw tree; name and hash point into it.
type treeEntry struct {
	mode uint32
	name []byte
	hash []byte
}

func (e treeEntry) isDir() bool  { return e.mode&0o170000 == 0o040000 }
func (e treeEntry) isFile() bool { return e.mode&0o170000 == 0o100000 }

// isContent: a regular file or a symbolic link, whose blob (the link's
// target) is text a scan reads: a committed link's target can be a key.
func (e treeEntry) isContent() bool { return e.isFile() || e.mode&0o170000 == 0o120000 }

// nextEntry parses the entry at the start of a raw tree: "mode name\0"
// and 20 bytes of hash.
func nextEntry(t []byte) (treeEntry, []byte, error) {
	var e treeEntry
	i := 0
	for ; i < len(t) && t[i] != ' '; i++ {
		if t[i] < '0' || t[i] > '7' || i > 7 {
			return e, nil, errors.New("bad tree entry mode")
		}
		e.mode = e.mode<<3 | uint32(t[i]-'0')
	}
	nul := bytes.IndexByte(t[min(i, len(t)):], 0)
	if i == 0 || i >= len(t) || nul < 2 || i+nul+21 > len(t) {
		return e, nil, errors.New("truncated tree entry")
	}
	e.name = t[i+1 : i+nul]
	e.hash = t[i+nul+1 : i+nul+21]
	return e, t[i+nul+21:], nil
}

// compareEntries orders entries as git sorts a tree: by name, a
// directory's name taken as ending in "/".
func compareEntries(a, b treeEntry) int {
	n := min(len(a.name), len(b.name))
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	end := func(e treeEntry) byte {
		if len(e.name) > n {
			return e.name[n]
		}
		if e.isDir() {
			return '/'
		}
		return 0
	}
	ca, cb := end(a), end(b)
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

// diffTrees calls fn for every file or symbolic link added or changed
// from the tree oldH (zero: nothing) to newH, with the blob it replaced
// (zero: none), descending only into subtrees whose hash changed. It walks
// both sorted entry lists side by side. Deletions add nothing; submodules
// hold no text.
func (w *gitWalker) diffTrees(oldH, newH plumbing.Hash, prefix string, fn func(path string, blob, old plumbing.Hash)) error {
	if oldH == newH {
		return nil
	}
	nt, err := w.tree(newH)
	if err != nil {
		return err
	}
	var ot []byte
	if !oldH.IsZero() {
		if ot, err = w.tree(oldH); err != nil {
			return err
		}
	}
	// Versions of a tree mostly share their first and last entries: skip
	// the identical leading entries without parsing them, and stop once
	// the rest of both trees is identical.
	if skip := entryBoundary(nt, affix.Prefix(nt, ot)); skip > 0 {
		nt, ot = nt[skip:], ot[skip:]
	}
	var o treeEntry
	haveOld := false
	for len(nt) > 0 {
		if !haveOld && bytes.Equal(nt, ot) {
			break
		}
		var e treeEntry
		if e, nt, err = nextEntry(nt); err != nil {
			return fmt.Errorf("tree %s: %w", newH, err)
		}
		// Advance the old tree up to e: entries before it were deleted.
		var match *treeEntry
		for {
			if !haveOld {
				if len(ot) == 0 {
					break
				}
				if o, ot, err = nextEntry(ot); err != nil {
					return fmt.Errorf("tree %s: %w", oldH, err)
				}
				haveOld = true
			}
			c := compareEntries(o, e)
			if c < 0 {
				haveOld = false
				continue
			}
			if c == 0 {
				match = &o
				haveOld = false
			}
			break
		}
		if match != nil && match.mode == e.mode && bytes.Equal(match.hash, e.hash) {
			continue
		}
		switch {
		case e.isDir():
			var oh plumbing.Hash
			if match != nil && match.isDir() {
				copy(oh[:], match.hash)
			}
			var nh plumbing.Hash
			copy(nh[:], e.hash)
			if err := w.diffTrees(oh, nh, prefix+string(e.name)+"/", fn); err != nil {
				return err
			}
		case e.isContent():
			var blob, old plumbing.Hash
			copy(blob[:], e.hash)
			if match != nil && match.isContent() {
				copy(old[:], match.hash)
			}
			fn(prefix+string(e.name), blob, old)
		}
	}
	return nil
}

// entryBoundary is the end of the last whole entry of raw tree t that
// lies within its first n bytes.
func entryBoundary(t []byte, n int) int {
	at := 0
	for {
		nul := bytes.IndexByte(t[at:min(n, len(t))], 0)
		if nul < 0 || at+nul+21 > n {
			return at
		}
		at += nul + 21
	}
}

// files calls fn for every file of the tree h (regular, executable or
// symlink; not submodules), with its path.
func (w *gitWalker) files(h plumbing.Hash, prefix string, fn func(string, treeEntry)) error {
	t, err := w.tree(h)
	if err != nil {
		return err
	}
	for len(t) > 0 {
		var e treeEntry
		if e, t, err = nextEntry(t); err != nil {
			return fmt.Errorf("tree %s: %w", h, err)
		}
		switch {
		case e.isDir():
			var sub plumbing.Hash
			copy(sub[:], e.hash)
			if err := w.files(sub, prefix+string(e.name)+"/", fn); err != nil {
				return err
			}
		case e.isContent():
			fn(prefix+string(e.name), e)
		}
	}
	return nil
}
