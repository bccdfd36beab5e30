package detector

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Columns count characters, not bytes: `clé: bg_…` puts the key at column
// 6, where an editor shows it. ColumnUTF16 counts UTF-16 code units (an
// emoji outside the BMP is two), as GitHub code scanning reads SARIF.
func TestColumnsCountCharacters(t *testing.T) {
	d := defaultDetector(t)
	const key = "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	for _, tt := range []struct {
		line          string
		column, utf16 int
	}{
		{"bitget key: " + key, 13, 13},
		{"clé: " + key, 6, 6},
		{"bitget 🚀 key: " + key, 15, 16},
		{"日本語 bitget " + key, 12, 12},
	} {
		got, err := d.Scan([]byte("first line\n"+tt.line+"\n"), "docs/a.md")
		require.NoError(t, err)
		require.Len(t, got, 1, tt.line)
		assert.Equal(t, 2, got[0].Line)
		assert.Equal(t, tt.column, got[0].Column, tt.line)
		assert.Equal(t, tt.utf16, got[0].ColumnUTF16, tt.line)
	}
}

// A line longer than a chunk keeps counting characters across chunks,
// including a multi-byte character cut by a chunk's edge.
func TestColumnsAcrossChunks(t *testing.T) {
	d := defaultDetector(t)
	const key = "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	var b bytes.Buffer
	b.WriteString("head\n")
	prefix := strings.Repeat("é🚀x", (chunkSize+chunkSize/2)/7)
	b.WriteString(prefix + " bitget " + key + "\n")
	var got []Finding
	_, err := d.ScanReader(bytes.NewReader(b.Bytes()), "big.log", func(f Finding) { got = append(got, f) })
	require.NoError(t, err)
	require.Len(t, got, 1)
	n := len([]rune(prefix))
	assert.Equal(t, n+len(" bitget ")+1, got[0].Column)
	assert.Equal(t, n+strings.Count(prefix, "🚀")+len(" bitget ")+1, got[0].ColumnUTF16)
}
