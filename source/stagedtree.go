package source

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// headFiles is HEAD's tree as the staged scan compares the index with it:
// its files by path, less the directories the index's cached tree (TREE
// extension) shows unchanged. A cached directory whose tree id equals
// HEAD's at the same path holds exactly HEAD's entries there: git commits
// that very tree from the cached one, so nothing under it is new to the
// commit, and neither HEAD's subtree nor its index entries need reading.
type headFiles struct {
	w     *gitWalker
	files map[string]headEntry
	// skipped: the unchanged directories by path with a trailing slash
	// ("" for the root), whose files are not in files.
	skipped map[string]*skippedTree
}

type skippedTree struct {
	hash    plumbing.Hash
	entries int  // index entries the cached tree says it covers
	walked  bool // read into files after all (the index disagreed)
}

func (w *gitWalker) headFiles(root plumbing.Hash, cache *cachedTree) (*headFiles, error) {
	hf := &headFiles{w: w, files: map[string]headEntry{}, skipped: map[string]*skippedTree{}}
	if cache != nil && cache.Entries >= 0 && cache.Hash == root {
		hf.skipped[""] = &skippedTree{hash: root, entries: cache.Entries}
		return hf, nil
	}
	return hf, hf.walk(root, "", cache)
}

func (hf *headFiles) add(path string, e treeEntry) {
	var h plumbing.Hash
	copy(h[:], e.hash)
	hf.files[path] = headEntry{h, filemode.FileMode(e.mode)}
}

// walk reads HEAD's tree h at prefix into files, skipping the
// subdirectories that ct (the cached tree at prefix, nil if none) shows
// unchanged.
func (hf *headFiles) walk(h plumbing.Hash, prefix string, ct *cachedTree) error {
	if ct == nil {
		return hf.w.files(h, prefix, hf.add)
	}
	t, err := hf.w.tree(h)
	if err != nil {
		return err
	}
	var children map[string]*cachedTree
	if len(ct.Children) > 0 {
		children = make(map[string]*cachedTree, len(ct.Children))
		for _, c := range ct.Children {
			children[c.Name] = c
		}
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
			path := prefix + string(e.name) + "/"
			c := children[string(e.name)]
			if c != nil && c.Entries >= 0 && c.Hash == sub {
				hf.skipped[path] = &skippedTree{hash: sub, entries: c.Entries}
				continue
			}
			if err := hf.walk(sub, path, c); err != nil {
				return err
			}
		case e.isContent():
			hf.add(prefix+string(e.name), e)
		}
	}
	return nil
}

// unchanged returns how many index entries from entries[i] on lie in a
// directory the cached tree shows unchanged: 0 when entries[i] is in none.
// The run is trusted only as the index confirms it: exactly the cached
// count of entries under the directory, each of a mode git writes;
// otherwise HEAD's directory is read after all and 0 returned, so the
// entries are compared one by one.
func (hf *headFiles) unchanged(entries []indexEntry, i int) (int, error) {
	if len(hf.skipped) == 0 {
		return 0, nil
	}
	name := entries[i].Name
	var dir string
	var st *skippedTree
	if st = hf.skipped[""]; st == nil {
		for k := strings.IndexByte(name, '/'); k >= 0; {
			dir = name[:k+1]
			if st = hf.skipped[dir]; st != nil {
				break
			}
			next := strings.IndexByte(name[k+1:], '/')
			if next < 0 {
				break
			}
			k += 1 + next
		}
	}
	if st == nil || st.walked {
		return 0, nil
	}
	n := st.entries
	ok := n > 0 && i+n <= len(entries) && (i+n == len(entries) || !strings.HasPrefix(entries[i+n].Name, dir))
	for j := i; ok && j < i+n; j++ {
		e := entries[j]
		switch {
		case !strings.HasPrefix(e.Name, dir):
			ok = false
		case e.Mode == filemode.Regular, e.Mode == filemode.Executable, e.Mode == filemode.Symlink,
			e.Mode == filemode.Submodule:
		default:
			ok = false
		}
	}
	if ok {
		st.walked = true // the run is consumed; met again, the directory is read
		return n, nil
	}
	st.walked = true
	if err := hf.w.files(st.hash, dir, hf.add); err != nil {
		return 0, err
	}
	return 0, nil
}
