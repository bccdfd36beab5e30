package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// With env/.env present, every copy of an active value is found, in any
// encoding, with its variable's name; decoys are not.
func TestScanFindsActiveValues(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOpsWithEnv(t, dir)
	res := runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitFail, res.code, res.combined)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	var got []fixture.WantWithEnv
	for _, f := range rep.Findings {
		env := ""
		if f.EnvName != nil {
			env = *f.EnvName
		}
		got = append(got, fixture.WantWithEnv{Want: fixture.Want{Path: f.Path, Line: f.Line, RuleID: f.RuleID}, EnvName: env, Source: f.Source})
	}
	assert.Equal(t, fixture.WantedWithEnv(), got)
	require.Len(t, rep.Warnings, 1)
	assert.Contains(t, rep.Warnings[0], "BOT3_PASSWORD is shorter than 8 characters")
	assert.Contains(t, res.stderr, "warning: BOT3_PASSWORD")
	assert.Contains(t, res.stdout, "(value of BOT1_BITGET_PASSPHRASE)")

	// --no-env-file: pattern rules only, the same findings as without env.
	res = runCLI(t, dir, nil, "scan", "--include-logs", "--no-env-file")
	rep = readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	for _, f := range rep.Findings {
		assert.Equal(t, "pattern", f.Source)
	}
	assert.Empty(t, rep.Warnings)
}

func TestEnvFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "ok\n")
	fixture.Write(t, dir, "env/.env", "A=1\nBOT1_PASSWORD=\""+fixture.HostPassphrase+"\n")
	res := runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, filepath.Join(dir, "env/.env")+":2: unterminated double quote in the value of BOT1_PASSWORD")
	assert.NotContains(t, res.combined, fixture.HostPassphrase)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, "error", string(rep.Status))

	res = runCLI(t, dir, nil, "scan", "--env-file", "missing.env")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "missing.env")
}

// keygate redact: values in every form are masked, line structure kept.
func TestRedactCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOpsWithEnv(t, dir)
	in := fixture.KnownCopies() + fixture.Files()["data/bot1/logs/bot1.log"]
	res := runCLI(t, dir, strings.NewReader(in), "redact")
	require.Equal(t, exitPass, res.code, res.stderr)
	assert.Equal(t, strings.Count(in, "\n"), strings.Count(res.stdout, "\n"))
	assertNoLeak(t, "redact stdout", res.stdout)
	assert.Contains(t, res.stdout, "the operator typed ****Dune into the chat")
	assert.Contains(t, res.stdout, "key=****e1f0 status=ok")
	assert.Contains(t, res.stderr, "BOT3_PASSWORD is shorter")
}
