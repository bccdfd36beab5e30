package source

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// A commit's tree reads as an fs.FS of its regular files, as the commit
// holds them whatever the work tree says.
func TestTreeFS(t *testing.T) {
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	write := func(name, content string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write(".keygate.yaml", "allow_paths: []\n")
	write("packs/extra.yaml", "name: extra\n")
	fixture.Git(t, dir, "add", "-A")
	fixture.Git(t, dir, "commit", "-q", "-m", "base")
	base := fixture.Git(t, dir, "rev-parse", "HEAD")
	write(".keygate.yaml", "allow_paths: ['**']\n")
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(dir, "link.yaml")))
	fixture.Git(t, dir, "add", "-A")
	fixture.Git(t, dir, "commit", "-q", "-m", "head")
	head := fixture.Git(t, dir, "rev-parse", "HEAD")
	write(".keygate.yaml", "uncommitted\n")

	r, err := OpenRepo(dir)
	require.NoError(t, err)
	revs, err := r.RangeRevs("HEAD~1..main")
	require.NoError(t, err)
	b, ok := revs.Base()
	require.True(t, ok)
	assert.Equal(t, base, b.String())

	for commit, want := range map[string]string{base: "allow_paths: []\n", head: "allow_paths: ['**']\n"} {
		fsys, err := r.TreeFS(commit)
		require.NoError(t, err)
		data, err := fs.ReadFile(fsys, ".keygate.yaml")
		require.NoError(t, err)
		assert.Equal(t, want, string(data))
		data, err = fs.ReadFile(fsys, "packs/extra.yaml")
		require.NoError(t, err)
		assert.Equal(t, "name: extra\n", string(data))
		// ReadFile's slice is the caller's: writing it changes no later
		// read. Open reads the object in place.
		copy(data, "XXXX")
		f, err := fsys.Open("packs/extra.yaml")
		require.NoError(t, err)
		opened, err := io.ReadAll(f)
		require.NoError(t, err)
		assert.Equal(t, "name: extra\n", string(opened))
		st, err := f.Stat()
		require.NoError(t, err)
		assert.Equal(t, "extra.yaml", st.Name())
		assert.EqualValues(t, 12, st.Size())
		require.NoError(t, f.Close())
		for _, missing := range []string{"nope.yaml", "packs", "link.yaml", "../x", "/etc/passwd"} {
			_, err = fs.ReadFile(fsys, missing)
			assert.True(t, errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid), "%s: %v", missing, err)
		}
	}
	_, err = r.TreeFS("main")
	assert.Error(t, err, "a tree is named by a full commit id")
}
