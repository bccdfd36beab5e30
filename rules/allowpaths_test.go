package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Bad allow_paths globs, of a rule or the pack, name the line to fix.
func TestAllowPathsGlobsValidated(t *testing.T) {
	_, err := Parse("p.yaml", []byte(goodRule+"    allow_paths: ['docs/[']\nallow:\n  paths: ['{a']\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `p.yaml:4: rule "ops-token": bad allow_paths glob "docs/["`)
	assert.Contains(t, err.Error(), `p.yaml:1: allow.paths: bad path glob "{a"`)
}

// Merging joins the packs' allow.paths like their placeholders.
func TestMergeJoinsAllowPaths(t *testing.T) {
	a, err := Parse("a.yaml", []byte(goodRule+"allow:\n  paths: ['vendor/**']\n"))
	require.NoError(t, err)
	b, err := Parse("b.yaml", []byte(goodRule+"allow:\n  paths: ['third_party/**']\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"vendor/**", "third_party/**"}, a.Merge(b).Allow.Paths)
}
