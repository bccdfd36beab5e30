package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		r, err := OpenRepo(dir)
		require.NoError(t, err)
		revs, err := r.AllRefs()
		require.NoError(t, err)
		h, err := r.History(context.Background(), revs, HistoryWatch{})
		require.NoError(t, err)
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
		if got := entryBoundary(tree, commonPrefix(tree, tree)); got != len(tree) {
			t.Fatalf("last whole entry ends at %d of %d bytes", got, len(tree))
		}
	})
}
