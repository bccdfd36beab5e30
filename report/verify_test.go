package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/scan"
	"github.com/keygate/keygate/source"
)

func pack(t *testing.T) *rules.Pack {
	p, err := rules.Default()
	require.NoError(t, err)
	return p
}

// evidence is the result of a complete scan of one file.
func evidence() *scan.Result {
	return &scan.Result{Mode: scan.ModePaths, FilesScanned: 1,
		Inputs: &scan.Inputs{Kind: scan.InputFiles, Digest: "sha256:" + strings.Repeat("ab", 32), Count: 1}}
}

// A pass that proves nothing is refused, each with its reason: a
// hand-written one (fresh date, no rule pack, 0 files), a scan of 0 files,
// one that left a file unread, one without an inputs digest.
func TestVerifyRefusesEmptyEvidence(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	forged := filepath.Join(dir, "forged.json")
	require.NoError(t, os.WriteFile(forged, []byte(`{"schema_version": 1, "status": "pass", "generated_at": "2026-11-01T09:59:00Z",
 "summary": {"files_scanned": 0, "findings": 0}, "findings": [], "errors": []}`), 0o644))
	_, err := Verify(forged, time.Hour, now)
	require.ErrorIs(t, err, ErrNoEvidence)
	assert.Contains(t, err.Error(), "it names no rule pack")

	cases := map[string]struct {
		edit func(*scan.Result)
		want string
	}{
		"0 files":   {func(r *scan.Result) { r.FilesScanned = 0 }, "0 files scanned"},
		"unread":    {func(r *scan.Result) { r.Skipped = []source.Skip{{Path: "reports/x.zip", Reason: "binary"}} }, "1 file in scope not read and not excused by skip: (the first: reports/x.zip: binary)"},
		"no inputs": {func(r *scan.Result) { r.Inputs = nil }, "it has no inputs digest"},
		"history":   {func(r *scan.Result) { r.Mode = scan.ModeHistory }, "0 commits scanned"},
	}
	for name, c := range cases {
		res := evidence()
		c.edit(res)
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		require.NoError(t, New(res, Meta{Version: "test", Now: now, Pack: pack(t)}).WriteFile(path))
		_, err := Verify(path, time.Hour, now)
		require.ErrorIs(t, err, ErrNoEvidence, name)
		assert.Contains(t, err.Error(), c.want, name)
	}
	res := evidence()
	res.Skipped = []source.Skip{{Path: "reports/a.parquet", Reason: "skip: columnar data (binary)", Configured: true}}
	path := filepath.Join(dir, "excused.json")
	require.NoError(t, New(res, Meta{Version: "test", Now: now, Pack: pack(t)}).WriteFile(path))
	_, err = Verify(path, time.Hour, now)
	require.NoError(t, err, "a file skip: excuses does not block")
}

// A passing report past its age is ErrStale, and its message says what to
// do in the library's terms: the CLI adds its command.
func TestVerifyStale(t *testing.T) {
	t.Parallel()
	generated := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "latest.json")
	rep := New(evidence(), Meta{Version: "test", Now: generated, Pack: pack(t)})
	require.NoError(t, rep.WriteFile(path))

	v, err := Verify(path, 2*time.Hour, generated.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, time.Hour, v.Age)

	_, err = Verify(path, 2*time.Hour, generated.Add(3*time.Hour))
	require.ErrorIs(t, err, ErrStale)
	assert.NotErrorIs(t, err, ErrUnreadable)
	assert.Equal(t, path+": stale: generated 3h0m0s ago, more than the 2h0m0s allowed; scan again", err.Error())
}
