package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteGitHub(t *testing.T) {
	commit := "0123456789abcdef0123456789abcdef01234567"
	r := &Report{Status: StatusFail, Summary: Summary{Findings: 3, FilesScanned: 2}, Findings: []Finding{
		{RuleID: "bot-password", Severity: "high", Path: "docs/a,b:c.md", Line: 2, Column: 15, SecretMasked: "****Reef", Source: "pattern", Help: "Change it.\nThen recreate the bot."},
		{RuleID: "signed-payload", Severity: "medium", Path: "logs/x%0A::error::injected\x1b[2K.log", Line: 1, Column: 1, SecretMasked: "****7730", Source: "pattern", Commit: &commit},
		{RuleID: "blocked-path", Severity: "critical", Path: "env/.env", Line: 1, Column: 1, Source: "path"},
	}}
	var b strings.Builder
	require.NoError(t, WriteGitHub(&b, r, 50))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 4, "one command a finding, then the summary: no raw newline survives")
	assert.Equal(t, "::error file=docs/a%2Cb%3Ac.md,line=2,col=15,title=keygate bot-password::high bot-password: ****Reef%0AChange it.\\nThen recreate the bot.", lines[0], "help from a pack is outside text: escaped")
	assert.Equal(t, "::warning file=logs/x%250A%3A%3Aerror%3A%3Ainjected\\x1b[2K.log,line=1,col=1,title=keygate signed-payload::medium signed-payload: ****7730 (commit 0123456789ab)", lines[1])
	assert.Equal(t, "::error file=env/.env,line=1,col=1,title=keygate blocked-path::critical blocked-path: this file must never be committed", lines[2])
	assert.Equal(t, "keygate: fail, 3 findings in 2 files (0 B), 0 ms", lines[3])

	b.Reset()
	require.NoError(t, WriteGitHub(&b, r, 1))
	lines = strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.True(t, strings.HasPrefix(lines[0], "::error file=docs/a"))
	assert.Equal(t, "::warning title=keygate::2 more findings are not annotated: see the job summary and the report", lines[1])
}
