package source

import (
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
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
	// Pred is the index in History.Blobs of the blob this one replaced at
	// its first path (the previous version of that file), or -1: a new
	// file, or one whose previous version is outside the scanned range.
	// It always comes earlier in Blobs.
	Pred int
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

// NewBlob is a unique blob as the history walk first meets it.
type NewBlob struct {
	Index int    // its index in History.Blobs
	ID    string // blob id
	Path  string // the path it was first introduced at
	Pred  int    // see HistoryBlob.Pred
}

// HistoryWatch receives a history walk's progress as it happens: a scan
// starts on blobs while the walk goes on. Either field may be nil.
type HistoryWatch struct {
	Commit func(done, total int)
	Blob   func(NewBlob)
}

// History walks every commit reachable from all refs, or those of
// rangeSpec ("A..B": reachable from B and not from A). Commits are taken
// oldest first (by committer time), so each blob at each path is
// attributed to the earliest commit that introduced it. Commits and trees
// are read straight from the packfiles (source/odb), each tree once.
func (r *Repo) History(ctx context.Context, rangeSpec string, watch HistoryWatch) (*History, error) {
	h := &History{}
	db, err := r.objects()
	if err != nil {
		return nil, err
	}
	w := &gitWalker{repo: r, rd: db.NewReader(), trees: map[plumbing.Hash][]byte{}}
	shallow, err := r.repo.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow list: %w", err)
	}
	w.boundary = map[plumbing.Hash]bool{}
	for _, s := range shallow {
		w.boundary[s] = true
	}
	if len(shallow) > 0 {
		h.Shallow = true
		h.Warnings = append(h.Warnings, fmt.Sprintf("shallow clone: history before %d boundary commit(s) is not in this repository and was not scanned; fetch with --unshallow for a full scan", len(shallow)))
	}
	commits, err := w.commits(rangeSpec)
	if err != nil {
		return nil, err
	}
	type seenKey struct {
		blob plumbing.Hash
		path string
	}
	seen := map[seenKey]bool{}
	blobIndex := map[plumbing.Hash]int{}
	byHash := make(map[plumbing.Hash]*rawCommit, len(commits))
	for _, c := range commits {
		byHash[c.hash] = c
	}
	for n, c := range commits {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		info := Commit{ID: c.hash.String(), Author: c.author.Name, Date: c.author.When.UTC()}
		var parentTree plumbing.Hash
		if len(c.parents) > 0 && !w.boundary[c.hash] {
			p, ok := byHash[c.parents[0]]
			if !ok { // outside a --range: read it
				if p, err = w.commit(c.parents[0]); err != nil {
					return nil, fmt.Errorf("read parent of commit %s: %w", c.hash, err)
				}
			}
			parentTree = p.tree
		}
		err := w.diffTrees(parentTree, c.tree, "", func(path string, blob, old plumbing.Hash) {
			h.Changes = append(h.Changes, Intro{Path: path, Commit: info})
			k := seenKey{blob, path}
			if seen[k] {
				return
			}
			seen[k] = true
			i, ok := blobIndex[blob]
			if !ok {
				i = len(h.Blobs)
				blobIndex[blob] = i
				pred := -1
				if p, ok := blobIndex[old]; ok && !old.IsZero() {
					pred = p
				}
				h.Blobs = append(h.Blobs, HistoryBlob{ID: blob.String(), Pred: pred})
				if watch.Blob != nil {
					watch.Blob(NewBlob{Index: i, ID: blob.String(), Path: path, Pred: pred})
				}
			}
			h.Blobs[i].Intros = append(h.Blobs[i].Intros, Intro{Path: path, Commit: info})
		})
		if err != nil {
			return nil, fmt.Errorf("diff commit %s: %w", c.hash, err)
		}
		h.Commits++
		if watch.Commit != nil {
			watch.Commit(n+1, len(commits))
		}
	}
	return h, nil
}
