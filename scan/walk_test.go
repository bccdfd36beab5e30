package scan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/source"
)

// A working tree scanned while it is walked gives what scanning the walked
// list gives: the same findings in the list's order, though the walk meets
// `a/b/c.md` before `a/b.md`, which the list sorts first. A scan cancelled
// meanwhile says it was interrupted, and a file listed but never given to
// the workers is that file's error: never a pass.
func TestScanWhileWalking(t *testing.T) {
	d := edgeDetector(t)
	dir := t.TempDir()
	for i, name := range []string{"a/b/c.md", "a/b.md", "a/b-notes.md", "z.md", "a/b/d/e.md", "m/n.md"} {
		abs := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(abs), 0o755))
		require.NoError(t, os.WriteFile(abs, []byte("intro\n"+edgeLine(i)+"\n"), 0o600))
	}
	var order []string
	walk := func(found func(source.File)) (*source.FileList, error) {
		return source.Lister{Found: func(f source.File) {
			order = append(order, f.Path)
			found(f)
		}}.Paths(dir, []string{"."})
	}
	opts := Options{Detector: d}
	ctx := context.Background()
	got, w, err := opts.scanFiles(ctx, walk)
	require.NoError(t, err)
	assert.Less(t, slices.Index(order, "a/b/c.md"), slices.Index(order, "a/b.md"), "the walk's order is not the list's")

	want := Files(ctx, opts, w) // the same list, given in its own order
	require.Len(t, got.Findings, 6)
	assert.True(t, slices.IsSortedFunc(got.Findings, func(a, b Finding) int { return strings.Compare(a.Path, b.Path) }))
	assert.Equal(t, want.Findings, got.Findings)
	assert.Empty(t, got.Errors)
	assert.Equal(t, 6, got.FilesScanned)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	r, _, err := opts.scanFiles(cancelled, walk)
	require.NoError(t, err)
	assert.Equal(t, []string{"scan interrupted: context canceled"}, r.Errors)

	// A walk that lists a file it never gives to the workers.
	r, _, err = opts.scanFiles(ctx, func(found func(source.File)) (*source.FileList, error) {
		return source.Paths(dir, []string{"."})
	})
	require.NoError(t, err)
	require.Len(t, r.Errors, 6)
	assert.Contains(t, r.Errors[0], "listed but not scanned")
	assert.Empty(t, r.Findings)
}
