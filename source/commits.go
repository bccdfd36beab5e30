package source

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keygate/keygate/source/odb"
)

// rawCommit is what a history walk needs of a commit.
type rawCommit struct {
	hash       plumbing.Hash
	tree       plumbing.Hash
	parents    []plumbing.Hash
	authorName string
	authored   time.Time
	committed  time.Time
}

func (w *gitWalker) commit(h plumbing.Hash) (*rawCommit, error) {
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
			var h plumbing.Hash
			if len(val) != 40 {
				return nil, fmt.Errorf("bad %s line", key)
			}
			if _, err := hex.Decode(h[:], val); err != nil {
				return nil, fmt.Errorf("bad %s line", key)
			}
			if key[0] == 't' {
				c.tree, hasTree = h, true
			} else {
				c.parents = append(c.parents, h)
			}
		case "author":
			// Read into one signature, line after line, as Decode does.
			name, when, hasName, hasWhen := signature(val)
			if hasName {
				c.authorName = name
			}
			if hasWhen {
				c.authored = when
			}
		case "committer":
			_, c.committed, _, _ = signature(val)
		}
	}
	if !hasTree {
		return nil, errors.New("no tree line")
	}
	return c, nil
}

// signature reads an author or committer line's name and time as go-git's
// object.Signature.Decode does, and says which it read (Decode leaves a
// field it cannot read as it was: no '<' and '>', neither; a time that
// does not parse, the time), without the allocations of the e-mail and a
// time zone a walk of every commit does not use: the time is the
// instant, which the walk orders by and a report gives in UTC.
func signature(b []byte) (name string, when time.Time, hasName, hasWhen bool) {
	open, end := bytes.LastIndexByte(b, '<'), bytes.LastIndexByte(b, '>')
	if open < 0 || end < 0 || end < open {
		return "", time.Time{}, false, false
	}
	name = string(bytes.Trim(b[:open], " "))
	if end+2 >= len(b) {
		return name, time.Time{}, true, false
	}
	rest := b[end+2:]
	if sp := bytes.IndexByte(rest, ' '); sp >= 0 {
		rest = rest[:sp]
	}
	// The conversion does not allocate: ParseInt keeps no reference to
	// its argument (its errors hold a copy).
	ts, err := strconv.ParseInt(string(rest), 10, 64)
	if err != nil {
		return name, time.Time{}, true, false
	}
	return name, time.Unix(ts, 0), true, true
}

// commits returns the commits of revs, oldest first (by committer time).
func (w *gitWalker) commits(revs Revs) ([]*rawCommit, error) {
	var out []*rawCommit
	if err := w.walk(revs, func(c *rawCommit) { out = append(out, c) }); err != nil {
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

// ErrBadRange is wrapped by every error about a range's revisions.
var ErrBadRange = errors.New("bad range")

// ErrShallowRange is returned when a range names a revision that a
// shallow clone does not hold.
var ErrShallowRange = errors.New("this is a shallow clone: the range's base is not in it; fetch the whole history (git fetch --unshallow; actions/checkout: fetch-depth: 0)")

// shallowHint turns an unknown revision in a shallow clone into
// ErrShallowRange, the usual cause in CI checkouts.
func (r *Repo) shallowHint(err error) error {
	if shallow, serr := r.repo.Storer.Shallow(); serr != nil || len(shallow) == 0 {
		return err
	}
	return fmt.Errorf("%w: %w", err, ErrShallowRange)
}

// peel follows annotated tags from h to the commit they name; ok is false
// for a ref to a tree or a blob.
func (w *gitWalker) peel(h plumbing.Hash) (plumbing.Hash, bool, error) {
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

// walk visits every commit of revs once, as git's rev-list finds them:
// newest first by committer time, commits reachable from Exclude marked
// as they are met, and the walk ends once everything left to visit is
// excluded, so a push of two commits onto a long history reads about
// those two and their parents, not the whole history below them. Each
// commit is read at most once. Parents missing at a shallow boundary end
// the walk there.
func (w *gitWalker) walk(revs Revs, visit func(*rawCommit)) error {
	q := &commitQueue{}
	state := map[plumbing.Hash]*walkState{}
	// push queues h; excluded marks it (and, through the queue, its
	// ancestors) as reachable from Exclude.
	push := func(h plumbing.Hash, excluded bool) error {
		st, ok := state[h]
		if ok {
			if excluded && !st.excluded {
				// Met as included before: it and its ancestors are
				// excluded, so it is walked again as such (if it waits in
				// the queue, only the queue's count changes).
				st.excluded = true
				q.push(st)
			}
			return nil
		}
		c, err := w.commit(h)
		if err != nil {
			return err
		}
		st = &walkState{c: c, excluded: excluded}
		state[h] = st
		q.push(st)
		return nil
	}
	for _, h := range revs.Exclude {
		if err := push(h, true); err != nil {
			return err
		}
	}
	for _, h := range revs.Include {
		if err := push(h, false); err != nil {
			return err
		}
	}
	// A parent is dated no later than its child, so once only excluded
	// commits are queued and the newest of them is older than every
	// included commit met, nothing left can reach an included one. Equal
	// dates are common (a rebase, a script): those are walked. Clock skew
	// (a parent dated after its child) could still end the walk early;
	// like git, go on a few commits past that point. A commit taken by
	// mistake is scanned once more, never one left out.
	var oldest time.Time // of the included commits met
	slop := 5
	for q.len() > 0 {
		if q.included == 0 && (oldest.IsZero() || q.h[0].c.committed.Before(oldest)) {
			if slop == 0 {
				break
			}
			slop--
		}
		st := q.pop()
		if !st.excluded && (oldest.IsZero() || st.c.committed.Before(oldest)) {
			oldest = st.c.committed
		}
		if w.boundary[st.c.hash] {
			continue
		}
		for _, p := range st.c.parents {
			if err := push(p, st.excluded); err != nil {
				return err
			}
		}
	}
	for _, st := range state {
		if !st.excluded {
			visit(st.c)
		}
	}
	return nil
}

// walkState is a commit met by walk.
type walkState struct {
	c        *rawCommit
	excluded bool // reachable from Revs.Exclude
	queued   bool
	wasExcl  bool // excluded when it was queued (for the queue's count)
}

// commitQueue holds the commits walk has still to visit, newest first,
// and counts those queued as included.
type commitQueue struct {
	h        []*walkState
	included int
}

func (q *commitQueue) len() int { return len(q.h) }

func (q *commitQueue) less(i, j int) bool {
	a, b := q.h[i].c, q.h[j].c
	if !a.committed.Equal(b.committed) {
		return a.committed.After(b.committed)
	}
	return bytes.Compare(a.hash[:], b.hash[:]) < 0
}

func (q *commitQueue) push(st *walkState) {
	if st.queued {
		// Already waiting; it may have become excluded meanwhile.
		if st.excluded && !st.wasExcl {
			st.wasExcl = true
			q.included--
		}
		return
	}
	st.queued, st.wasExcl = true, st.excluded
	if !st.excluded {
		q.included++
	}
	q.h = append(q.h, st)
	for i := len(q.h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !q.less(i, parent) {
			break
		}
		q.h[i], q.h[parent] = q.h[parent], q.h[i]
		i = parent
	}
}

func (q *commitQueue) pop() *walkState {
	top := q.h[0]
	last := len(q.h) - 1
	q.h[0] = q.h[last]
	q.h = q.h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(q.h) && q.less(l, m) {
			m = l
		}
		if r < len(q.h) && q.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
	top.queued = false
	if !top.wasExcl {
		q.included--
	}
	return top
}

// resolve turns a revision (branch, tag, HEAD, hash, HEAD~2) into a commit.
func (r *Repo) resolve(rev string) (plumbing.Hash, error) {
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		if errors.Is(err, plumbing.ErrReferenceNotFound) || errors.Is(err, io.EOF) || errors.Is(err, plumbing.ErrObjectNotFound) {
			// go-git finds no object through a pack index it refuses:
			// then the index is what is wrong, not the revision.
			if db, oerr := r.objects(); oerr == nil {
				if verr := db.VerifyAll(); verr != nil {
					return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w", rev, verr)
				}
			}
			return plumbing.ZeroHash, fmt.Errorf("%w: unknown revision %q: no such branch, tag, commit or ancestor", ErrBadRange, rev)
		}
		return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w", rev, err)
	}
	return *h, nil
}
