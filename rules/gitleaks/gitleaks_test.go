package gitleaks

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Every supported gitleaks setting lands where the YAML model puts it.
func TestDecodeEverySupportedField(t *testing.T) {
	p, err := rules.Load(filepath.Join("testdata", "full.toml"))
	require.NoError(t, err)
	assert.Equal(t, "ops gitleaks config", p.Name)
	require.Len(t, p.Rules, 2)

	ops := p.Rules[0]
	assert.Equal(t, "ops-console-token", ops.ID, "ids become kebab-case")
	assert.Equal(t, "Ops console API token", ops.Description)
	assert.Equal(t, rules.SeverityCritical, ops.Severity, "a severity tag sets the severity")
	assert.Equal(t, `\b(opsc_[A-Za-z0-9]{32})\b`, ops.Pattern)
	assert.Equal(t, 1, ops.SecretGroup)
	assert.InDelta(t, 3.0, ops.MinEntropy, 0)
	assert.Equal(t, []string{"opsc_"}, ops.Keywords)
	assert.Equal(t, []string{`^opsc_TEST`, `(?i)example`}, ops.Allow)
	assert.Equal(t, []string{"**/testdata/*", "**/testdata/*/**"}, ops.AllowPaths)
	assert.Equal(t, filepath.Join("testdata", "full.toml"), ops.File)
	assert.Equal(t, 8, ops.Line, "the line of its [[rules]]")
	assert.NotEmpty(t, ops.Help)

	ik := p.Rules[1]
	assert.Equal(t, "internal-api-key", ik.ID)
	assert.Equal(t, rules.SeverityHigh, ik.Severity)
	assert.Equal(t, 1, ik.SecretGroup, "secretGroup unset: the first group, as gitleaks")
	assert.Equal(t, []string{"**/deploy/?*.y{a,}ml"}, ik.Paths, "path regex as a glob")
	assert.Equal(t, []string{"deploy/staging.yml"}, ik.AllowPaths)
	assert.Equal(t, []string{"(?i)cafe"}, ik.Allow, "targetRules put a global allowlist on the rule")
	assert.Equal(t, 27, ik.Line)

	assert.Equal(t, []string{`(?i)dummy`, `(?i)placeholder`}, p.Allow.Placeholders)
	assert.Contains(t, p.Allow.Paths, "**/vendor/*")
}

// The converted pack behaves as the gitleaks configuration does.
func TestConvertedPackScans(t *testing.T) {
	extra, err := rules.Load(filepath.Join("testdata", "full.toml"))
	require.NoError(t, err)
	def, err := rules.Default()
	require.NoError(t, err)
	d, err := detector.New(def.Merge(extra))
	require.NoError(t, err)
	found := func(text, path string) []string {
		fs, err := d.Scan([]byte(text+"\n"), path)
		require.NoError(t, err)
		var ids []string
		for _, f := range fs {
			ids = append(ids, f.RuleID)
		}
		return ids
	}
	// ops builds a token whose 32 characters hold mid: each allowlist
	// case below differs from a found token only by its allowlisted part.
	ops := func(mid string) string {
		const filler = "Q7mZ2xLk9PwR4tYv8NbC3dFh6JsG1aEu"
		return "OPS=opsc_" + mid + filler[:32-len(mid)]
	}
	ik := func(mid string) string {
		const filler = "0a1b2c3d4e5f60718293a4b5"
		return "internal_key: ik_" + mid + filler[:24-len(mid)]
	}
	tests := []struct {
		name, text, path string
		want             []string
	}{
		{"token found", ops(""), "docs/a.md", []string{"ops-console-token"}},
		{"token found, not at the allowlisted start", ops("xTEST"), "docs/a.md", []string{"ops-console-token"}},
		{"allowlist regex", ops("TEST"), "docs/a.md", nil},
		{"allowlist stopword", ops("ExAmple"), "docs/a.md", nil},
		{"global allowlist regex", ops("Dummy"), "docs/a.md", nil},
		{"global stopword", ops("PlaceHolder"), "docs/a.md", nil},
		{"rule allowlist path", ops(""), "src/testdata/a.md", nil},
		{"global allowlist path", ops(""), "vendor/lib/a.md", nil},
		{"global allowlist path regex with (?i)", ops(""), "img/a.JPEG", nil},
		{"path-limited rule, in its path", ik(""), "deploy/prod.yaml", []string{"internal-api-key"}},
		{"path-limited rule, outside", ik(""), "docs/prod.yaml", nil},
		{"path-limited rule, allowlisted path", ik(""), "deploy/staging.yml", nil},
		{"targetRules stopword", ik("cafe"), "deploy/prod.yaml", nil},
		{"targetRules stopword, other rule", ops("cafe"), "docs/a.md", []string{"ops-console-token"}},
		{"default pack still runs", "BOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0", "docs/a.md", []string{"bitget-api-key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, found(tt.text, tt.path))
		})
	}
}

func TestConvertGolden(t *testing.T) {
	path := filepath.Join("testdata", "full.toml")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	got, err := Convert(path, data)
	require.NoError(t, err)
	golden := filepath.Join("testdata", "full.yaml")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}
