package source

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// realIndex is an index file as the git CLI wrote it.
type realIndex struct {
	name    string
	data    []byte
	version uint32
	// partial: the cached tree holds invalidated directories.
	partial bool
}

// realIndexes builds one repository with files in nested folders and
// snapshots its index as git rewrites it: after a commit (every directory
// cached), after `git add` in nested folders (part invalidated), in
// version 3 with an intent-to-add and a skip-worktree entry, and in
// version 4 (prefix-compressed names).
func realIndexes(t testing.TB) []realIndex {
	dir := t.TempDir()
	git := func(args ...string) { fixture.Git(t, dir, args...) }
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	snap := func(name string, version uint32, partial bool) realIndex {
		data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		require.NoError(t, err)
		return realIndex{name, data, version, partial}
	}
	git("init", "-q", "-b", "main")
	for _, f := range []string{"top.txt", "bots/grid/config.yaml", "bots/grid/strategy.py", "bots/dca/config.yaml",
		"docs/ops/runbook.md", "docs/ops/keys/rotation.md", "docs/readme.md", "scripts/deploy.sh"} {
		write(f, "synthetic content of "+f+"\n")
	}
	git("add", ".")
	git("commit", "-q", "-m", "one")
	var out []realIndex
	out = append(out, snap("v2 after a commit", 2, false))

	write("bots/grid/config.yaml", "changed\n")
	write("docs/ops/keys/new.md", "new file\n")
	git("add", "bots/grid/config.yaml", "docs/ops/keys/new.md")
	out = append(out, snap("v2 after git add in nested folders", 2, true))

	git("update-index", "--index-version", "3")
	write("bots/dca/later.py", "intent to add\n")
	git("add", "-N", "bots/dca/later.py")
	git("update-index", "--skip-worktree", "docs/readme.md")
	out = append(out, snap("v3 with intent-to-add and skip-worktree", 3, true))

	git("update-index", "--index-version", "4")
	out = append(out, snap("v4 after the same", 4, true))

	git("commit", "-q", "-m", "two")
	write("scripts/deploy.sh", "changed again\n")
	git("add", "scripts/deploy.sh")
	out = append(out, snap("v4 after another commit and add", 4, true))
	return out
}

// goGitIndex decodes data with go-git's decoder.
func goGitIndex(data []byte) (*index.Index, error) {
	var idx index.Index
	err := index.NewDecoder(bytes.NewReader(data)).Decode(&idx)
	return &idx, err
}

// flatTree lists a cached tree as go-git's decoder does: pre-order, the
// invalidated directories left out.
func flatTree(t *cachedTree) []index.TreeEntry {
	var out []index.TreeEntry
	var walk func(*cachedTree)
	walk = func(t *cachedTree) {
		if t.Entries >= 0 {
			out = append(out, index.TreeEntry{Path: t.Name, Entries: t.Entries, Trees: len(t.Children), Hash: t.Hash})
		}
		for _, c := range t.Children {
			walk(c)
		}
	}
	if t != nil {
		walk(t)
	}
	return out
}

// sameAsGoGit fails t unless idx holds go-git's entries and cached tree.
func sameAsGoGit(t testing.TB, want *index.Index, idx *gitIndex) {
	t.Helper()
	require.Equal(t, want.Version, idx.Version)
	require.Len(t, idx.Entries, len(want.Entries))
	for i, w := range want.Entries {
		require.Equal(t, indexEntry{Name: w.Name, Hash: w.Hash, Mode: w.Mode, Stage: int(w.Stage),
			IntentToAdd: w.IntentToAdd, SkipWorktree: w.SkipWorktree}, idx.Entries[i], "entry %d", i)
	}
	var wantTree []index.TreeEntry
	if want.Cache != nil {
		wantTree = want.Cache.Entries
	}
	require.Equal(t, wantTree, flatTree(idx.Tree))
}

// Indexes the git CLI wrote read as go-git reads them, entry by entry and
// cached tree by cached tree, without falling back to go-git.
func TestIndexReadsWhatGitWrites(t *testing.T) {
	t.Parallel()
	for _, tc := range realIndexes(t) {
		t.Run(tc.name, func(t *testing.T) {
			want, err := goGitIndex(tc.data)
			require.NoError(t, err)
			idx, err := parseIndex(tc.data)
			require.NoError(t, err)
			assert.Equal(t, tc.version, idx.Version)
			sameAsGoGit(t, want, idx)
			require.NotNil(t, idx.Tree, "git writes a cached tree")
			invalid := false
			var walk func(*cachedTree)
			walk = func(c *cachedTree) {
				invalid = invalid || c.Entries < 0
				for _, s := range c.Children {
					walk(s)
				}
			}
			walk(idx.Tree)
			assert.Equal(t, tc.partial, invalid, "invalidated directories in the cached tree")
			if tc.version == 3 {
				flags := map[string][2]bool{}
				for _, e := range idx.Entries {
					flags[e.Name] = [2]bool{e.IntentToAdd, e.SkipWorktree}
				}
				assert.Equal(t, [2]bool{true, false}, flags["bots/dca/later.py"])
				assert.Equal(t, [2]bool{false, true}, flags["docs/readme.md"])
			}
		})
	}
}

// A split index and a sparse index are left to go-git's decoder, which
// decides (it refuses both's mandatory extensions today).
func TestIndexLeavesSplitAndSparseToGoGit(t *testing.T) {
	t.Parallel()
	for name, setup := range map[string][][]string{
		"split index":  {{"update-index", "--split-index"}},
		"sparse index": {{"sparse-checkout", "init", "--cone", "--sparse-index"}, {"sparse-checkout", "set", "docs"}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			fixture.Git(t, dir, "init", "-q", "-b", "main")
			for _, f := range []string{"docs/a.md", "bots/b.py", "bots/deep/c.py"} {
				p := filepath.Join(dir, f)
				require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
				require.NoError(t, os.WriteFile(p, []byte(f+"\n"), 0o644))
			}
			fixture.Git(t, dir, "add", ".")
			fixture.Git(t, dir, "commit", "-q", "-m", "one")
			for _, args := range setup {
				fixture.Git(t, dir, args...)
			}
			data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
			require.NoError(t, err)
			_, err = parseIndex(data)
			require.ErrorIs(t, err, errIndexFallback)
			want, wantErr := goGitIndex(data)
			idx, err := decodeIndex(data)
			if wantErr != nil {
				require.ErrorIs(t, err, ErrIndexCorrupt)
				assert.ErrorContains(t, err, wantErr.Error())
				return
			}
			require.NoError(t, err)
			want.Cache = nil // the fallback keeps no cached tree
			sameAsGoGit(t, want, idx)
		})
	}
}

// withChecksum replaces data's last 20 bytes with the SHA-1 of the rest.
func withChecksum(data []byte) []byte {
	if len(data) < sha1.Size {
		return data
	}
	out := bytes.Clone(data)
	sum := sha1.Sum(out[:len(out)-sha1.Size])
	copy(out[len(out)-sha1.Size:], sum[:])
	return out
}

// Damaged indexes are errors wrapping ErrIndexCorrupt, never a panic or a
// large allocation.
func TestIndexCorrupt(t *testing.T) {
	t.Parallel()
	good := realIndexes(t)[1].data
	cases := map[string][]byte{
		"empty":              nil,
		"not an index":       []byte("DIRC garbage, not an index"),
		"checksum flipped":   append(bytes.Clone(good[:len(good)-1]), good[len(good)-1]^1),
		"truncated":          good[:len(good)/2],
		"version 5":          withChecksum(append(append([]byte("DIRC"), 0, 0, 0, 5), good[8:]...)),
		"4 billion entries":  withChecksum(append(append(bytes.Clone(good[:8]), 0xff, 0xff, 0xff, 0xff), good[12:]...)),
		"one entry too many": withChecksum(binary.BigEndian.AppendUint32(bytes.Clone(good[:8]), binary.BigEndian.Uint32(good[8:])+1)),
		"extension too long": withChecksum(append(bytes.Clone(good[:len(good)-20]), append([]byte("ZZZZ\xff\xff\xff\xff"), make([]byte, 20)...)...)),
		"stray bytes":        withChecksum(append(bytes.Clone(good[:len(good)-20]), append([]byte("ZZ"), make([]byte, 20)...)...)),
	}
	cases["one entry too many"] = withChecksum(append(cases["one entry too many"], good[12:]...))
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := decodeIndex(data)
			require.ErrorIs(t, err, ErrIndexCorrupt)
			_, goErr := goGitIndex(data)
			assert.Error(t, goErr, "go-git's decoder refuses it too")
		})
	}
}

// FuzzIndex: our reader and go-git's decoder accept the same indexes and
// read the same entries and cached tree from them. Each input is tried as
// given and with its checksum made right, so the fuzzer reaches past it.
func FuzzIndex(f *testing.F) {
	for _, tc := range realIndexes(f) {
		f.Add(tc.data)
	}
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00" + strings.Repeat("\x00", 20)))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range [][]byte{data, withChecksum(data)} {
			idx, err := parseIndex(in)
			if err == errIndexFallback {
				continue // go-git decides these
			}
			want, wantErr := goGitIndex(in)
			if (err == nil) != (wantErr == nil) {
				t.Fatalf("ours: %v; go-git: %v", err, wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), ErrIndexCorrupt.Error()) {
					t.Fatalf("error without ErrIndexCorrupt: %v", err)
				}
				continue
			}
			sameAsGoGit(t, want, idx)
		}
	})
}
