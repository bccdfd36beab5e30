package hook

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func gitInit(t *testing.T, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("git", append([]string{"init", "-q"}, append(args, dir)...)...).CombinedOutput()
	require.NoError(t, err, string(out))
	return dir
}

// The hook answers the install-time probe before anything else, and
// starts keygate with the staged scan.
func TestScript(t *testing.T) {
	s := Script("/opt/keygate", false)
	assert.True(t, strings.HasPrefix(s, "#!/bin/sh\n"+Marker))
	assert.Less(t, strings.Index(s, probeEnv), strings.Index(s, "exec /opt/keygate scan --staged"))
	chained := Script("keygate", true)
	assert.Contains(t, chained, ChainedName)
	assert.Less(t, strings.Index(chained, probeEnv), strings.Index(chained, ChainedName), "the probe never runs the chained hook")
}

// Install proves git runs the hook: one git would not run (not
// executable) is an error, never "installed".
func TestInstallVerifies(t *testing.T) {
	dir := gitInit(t)
	path, err := Install(dir, Options{Command: "keygate"})
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, ".git", "hooks", "pre-commit"), path)
	require.NoError(t, verify(dir, path))

	require.NoError(t, os.Chmod(path, 0o644))
	err = verify(dir, path)
	assert.ErrorIs(t, err, ErrHookNotRun)
}

// A bare repository has no commits to gate.
func TestDirBare(t *testing.T) {
	dir := gitInit(t, "--bare")
	_, err := Dir(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bare")
}

// A foreign hook is never overwritten without --force or --chain.
func TestInstallForeign(t *testing.T) {
	dir := gitInit(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	require.NoError(t, os.MkdirAll(hooks, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(hooks, "pre-commit"), []byte("#!/bin/sh\nexit 0\n"), 0o755))
	_, err := Install(dir, Options{})
	assert.ErrorIs(t, err, ErrForeignHook)
	_, err = Install(dir, Options{Force: true, Chain: true})
	assert.ErrorIs(t, err, ErrForceAndChain)
}
