package source

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// The history walk takes the commits git's rev-list takes for the same
// set (include --not exclude), on a history of branches and merges whose
// commits mostly share a committer second (as a script or a rebase makes
// them) and some dated out of order.
func TestRevsWalkMatchesRevList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	rng := rand.New(rand.NewPCG(1, 2))
	var commits []string
	commit := func(n int) string {
		name := fmt.Sprintf("f%d.txt", rng.IntN(6))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(fmt.Sprint(n)), 0o644))
		fixture.Git(t, dir, "add", name)
		// Dates go back and forth by a few seconds (clock skew across
		// machines), most commits on the same second.
		date := fmt.Sprintf("@%d +0000", 1_700_000_000+rng.IntN(3))
		cmd := exec.Command("git", "-C", dir, "-c", "user.name=Ops", "-c", "user.email=ops@synthetic.invalid", "commit", "-q", "-m", fmt.Sprint(n))
		cmd.Env = append(os.Environ(), "GIT_COMMITTER_DATE="+date, "GIT_AUTHOR_DATE="+date, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		return fixture.Git(t, dir, "rev-parse", "HEAD")
	}
	commits = append(commits, commit(-1))
	branches := []string{"main"}
	for n := range 60 {
		b := branches[rng.IntN(len(branches))]
		fixture.Git(t, dir, "checkout", "-q", b)
		switch rng.IntN(6) {
		case 0:
			nb := fmt.Sprintf("b%d", n)
			fixture.Git(t, dir, "checkout", "-q", "-b", nb)
			branches = append(branches, nb)
		case 1:
			other := branches[rng.IntN(len(branches))]
			if other != b {
				fixture.Git(t, dir, "merge", "-q", "--no-edit", "-s", "ours", other)
			}
		}
		commits = append(commits, commit(n))
	}
	r, err := OpenRepo(dir)
	require.NoError(t, err)
	db, err := r.objects()
	require.NoError(t, err)
	w := &gitWalker{repo: r, rd: db.NewReader(), boundary: map[ObjectID]bool{}}
	pick := func(n int) []string {
		var out []string
		for range n {
			out = append(out, commits[rng.IntN(len(commits))])
		}
		return out
	}
	for i := range 40 {
		include, exclude := pick(1+rng.IntN(2)), pick(rng.IntN(3))
		args := append([]string{"rev-list"}, include...)
		if len(exclude) > 0 {
			args = append(append(args, "--not"), exclude...)
		}
		want := append([]string{}, strings.Fields(fixture.Git(t, dir, args...))...)
		var revs Revs
		for _, h := range include {
			revs.Include = append(revs.Include, mustHash(t, h))
		}
		for _, h := range exclude {
			revs.Exclude = append(revs.Exclude, mustHash(t, h))
		}
		got, err := w.commits(revs)
		require.NoError(t, err)
		ids := []string{}
		for _, c := range got {
			ids = append(ids, c.hash.String())
		}
		sort.Strings(want)
		sort.Strings(ids)
		assert.Equal(t, want, ids, "case %d: %v --not %v", i, include, exclude)
	}

	all, err := r.AllRefs()
	require.NoError(t, err)
	h, err := r.History(context.Background(), all, HistoryWatch{})
	require.NoError(t, err)
	assert.Len(t, h.Commits, len(strings.Fields(fixture.Git(t, dir, "rev-list", "--all"))))
	none, err := r.History(context.Background(), Revs{}, HistoryWatch{})
	require.NoError(t, err)
	assert.Empty(t, none.Commits, "an empty set is empty, not everything")
}

func mustHash(t *testing.T, hex string) ObjectID {
	t.Helper()
	require.True(t, plumbing.IsHash(hex), hex)
	return plumbing.NewHash(hex)
}

// The go-git fallback reads a quarantine directory too: its storage is
// opened on the directory as it is named.
func TestObjectsAtReadsAnObjectsDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "--bare")
	quarantine := filepath.Join(dir, "objects", "tmp_objdir-incoming-x")
	require.NoError(t, os.MkdirAll(quarantine, 0o755))
	cmd := exec.Command("git", "hash-object", "-w", "--stdin")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("in quarantine\n")
	cmd.Env = append(os.Environ(), "GIT_OBJECT_DIRECTORY="+quarantine)
	out, err := cmd.Output()
	require.NoError(t, err)
	id := mustHash(t, strings.TrimSpace(string(out)))
	o, err := objectsAt(quarantine).EncodedObject(plumbing.AnyObject, id)
	require.NoError(t, err)
	assert.Equal(t, plumbing.BlobObject, o.Type())
	_, err = objectsAt(t.TempDir()).EncodedObject(plumbing.AnyObject, id)
	assert.ErrorIs(t, err, plumbing.ErrObjectNotFound)
}
