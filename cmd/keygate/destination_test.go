package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// A cloned repository decides what its reports/ directory is: a symlink
// leading out of it must not make keygate write there, and its
// configuration must not name a file outside it.
func TestReportsStayInsideTheRepository(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) (dir, outside string) {
		dir, outside = t.TempDir(), t.TempDir()
		fixture.Write(t, dir, "docs/a.md", "fine\n")
		return dir, outside
	}
	assertNothingIn := func(t *testing.T, dir string) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Empty(t, entries, "nothing written outside the repository")
	}

	t.Run("symlinked reports/security", func(t *testing.T) {
		dir, outside := setup(t)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "reports"), 0o755))
		require.NoError(t, os.Symlink(outside, filepath.Join(dir, "reports/security")))
		for _, args := range [][]string{{"scan"}, {"scan", "--report", "reports/security/other.json"}, {"scan", "--sarif", "reports/security/k.sarif", "--report", "out.json"}} {
			res := runCLI(t, dir, nil, args...)
			assert.Equal(t, exitUsage, res.code, "%v: %s", args, res.combined)
			assert.Contains(t, res.stderr, "a symlink leading to "+evalOr(outside), args)
		}
		assertNothingIn(t, outside)
	})
	t.Run("symlinked reports", func(t *testing.T) {
		dir, outside := setup(t)
		require.NoError(t, os.Symlink(outside, filepath.Join(dir, "reports")))
		res := runCLI(t, dir, nil, "scan")
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.stderr, "outside the repository")
		assertNothingIn(t, outside)
	})
	t.Run("configured outside", func(t *testing.T) {
		dir, outside := setup(t)
		fixture.Write(t, dir, ".keygate.yaml", "report: ../"+filepath.Base(outside)+"/latest.json\nbaseline: "+filepath.Join(outside, "b.json")+"\n")
		res := runCLI(t, dir, nil, "scan")
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.stderr, "a path from the configuration must be inside")
		assert.Contains(t, res.stderr, "give --report or --sarif to write elsewhere", "scan names its flags")
		res = runCLI(t, dir, nil, "baseline")
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.stderr, "a path from the configuration must be inside")
		assert.NotContains(t, res.stderr, "--report", "baseline has no --report to offer")
		assertNothingIn(t, outside)
	})
	t.Run("a symlink inside the repository, and a path the user typed", func(t *testing.T) {
		dir, outside := setup(t)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "build/reports"), 0o755))
		require.NoError(t, os.Symlink("build/reports", filepath.Join(dir, "reports")))
		// The hygiene scan reads a linked folder only when told to.
		fixture.Write(t, dir, ".keygate.yaml", "follow_symlinks: [reports]\n")
		res := runCLI(t, dir, nil, "scan")
		assert.Equal(t, exitPass, res.code, res.combined)
		assert.FileExists(t, filepath.Join(dir, "build/reports/security/latest.json"))
		res = runCLI(t, dir, nil, "scan", "--report", filepath.Join(outside, "r.json"))
		assert.Equal(t, exitPass, res.code, res.combined)
		assert.FileExists(t, filepath.Join(outside, "r.json"))
	})
}

func evalOr(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}
