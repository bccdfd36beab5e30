package scan

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// A file the walk listed and that is gone (or no longer a regular file)
// when the scan opens it is that file's error, never a silent pass: the
// walk does not stat each file, the scan's open checks it.
func TestFileGoneAfterTheWalkIsAnError(t *testing.T) {
	d := edgeDetector(t)
	dir := t.TempDir()
	for _, name := range []string{"a.md", "b.md", "c.md"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(edgeLine(0)+"\n"), 0o600))
	}
	w, err := source.Paths(dir, []string{"."})
	require.NoError(t, err)
	require.Len(t, w.Files, 3)
	require.NoError(t, os.Remove(filepath.Join(dir, "b.md")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "b.md"), 0o600))
	require.NoError(t, os.Remove(filepath.Join(dir, "c.md")))
	r := Files(context.Background(), Options{Detector: d}, w)
	require.Len(t, r.Errors, 2, "%q", r.Errors)
	assert.Contains(t, r.Errors[0], "b.md")
	assert.Contains(t, r.Errors[0], "no longer a regular file")
	assert.Contains(t, r.Errors[1], "c.md")
	require.Len(t, r.Findings, 1)
	assert.Equal(t, "a.md", r.Findings[0].Path)
}
