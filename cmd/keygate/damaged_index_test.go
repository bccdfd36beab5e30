package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A pack index whose own checksum is damaged (every object's CRC-32 still
// right) does not hold up the reads, which no longer wait for that check;
// but no verdict stands on it: a history scan, a range, and verify's
// recount of a history report's commits each refuse, never a pass.
func TestDamagedIndexChecksumFailsEveryGitVerdict(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/runbook.md", "rotate the keys monthly\n")
	base := g.commit("runbook")
	g.write("docs/runbook.md", "rotate the keys monthly\nand log the rotation\n")
	g.commit("runbook, logged")
	g.git("gc", "-q")
	report := filepath.Join(t.TempDir(), "history.json")
	res := runCLI(t, g.dir, nil, "scan", "--history", "--no-env-file", "--report", report)
	require.Equal(t, exitPass, res.code, "sound index: %s", res.combined)

	idxs, err := filepath.Glob(filepath.Join(g.dir, ".git", "objects", "pack", "*.idx"))
	require.NoError(t, err)
	require.Len(t, idxs, 1)
	idx, err := os.ReadFile(idxs[0])
	require.NoError(t, err)
	idx[len(idx)-1] ^= 1
	require.NoError(t, os.Chmod(idxs[0], 0o644))
	require.NoError(t, os.WriteFile(idxs[0], idx, 0o644))

	for _, tt := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"scan", "--history", "--no-env-file", "--format", "json"}, exitUsage, "checksum mismatch (the index is damaged)"},
		// go-git, which resolves the range's ends, refuses the index
		// before keygate reads an object through it: the error names
		// the index, not an unknown revision.
		{[]string{"scan", "--range", base + "..HEAD", "--no-env-file", "--format", "json"}, exitUsage, "checksum mismatch (the index is damaged)"},
		// verify refuses a report it cannot recount (exit 1, as for any
		// report it rejects).
		{[]string{"verify", report}, exitFail, "checksum mismatch (the index is damaged)"},
	} {
		res := runCLI(t, g.dir, nil, tt.args...)
		assert.Equal(t, tt.code, res.code, "%v: %s", tt.args, res.combined)
		assert.Contains(t, res.combined, tt.says, fmt.Sprint(tt.args))
	}
}
