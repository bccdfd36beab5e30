package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/baseline"
	"github.com/keygate/keygate/internal/fixture"
)

func baselineEntries(t *testing.T, dir string) []baseline.Entry {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ".keygate-baseline.json"))
	require.NoError(t, err)
	var b baseline.File
	require.NoError(t, json.Unmarshal(data, &b))
	return b.Entries
}

func entryRules(es []baseline.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.RuleID+"@"+e.Path)
	}
	return out
}

// `keygate baseline` merges: an entry accepted for a history finding (which
// a working-tree scan no longer meets) stays when the tree is baselined
// again; --history and --range accept the commits' findings; --prune drops
// and lists what matches nothing now.
func TestBaselineMergesHistoryAndPrunes(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/readme.md", "hello\n")
	base := g.commit("base")
	g.write("docs/old.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	g.commit("leak")
	g.write("docs/old.md", "removed\n")
	g.commit("leak removed (key revoked)")

	// The history holds a revoked key: accept it from the history.
	r := runBinary(t, g.dir, "baseline", "--history", "--no-such-flag")
	require.Equal(t, 2, r.code, "flags are checked: %s", r.combined)
	r = runBinary(t, g.dir, "baseline", "--history")
	require.Equal(t, 0, r.code, r.combined)
	assert.Contains(t, r.stdout, "wrote 1 fingerprint to ")
	assert.Equal(t, []string{"redis-password@docs/old.md"}, entryRules(baselineEntries(t, g.dir)))
	r = runBinary(t, g.dir, "scan", "--history")
	assert.Equal(t, 0, r.code, "the history finding is accepted: %s", r.combined)

	// A working-tree finding is added; the history entry stays.
	g.write("docs/new.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	r = runBinary(t, g.dir, "baseline")
	require.Equal(t, 0, r.code, r.combined)
	assert.Contains(t, r.stdout, "wrote 2 fingerprints to ")
	assert.Contains(t, r.stdout, "(1 new, 1 kept, 0 pruned)")
	assert.Equal(t, []string{"bot-password@docs/new.md", "redis-password@docs/old.md"}, entryRules(baselineEntries(t, g.dir)))
	r = runBinary(t, g.dir, "scan", "--history")
	assert.Equal(t, 0, r.code, "still accepted after the tree was baselined: %s", r.combined)

	// --range accepts only that range's findings.
	g.write("docs/new.md", "fine\n")
	g.write("docs/range.md", "BOT2_PASSWORD="+fixture.BotPassword+"x\n")
	g.commit("range leak")
	r = runBinary(t, g.dir, "baseline", "--range", base+"..HEAD")
	require.Equal(t, 0, r.code, r.combined)
	assert.Contains(t, r.stdout, "(1 new, 2 kept, 0 pruned)")
	r = runBinary(t, g.dir, "baseline", "--range", "a..b..c")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "want BASE..HEAD")

	// --prune against the working tree: only docs/range.md is found now;
	// the other two are dropped and listed.
	r = runBinary(t, g.dir, "baseline", "--prune")
	require.Equal(t, 0, r.code, r.combined)
	assert.Contains(t, r.stdout, "keygate: pruned docs/new.md:bot-password ****Reef")
	assert.Contains(t, r.stdout, "keygate: pruned docs/old.md:redis-password ****5Dga")
	assert.Contains(t, r.stdout, "(0 new, 1 kept, 2 pruned)")
	assert.Equal(t, []string{"bot-password@docs/range.md"}, entryRules(baselineEntries(t, g.dir)))
	assert.NotContains(t, r.combined, fixture.RedisPassword)
}
