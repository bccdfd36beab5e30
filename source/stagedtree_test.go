package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// The staged scan skips what the index's cached tree shows unchanged and
// finds exactly what it finds walking all of HEAD: in each state git
// leaves the index (nothing staged, one nested file changed, a new file in
// an unchanged folder's sibling, a mode change, an intent-to-add, a
// committed and a newly staged submodule), the changes with the cached
// tree equal those without it, and some of HEAD was skipped.
func TestStagedSkipsUnchangedCachedTrees(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	git := func(args ...string) { fixture.Git(t, dir, args...) }
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	git("init", "-q", "-b", "main")
	for _, f := range []string{"top.txt", "bots/grid/config.yaml", "bots/grid/strategy.py", "bots/dca/config.yaml",
		"docs/ops/runbook.md", "docs/ops/keys/rotation.md", "docs/readme.md", "scripts/deploy.sh"} {
		write(f, "line one of "+f+"\nline two\n")
	}
	git("add", ".")
	git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("ab", 20)+",vendor/lib")
	git("commit", "-q", "-m", "one")

	steps := []struct {
		name    string
		do      func()
		changes int
	}{
		{"nothing staged", func() {}, 1}, // the committed submodule, as HEAD's files never list it
		{"one nested file changed", func() {
			write("docs/ops/keys/rotation.md", "line one\nBOT_SECRET=changed\n")
			git("add", "docs/ops/keys/rotation.md")
		}, 2},
		{"a new file beside unchanged folders", func() {
			write("bots/grid/new.env", "NEW=1\n")
			git("add", "bots/grid/new.env")
		}, 3},
		{"a mode change", func() { git("update-index", "--chmod=+x", "scripts/deploy.sh") }, 4},
		{"an intent-to-add", func() {
			write("bots/dca/later.py", "later\n")
			git("add", "-N", "bots/dca/later.py")
		}, 4},
		{"a new submodule", func() {
			git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("cd", 20)+",docs/ops/sub")
		}, 5},
	}
	r, err := OpenRepo(dir)
	require.NoError(t, err)
	for _, step := range steps {
		step.do()
		git("write-tree") // refreshes the cached tree as `git commit` would
		idx, err := r.index("")
		require.NoError(t, err, step.name)
		require.NotNil(t, idx.Tree, step.name)
		got, err := r.staged(idx)
		require.NoError(t, err, step.name)
		idx.Tree = nil
		want, err := r.staged(idx)
		require.NoError(t, err, step.name)
		assert.Equal(t, want, got, step.name)
		assert.Len(t, got, step.changes, step.name)
	}

	// Without write-tree, the added file's folders are invalidated and the
	// untouched one (holding the submodule) still skipped.
	write("bots/grid/config.yaml", "changed\n")
	git("add", "bots/grid/config.yaml")
	idx, err := r.index("")
	require.NoError(t, err)
	db, err := r.objects()
	require.NoError(t, err)
	w := &gitWalker{repo: r, rd: db.NewReader()}
	head, err := r.repo.Head()
	require.NoError(t, err)
	c, err := w.commit(head.Hash())
	require.NoError(t, err)
	hf, err := w.headFiles(c.tree, idx.Tree)
	require.NoError(t, err)
	assert.Contains(t, hf.skipped, "vendor/")
	assert.NotContains(t, hf.skipped, "bots/grid/")
	got, err := r.staged(idx)
	require.NoError(t, err)
	idx.Tree = nil
	want, err := r.staged(idx)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// A cached tree the index's entries contradict (a count that does not
// match the entries under its folder) is not trusted: HEAD's folder is
// read and the changes are those of a full walk.
func TestStagedDistrustsAContradictedCachedTree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	for _, f := range []string{"a/one.txt", "a/two.txt", "b/three.txt"} {
		p := filepath.Join(dir, f)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(f+"\n"), 0o644))
	}
	fixture.Git(t, dir, "add", ".")
	fixture.Git(t, dir, "commit", "-q", "-m", "one")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a", "two.txt"), []byte("TOKEN=changed\n"), 0o644))
	fixture.Git(t, dir, "add", "a/two.txt")
	r, err := OpenRepo(dir)
	require.NoError(t, err)
	idx, err := r.index("")
	require.NoError(t, err)
	want, err := r.staged(&gitIndex{Version: idx.Version, Entries: idx.Entries})
	require.NoError(t, err)
	require.Len(t, want, 1)
	// Claim "a" unchanged (HEAD's id) over one entry: a/one.txt alone
	// would pass, but the next entry is in "a" too, so HEAD's "a" is read
	// and a/two.txt's change still found.
	var headA *cachedTree
	for _, c := range idx.Tree.Children {
		if c.Name == "a" {
			headA = c
		}
	}
	require.NotNil(t, headA)
	rd, err := r.objects()
	require.NoError(t, err)
	w := &gitWalker{repo: r, rd: rd.NewReader()}
	ref, err := r.repo.Head()
	require.NoError(t, err)
	c, err := w.commit(ref.Hash())
	require.NoError(t, err)
	tree, err := w.tree(c.tree)
	require.NoError(t, err)
	for len(tree) > 0 {
		var e treeEntry
		e, tree, err = nextEntry(tree)
		require.NoError(t, err)
		if string(e.name) == "a" {
			copy(headA.Hash[:], e.hash)
		}
	}
	headA.Entries = 1
	hf, err := w.headFiles(c.tree, idx.Tree)
	require.NoError(t, err)
	require.Contains(t, hf.skipped, "a/")
	got, err := r.staged(idx)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
