package report

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/scan"
)

func junitMeta(t *testing.T) Meta {
	// A pack of its own: the golden files must not change with the default
	// pack's wording.
	pack, err := rules.Parse("test.yaml", []byte(`name: test-pack
version: "7"
rules:
  - id: bitget-api-key
    severity: critical
    keywords: [bg_]
    pattern: 'bg_[0-9a-f]{32}'
    examples: [bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0]
    help: Revoke the key, then rotate it.
`))
	require.NoError(t, err)
	return Meta{Version: "1.2.3", Pack: pack, Now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
}

func TestJUnitGolden(t *testing.T) {
	tests := []struct {
		name string
		res  *scan.Result
	}{
		{"junit-pass.xml", &scan.Result{Mode: scan.ModePaths, FilesScanned: 3, BytesScanned: 1200, Duration: 42 * time.Millisecond}},
		{"junit-fail.xml", &scan.Result{Mode: scan.ModeHistory, FilesScanned: 2, Commits: 5, Duration: 1500 * time.Millisecond,
			Findings: []scan.Finding{
				{RuleID: "bitget-api-key", Severity: "critical", Path: "docs/a&b <notes>.md", Line: 3, Column: 21,
					Commit: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c", Author: "Ops Bot", Date: "2026-11-01T10:00:00Z", TimesAdded: 2, AtTip: true,
					Masked: "****e1f0", Fingerprint: "fp1", Source: "pattern"},
				{RuleID: "known-value", Severity: "critical", Path: "reports/run.json", Line: 7, Column: 2,
					Masked: "****", Fingerprint: "fp2", Source: "known-value", EnvName: "REDIS_PASSWORD"},
				{RuleID: scan.BlockedPathRuleID, Severity: "critical", Path: "env/.env", Line: 1, Column: 1,
					Fingerprint: "fp3", Source: scan.SourcePath},
			}}},
		{"junit-error.xml", &scan.Result{Mode: scan.ModeStaged, Errors: []string{"docs/x.md: permission denied"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := JUnit(New(tt.res, junitMeta(t)))
			require.NoError(t, err)
			golden(t, tt.name, got)

			var doc junitSuites
			require.NoError(t, xml.Unmarshal(got, &doc), "must be well-formed XML")
			require.Len(t, doc.Suites, 1)
			s := doc.Suites[0]
			assert.Equal(t, len(tt.res.Findings), s.Failures)
			assert.Equal(t, len(tt.res.Errors), s.Errors)
			assert.Equal(t, len(s.Cases), s.Tests)
			assert.Equal(t, s.Tests, doc.Tests)
			if len(tt.res.Findings)+len(tt.res.Errors) == 0 {
				require.Len(t, s.Cases, 1, "a clean scan is one passing testcase")
				assert.Nil(t, s.Cases[0].Failure)
				assert.Nil(t, s.Cases[0].Error)
			}
			for i, f := range tt.res.Findings {
				c := s.Cases[i]
				require.NotNil(t, c.Failure, "one failing testcase per finding")
				assert.Equal(t, f.Path, c.File)
				assert.Equal(t, f.Line, c.Line)
			}
		})
	}
}
