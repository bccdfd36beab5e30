package source

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/affix"
	"github.com/keygate/keygate/internal/fixture"
)

// Commits reachable only through tags, annotated and nested, are walked;
// a tag of a blob is no commit, and a broken ref is an error.
func TestHistoryFollowsTags(t *testing.T) {
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
		fixture.Git(t, dir, "add", name)
		fixture.Git(t, dir, "commit", "-q", "-m", name)
	}
	write("a.txt", "on main\n")
	fixture.Git(t, dir, "checkout", "-q", "-b", "gone")
	write("b.txt", "only under an annotated tag\n")
	fixture.Git(t, dir, "tag", "-a", "v1", "-m", "release")
	fixture.Git(t, dir, "tag", "-a", "v1-signed-off", "-m", "a tag of a tag", "v1")
	write("c.txt", "only under a lightweight tag\n")
	fixture.Git(t, dir, "tag", "light")
	fixture.Git(t, dir, "checkout", "-q", "main")
	fixture.Git(t, dir, "branch", "-q", "-D", "gone")
	fixture.Git(t, dir, "tag", "-d", "v1")
	blob := fixture.Git(t, dir, "rev-parse", "main:a.txt")
	fixture.Git(t, dir, "tag", "-a", "blobtag", "-m", "a tag of a blob", blob)

	for _, pack := range []bool{false, true} {
		if pack {
			fixture.Git(t, dir, "gc", "-q")
		}
		h := historyOfAllRefs(t, dir)
		var paths []string
		for _, b := range h.Blobs {
			paths = append(paths, b.Path)
		}
		assert.ElementsMatch(t, []string{"a.txt", "b.txt", "c.txt"}, paths, "packed: %v", pack)
		assert.Len(t, h.Commits, 3)
	}

	ref := filepath.Join(dir, ".git", "refs", "heads", "broken")
	require.NoError(t, os.WriteFile(ref, []byte(fmt.Sprintf("%040d\n", 7)), 0o644))
	r, err := OpenRepo(dir)
	require.NoError(t, err)
	_, err = r.AllRefs()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refs/heads/broken")
}

// FuzzTreeEntries: any raw tree, no panic; every entry parsed lies inside
// it, and where the whole tree parses, its last entry ends where the walk
// that skips a shared prefix finds the last whole entry.
func FuzzTreeEntries(f *testing.F) {
	f.Add([]byte("100644 a.txt\x00" + strings.Repeat("\x01", 20) + "40000 dir\x00" + strings.Repeat("\x02", 20)))
	f.Add([]byte("100644 \x00"))
	f.Fuzz(func(t *testing.T, tree []byte) {
		rest := tree
		for len(rest) > 0 {
			e, next, err := nextEntry(rest)
			if err != nil {
				return
			}
			if len(e.hash) != 20 || len(next) >= len(rest) {
				t.Fatalf("entry %q: hash of %d bytes, %d of %d bytes left", e.name, len(e.hash), len(next), len(rest))
			}
			rest = next
		}
		if got := entryBoundary(tree, affix.Prefix(tree, tree)); got != len(tree) {
			t.Fatalf("last whole entry ends at %d of %d bytes", got, len(tree))
		}
	})
}

// A path looked up with a memo shared across trees (tips that share
// subtrees, a merge's changed paths) finds what git finds at it: files,
// links only when asked, nothing at a directory, a missing name or a path
// through a file.
func TestLookupWithMemoFindsWhatGitFinds(t *testing.T) {
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	write := func(name, content string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
		fixture.Git(t, dir, "add", name)
	}
	write("a/b/c.txt", "one\n")
	write("a/b/d.txt", "two\n")
	write("a/e.txt", "three\n")
	require.NoError(t, os.Symlink("e.txt", filepath.Join(dir, "a", "link")))
	fixture.Git(t, dir, "add", "a/link")
	fixture.Git(t, dir, "commit", "-q", "-m", "first")
	write("a/b/c.txt", "one, changed\n") // a/b changes, a/e.txt's tree entry stays
	fixture.Git(t, dir, "commit", "-q", "-m", "second")

	r, err := OpenRepo(dir)
	require.NoError(t, err)
	db, err := r.objects()
	require.NoError(t, err)
	w := &gitWalker{repo: r, rd: db.NewReader()}
	paths := []string{"a/b/c.txt", "a/b/d.txt", "a/e.txt", "a/link", "a/b", "a", "a/x.txt", "x/y", "a/e.txt/z", "a/b/c.txt/z", ""}
	memo := entryMemo{}
	for _, rev := range []string{"HEAD~1", "HEAD", "HEAD~1"} {
		var root plumbing.Hash
		copy(root[:], mustHex(t, fixture.Git(t, dir, "rev-parse", rev+"^{tree}")))
		for _, p := range paths {
			for _, links := range []bool{false, true} {
				want := plumbing.ZeroHash
				if out := lsTree(t, dir, rev, p); out != "" {
					fields := strings.Fields(out)
					if fields[3] == p && (fields[0] == "100644" || links && fields[0] == "120000") {
						want = plumbing.NewHash(fields[2])
					}
				}
				got, err := w.lookupIn(memo, root, p, links)
				require.NoError(t, err)
				assert.Equal(t, want, got, "%s:%s links %v", rev, p, links)
				plain, err := w.lookup(root, p, links)
				require.NoError(t, err)
				assert.Equal(t, want, plain, "%s:%s links %v, no memo", rev, p, links)
			}
		}
	}
	// The tips' search finds, for all the paths at once, what lookupIn
	// finds (links taken) for each, with a memo shared across trees.
	trie := newPathTrie(paths)
	tipMemo := map[tipKey][]tipFile{}
	for _, rev := range []string{"HEAD~1", "HEAD", "HEAD~1"} {
		var root plumbing.Hash
		copy(root[:], mustHex(t, fixture.Git(t, dir, "rev-parse", rev+"^{tree}")))
		files, err := w.filesIn(tipMemo, root, trie)
		require.NoError(t, err)
		got := map[string]plumbing.Hash{}
		for _, f := range files {
			_, dup := got[paths[f.path]]
			require.False(t, dup, "%s found twice", paths[f.path])
			got[paths[f.path]] = f.blob
		}
		for _, p := range paths {
			want, err := w.lookup(root, p, true)
			require.NoError(t, err)
			assert.Equal(t, want, got[p], "%s:%s", rev, p)
		}
		assert.Len(t, got, 4, "%s: the three files and the link", rev)
	}
}

// lsTree is git's entry at path p of rev ("" for no path).
func lsTree(t *testing.T, dir, rev, p string) string {
	if p == "" {
		return ""
	}
	return fixture.Git(t, dir, "ls-tree", rev, "--", p)
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	h := plumbing.NewHash(s)
	require.False(t, h.IsZero(), s)
	return h[:]
}

// A history lists every commit with its author and date as git has them,
// from loose objects and from a pack, merges and branches included: what a
// finding reports of the commit that added it.
func TestHistoryListsCommitsAsGitDoes(t *testing.T) {
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	commit := func(name, author string, when int) {
		fixture.Write(t, dir, name, name+"\n")
		fixture.Git(t, dir, "add", name)
		cmd := exec.Command("git", "-C", dir, "commit", "-q", "-m", name, "--author", author+" <"+strings.ToLower(strings.ReplaceAll(author, " ", "."))+"@synthetic.invalid>")
		// Zones either side of UTC: a report gives the instant, in UTC.
		cmd.Env = append(os.Environ(), fmt.Sprintf("GIT_AUTHOR_DATE=@%d +0130", when), fmt.Sprintf("GIT_COMMITTER_DATE=@%d -0700", when+5))
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	for i := range 30 {
		commit(fmt.Sprintf("m%d.txt", i), fmt.Sprintf("Dev %d", i%3), 1700000000+i*60)
		if i == 15 {
			fixture.Git(t, dir, "checkout", "-q", "-b", "side")
			for k := range 4 {
				commit(fmt.Sprintf("s%d.txt", k), "Side Dev", 1700000000+i*60+k)
			}
			fixture.Git(t, dir, "checkout", "-q", "main")
		}
	}
	fixture.Git(t, dir, "merge", "-q", "--no-ff", "-m", "merge side", "side")
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(fixture.Git(t, dir, "log", "--all", "--format=%H %aI %an")), "\n") {
		id, rest, _ := strings.Cut(line, " ")
		date, name, _ := strings.Cut(rest, " ")
		at, err := time.Parse(time.RFC3339, date)
		require.NoError(t, err)
		want[id] = at.UTC().Format(time.RFC3339) + " " + name
	}
	for _, packed := range []bool{false, true} {
		if packed {
			fixture.Git(t, dir, "gc", "-q")
		}
		h := historyOfAllRefs(t, dir)
		got := map[string]string{}
		for _, c := range h.Commits {
			assert.Equal(t, time.UTC, c.Date.Location(), "in UTC")
			got[c.ID] = c.Date.Format(time.RFC3339) + " " + c.Author
		}
		assert.Equal(t, want, got, "packed: %v", packed)
	}
}

// historyOfAllRefs is the history of every ref of the repository at dir,
// as a history scan walks it.
func historyOfAllRefs(t *testing.T, dir string) *History {
	t.Helper()
	r, err := OpenRepo(dir)
	require.NoError(t, err)
	revs, err := r.AllRefs()
	require.NoError(t, err)
	h, err := r.History(context.Background(), revs, HistoryWatch{})
	require.NoError(t, err)
	return h
}
