package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// CI keeps mirrors (bare repositories): a history scan works in one; a
// staged or working-tree scan says it needs a work tree.
func TestBareRepository(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	commit := g.commit("one")
	mirror := filepath.Join(t.TempDir(), "mirror.git")
	g.git("clone", "-q", "--mirror", g.dir, mirror)

	res := runCLI(t, mirror, nil, "scan", "--history", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	got := gitFindings(t, res)
	require.Len(t, got, 1, res.combined)
	assert.Equal(t, gitFinding{"docs/a.md", 1, "redis-password", commit}, got[0])

	res = runCLI(t, mirror, nil, "scan", "--staged")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "a bare repository (or mirror) has no work tree or index: a staged scan needs a clone with a work tree")
	assert.Contains(t, res.stderr, "; scan its commits with --history", "the CLI names the flag")

	res = runCLI(t, mirror, nil, "scan")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "is a bare repository (a mirror): it has no working files to scan; scan its commits with --history")
	assert.NoFileExists(t, filepath.Join(mirror, "reports/security/latest.json"))
}
