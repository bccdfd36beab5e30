package hook

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/source"
)

// fakeRepo knows some commits and the refs under some prefixes.
type fakeRepo struct {
	commits map[string]bool
	refs    map[string][]source.ObjectID
}

func (f fakeRepo) Commit(hex string) (source.ObjectID, bool, error) {
	return plumbing.NewHash(hex), f.commits[hex], nil
}

func (f fakeRepo) RefsUnder(prefix string) ([]source.ObjectID, error) { return f.refs[prefix], nil }

func id(c byte) string { return strings.Repeat(string(c), 40) }

var zero = id('0')

// git's pre-push lines: an update excludes the remote's id, a new branch
// (or an update from an id this clone lacks) every tracking ref of the
// remote, a deletion nothing.
func TestPushRevs(t *testing.T) {
	in := "refs/heads/main " + id('a') + " refs/heads/main " + id('b') + "\n" +
		"refs/heads/new " + id('c') + " refs/heads/new " + zero + "\n" +
		"(delete) " + zero + " refs/heads/gone " + id('d') + "\n\n"
	updates, err := ReadPushLines(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, updates, 3)
	tracking := []source.ObjectID{plumbing.NewHash(id('e'))}
	repo := fakeRepo{commits: map[string]bool{id('a'): true, id('b'): true, id('c'): true},
		refs: map[string][]source.ObjectID{"refs/remotes/origin/": tracking}}
	revs, err := PushRevs(repo, "origin", updates)
	require.NoError(t, err)
	assert.Equal(t, []source.ObjectID{plumbing.NewHash(id('a')), plumbing.NewHash(id('c'))}, revs.Include)
	assert.Equal(t, []source.ObjectID{plumbing.NewHash(id('b')), tracking[0]}, revs.Exclude)

	// Deletions only: nothing to scan, not everything.
	revs, err = PushRevs(repo, "origin", updates[2:])
	require.NoError(t, err)
	assert.Empty(t, revs.Include)

	// A remote id this clone lacks (someone else's push, never fetched).
	revs, err = PushRevs(repo, "origin", []RefUpdate{{Ref: "refs/heads/main", Old: id('f'), New: id('a')}})
	require.NoError(t, err)
	assert.Equal(t, tracking, revs.Exclude)

	// A pushed id that is not here is an error, never a pass.
	_, err = PushRevs(repo, "origin", []RefUpdate{{Ref: "refs/heads/x", Old: zero, New: id('9')}})
	assert.Error(t, err)
}

// git's pre-receive lines: an update excludes the old id, a new ref every
// ref the repository has, a deletion nothing.
func TestReceiveRevs(t *testing.T) {
	in := id('b') + " " + id('a') + " refs/heads/main\n" + zero + " " + id('c') + " refs/heads/new\n" + id('d') + " " + zero + " refs/heads/gone\n"
	updates, err := ReadReceiveLines(strings.NewReader(in))
	require.NoError(t, err)
	all := []source.ObjectID{plumbing.NewHash(id('e'))}
	repo := fakeRepo{commits: map[string]bool{id('a'): true, id('b'): true, id('c'): true},
		refs: map[string][]source.ObjectID{"refs/": all}}
	revs, err := ReceiveRevs(repo, updates)
	require.NoError(t, err)
	assert.Equal(t, []source.ObjectID{plumbing.NewHash(id('a')), plumbing.NewHash(id('c'))}, revs.Include)
	assert.Equal(t, []source.ObjectID{plumbing.NewHash(id('b')), all[0]}, revs.Exclude)
}

// Malformed input is an error naming its line.
func TestReadLinesRejectsBadInput(t *testing.T) {
	for _, in := range []string{"a b c\n", id('a') + " " + id('b') + "\n", "xyz " + id('a') + " refs/heads/x\n"} {
		_, err := ReadReceiveLines(strings.NewReader(in))
		assert.ErrorIs(t, err, ErrBadUpdate, in)
		assert.Contains(t, err.Error(), "line 1")
	}
	_, err := ReadPushLines(strings.NewReader("refs/heads/a " + id('a') + " refs/heads/a\n"))
	assert.ErrorIs(t, err, ErrBadUpdate)
}
