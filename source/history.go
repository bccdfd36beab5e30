package source

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Commit identifies the commit that introduced something.
type Commit struct {
	ID     string
	Author string
	Date   time.Time
}

// Intro is a blob's first appearance at a path.
type Intro struct {
	Path   string
	Commit Commit
}

// HistoryBlob is a unique blob with every path it was introduced at.
type HistoryBlob struct {
	ID     string
	Intros []Intro
}

// History is what a history scan reads: each unique blob once, and every
// commit that added or changed a path (for blocked paths).
type History struct {
	Commits int
	Blobs   []HistoryBlob
	// Changes are every (commit, path) that added or modified a file.
	Changes []Intro
	// Shallow is true when the clone is shallow: history before its
	// boundary is not there to scan.
	Shallow  bool
	Warnings []string
}

// History walks every commit reachable from all refs, or those of
// rangeSpec ("A..B": reachable from B and not from A). Commits are taken
// oldest first (by committer time), so each blob at each path is
// attributed to the earliest commit that introduced it.
func (r *Repo) History(rangeSpec string, progress func(commits int)) (*History, error) {
	h := &History{}
	commits, err := r.commits(rangeSpec)
	if err != nil {
		return nil, err
	}
	shallow, err := r.repo.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow list: %w", err)
	}
	boundary := map[plumbing.Hash]bool{}
	for _, s := range shallow {
		boundary[s] = true
	}
	if len(shallow) > 0 {
		h.Shallow = true
		h.Warnings = append(h.Warnings, fmt.Sprintf("shallow clone: history before %d boundary commit(s) is not in this repository and was not scanned; fetch with --unshallow for a full scan", len(shallow)))
	}
	type seenKey struct {
		blob plumbing.Hash
		path string
	}
	seen := map[seenKey]bool{}
	blobIndex := map[plumbing.Hash]int{}
	trees := treeCache{}
	byHash := make(map[plumbing.Hash]*object.Commit, len(commits))
	for _, c := range commits {
		byHash[c.Hash] = c
	}
	for n, c := range commits {
		info := Commit{ID: c.Hash.String(), Author: c.Author.Name, Date: c.Author.When.UTC()}
		var parentTree plumbing.Hash
		if c.NumParents() > 0 && !boundary[c.Hash] {
			p, ok := byHash[c.ParentHashes[0]]
			if !ok { // outside a --range: read it
				var err error
				if p, err = c.Parent(0); err != nil {
					return nil, fmt.Errorf("read parent of commit %s: %w", c.Hash, err)
				}
			}
			parentTree = p.TreeHash
		}
		err := r.diffTrees(trees, parentTree, c.TreeHash, "", func(path string, e object.TreeEntry) {
			h.Changes = append(h.Changes, Intro{Path: path, Commit: info})
			k := seenKey{e.Hash, path}
			if seen[k] {
				return
			}
			seen[k] = true
			i, ok := blobIndex[e.Hash]
			if !ok {
				i = len(h.Blobs)
				blobIndex[e.Hash] = i
				h.Blobs = append(h.Blobs, HistoryBlob{ID: e.Hash.String()})
			}
			h.Blobs[i].Intros = append(h.Blobs[i].Intros, Intro{Path: path, Commit: info})
		})
		if err != nil {
			return nil, fmt.Errorf("diff commit %s: %w", c.Hash, err)
		}
		h.Commits++
		if progress != nil {
			progress(n + 1)
		}
	}
	return h, nil
}

// treeCache holds decoded tree entries by hash: each tree is decoded once
// however many commits share it. It is bounded, for very large histories.
type treeCache map[plumbing.Hash][]object.TreeEntry

const maxCachedTrees = 200_000

func (r *Repo) treeEntries(c treeCache, h plumbing.Hash) ([]object.TreeEntry, error) {
	if e, ok := c[h]; ok {
		return e, nil
	}
	t, err := r.repo.TreeObject(h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	if len(c) >= maxCachedTrees {
		clear(c)
	}
	c[h] = t.Entries
	return t.Entries, nil
}

// diffTrees calls fn for every regular file added or changed from the tree
// oldH (zero: nothing) to newH, descending only into subtrees whose hash
// changed. Deletions add nothing; submodules and symlinks hold no text.
func (r *Repo) diffTrees(c treeCache, oldH, newH plumbing.Hash, prefix string, fn func(string, object.TreeEntry)) error {
	if oldH == newH {
		return nil
	}
	newEntries, err := r.treeEntries(c, newH)
	if err != nil {
		return err
	}
	var old map[string]object.TreeEntry
	if !oldH.IsZero() {
		oldEntries, err := r.treeEntries(c, oldH)
		if err != nil {
			return err
		}
		old = make(map[string]object.TreeEntry, len(oldEntries))
		for _, e := range oldEntries {
			old[e.Name] = e
		}
	}
	for _, e := range newEntries {
		o, existed := old[e.Name]
		if existed && o.Hash == e.Hash && o.Mode == e.Mode {
			continue
		}
		path := prefix + e.Name
		switch e.Mode {
		case filemode.Dir:
			var oh plumbing.Hash
			if existed && o.Mode == filemode.Dir {
				oh = o.Hash
			}
			if err := r.diffTrees(c, oh, e.Hash, path+"/", fn); err != nil {
				return err
			}
		case filemode.Regular, filemode.Executable:
			fn(path, e)
		}
	}
	return nil
}

// commits returns the commits to scan, oldest first.
func (r *Repo) commits(rangeSpec string) ([]*object.Commit, error) {
	var tips []plumbing.Hash
	exclude := map[plumbing.Hash]bool{}
	if rangeSpec != "" {
		base, head, ok := strings.Cut(rangeSpec, "..")
		if !ok || base == "" || head == "" || strings.HasPrefix(head, ".") {
			return nil, fmt.Errorf("--range %q: want BASE..HEAD (two dots), e.g. origin/main..HEAD", rangeSpec)
		}
		b, err := r.resolve(base)
		if err != nil {
			return nil, err
		}
		hd, err := r.resolve(head)
		if err != nil {
			return nil, err
		}
		tips = []plumbing.Hash{hd}
		if err := r.walk([]plumbing.Hash{b}, nil, func(c *object.Commit) { exclude[c.Hash] = true }); err != nil {
			return nil, err
		}
	} else {
		refs, err := r.repo.References()
		if err != nil {
			return nil, fmt.Errorf("list refs: %w", err)
		}
		err = refs.ForEach(func(ref *plumbing.Reference) error {
			if ref.Type() != plumbing.HashReference {
				return nil
			}
			// A ref whose object cannot be read is a broken repository
			// (missing packfile, corrupt object): an error, never a skip.
			obj, err := r.repo.Storer.EncodedObject(plumbing.AnyObject, ref.Hash())
			if err != nil {
				return fmt.Errorf("ref %s points at %s, which cannot be read: %w", ref.Name(), ref.Hash(), err)
			}
			switch obj.Type() {
			case plumbing.CommitObject:
				tips = append(tips, ref.Hash())
			case plumbing.TagObject:
				t, err := r.repo.TagObject(ref.Hash())
				if err != nil {
					return fmt.Errorf("read tag %s: %w", ref.Name(), err)
				}
				if c, err := t.Commit(); err == nil {
					tips = append(tips, c.Hash)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list refs: %w", err)
		}
	}
	var out []*object.Commit
	if err := r.walk(tips, exclude, func(c *object.Commit) { out = append(out, c) }); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		ti, tj := out[i].Committer.When, out[j].Committer.When
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return out[i].Hash.String() < out[j].Hash.String()
	})
	return out, nil
}

// walk visits every commit reachable from tips and not in exclude, once.
// Parents missing at a shallow boundary end the walk there.
func (r *Repo) walk(tips []plumbing.Hash, exclude map[plumbing.Hash]bool, visit func(*object.Commit)) error {
	shallow, _ := r.repo.Storer.Shallow()
	boundary := map[plumbing.Hash]bool{}
	for _, s := range shallow {
		boundary[s] = true
	}
	seen := map[plumbing.Hash]bool{}
	stack := append([]plumbing.Hash(nil), tips...)
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] || exclude[h] {
			continue
		}
		seen[h] = true
		c, err := r.repo.CommitObject(h)
		if err != nil {
			return fmt.Errorf("read commit %s: %w", h, err)
		}
		visit(c)
		if boundary[h] {
			continue
		}
		stack = append(stack, c.ParentHashes...)
	}
	return nil
}

// resolve turns a revision (branch, tag, HEAD, hash, HEAD~2) into a commit.
func (r *Repo) resolve(rev string) (plumbing.Hash, error) {
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		if errors.Is(err, plumbing.ErrReferenceNotFound) || errors.Is(err, io.EOF) || errors.Is(err, plumbing.ErrObjectNotFound) {
			return plumbing.ZeroHash, fmt.Errorf("unknown revision %q in --range: no such branch, tag, commit or ancestor", rev)
		}
		return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w", rev, err)
	}
	return *h, nil
}
