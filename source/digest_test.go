package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The files are hashed on several goroutines; the digest is the one of
// each path and its content's SHA-256 in path order, whatever the order
// of the list, the excluded paths left out, and an unreadable file is the
// error of the first such file in path order.
func TestDigestFilesIsEachFileInPathOrder(t *testing.T) {
	dir := t.TempDir()
	var files []File
	for i := range 40 {
		p := fmt.Sprintf("d%d/f%02d.txt", i%3, (i*7)%40)
		abs := filepath.Join(dir, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(abs), 0o755))
		require.NoError(t, os.WriteFile(abs, []byte(strings.Repeat(p, i*500)), 0o644))
		files = append(files, File{Path: p, Abs: abs})
	}
	exclude := []string{files[3].Path, files[17].Path}
	want := func(files []File) string {
		var kept []File
		for _, f := range files {
			if f.Path != exclude[0] && f.Path != exclude[1] {
				kept = append(kept, f)
			}
		}
		sort.Slice(kept, func(i, j int) bool { return kept[i].Path < kept[j].Path })
		all := sha256.New()
		for _, f := range kept {
			b, err := os.ReadFile(f.Abs)
			require.NoError(t, err)
			fmt.Fprintf(all, "%q %x\n", f.Path, sha256.Sum256(b))
		}
		return DigestPrefix + hex.EncodeToString(all.Sum(nil))
	}(files)

	got, n, err := DigestFiles(context.Background(), files, exclude, nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 38, n)
	reversed := make([]File, len(files))
	for i, f := range files {
		reversed[len(files)-1-i] = f
	}
	got, _, err = DigestFiles(context.Background(), reversed, exclude, nil)
	require.NoError(t, err)
	assert.Equal(t, want, got, "the list's order does not matter")

	gone := append(append([]File{}, files...), File{Path: "d9/zz.txt", Abs: filepath.Join(dir, "d9/zz.txt")}, File{Path: "d9/aa.txt", Abs: filepath.Join(dir, "d9/aa.txt")})
	_, _, err = DigestFiles(context.Background(), gone, exclude, nil)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "d9/aa.txt: "), err.Error())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = DigestFiles(ctx, files, exclude, nil)
	assert.ErrorIs(t, err, context.Canceled)
}
