package scan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/source"
)

// A working tree scanned while it is walked gives what scanning the walked
// list gives: the same findings in the same order, though the walk meets
// `a/b/c.md` before `a/b.md`, which the list sorts first. A scan cancelled
// meanwhile says it was interrupted.
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
	w, frags, results, interrupted, err := opts.scanWalk(ctx, walk)
	require.NoError(t, err)
	require.NoError(t, interrupted)
	assert.Less(t, slices.Index(order, "a/b/c.md"), slices.Index(order, "a/b.md"), "the walk's order is not the list's")
	got := opts.filesResult(ctx, w, frags, results, interrupted, time.Now())

	listed, err := source.Paths(dir, []string{"."})
	require.NoError(t, err)
	want := Files(ctx, opts, listed)
	require.Len(t, got.Findings, 6)
	assert.Equal(t, want.Findings, got.Findings)
	assert.Equal(t, want.Errors, got.Errors)
	assert.Equal(t, want.FilesScanned, got.FilesScanned)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	w, frags, results, interrupted, err = opts.scanWalk(cancelled, walk)
	require.NoError(t, err)
	require.ErrorIs(t, interrupted, context.Canceled)
	r := opts.filesResult(cancelled, w, frags, results, interrupted, time.Now())
	assert.Contains(t, r.Errors, "scan interrupted: context canceled")
}
