package engine

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/internal/fixture"
)

// The engine searches the secret_env values of the env file, and only
// those; without the file it runs on patterns alone.
func TestLoadActiveValues(t *testing.T) {
	root := t.TempDir()
	cfg, err := config.Load(root)
	require.NoError(t, err)
	e, err := Load(Options{Root: root, Config: cfg})
	require.NoError(t, err, "no env file is fine by default")
	assert.Empty(t, e.EnvFile)

	env := "BOT1_BITGET_API_KEY=" + fixture.BitgetKey + "\nLOG_LEVEL=info\n"
	require.NoError(t, os.MkdirAll(filepath.Join(root, "env"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(root, "env", ".env"), []byte(env), 0o600))
	e, err = Load(Options{Root: root, Config: cfg})
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "env", ".env"), e.EnvFile)
	fs, err := e.Detector.Scan([]byte("the key is "+fixture.BitgetKey+" and the level is info\n"), "docs/a.md")
	require.NoError(t, err)
	require.NotEmpty(t, fs)

	e, err = Load(Options{Root: root, Config: cfg, NoEnvFile: true})
	require.NoError(t, err)
	assert.Empty(t, e.EnvFile)

	_, err = Load(Options{Root: root, Config: cfg, EnvFile: filepath.Join(root, "nope.env")})
	assert.Error(t, err, "an env file asked for by name must exist")
}
