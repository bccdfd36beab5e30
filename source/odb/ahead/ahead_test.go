package ahead

import (
	"crypto/sha1"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestObjectsCommandDir(t *testing.T) {
	tests := []struct {
		name string
		args []string
		dir  string
		ok   bool
	}{
		{"the commit hook", []string{"scan", "--staged"}, ".", true},
		{"flags around", []string{"--no-color", "scan", "--quiet", "--staged", "--format", "json"}, ".", true},
		{"-C DIR", []string{"-C", "repo", "scan", "--staged"}, "repo", true},
		{"-CDIR", []string{"-Crepo", "scan", "--staged"}, "repo", true},
		{"-C=DIR", []string{"-C=repo", "scan", "--staged"}, "repo", true},
		{"--directory DIR", []string{"--directory", "/abs/repo", "scan", "--staged"}, "/abs/repo", true},
		{"--directory=DIR", []string{"scan", "--directory=repo", "--staged"}, "repo", true},
		{"a history scan", []string{"scan", "--history"}, ".", true},
		{"a range scan", []string{"scan", "--range", "main..HEAD"}, ".", true},
		{"a range scan, =", []string{"-C", "r", "scan", "--range=main..HEAD"}, "r", true},
		{"the pre-push hook", []string{"hook", "pre-push", "origin", "git@example.com:x.git"}, ".", true},
		{"the pre-receive hook", []string{"hook", "pre-receive"}, ".", true},
		{"a tree scan", []string{"scan", "."}, "", false},
		{"a file named pre-push", []string{"scan", "pre-push"}, "", false},
		{"hook install", []string{"hook", "install"}, "", false},
		{"rules test", []string{"rules", "test", "--staged"}, "", false},
		{"after --, paths", []string{"scan", "--", "--staged"}, "", false},
		{"-C without its value", []string{"scan", "--staged", "-C"}, "", false},
		{"empty -C", []string{"--directory=", "scan", "--staged"}, "", false},
		{"nothing", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, ok := objectsCommandDir(tt.args)
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, tt.dir, dir)
			}
		})
	}
}

// fakeIndex is n bytes ending with the SHA-1 of the rest (or not).
func fakeIndex(n int, sound bool) []byte {
	b := make([]byte, n)
	for i := range b[:n-20] {
		b[i] = byte(i * 7)
	}
	sum := sha1.Sum(b[:n-20])
	copy(b[n-20:], sum[:])
	if !sound {
		b[n-1] ^= 1
	}
	return b
}

func TestStartAndTake(t *testing.T) {
	for _, sound := range []bool{true, false} {
		dir := t.TempDir()
		big := filepath.Join(dir, "pack-b.idx")
		require.NoError(t, os.WriteFile(big, fakeIndex(4096, sound), 0o644))
		small := filepath.Join(dir, "pack-a.idx")
		require.NoError(t, os.WriteFile(small, fakeIndex(512, true), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "pack-c.pack"), make([]byte, 8192), 0o644))
		link := filepath.Join(t.TempDir(), "link.idx")
		require.NoError(t, os.Symlink(big, link))

		Start(dir, 1024)
		_, _, ok := Take(small)
		assert.False(t, ok, "another file: not the one mapped")
		data, sumOK, ok := Take(link) // the same file by another name
		require.True(t, ok)
		assert.Equal(t, sound, sumOK(), "the check's answer")
		assert.Equal(t, sound, SumOK(data), "is SumOK's")
		want, err := os.ReadFile(big)
		require.NoError(t, err)
		assert.Equal(t, want, data, "the mapping is the file")
		_, _, ok = Take(big)
		assert.False(t, ok, "taken once")
	}
}

// Nothing is mapped for small indexes, a missing directory, or a file
// replaced after it was mapped.
func TestStartLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	idx := filepath.Join(dir, "pack-a.idx")
	require.NoError(t, os.WriteFile(idx, fakeIndex(512, true), 0o644))
	Start(dir, 1024)
	_, _, ok := Take(idx)
	assert.False(t, ok, "under the least size")

	Start(filepath.Join(dir, "missing"), 0)
	_, _, ok = Take(idx)
	assert.False(t, ok)

	Start(dir, 0)
	require.NoError(t, os.Rename(idx, idx+".old"))
	require.NoError(t, os.WriteFile(idx, fakeIndex(512, true), 0o644))
	_, _, ok = Take(idx)
	assert.False(t, ok, "the path names another file now")
}

func TestPackDir(t *testing.T) {
	work := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(work, ".git", "objects", "pack"), 0o755))
	assert.Equal(t, work+"/.git/objects/pack", packDir(work))
	bare := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(bare, "objects", "pack"), 0o755))
	assert.Equal(t, bare+"/objects/pack", packDir(bare))
}

func TestSumOK(t *testing.T) {
	assert.True(t, SumOK(fakeIndex(64, true)))
	assert.False(t, SumOK(fakeIndex(64, false)))
	assert.False(t, SumOK(make([]byte, 19)))
}
