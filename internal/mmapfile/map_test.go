package mmapfile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pack.idx")
	want := []byte("\xfftOc\x00\x00\x00\x02 the index's bytes")
	require.NoError(t, os.WriteFile(path, want, 0o644))
	f, err := os.Open(path)
	require.NoError(t, err)
	data, err := Map(f, int64(len(want)))
	require.NoError(t, err)
	require.NoError(t, f.Close(), "the mapping outlives the descriptor")
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		assert.Nil(t, data)
		return
	}
	assert.Equal(t, want, data)
	require.NoError(t, Unmap(data))

	empty := filepath.Join(t.TempDir(), "empty")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	f, err = os.Open(empty)
	require.NoError(t, err)
	defer f.Close()
	data, err = Map(f, 0)
	require.NoError(t, err)
	assert.Nil(t, data, "nothing to map")
	assert.NoError(t, Unmap(nil))
}
