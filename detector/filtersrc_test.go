package detector

import (
	"crypto/sha256"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
)

// The checked-in filters_gen.go is what the generator writes for the
// default pack as it is now (run `go generate ./rules` after editing a
// rule's pattern), each of its filters is what patternFilterOf derives at
// run time, and a pattern of no default rule (an extra pack's) is derived
// then.
func TestGeneratedFiltersAreFresh(t *testing.T) {
	assertGeneratedFresh(t, FiltersFile, FiltersSource)

	p, err := rules.Default()
	require.NoError(t, err)
	for _, r := range p.Rules {
		gen := defaultPatternFilter(r.Pattern)
		require.NotNil(t, gen, r.ID)
		assert.Equal(t, patternFilterOf(r.Pattern), gen, r.ID)
	}
	// A pattern of no default rule (an extra pack's) is derived when used.
	assert.Nil(t, defaultPatternFilter(`(?i)\bmy_pack_token\s*=\s*([a-z0-9]{32})\b`))
}

// assertGeneratedFresh: the checked-in file is what source writes now.
func assertGeneratedFresh(t *testing.T, file string, source func() ([]byte, error)) {
	t.Helper()
	want, err := source()
	require.NoError(t, err)
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, sha256.Sum256(want), sha256.Sum256(got), "detector/%s is stale: run go generate ./rules", file)
}
