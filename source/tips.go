package source

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// AtTips returns, for each of paths, the indexes in Blobs of the files the
// walked tips (every ref, or a range's head) hold there. A tip's file that
// is not in Blobs was never changed by a walked commit, so it holds
// nothing a walked commit added, and is left out.
//
// The paths are looked up together: each tree on their way is read once
// for all the names wanted in it (a name at a time read gitleaks' rules
// directory once for each of its files, in each of 208 tags), and a
// subtree two tips share is searched once.
func (h *History) AtTips(paths []string) (map[string][]int, error) {
	root := newPathTrie(paths)
	memo := map[tipKey][]tipFile{}
	out := map[string][]int{}
	seen := map[plumbing.Hash]bool{}
	for _, t := range h.tips {
		if seen[t] {
			continue
		}
		seen[t] = true
		files, err := h.w.filesIn(memo, t, root)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if i, ok := h.blobIndex[f.blob]; ok && !f.blob.IsZero() {
				out[paths[f.path]] = append(out[paths[f.path]], i)
			}
		}
	}
	return out, nil
}

// pathTrie holds paths by their names, one level a directory.
type pathTrie struct {
	names map[string]*pathTrie
	path  int // the index of the path ending here, or -1
}

func newPathTrie(paths []string) *pathTrie {
	root := &pathTrie{path: -1}
	for i, p := range paths {
		n := root
		for _, name := range strings.Split(p, "/") {
			next := n.names[name]
			if next == nil {
				if n.names == nil {
					n.names = map[string]*pathTrie{}
				}
				next = &pathTrie{path: -1}
				n.names[name] = next
			}
			n = next
		}
		n.path = i
	}
	return root
}

// tipKey is a tree searched for the paths under a trie node.
type tipKey struct {
	tree plumbing.Hash
	node *pathTrie
}

// tipFile is a path's file (or link) found in a tip.
type tipFile struct {
	path int
	blob plumbing.Hash
}

// filesIn returns the files and links tree holds at the paths under node,
// as lookupIn (with links) finds each: the first entry of each name, a
// directory followed where more of a path is left, a file or link taken
// where the path ends.
func (w *gitWalker) filesIn(memo map[tipKey][]tipFile, tree plumbing.Hash, node *pathTrie) ([]tipFile, error) {
	k := tipKey{tree, node}
	if files, ok := memo[k]; ok {
		return files, nil
	}
	t, err := w.tree(tree)
	if err != nil {
		return nil, err
	}
	var files []tipFile
	var met map[*pathTrie]bool // names already met: only the first counts
	for len(t) > 0 {
		var e treeEntry
		if e, t, err = nextEntry(t); err != nil {
			return nil, fmt.Errorf("tree %s: %w", tree, err)
		}
		next := node.names[string(e.name)]
		if next == nil || met[next] {
			continue
		}
		if met == nil {
			met = map[*pathTrie]bool{}
		}
		met[next] = true
		switch {
		case e.isDir() && next.names != nil:
			var sub plumbing.Hash
			copy(sub[:], e.hash)
			in, err := w.filesIn(memo, sub, next)
			if err != nil {
				return nil, err
			}
			files = append(files, in...)
		case next.path >= 0 && e.isContent():
			var id plumbing.Hash
			copy(id[:], e.hash)
			files = append(files, tipFile{next.path, id})
		}
	}
	memo[k] = files
	return files, nil
}
