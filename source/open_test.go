package source

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A file the walk found regular may be a named pipe by the time it is
// opened: the open must not wait for a writer, and the pipe is not read.
func TestOpenRegularRefusesAPipeWithoutBlocking(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "swapped.md")
	require.NoError(t, syscall.Mkfifo(pipe, 0o644))
	_, _, err := OpenRegular(pipe)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no longer a regular file")

	file := filepath.Join(dir, "a.md")
	require.NoError(t, os.WriteFile(file, []byte("text\n"), 0o644))
	fh, size, err := OpenRegular(file)
	require.NoError(t, err)
	defer fh.Close()
	assert.Equal(t, int64(len("text\n")), size)
	buf := make([]byte, 16)
	n, err := fh.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "text\n", string(buf[:n]))
}
