package source

import (
	"bytes"
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

// rawCommit is what a history walk needs of a commit.
type rawCommit struct {
	hash      plumbing.Hash
	tree      plumbing.Hash
	parents   []plumbing.Hash
	author    object.Signature
	committed time.Time
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

// commits returns the commits to scan, oldest first, and the tips they
// are reached from.
func (w *gitWalker) commits(rangeSpec string) ([]*rawCommit, []plumbing.Hash, error) {
	r := w.repo
	var tips []plumbing.Hash
	exclude := map[plumbing.Hash]bool{}
	if rangeSpec != "" {
		base, head, ok := strings.Cut(rangeSpec, "..")
		if !ok || base == "" || head == "" || strings.HasPrefix(head, ".") {
			return nil, nil, fmt.Errorf("%w %q: want BASE..HEAD (two dots), e.g. origin/main..HEAD", ErrBadRange, rangeSpec)
		}
		b, err := r.resolve(base)
		if err != nil {
			return nil, nil, w.shallowHint(err)
		}
		hd, err := r.resolve(head)
		if err != nil {
			return nil, nil, w.shallowHint(err)
		}
		tips = []plumbing.Hash{hd}
		if err := w.walk([]plumbing.Hash{b}, nil, func(c *rawCommit) { exclude[c.hash] = true }); err != nil {
			return nil, nil, err
		}
	} else {
		refs, err := r.repo.References()
		if err != nil {
			return nil, nil, fmt.Errorf("list refs: %w", err)
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
			return nil, nil, fmt.Errorf("list refs: %w", err)
		}
	}
	var out []*rawCommit
	if err := w.walk(tips, exclude, func(c *rawCommit) { out = append(out, c) }); err != nil {
		return nil, nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		ti, tj := out[i].committed, out[j].committed
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return bytes.Compare(out[i].hash[:], out[j].hash[:]) < 0
	})
	return out, tips, nil
}

// ErrBadRange is wrapped by every error about a range's revisions.
var ErrBadRange = errors.New("bad range")

// ErrShallowRange is returned when a range names a revision that a
// shallow clone does not hold.
var ErrShallowRange = errors.New("this is a shallow clone: the range's base is not in it; fetch the whole history (git fetch --unshallow; actions/checkout: fetch-depth: 0)")

// shallowHint turns an unknown revision in a shallow clone into
// ErrShallowRange, the usual cause in CI checkouts.
func (w *gitWalker) shallowHint(err error) error {
	if len(w.boundary) == 0 {
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

// walk visits every commit reachable from tips and not in exclude, once.
// Parents missing at a shallow boundary end the walk there.
func (w *gitWalker) walk(tips []plumbing.Hash, exclude map[plumbing.Hash]bool, visit func(*rawCommit)) error {
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
			return plumbing.ZeroHash, fmt.Errorf("%w: unknown revision %q: no such branch, tag, commit or ancestor", ErrBadRange, rev)
		}
		return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w", rev, err)
	}
	return *h, nil
}
