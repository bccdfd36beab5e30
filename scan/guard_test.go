package scan

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/source"
)

// panicOn makes the scan of path panic, as a bug met on some input would,
// for the test's duration.
func panicOn(t *testing.T, path string) {
	t.Helper()
	testHookScan = func(p string) {
		if p == path {
			panic("synthetic bug: index out of range [7] with length 3")
		}
	}
	t.Cleanup(func() { testHookScan = nil })
}

// A bug met on one file is that file's error (exit 2, naming it), never a
// crash of the whole process and never a pass: the other files are still
// judged, on every worker count.
func TestPanicIsTheFilesError(t *testing.T) {
	d := edgeDetector(t)
	dir := t.TempDir()
	for i, name := range []string{"a.env", "b.env", "c.env", "d.env"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(edgeLine(i)+"\n"), 0o600))
	}
	panicOn(t, "b.env")
	for _, workers := range []int{1, 2, 4} {
		w, err := source.Paths(dir, []string{"."})
		require.NoError(t, err)
		r := Files(context.Background(), Options{Detector: d, Workers: workers}, w)
		require.Len(t, r.Errors, 1, "workers %d", workers)
		assert.Contains(t, r.Errors[0], "b.env")
		assert.Contains(t, r.Errors[0], "internal error")
		var paths []string
		for _, f := range r.Findings {
			paths = append(paths, f.Path)
		}
		assert.ElementsMatch(t, []string{"a.env", "c.env", "d.env"}, paths, "workers %d", workers)
	}
}

// In a history scan a worker holds the scan's lock around each version:
// a panic there used to unwind into a deferred Unlock of a released mutex,
// a fatal error ("sync: unlock of unlocked mutex") that nothing recovers.
// It is now the version's error and the walk goes on.
func TestPanicInHistoryIsTheVersionsError(t *testing.T) {
	d := edgeDetector(t)
	dir := randomHistory(t, d, 30)
	repo, err := source.OpenRepo(dir)
	require.NoError(t, err)
	revs, err := repo.AllRefs()
	require.NoError(t, err)
	clean, err := History(context.Background(), repo, GitOptions{Options: Options{Detector: d, Workers: 2}, Revs: revs})
	require.NoError(t, err)
	require.Empty(t, clean.Errors)
	panicOn(t, "docs/c.md")
	for _, workers := range []int{1, 3} {
		r, err := History(context.Background(), repo, GitOptions{Options: Options{Detector: d, Workers: workers}, Revs: revs})
		require.NoError(t, err)
		require.NotEmpty(t, r.Errors, "workers %d", workers)
		for _, e := range r.Errors {
			assert.Contains(t, e, "docs/c.md")
			assert.Contains(t, e, "internal error")
		}
		var want, got []string
		for _, f := range clean.Findings {
			if f.Path != "docs/c.md" {
				want = append(want, f.Path+":"+f.Commit+":"+f.RuleID)
			}
		}
		for _, f := range r.Findings {
			got = append(got, f.Path+":"+f.Commit+":"+f.RuleID)
		}
		assert.ElementsMatch(t, want, got, "every other file's findings, workers %d", workers)
	}
}
