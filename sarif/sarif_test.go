package sarif

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const packYAML = `name: golden
version: "1"
rules:
  - id: bitget-api-key
    description: Bitget exchange API key
    severity: critical
    keywords: ["bg_"]
    pattern: '\b(bg_[0-9a-f]{32})\b'
    secret_group: 1
    help: Revoke at the exchange, then run keygate rotate for the owning bot.
    examples: ["BOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"]
    negative_examples: ["BOT1_BITGET_API_KEY=****e1f0"]
`

func goldenPack(t *testing.T) *rules.Pack {
	t.Helper()
	p, err := rules.Parse("golden.yaml", []byte(packYAML))
	require.NoError(t, err)
	return p
}

func ptr[T any](v T) *T { return &v }

func sampleReport() *report.Report {
	return &report.Report{
		SchemaVersion: report.SchemaVersion, Status: report.StatusFail, GeneratedAt: "2026-11-25T18:00:00Z",
		Tool: report.Tool{Name: "keygate", Version: "0.0.0-test"}, Mode: "history",
		Findings: []report.Finding{
			{RuleID: "bitget-api-key", Severity: "critical", Path: "docs/bot notes.md", Line: 2, Column: 21,
				Commit: ptr("0123456789abcdef0123456789abcdef01234567"), Author: ptr("Ops"), Date: ptr("2026-11-01T10:00:00Z"),
				SecretMasked: "****8f90", Fingerprint: "fp-hist", Source: "pattern", TimesAdded: 2, PresentAtTip: ptr(true)},
			{RuleID: "known-value", Severity: "critical", Path: "docs/runbook.md", Line: 12, Column: 5,
				Commit: ptr("89abcdef0123456789abcdef0123456789abcdef"), SecretMasked: "****9f3a", Fingerprint: "fp-known",
				Source: "known", EnvName: ptr("BOT1_BITGET_API_SECRET"), TimesAdded: 1, PresentAtTip: ptr(false)},
			{RuleID: "blocked-path", Severity: "critical", Path: "env/.env", Line: 1, Column: 1,
				Commit: ptr("89abcdef0123456789abcdef0123456789abcdef"), Fingerprint: "fp-env", Source: "path", TimesAdded: 1, PresentAtTip: ptr(false)},
		},
		Suppressed: []report.Suppressed{
			{Finding: report.Finding{RuleID: "bitget-api-key", Severity: "critical", Path: "docs/fixture.md", Line: 3, Column: 7,
				Commit: ptr("0123456789abcdef0123456789abcdef01234567"), SecretMasked: "****e1f0", Fingerprint: "fp-inline", Source: "pattern"},
				Mechanism: "inline", Justification: report.Justification("inline")},
			{Finding: report.Finding{RuleID: "suppression-added-inline", Severity: "high", Path: "docs/fixture.md", Line: 3, Column: 1,
				Commit: ptr("0123456789abcdef0123456789abcdef01234567"), Fingerprint: "fp-policy", Source: "policy",
				Detail: "an inline allow comment the base did not hold on this line suppresses a bitget-api-key finding"},
				Mechanism: "accepted", Justification: report.Justification("accepted")},
		},
	}
}

// The SARIF document code scanning receives, byte for byte.
func TestGoldenSARIF(t *testing.T) {
	got, err := Encode(sampleReport(), goldenPack(t))
	require.NoError(t, err)
	path := filepath.Join("testdata", "history.sarif")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./sarif -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs: review, then go test ./sarif -update", path)
}

// GitHub accepts at most 25,000 results per run: the rest are dropped with
// a note in the run's properties, and the document stays valid.
func TestTruncation(t *testing.T) {
	rep := &report.Report{Status: report.StatusFail, Tool: report.Tool{Name: "keygate", Version: "0.0.0-test"}, Mode: "paths"}
	for i := range MaxResults + 10 {
		rep.Findings = append(rep.Findings, report.Finding{RuleID: "bitget-api-key", Severity: "critical",
			Path: fmt.Sprintf("docs/%d.md", i), Line: 1, Column: 1, SecretMasked: "****e1f0", Fingerprint: fmt.Sprint(i), Source: "pattern"})
	}
	data, err := Encode(rep, goldenPack(t))
	require.NoError(t, err)
	var log struct {
		Runs []struct {
			Results    []json.RawMessage `json:"results"`
			Properties map[string]any    `json:"properties"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(data, &log))
	require.Len(t, log.Runs, 1)
	assert.Len(t, log.Runs[0].Results, MaxResults)
	assert.Equal(t, true, log.Runs[0].Properties["truncated"])
	assert.Contains(t, log.Runs[0].Properties["truncation-note"], "25010 findings")
}

// Every file not read is a toolExecutionNotification with its path and
// reason: a warning, or a note when skip: excuses it.
func TestUnreadFilesAreNotifications(t *testing.T) {
	rep := &report.Report{Status: report.StatusError, Tool: report.Tool{Name: "keygate", Version: "0.0.0-test"}, Mode: "paths",
		Skipped: []report.Skipped{{Path: "reports/q3 fills.parquet", Reason: "skip: columnar data (binary)", Configured: true},
			{Path: "data/bot1/logs", Reason: "symlink points outside the repository: not followed"}},
		Errors: []string{"data/bot1/logs: in scope but not read"}}
	data, err := Encode(rep, goldenPack(t))
	require.NoError(t, err)
	var log struct {
		Runs []struct {
			Invocations []struct {
				Notifications []struct {
					Level   string `json:"level"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(data, &log))
	ns := log.Runs[0].Invocations[0].Notifications
	require.Len(t, ns, 3)
	assert.Equal(t, "error", ns[0].Level)
	assert.Equal(t, "note", ns[1].Level)
	assert.Equal(t, "not read: skip: columnar data (binary)", ns[1].Message.Text)
	assert.Equal(t, "reports/q3%20fills.parquet", ns[1].Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, "warning", ns[2].Level)
	assert.Equal(t, "data/bot1/logs", ns[2].Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Contains(t, report.Markdown(rep), "| `data/bot1/logs` | symlink points outside the repository: not followed |")
}
