package packsrc

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The checked-in rules/default_gen.go is what the generator writes for the
// YAML as it is now: whoever edits a rule file and forgets
// `go generate ./rules` fails here (the binary would still be right, but
// would parse the YAML at every start).
func TestGeneratedPackIsFresh(t *testing.T) {
	dir := filepath.Join("..", "..")
	want, err := Source(os.DirFS(dir))
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(dir, FileName))
	require.NoError(t, err)
	assert.Equal(t, sha256.Sum256(want), sha256.Sum256(got), "rules/%s is stale: run go generate ./rules", FileName)
}
