package source

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keygate/keygate/source/odb"
)

// Revs is a set of commits as git's rev-list reads one: every commit
// reachable from a commit of Include and from no commit of Exclude. It is
// resolved once, by whoever knows what the revisions mean (a --range
// typed by a user, the ref updates git hands a pre-push or pre-receive
// hook), and the history walk takes it as it is. An empty Include is an
// empty set: a push that only deletes branches adds nothing.
type Revs struct {
	Include []ObjectID
	Exclude []ObjectID
}

// Base is the one commit a range is judged against (A of A..B): the
// single excluded commit, if there is exactly one.
func (v Revs) Base() (ObjectID, bool) {
	if len(v.Exclude) != 1 {
		return plumbing.ZeroHash, false
	}
	return v.Exclude[0], true
}

// ErrBadRev is wrapped by errors about an object id that names no commit
// of the repository.
var ErrBadRev = errors.New("not a commit of this repository")

// RangeRevs resolves "BASE..HEAD" (branches, tags, HEAD, ids, HEAD~2):
// the commits reachable from HEAD and not from BASE.
func (r *Repo) RangeRevs(spec string) (Revs, error) {
	base, head, ok := strings.Cut(spec, "..")
	if !ok || base == "" || head == "" || strings.HasPrefix(head, ".") {
		return Revs{}, fmt.Errorf("%w %q: want BASE..HEAD (two dots), e.g. origin/main..HEAD", ErrBadRange, spec)
	}
	b, err := r.resolve(base)
	if err != nil {
		return Revs{}, r.shallowHint(err)
	}
	h, err := r.resolve(head)
	if err != nil {
		return Revs{}, r.shallowHint(err)
	}
	return Revs{Include: []ObjectID{h}, Exclude: []ObjectID{b}}, nil
}

// AllRefs is every commit reachable from any ref (branches, tags, remote
// tracking refs, notes, stash). A ref whose object cannot be read is an
// error, never a skip: the repository is broken.
func (r *Repo) AllRefs() (Revs, error) {
	tips, err := r.RefsUnder("")
	if err != nil {
		return Revs{}, err
	}
	return Revs{Include: tips}, nil
}

// RefsUnder returns the commits the refs under prefix point at (tags
// peeled; refs to trees or blobs left out), e.g. "refs/remotes/origin/"
// for what a remote held when it was last fetched; "" for every ref and
// a detached HEAD.
func (r *Repo) RefsUnder(prefix string) ([]ObjectID, error) {
	db, err := r.objects()
	if err != nil {
		return nil, err
	}
	w := &gitWalker{repo: r, rd: db.NewReader()}
	refs, err := r.repo.References()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	var tips []ObjectID
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() != plumbing.HashReference || !strings.HasPrefix(ref.Name().String(), prefix) {
			return nil
		}
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
	return tips, nil
}

// Commit checks that hex is the full id of an object this repository
// holds (a quarantined one included) and returns the commit it names,
// tags peeled. ok is false when the object is not there.
func (r *Repo) Commit(hex string) (id ObjectID, ok bool, err error) {
	if len(hex) != 40 || !plumbing.IsHash(hex) {
		return id, false, fmt.Errorf("%q: %w: not a full object id", hex, ErrBadRev)
	}
	db, err := r.objects()
	if err != nil {
		return id, false, err
	}
	w := &gitWalker{repo: r, rd: db.NewReader()}
	c, isCommit, err := w.peel(plumbing.NewHash(hex))
	if errors.Is(err, odb.ErrNotFound) {
		return id, false, nil
	}
	if err != nil {
		return id, false, err
	}
	if !isCommit {
		return id, false, fmt.Errorf("%s: %w: it names a tree or a blob", hex, ErrBadRev)
	}
	return c, true, nil
}
