package report

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/scan"
)

// A passing report past its age is ErrStale, and its message says what to
// do in the library's terms: the CLI adds its command.
func TestVerifyStale(t *testing.T) {
	t.Parallel()
	generated := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "latest.json")
	rep := New(&scan.Result{Mode: scan.ModePaths, FilesScanned: 1}, Meta{Version: "test", Now: generated})
	require.NoError(t, rep.WriteFile(path))

	v, err := Verify(path, 2*time.Hour, generated.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, time.Hour, v.Age)

	_, err = Verify(path, 2*time.Hour, generated.Add(3*time.Hour))
	require.ErrorIs(t, err, ErrStale)
	assert.NotErrorIs(t, err, ErrUnreadable)
	assert.Equal(t, path+": stale: generated 3h0m0s ago, more than the 2h0m0s allowed; scan again", err.Error())
}
