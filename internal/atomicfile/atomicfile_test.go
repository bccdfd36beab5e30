package atomicfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "env", ".env")
	require.NoError(t, Write(path, []byte("A=1\n"), 0o600))
	require.NoError(t, Write(path, []byte("A=2\n"), 0o600))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "A=2\n", string(data))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	left, _ := filepath.Glob(filepath.Join(dir, "env", "..env.tmp-*"))
	assert.Empty(t, left, "no temp file remains")
}

// A write that cannot complete names the file, keeps the old content and
// leaves no temp file.
func TestWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "target")
	require.NoError(t, os.Mkdir(path, 0o755)) // a directory cannot be replaced by a file
	err := Write(path, []byte("x"), 0o600)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "write "+path)
	left, _ := filepath.Glob(filepath.Join(dir, ".target.tmp-*"))
	assert.Empty(t, left)
}

// The rename replaces a symbolic link itself, not its target: why
// rotate refuses a symlinked env file.
func TestWriteReplacesALinkNotItsTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.env")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o600))
	link := filepath.Join(dir, "link.env")
	require.NoError(t, os.Symlink(target, link))
	require.NoError(t, Write(link, []byte("new"), 0o600))
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, fi.Mode().IsRegular())
	data, _ := os.ReadFile(target)
	assert.Equal(t, "old", string(data))
}
