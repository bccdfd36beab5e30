package source

import (
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A SumReader's sum is the whole file's, however much of it the scan read
// in order and whatever it read out of order (an archive's directory);
// -1 reads to the end (the sum is then not read again).
func TestSumReaderSumsTheWholeFile(t *testing.T) {
	dir := t.TempDir()
	data := make([]byte, 3<<20+17)
	rng := rand.New(rand.NewPCG(3, 9))
	for i := range data {
		data[i] = byte(rng.UintN(256))
	}
	path := filepath.Join(dir, "bot.log.gz")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	for _, read := range []int{0, 1, 4096, 1 << 20, len(data), len(data) + 10, -1} {
		sums := NewContentSums()
		f, err := os.Open(path)
		require.NoError(t, err)
		r := NewSumReader(f, path, sums)
		buf := make([]byte, 1000)
		_, err = r.ReadAt(buf, int64(len(data)-len(buf)))
		require.NoError(t, err)
		if read < 0 {
			_, err = io.ReadAll(r)
		} else {
			_, err = io.ReadFull(r, make([]byte, min(read, len(data))))
		}
		require.NoError(t, err)
		_, _ = r.ReadAt(buf, 5)
		r.Finish()
		require.NoError(t, f.Close())
		got, ok := sums.get(path)
		require.True(t, ok, "read %d", read)
		assert.Equal(t, sha256.Sum256(data), got, "read %d", read)
	}
}

// DigestFiles takes a sum a scan's read filed instead of reading the file
// again: the digest is the same, and a file gone since is not read.
func TestDigestFilesTakesTheScansSums(t *testing.T) {
	dir := t.TempDir()
	var files []File
	for _, p := range []string{"docs/a.md", "docs/b.md", "reports/c.md"} {
		abs := filepath.Join(dir, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(abs), 0o755))
		require.NoError(t, os.WriteFile(abs, []byte("text of "+p+"\n"), 0o644))
		files = append(files, File{Path: p, Abs: abs})
	}
	want, _, err := DigestFiles(context.Background(), files, nil, nil)
	require.NoError(t, err)
	sums := NewContentSums()
	for _, f := range files {
		fh, err := os.Open(f.Abs)
		require.NoError(t, err)
		NewSumReader(fh, f.Abs, sums).Finish()
		require.NoError(t, fh.Close())
		require.NoError(t, os.Remove(f.Abs))
	}
	got, n, err := DigestFiles(context.Background(), files, nil, sums)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 3, n)
	_, _, err = DigestFiles(context.Background(), files, nil, nil)
	assert.Error(t, err, "without the sums the files are read, and are gone")
}
