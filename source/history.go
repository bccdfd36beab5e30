package source

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// Commit identifies the commit that added something.
type Commit struct {
	ID     string
	Author string
	Date   time.Time
}

// HistoryBlob is a unique blob of a history scan.
type HistoryBlob struct {
	ID ObjectID
	// Path is the first path the walk met the blob at; rules limited to
	// paths judge it by that path.
	Path string
	// Prev is the index in History.Blobs of the version this blob
	// replaced at Path, or NoBlob (a new file). It always comes earlier in
	// Blobs, so a scan can take the versions of a file in order.
	Prev int
}

// NoBlob stands for "no file at this path" where a blob index is expected.
const NoBlob = -1

// Change is one commit's change at one path: the file a commit holds
// there differs from its first parent's.
type Change struct {
	Path string
	// Commit indexes History.Commits; Blob indexes History.Blobs.
	Commit, Blob int32
	// Parent is the index in Blobs of the file the first parent holds at
	// Path, or NoBlob; Others are the other parents' (a merge). A root
	// commit, or one at a shallow boundary, has no parent: Root is true
	// and everything it holds is new.
	Parent int32
	Root   bool
	Others []int32
}

// Parents calls fn with each parent's file at the path (NoBlob: none).
func (c *Change) Parents(fn func(blob int)) {
	if c.Root {
		return
	}
	fn(int(c.Parent))
	for _, o := range c.Others {
		fn(int(o))
	}
}

// History is what a history scan reads: the walked commits, each unique
// blob once (the versions the walked commits hold at the paths they
// change, and the versions their parents held there, which are the
// baseline of a range), and every change.
type History struct {
	// Commits are the walked commits, oldest first.
	Commits []Commit
	Blobs   []HistoryBlob
	// Changes are in the order of Commits.
	Changes []Change
	// Shallow is true when the clone is shallow: history before its
	// boundary is not there to scan.
	Shallow  bool
	Warnings []string

	w         *gitWalker
	tips      []plumbing.Hash // root trees of revs.Include
	blobIndex map[plumbing.Hash]int
	paths     map[string]string // each path's one copy, shared by its changes
}

// NewBlob is a unique blob as the history walk first meets it.
type NewBlob struct {
	Index int      // its index in History.Blobs
	ID    ObjectID // blob id
	Path  string   // the path it was first met at
	Prev  int      // see HistoryBlob.Prev
}

// HistoryWatch receives a history walk's progress as it happens: a scan
// starts on blobs while the walk goes on. Either field may be nil.
type HistoryWatch struct {
	Commit func(done, total int)
	Blob   func(NewBlob)
}

// History walks the commits of revs (AllRefs: every commit; RangeRevs:
// a range's; a push's ref updates), oldest first by committer time; the
// tips it reports files at are revs.Include. Commits and trees are read
// straight from the packfiles (source/odb), each tree once.
func (r *Repo) History(ctx context.Context, revs Revs, watch HistoryWatch) (*History, error) {
	db, err := r.objects()
	if err != nil {
		return nil, err
	}
	w := &gitWalker{repo: r, rd: db.NewReader()}
	h := &History{w: w, blobIndex: map[plumbing.Hash]int{}, paths: map[string]string{}}
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
		h.Warnings = append(h.Warnings, fmt.Sprintf("shallow clone: history before %d boundary commit(s) is not in this repository and was not scanned; fetch with --unshallow (actions/checkout: fetch-depth: 0) for a full scan", len(shallow)))
	}
	commits, err := w.commits(revs)
	if err != nil {
		return nil, err
	}
	tips := revs.Include
	byHash := make(map[plumbing.Hash]*rawCommit, len(commits))
	for _, c := range commits {
		byHash[c.hash] = c
	}
	for _, t := range tips {
		c, ok := byHash[t]
		if !ok {
			if c, err = w.commit(t); err != nil {
				return nil, fmt.Errorf("read tip %s: %w", t, err)
			}
		}
		h.tips = append(h.tips, c.tree)
	}
	// blob registers a blob met at path; prev is the version it replaced.
	blob := func(id plumbing.Hash, path string, prev int) int {
		if i, ok := h.blobIndex[id]; ok {
			return i
		}
		i := len(h.Blobs)
		h.blobIndex[id] = i
		h.Blobs = append(h.Blobs, HistoryBlob{ID: id, Path: path, Prev: prev})
		if watch.Blob != nil {
			watch.Blob(NewBlob{Index: i, ID: id, Path: path, Prev: prev})
		}
		return i
	}
	parentOf := func(p plumbing.Hash) (*rawCommit, error) {
		if c, ok := byHash[p]; ok {
			return c, nil
		}
		// Outside a range: the baseline side.
		return w.commit(p)
	}
	for n, c := range commits {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// A merge looks up each changed path in its other parents' trees:
		// the paths share directories, each read once per commit.
		var memo entryMemo
		ci := len(h.Commits)
		h.Commits = append(h.Commits, Commit{ID: c.hash.String(), Author: c.authorName, Date: c.authored.UTC()})
		var parents []*rawCommit
		if !w.boundary[c.hash] {
			for _, p := range c.parents {
				pc, err := parentOf(p)
				if err != nil {
					return nil, fmt.Errorf("read parent of commit %s: %w", c.hash, err)
				}
				parents = append(parents, pc)
			}
		}
		var firstTree plumbing.Hash
		if len(parents) > 0 {
			firstTree = parents[0].tree
		}
		var derr error
		err := w.diffTrees(firstTree, c.tree, "", func(path string, id, old plumbing.Hash) {
			if derr != nil {
				return
			}
			if p, ok := h.paths[path]; ok {
				path = p
			} else {
				h.paths[path] = path
			}
			ch := Change{Path: path, Commit: int32(ci), Parent: NoBlob, Root: len(parents) == 0}
			for k, p := range parents {
				ph := old
				if k > 0 {
					// A merge: what the other parents held at the path.
					var err error
					if memo == nil {
						memo = entryMemo{}
					}
					if ph, err = w.lookupIn(memo, p.tree, path, true); err != nil {
						derr = err
						return
					}
				}
				b := int32(NoBlob)
				if !ph.IsZero() {
					b = int32(blob(ph, path, NoBlob))
				}
				if k == 0 {
					ch.Parent = b
				} else {
					ch.Others = append(ch.Others, b)
				}
			}
			ch.Blob = int32(blob(id, path, int(ch.Parent)))
			h.Changes = append(h.Changes, ch)
		})
		if err == nil {
			err = derr
		}
		if err != nil {
			return nil, fmt.Errorf("diff commit %s: %w", c.hash, err)
		}
		if watch.Commit != nil {
			watch.Commit(n+1, len(commits))
		}
	}
	return h, nil
}

// lookup returns the blob of the regular file at path in the tree root
// (or of the symbolic link, when links is true), or the zero hash when
// there is none.
func (w *gitWalker) lookup(root plumbing.Hash, path string, links bool) (plumbing.Hash, error) {
	return w.lookupIn(nil, root, path, links)
}

// entryMemo remembers the entries lookupIn found, by tree and name.
type entryMemo map[treeName]namedEntry

type treeName struct {
	tree plumbing.Hash
	name string
}

// namedEntry is a tree entry found by name (ok false: none).
type namedEntry struct {
	mode uint32
	hash plumbing.Hash
	ok   bool
}

// lookupIn is lookup remembering in memo (nil: nothing) the entries it
// found on the way.
func (w *gitWalker) lookupIn(memo entryMemo, root plumbing.Hash, path string, links bool) (plumbing.Hash, error) {
	tree := root
	for {
		name, rest, more := strings.Cut(path, "/")
		e, err := w.entry(memo, tree, name)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		kind := treeEntry{mode: e.mode}
		switch {
		case !e.ok:
			return plumbing.ZeroHash, nil
		case more && kind.isDir():
			tree, path = e.hash, rest
		case !more && (kind.isFile() || links && kind.isContent()):
			return e.hash, nil
		default:
			return plumbing.ZeroHash, nil
		}
	}
}

// entry finds the first entry of tree named name.
func (w *gitWalker) entry(memo entryMemo, tree plumbing.Hash, name string) (namedEntry, error) {
	if e, ok := memo[treeName{tree, name}]; ok {
		return e, nil
	}
	t, err := w.tree(tree)
	if err != nil {
		return namedEntry{}, err
	}
	var found namedEntry
	for len(t) > 0 {
		var e treeEntry
		if e, t, err = nextEntry(t); err != nil {
			return namedEntry{}, fmt.Errorf("tree %s: %w", tree, err)
		}
		if string(e.name) == name {
			found = namedEntry{mode: e.mode, ok: true}
			copy(found.hash[:], e.hash)
			break
		}
	}
	if memo != nil {
		memo[treeName{tree, name}] = found
	}
	return found, nil
}
