package detector

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
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

// allow_paths keep a rule off some files, paths keep one on some, and the
// pack's allow.paths keep every rule off them; other files are still
// scanned by every other rule.
func TestAllowPaths(t *testing.T) {
	pack, err := rules.Parse("extra.yaml", []byte(`name: extra
version: "1"
rules:
  - id: ops-token
    severity: high
    keywords: ["opstok_"]
    pattern: '\b(opstok_[a-z0-9]{12})\b'
    allow_paths: ["testdata/**"]
    examples: ["opstok_abcdef123456"]
  - id: other-token
    severity: high
    keywords: ["othtok_"]
    pattern: '\b(othtok_[a-z0-9]{12})\b'
    examples: ["othtok_abcdef123456"]
  - id: bot-token
    severity: high
    keywords: ["bottok_"]
    pattern: '\b(bottok_[a-z0-9]{12})\b'
    paths: ["bots/**"]
    allow_paths: ["bots/paper/**"]
    examples: ["bottok_abcdef123456"]
allow:
  paths: ["vendor/**"]
`))
	require.NoError(t, err)
	d, err := New(pack)
	require.NoError(t, err)
	text := []byte("a = opstok_abcdef123456\nb = othtok_abcdef123456\nc = bottok_abcdef123456\n")
	tests := []struct {
		path string
		want []string
	}{
		{"docs/a.md", []string{"ops-token", "other-token"}},
		{"testdata/a.md", []string{"other-token"}},
		{"vendor/x/a.md", nil},
		{"bots/live/a.md", []string{"ops-token", "other-token", "bot-token"}},
		{"bots/paper/a.md", []string{"ops-token", "other-token"}},
		{"testdata/bots/a.md", []string{"other-token"}},
		{"vendor/bots/a.md", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			fs, err := d.Scan(text, tt.path)
			require.NoError(t, err)
			var got []string
			for _, f := range fs {
				got = append(got, f.RuleID)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// The pack's allow.paths keep rules off files, not the active values: a
// live credential is found wherever it is.
func TestAllowPathsKeepKnownValues(t *testing.T) {
	pack, err := rules.Parse("extra.yaml", []byte(`name: extra
rules:
  - id: ops-token
    severity: high
    keywords: ["opstok_"]
    pattern: '\b(opstok_[a-z0-9]{12})\b'
    examples: ["opstok_abcdef123456"]
allow:
  paths: ["vendor/**"]
`))
	require.NoError(t, err)
	d, err := New(pack, KnownValue{Name: "REDIS_PASSWORD", Value: "Harbor7Tide5Dga"})
	require.NoError(t, err)
	fs, err := d.Scan([]byte("a = opstok_abcdef123456 pw Harbor7Tide5Dga\n"), "vendor/x/a.md")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, KnownValueRuleID, fs[0].RuleID)
	assert.Equal(t, "REDIS_PASSWORD", fs[0].EnvName)
}
