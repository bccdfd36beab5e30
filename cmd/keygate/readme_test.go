package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// README's set-up says the exact Go version go.mod needs, so a bump of
// go.mod that forgets the README fails here.
func TestReadmeNamesGoModsGoVersion(t *testing.T) {
	top := repoTop(t)
	mod, err := os.ReadFile(filepath.Join(top, "go.mod"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	require.NotNil(t, m, "go.mod has a go line")
	readme, err := os.ReadFile(filepath.Join(top, "README.md"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "Requires Go "+string(m[1])+" or newer")
	assert.Contains(t, string(readme), "`go.mod` says `go "+string(m[1])+"`")
}
