package hook

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/keygate/keygate/source"
)

// RefUpdate is one ref a push changes: Old is what the receiving side
// holds (zero: the ref is new there), New what it will hold (zero: the
// ref is deleted).
type RefUpdate struct {
	Ref      string
	Old, New string
}

// zeroID is git's name for "no object" in hook input.
func zeroID(id string) bool { return strings.Trim(id, "0") == "" }

// ErrBadUpdate is wrapped by errors about a hook's input lines.
var ErrBadUpdate = errors.New("bad ref update line")

// maxLine bounds one input line: a ref name and two ids.
const maxLine = 64 << 10

// ReadPushLines reads what git hands a pre-push hook on stdin: one
// "<local ref> <local id> <remote ref> <remote id>" line per ref pushed.
func ReadPushLines(r io.Reader) ([]RefUpdate, error) {
	return readLines(r, 4, func(f []string) RefUpdate {
		return RefUpdate{Ref: f[2], Old: f[3], New: f[1]}
	})
}

// ReadReceiveLines reads what git hands a pre-receive hook on stdin: one
// "<old id> <new id> <ref>" line per ref updated.
func ReadReceiveLines(r io.Reader) ([]RefUpdate, error) {
	return readLines(r, 3, func(f []string) RefUpdate {
		return RefUpdate{Ref: f[2], Old: f[0], New: f[1]}
	})
}

func readLines(r io.Reader, fields int, parse func([]string) RefUpdate) ([]RefUpdate, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxLine)
	var out []RefUpdate
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != fields {
			return nil, fmt.Errorf("%w %d: want %d fields, got %d", ErrBadUpdate, n, fields, len(f))
		}
		u := parse(f)
		for _, id := range []string{u.Old, u.New} {
			if len(id) != 40 && len(id) != 64 || strings.Trim(strings.ToLower(id), "0123456789abcdef") != "" {
				return nil, fmt.Errorf("%w %d: %q is not an object id", ErrBadUpdate, n, id)
			}
		}
		out = append(out, u)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read ref updates: %w", err)
	}
	return out, nil
}

// Repo is what the ref updates are resolved against.
type Repo interface {
	Commit(hex string) (source.ObjectID, bool, error)
	RefsUnder(prefix string) ([]source.ObjectID, error)
}

// PushRevs is what a push to remote adds there, as git's sample pre-push
// hook and git-lfs compute it: each pushed commit and its history, less
// what the remote holds. An updated branch excludes the remote's id; a
// new branch (or one whose remote id this clone lacks, a force-push over
// work never fetched) excludes every remote-tracking ref of remote
// (refs/remotes/<remote>/*); a deletion adds nothing.
func PushRevs(repo Repo, remote string, updates []RefUpdate) (source.Revs, error) {
	var revs source.Revs
	tracking := false
	for _, u := range updates {
		if zeroID(u.New) {
			continue
		}
		c, err := commit(repo, u.New, u.Ref)
		if err != nil {
			return revs, err
		}
		revs.Include = append(revs.Include, c)
		if !zeroID(u.Old) {
			if old, ok, err := repo.Commit(u.Old); err == nil && ok {
				revs.Exclude = append(revs.Exclude, old)
				continue
			}
		}
		tracking = true
	}
	if tracking && remote != "" {
		// A URL pushed to directly has no tracking refs: everything the
		// branch holds is new to it.
		refs, err := repo.RefsUnder("refs/remotes/" + remote + "/")
		if err != nil {
			return revs, err
		}
		revs.Exclude = append(revs.Exclude, refs...)
	}
	return revs, nil
}

// ReceiveRevs is what ref updates add to the repository receiving them
// (pre-receive, update): each new id and its history, less the old id of
// an updated ref, or for a new ref, less every ref the repository already
// has; a deletion adds nothing. The new objects may still be in
// quarantine: the repository must read it (source.Repo does).
func ReceiveRevs(repo Repo, updates []RefUpdate) (source.Revs, error) {
	var revs source.Revs
	existing := false
	for _, u := range updates {
		if zeroID(u.New) {
			continue
		}
		c, err := commit(repo, u.New, u.Ref)
		if err != nil {
			return revs, err
		}
		revs.Include = append(revs.Include, c)
		if zeroID(u.Old) {
			existing = true
			continue
		}
		old, err := commit(repo, u.Old, u.Ref)
		if err != nil {
			return revs, err
		}
		revs.Exclude = append(revs.Exclude, old)
	}
	if existing {
		refs, err := repo.RefsUnder("refs/")
		if err != nil {
			return revs, err
		}
		revs.Exclude = append(revs.Exclude, refs...)
	}
	return revs, nil
}

// commit resolves id, which must be there, to the commit it names.
func commit(repo Repo, id, ref string) (source.ObjectID, error) {
	c, ok, err := repo.Commit(id)
	if err != nil {
		return c, fmt.Errorf("%s at %s: %w", ref, id, err)
	}
	if !ok {
		return c, fmt.Errorf("%s at %s: the object is not in this repository", ref, id)
	}
	return c, nil
}
