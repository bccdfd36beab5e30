package source

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/keygate/keygate/source/odb"
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
	w := &historyWalker{repo: r, rd: db.NewReader(), trees: map[plumbing.Hash][]byte{}}
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

// historyWalker reads commits and trees for one history walk.
type historyWalker struct {
	repo      *Repo
	rd        *odb.Reader
	boundary  map[plumbing.Hash]bool // shallow boundary commits
	trees     map[plumbing.Hash][]byte
	treeBytes int
}

// maxTreeBytes bounds the raw trees kept in memory; past it the
// cache starts again, for very large histories.
const maxTreeBytes = 256 << 20

func (w *historyWalker) tree(h plumbing.Hash) ([]byte, error) {
	if t, ok := w.trees[h]; ok {
		return t, nil
	}
	typ, data, err := w.rd.Read(h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	if typ != odb.Tree {
		return nil, fmt.Errorf("read tree %s: it is a %s", h, typ)
	}
	if w.treeBytes += len(data); w.treeBytes > maxTreeBytes {
		clear(w.trees)
		w.treeBytes = len(data)
	}
	w.trees[h] = data
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

// diffTrees calls fn for every regular file added or changed from the tree
// oldH (zero: nothing) to newH, with the blob it replaced (zero: none),
// descending only into subtrees whose hash changed. It walks both sorted
// entry lists side by side. Deletions add nothing; submodules and
// symlinks hold no text.
func (w *historyWalker) diffTrees(oldH, newH plumbing.Hash, prefix string, fn func(path string, blob, old plumbing.Hash)) error {
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
	if skip := entryBoundary(nt, commonPrefix(nt, ot)); skip > 0 {
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
		case e.isFile():
			var blob, old plumbing.Hash
			copy(blob[:], e.hash)
			if match != nil && match.isFile() {
				copy(old[:], match.hash)
			}
			fn(prefix+string(e.name), blob, old)
		}
	}
	return nil
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if binary.LittleEndian.Uint64(a[i:]) != binary.LittleEndian.Uint64(b[i:]) {
			break
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
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
func (w *historyWalker) files(h plumbing.Hash, prefix string, fn func(string, treeEntry)) error {
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
		case e.isFile() || e.mode&0o170000 == 0o120000:
			fn(prefix+string(e.name), e)
		}
	}
	return nil
}

// rawCommit is what a history walk needs of a commit.
type rawCommit struct {
	hash      plumbing.Hash
	tree      plumbing.Hash
	parents   []plumbing.Hash
	author    object.Signature
	committed time.Time
}

func (w *historyWalker) commit(h plumbing.Hash) (*rawCommit, error) {
	typ, data, err := w.rd.Read(h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	if typ != odb.Commit {
		return nil, fmt.Errorf("read commit %s: it is a %s", h, typ)
	}
	c, err := parseCommit(data)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	c.hash = h
	return c, nil
}

// parseCommit reads a commit's header lines up to the message.
func parseCommit(data []byte) (*rawCommit, error) {
	c := &rawCommit{}
	hasTree := false
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(line) == 0 {
			break // the message follows
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "tree", "parent":
			if len(val) != 40 {
				return nil, fmt.Errorf("bad %s line", key)
			}
			h := plumbing.NewHash(string(val))
			if h.String() != strings.ToLower(string(val)) {
				return nil, fmt.Errorf("bad %s line", key)
			}
			if key[0] == 't' {
				c.tree, hasTree = h, true
			} else {
				c.parents = append(c.parents, h)
			}
		case "author":
			c.author.Decode(val)
		case "committer":
			var s object.Signature
			s.Decode(val)
			c.committed = s.When
		}
	}
	if !hasTree {
		return nil, errors.New("no tree line")
	}
	return c, nil
}

// commits returns the commits to scan, oldest first.
func (w *historyWalker) commits(rangeSpec string) ([]*rawCommit, error) {
	r := w.repo
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
		if err := w.walk([]plumbing.Hash{b}, nil, func(c *rawCommit) { exclude[c.hash] = true }); err != nil {
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
			if c, ok, err := w.peel(ref.Hash()); err != nil {
				return fmt.Errorf("ref %s points at %s, which cannot be read: %w", ref.Name(), ref.Hash(), err)
			} else if ok {
				tips = append(tips, c)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list refs: %w", err)
		}
	}
	var out []*rawCommit
	if err := w.walk(tips, exclude, func(c *rawCommit) { out = append(out, c) }); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		ti, tj := out[i].committed, out[j].committed
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return bytes.Compare(out[i].hash[:], out[j].hash[:]) < 0
	})
	return out, nil
}

// peel follows annotated tags from h to the commit they name; ok is false
// for a ref to a tree or a blob.
func (w *historyWalker) peel(h plumbing.Hash) (plumbing.Hash, bool, error) {
	for range 100 {
		typ, data, err := w.rd.Read(h)
		if err != nil {
			return h, false, err
		}
		switch typ {
		case odb.Commit:
			return h, true, nil
		case odb.Tag:
			// "object <hex>" is a tag's first line.
			line, _, _ := bytes.Cut(data, []byte{'\n'})
			obj, ok := bytes.CutPrefix(line, []byte("object "))
			if !ok || len(obj) != 40 {
				return h, false, fmt.Errorf("tag %s: bad object line", h)
			}
			h = plumbing.NewHash(string(obj))
		default:
			return h, false, nil
		}
	}
	return h, false, fmt.Errorf("tag %s: more than 100 nested tags", h)
}

// walk visits every commit reachable from tips and not in exclude, once.
// Parents missing at a shallow boundary end the walk there.
func (w *historyWalker) walk(tips []plumbing.Hash, exclude map[plumbing.Hash]bool, visit func(*rawCommit)) error {
	seen := map[plumbing.Hash]bool{}
	stack := append([]plumbing.Hash(nil), tips...)
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] || exclude[h] {
			continue
		}
		seen[h] = true
		c, err := w.commit(h)
		if err != nil {
			return err
		}
		visit(c)
		if w.boundary[h] {
			continue
		}
		stack = append(stack, c.parents...)
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
