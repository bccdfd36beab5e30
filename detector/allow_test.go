package detector

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every inline allow comment keygate honours, its own and those a team
// brings from gitleaks and detect-secrets, suppresses the finding on its
// line and only there.
func TestInlineAllowComments(t *testing.T) {
	const key = "BOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	tests := []struct {
		name    string
		line    string
		allowed bool
	}{
		{"keygate", key + " # keygate:allow synthetic", true},
		{"gitleaks", key + " # gitleaks:allow", true},
		{"gitleaks in a block comment", key + " /* gitleaks:allow */", true},
		{"detect-secrets pragma", key + "  # pragma: allowlist secret", true},
		{"detect-secrets pragma without space", key + "  # pragma:allowlist secret", true},
		{"detect-secrets pragma with dash", key + "  // pragma: allowlist-secret", true},
		{"no comment", key, false},
		{"another pragma", key + "  # pragma: no cover", false},
		{"misspelt gitleaks", key + "  # gitleaks-allow", false},
	}
	d := defaultDetector(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := d.Scan([]byte(tt.line+"\n"), "a.env")
			require.NoError(t, err)
			require.Len(t, fs, 1)
			assert.Equal(t, "bitget-api-key", fs[0].RuleID)
			if tt.allowed {
				assert.Equal(t, "inline", fs[0].Allowed)
			} else {
				assert.Empty(t, fs[0].Allowed)
			}
		})
	}
}

// A comment allows the secrets of its own line, not the next one.
func TestInlineAllowIsPerLine(t *testing.T) {
	d := defaultDetector(t)
	fs, err := d.Scan([]byte("# gitleaks:allow\nBOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"), "a.env")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Empty(t, fs[0].Allowed)
}
