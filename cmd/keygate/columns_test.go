package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// A user's editor counts characters: text and latest.json give the column
// in code points; SARIF declares utf16CodeUnits (what GitHub code scanning
// reads) and counts an emoji as two.
func TestColumnsInCharacters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/n.md", "clé: "+fixture.BitgetKey+"\n🚀 bitget "+fixture.BitgetKey2+"\n")
	r := runBinary(t, dir, "scan", "--no-env-file", "--sarif", "out.sarif")
	require.Equal(t, 1, r.code, r.combined)
	assert.Contains(t, r.stdout, "docs/n.md:1:6  critical  bitget-api-key")
	assert.Contains(t, r.stdout, "docs/n.md:2:10  critical  bitget-api-key")

	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	require.Len(t, rep.Findings, 2)
	assert.Equal(t, 6, rep.Findings[0].Column)
	assert.Equal(t, 10, rep.Findings[1].Column)

	data, err := os.ReadFile(filepath.Join(dir, "out.sarif"))
	require.NoError(t, err)
	var log struct {
		Runs []struct {
			ColumnKind string `json:"columnKind"`
			Results    []struct {
				Locations []struct {
					PhysicalLocation struct {
						Region struct {
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(data, &log))
	require.Len(t, log.Runs, 1)
	assert.Equal(t, "utf16CodeUnits", log.Runs[0].ColumnKind)
	require.Len(t, log.Runs[0].Results, 2)
	assert.Equal(t, 6, log.Runs[0].Results[0].Locations[0].PhysicalLocation.Region.StartColumn)
	assert.Equal(t, 11, log.Runs[0].Results[1].Locations[0].PhysicalLocation.Region.StartColumn)
}
