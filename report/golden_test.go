package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/scan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./report -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs: review, then go test ./report -update", path)
}

// sampleResults are the scan results the golden reports are made of: a
// paths scan with every kind of finding and an error, and a history scan.
func sampleResults() map[string]*scan.Result {
	return map[string]*scan.Result{
		"paths": {
			Mode: scan.ModePaths, FilesScanned: 3, BytesScanned: 4096, Duration: 41 * time.Millisecond,
			Findings: []scan.Finding{
				{RuleID: "bitget-api-key", Severity: "critical", Path: "data/bot1/logs/bot1.log", Line: 3, Column: 84,
					Masked: "****e1f0", Fingerprint: "fp-key", Source: "pattern"},
				{RuleID: "known-value", Severity: "critical", Path: "docs/runbook.md", Line: 12, Column: 5,
					Masked: "****9f3a", Fingerprint: "fp-known", Source: "known", EnvName: "BOT1_BITGET_API_SECRET"},
				{RuleID: scan.BlockedPathRuleID, Severity: "critical", Path: "env/.env", Line: 1, Column: 1,
					Fingerprint: "fp-env", Source: scan.SourcePath},
			},
			Suppressed: []scan.Finding{
				{RuleID: "bot-password", Severity: "high", Path: "docs/a.md", Line: 1, Column: 15,
					Masked: "****Reef", Fingerprint: "fp-inline", Source: "pattern", Suppressed: scan.SuppressedInline},
				{RuleID: "redis-password", Severity: "critical", Path: "fixtures/sample.env", Line: 2, Column: 16,
					Masked: "****", Fingerprint: "fp-fixture", Source: "pattern", Suppressed: scan.SuppressedPath},
			},
			Skipped:  nil,
			Errors:   []string{"reports/locked.json: permission denied"},
			Warnings: []string{"env/.env: BOT3_PASSWORD is empty"},
		},
		"history": {
			Mode: scan.ModeHistory, Commits: 31, FilesScanned: 31, BytesScanned: 2048, Duration: 120 * time.Millisecond,
			Findings: []scan.Finding{
				{RuleID: "bitget-api-key", Severity: "critical", Path: "docs/bot.md", Line: 2, Column: 21,
					Commit: "0123456789abcdef0123456789abcdef01234567", Author: "Ops", Date: "2026-11-01T10:00:00Z",
					Masked: "****8f90", Fingerprint: "fp-hist", Source: "pattern", TimesAdded: 2, AtTip: true},
				{RuleID: "redis-password", Severity: "critical", Path: "docs/old.md", Line: 1, Column: 16,
					Commit: "89abcdef0123456789abcdef0123456789abcdef", Author: "Ops", Date: "2026-10-01T10:00:00Z",
					Masked: "****", Fingerprint: "fp-old", Source: "pattern", TimesAdded: 1},
				scan.PolicyFinding(scan.PolicyGitleaksIgnore, ".gitleaksignore", 3, "0123456789abcdef0123456789abcdef01234567",
					"a .gitleaksignore entry the base did not hold"),
			},
			Suppressed: []scan.Finding{
				{RuleID: "bitget-api-secret", Severity: "critical", Path: "bots/config.py", Line: 4, Column: 24,
					Commit: "0123456789abcdef0123456789abcdef01234567", Author: "Ops", Date: "2026-11-01T10:00:00Z",
					Masked: "****beef", Fingerprint: "fp-ignored", Source: "pattern", TimesAdded: 1, AtTip: true,
					Suppressed: scan.SuppressedBaseline},
			},
		},
		"clean": {Mode: scan.ModeStaged, FilesScanned: 1, BytesScanned: 12, Duration: 6 * time.Millisecond},
	}
}

var goldenNow = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// The report contract, the text output and the Markdown summary, as a
// user and the release gate read them.
func TestGoldenReports(t *testing.T) {
	for name, res := range sampleResults() {
		t.Run(name, func(t *testing.T) {
			rep := New(res, Meta{Version: "0.0.0-test", Scopes: []string{"docs/**", "reports/**"}, Now: goldenNow})
			data, err := rep.JSON()
			require.NoError(t, err)
			golden(t, name+".json", data)

			var text bytes.Buffer
			require.NoError(t, WriteText(&text, rep, TextOptions{}))
			golden(t, name+".txt", text.Bytes())
			golden(t, name+".md", []byte(Markdown(rep)))
		})
	}
}

// The exit code follows the status: errors win over findings.
func TestStatusAndExitCode(t *testing.T) {
	cases := []struct {
		findings, errors int
		status           Status
		code             int
	}{
		{0, 0, StatusPass, 0},
		{2, 0, StatusFail, 1},
		{0, 1, StatusError, 2},
		{3, 1, StatusError, 2},
	}
	for _, c := range cases {
		r := &Report{Status: status(c.findings, c.errors)}
		assert.Equal(t, c.status, r.Status)
		assert.Equal(t, c.code, r.ExitCode())
	}
}
