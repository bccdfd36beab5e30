package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// A key found only in decoded text is reported at the encoded text's line
// and column, masked, with the encoding named in every output.
func TestScanReportsDecodedFindings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	blob := base64.StdEncoding.EncodeToString([]byte(fixture.BitgetKey + ":" + fixture.BitgetSecret))
	line := "2026-11-25T10:00:00Z ERROR auth blob " + blob + "\n"
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "docs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "docs/incident.md"), []byte("# incident\n"+line), 0o644))

	sarifPath := filepath.Join(t.TempDir(), "k.sarif")
	res := runCLI(t, dir, nil, "scan", "--format", "json", "--sarif", sarifPath, "docs/incident.md")
	require.Equal(t, exitFail, res.code, res.combined)
	var raw struct {
		Findings []map[string]any `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &raw))
	require.Len(t, raw.Findings, 1)
	f := raw.Findings[0]
	assert.Equal(t, "bitget-api-key", f["rule_id"])
	assert.Equal(t, "base64", f["decoded"])
	assert.EqualValues(t, 2, f["line"])
	assert.EqualValues(t, strings.Index(line, blob)+1, f["column"])
	masked, _ := f["secret_masked"].(string)
	assert.True(t, strings.HasPrefix(masked, "****"), masked)
	assert.NotContains(t, res.stdout, fixture.BitgetKey)
	assert.NotContains(t, res.stdout, blob[:20])

	doc, err := os.ReadFile(sarifPath)
	require.NoError(t, err)
	assert.Contains(t, string(doc), `"decoded": "base64"`)
	assert.NotContains(t, string(doc), blob[:20])

	text := runCLI(t, dir, nil, "scan", "docs/incident.md")
	assert.Contains(t, text.stdout, "docs/incident.md:2:")
	assert.Contains(t, text.stdout, "(decoded: base64)")
	assert.NotContains(t, text.stdout, blob[:20])

	// A plain finding has no decoded field at all.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "docs/incident.md"), []byte("key "+fixture.BitgetKey+"\n"), 0o644))
	plain := runCLI(t, dir, nil, "scan", "--format", "json", "docs/incident.md")
	assert.NotContains(t, plain.stdout, `"decoded"`)
}
