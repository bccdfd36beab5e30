package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// findingBlock is a finding's line and its hint lines in text output.
func findingBlock(t *testing.T, out, prefix string) string {
	t.Helper()
	i := strings.Index(out, prefix)
	require.GreaterOrEqual(t, i, 0, "no finding %s in:\n%s", prefix, out)
	block := out[i:]
	lines := strings.SplitAfter(block, "\n")
	end := 1
	for end < len(lines) && strings.HasPrefix(lines[end], "    ") {
		end++
	}
	return strings.Join(lines[:end], "")
}

// The env file's own value in a document is a live credential: its fix is
// the exact rotation of the bot it belongs to, and no allow line is offered.
// A blocked file inside a path scan is one finding saying it must never be
// committed, with no allow advice and none of its lines listed.
func TestAdviceForLiveValuesAndBlockedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "env/.env", "BOT1_BITGET_PASSPHRASE="+fixture.HostPassphrase+"\nREDIS_PASSWORD="+fixture.RedisPassword+"\n")
	fixture.Write(t, dir, "docs/note.md", "pp "+fixture.HostPassphrase+"\nkey "+fixture.BitgetKey+"\n")

	r := runBinary(t, dir, "scan", ".")
	assert.Equal(t, 1, r.code, r.combined)
	live := findingBlock(t, r.stdout, "docs/note.md:1:")
	assert.Contains(t, live, "known-credential-value")
	assert.Contains(t, live, "fix: This is the live value of BOT1_BITGET_PASSPHRASE (the env file): rotate BOT1's Bitget keys now: `keygate rotate run --bot BOT1 --owner YOUR_NAME --keys-from new-keys.env`")
	assert.Contains(t, live, "allow: never (a live credential: rotate it)")
	assert.NotContains(t, live, "keygate:allow")

	env := findingBlock(t, r.stdout, "env/.env:")
	n := 0
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "env/.env:") {
			n++
		}
	}
	assert.Equal(t, 1, n, "one finding for the blocked file: %s", r.stdout)
	assert.Contains(t, env, "env/.env:1:1  critical  blocked-path  (the file itself)")
	assert.Contains(t, env, "never commit this file")
	assert.NotContains(t, env, "allow")
	assert.NotContains(t, r.combined, fixture.HostPassphrase)

	// JSON carries the same fix.
	r = runBinary(t, dir, "scan", ".", "--format", "json")
	rep := decodeReport(t, r.stdout)
	for _, f := range rep.Findings {
		if f.RuleID == "known-credential-value" && f.EnvName != nil && *f.EnvName == "BOT1_BITGET_PASSPHRASE" {
			assert.Contains(t, f.Help, "keygate rotate run --bot BOT1 ")
		}
	}
}

// A staged finding is removed from the commit, not from a history it has
// not reached.
func TestStagedAdviceSaysCommit(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "hello\n")
	g.commit("base")
	g.write("docs/a.md", "hello\nBOT1_BITGET_API_SECRET="+fixture.BitgetSecret+"\n")
	g.git("add", "docs/a.md")
	r := runBinary(t, g.dir, "scan", "--staged", "--no-env-file")
	assert.Equal(t, 1, r.code, r.combined)
	assert.Contains(t, r.stdout, "then remove it from the file and from the commit.")
	assert.NotContains(t, r.stdout, "from git history")
}
