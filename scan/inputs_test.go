package scan

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/source"
)

// A working-tree scan sums each file as it reads it, so the inputs digest
// reads nothing again; the digest is the one `keygate verify` recomputes
// from the files, for every kind of content: text, a file past one chunk,
// gzip (read in order), zip (read out of order), a binary, an empty file.
func TestScanSumsWhatItReads(t *testing.T) {
	d := edgeDetector(t)
	dir := t.TempDir()
	write := func(name string, data []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	write("notes.md", []byte(edgeLine(0)+"\nrotate monthly\n"))
	write("big.log", []byte(strings.Repeat("2026-11-07 INFO bot=BOT1 order filled qty=0.01\n", 200000)))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(edgeLine(1) + "\n"))
	require.NoError(t, zw.Close())
	write("old.log.gz", gz.Bytes())
	var zb bytes.Buffer
	za := zip.NewWriter(&zb)
	m, err := za.Create("inner/config.env")
	require.NoError(t, err)
	_, _ = m.Write([]byte(edgeLine(2) + "\n"))
	require.NoError(t, za.Close())
	write("bundle.zip", zb.Bytes())
	write("blob.bin", append([]byte{0, 1, 2, 0xff, 0}, bytes.Repeat([]byte{0x8f, 0, 'k'}, 5000)...))
	write("empty.txt", nil)

	w, err := source.Paths(dir, []string{"."})
	require.NoError(t, err)
	sums := source.NewContentSums()
	r := Files(context.Background(), Options{Detector: d, sums: sums}, w)
	require.Empty(t, r.Errors)
	require.NotEmpty(t, r.Findings)
	want, n, err := source.DigestFiles(context.Background(), w.Files, nil, nil)
	require.NoError(t, err)
	require.Equal(t, 6, n)
	for _, f := range w.Files {
		require.NoError(t, os.Remove(f.Abs))
	}
	got, _, err := source.DigestFiles(context.Background(), w.Files, nil, sums)
	require.NoError(t, err, "every file was summed as the scan read it")
	assert.Equal(t, want, got)
}
