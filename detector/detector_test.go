package detector

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
)

func defaultDetector(t testing.TB) *Detector {
	t.Helper()
	p, err := rules.Default()
	require.NoError(t, err)
	d, err := New(p)
	require.NoError(t, err)
	return d
}

// Every rule's examples must match and its negatives must not: this is what
// `keygate rules test` runs, and the default pack must pass it.
func TestDefaultPackExamples(t *testing.T) {
	d := defaultDetector(t)
	for _, r := range d.Pack().Rules {
		t.Run(r.ID, func(t *testing.T) {
			for i, ex := range r.Examples {
				ok, err := d.MatchRule(r.ID, ex)
				require.NoError(t, err)
				assert.True(t, ok, "example %d must match: %q", i, ex)
			}
			for i, ex := range r.NegativeExamples {
				ok, err := d.MatchRule(r.ID, ex)
				require.NoError(t, err)
				assert.False(t, ok, "negative example %d must not match: %q", i, ex)
			}
		})
	}
}

func TestScanPositionsAndCRLF(t *testing.T) {
	d := defaultDetector(t)
	key := "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	tests := []struct {
		name       string
		text       string
		line, col  int
		wantRuleID string
	}{
		{"first line", "BOT1_BITGET_API_KEY=" + key + "\n", 1, 21, "bitget-api-key"},
		{"third line LF", "a\nb\nkey " + key, 3, 5, "bitget-api-key"},
		{"third line CRLF", "a\r\nb\r\n  " + key + "\r\n", 3, 3, "bitget-api-key"},
		{"invalid utf-8 before", "\xff\xfe\x00junk\nREDIS_PASSWORD=Harbor7Tide5Dga\n", 2, 16, "redis-password"},
		{"crlf value stops at CR", "REDIS_PASSWORD=Harbor7Tide5Dga\r\n", 1, 16, "redis-password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := d.Scan([]byte(tt.text), "x.txt")
			require.NoError(t, err)
			require.Len(t, fs, 1)
			assert.Equal(t, tt.wantRuleID, fs[0].RuleID)
			assert.Equal(t, tt.line, fs[0].Line)
			assert.Equal(t, tt.col, fs[0].Column)
			assert.NotContains(t, fs[0].Secret, "\r")
		})
	}
}

func TestOneSecretOneFinding(t *testing.T) {
	d := defaultDetector(t)
	// bitget-api-key, bot-bitget-credential and generic all see this value.
	fs, err := d.Scan([]byte("BOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"), "a")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, "bitget-api-key", fs[0].RuleID)
}

func TestInlineAllowIsMarked(t *testing.T) {
	d := defaultDetector(t)
	fs, err := d.Scan([]byte("REDIS_PASSWORD=Harbor7Tide5Dga # keygate:allow test fixture\n"), "a")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, "inline", fs[0].Allowed)
}

func TestPathLimitedRule(t *testing.T) {
	pack, err := rules.Parse("extra.yaml", []byte(`name: extra
version: "1"
rules:
  - id: ops-token
    description: ops token
    severity: high
    keywords: ["opstok_"]
    pattern: '\b(opstok_[a-z0-9]{12})\b'
    secret_group: 1
    paths: ["reports/**"]
    examples: ["opstok_abcdef123456"]
`))
	require.NoError(t, err)
	d, err := New(pack)
	require.NoError(t, err)
	in, _ := d.Scan([]byte("opstok_abcdef123456"), "reports/a.json")
	out, _ := d.Scan([]byte("opstok_abcdef123456"), "docs/a.md")
	assert.Len(t, in, 1)
	assert.Empty(t, out)
}

// A secret straddling the edge between two chunks is found exactly once,
// with the right line, in a stream far larger than one chunk.
func TestChunkEdges(t *testing.T) {
	d := defaultDetector(t)
	key := "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	line := strings.Repeat("filler text without credentials here ok\n", 1)
	for _, shift := range []int{-20, -5, 0, 3, 17} {
		var b bytes.Buffer
		lines := 0
		for b.Len() < chunkSize-chunkOverlap+shift {
			b.WriteString(line)
			lines++
		}
		b.Truncate(chunkSize - chunkOverlap + shift)
		lines = bytes.Count(b.Bytes(), []byte{'\n'})
		b.WriteString(" " + key + "\n")
		for b.Len() < 3*chunkSize {
			b.WriteString(line)
		}
		b.WriteString("REDIS_PASSWORD=Harbor7Tide5Dga\n")
		var got []Finding
		n, err := d.ScanReader(bytes.NewReader(b.Bytes()), "big.log", func(f Finding) { got = append(got, f) })
		require.NoError(t, err)
		assert.Equal(t, int64(b.Len()), n)
		require.Len(t, got, 2, "shift %d", shift)
		assert.Equal(t, "bitget-api-key", got[0].RuleID)
		assert.Equal(t, lines+1, got[0].Line)
		assert.Equal(t, key, got[0].Secret)
		assert.Equal(t, bytes.Count(b.Bytes(), []byte{'\n'}), got[1].Line)
	}
}

func TestMask(t *testing.T) {
	tests := map[string]string{
		"":                                    "****",
		"short":                               "****",
		"elevenchars":                         "****",
		"twelve-chars":                        "****hars",
		"bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0": "****e1f0",
		"pässwörter-über-alles":               "****lles",
	}
	for in, want := range tests {
		assert.Equal(t, want, Mask(in), in)
	}
}

func TestFingerprint(t *testing.T) {
	a := Fingerprint("r", "p", "Tide5Dgaharbor7")
	assert.Equal(t, a, Fingerprint("r", "p", "Tide5Dgaharbor7"), "stable")
	assert.NotEqual(t, a, Fingerprint("r", "p", "Tide5Dgaharbor8"))
	assert.NotEqual(t, a, Fingerprint("r", "q", "Tide5Dgaharbor7"))
	assert.NotContains(t, a, "Tide5")
	assert.Len(t, a, 32)
}

func TestEntropy(t *testing.T) {
	assert.Equal(t, 0.0, Entropy("aaaa"))
	assert.InDelta(t, 1.0, Entropy("abab"), 1e-9)
	assert.InDelta(t, 4.0, Entropy("0123456789abcdef"), 1e-9)
}
