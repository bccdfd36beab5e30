package engine

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

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

// With a Policy filesystem the configuration's packs and baseline come
// from it, never from the disk under Root; a path leaving it is an error.
func TestLoadFromPolicyFS(t *testing.T) {
	root := t.TempDir()
	// The disk holds a pack that would fail to load: it must not be read.
	require.NoError(t, os.WriteFile(filepath.Join(root, "pack.yaml"), []byte("not: [a pack\n"), 0o644))
	pack := "name: extra\nrules:\n  - id: extra-token\n    severity: high\n    keywords: [xtok]\n    pattern: 'xtok_[a-z0-9]{20}'\n    examples: ['xtok_abcdefghij0123456789']\n"
	policy := fstest.MapFS{
		"pack.yaml":              {Data: []byte(pack)},
		".keygate-baseline.json": {Data: []byte(`{"version":1,"findings":[{"fingerprint":"fp1","rule_id":"r","path":"p","secret_masked":""}]}`)},
	}
	cfg := config.Default()
	cfg.Rules = []string{"pack.yaml"}
	e, err := Load(Options{Root: root, Config: cfg, NoEnvFile: true, Policy: policy, PolicyName: "commit abc"})
	require.NoError(t, err)
	assert.NotNil(t, e.Pack.Rule("extra-token"))
	assert.True(t, e.Baseline.Has("fp1"))

	for _, bad := range []string{"../pack.yaml", filepath.Join(root, "pack.yaml")} {
		cfg.Rules = []string{bad}
		_, err = Load(Options{Root: root, Config: cfg, NoEnvFile: true, Policy: policy, PolicyName: "commit abc"})
		assert.ErrorContains(t, err, "not inside the repository", bad)
	}
	cfg.Rules = []string{"missing.yaml"}
	_, err = Load(Options{Root: root, Config: cfg, NoEnvFile: true, Policy: policy, PolicyName: "commit abc"})
	assert.ErrorContains(t, err, "commit abc:missing.yaml")
}
