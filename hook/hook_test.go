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

// Each kind's hook answers the install-time probe before anything else
// and starts its own keygate command; a chained hook runs first, and the
// push kinds hand it git's ref lines and keep them for keygate.
func TestScript(t *testing.T) {
	for _, k := range Kinds {
		s := Script(k, "/opt/keygate", false)
		assert.True(t, strings.HasPrefix(s, "#!/bin/sh\n"+Marker), k)
		assert.Less(t, strings.Index(s, probeArg), strings.Index(s, "exec /opt/keygate "+k.Args()), k)
		assert.NotContains(t, s, "KEYGATE_", "no variable switches a hook off")
		chained := Script(k, "keygate", true)
		assert.Contains(t, chained, k.ChainedName())
		assert.Less(t, strings.Index(chained, probeArg), strings.Index(chained, k.ChainedName()), "the probe never runs the chained hook")
		assert.Equal(t, k.readsStdin(), strings.Contains(chained, "input=$(cat)"), k)
	}
	assert.Contains(t, Script(PreCommit, "keygate", false), "exec keygate scan --staged\n")
	assert.Contains(t, Script(PrePush, "keygate", false), `exec keygate hook pre-push "$@"`)
}

// The hook skips its scan only for the argument that names the nonce
// file beside it, while that file exists: not for any environment, not
// for a wrong nonce, not once the probe is over.
func TestScriptProbeNeedsTheNonce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pre-commit")
	require.NoError(t, os.WriteFile(path, []byte(Script(PreCommit, "echo", false)), 0o755))
	run := func(env []string, args ...string) string {
		cmd := exec.Command(path, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err)
		return string(out)
	}
	scans := "scan --staged\n"
	assert.Equal(t, scans, run([]string{"KEYGATE_HOOK_PROBE=1"}), "the old switch is gone")
	assert.Equal(t, scans, run(nil, probeArg), "no nonce file")
	require.NoError(t, os.WriteFile(path+".keygate-probe", []byte("abc"), 0o600))
	assert.Equal(t, scans, run(nil, probeArg+"abd"), "a wrong nonce")
	assert.Equal(t, probeReply+" "+probeArg+"abc\n", run(nil, probeArg+"abc"))
}

// Install proves git runs each hook, leaves no nonce behind, and a hook
// git would not run (not executable) is an error, never "installed".
func TestInstallVerifies(t *testing.T) {
	dir := gitInit(t)
	paths, err := Install(dir, Options{Command: "keygate"})
	require.NoError(t, err)
	hooks := filepath.Join(dir, ".git", "hooks")
	assert.Equal(t, []string{filepath.Join(hooks, "pre-commit"), filepath.Join(hooks, "pre-push")}, paths)
	loc, err := Locate(dir)
	require.NoError(t, err)
	for _, k := range ClientKinds {
		require.NoError(t, probe(dir, loc, k))
		assert.NoFileExists(t, filepath.Join(hooks, k.probeName()))
	}
	require.NoError(t, os.Chmod(paths[1], 0o644))
	assert.ErrorIs(t, probe(dir, loc, PrePush), ErrHookNotRun)
	assert.NoFileExists(t, filepath.Join(hooks, PrePush.probeName()))

	only, err := Install(gitInit(t), Options{Kinds: []Kind{PrePush}})
	require.NoError(t, err)
	require.Len(t, only, 1)
	assert.Equal(t, "pre-push", filepath.Base(only[0]))
}

// A bare repository takes the server's hook, never a clone's.
func TestInstallBare(t *testing.T) {
	dir := gitInit(t, "--bare")
	_, err := Dir(dir)
	assert.ErrorIs(t, err, ErrBareClientHook)
	_, err = Install(dir, Options{Kinds: []Kind{PreCommit}})
	assert.ErrorIs(t, err, ErrBareClientHook)
	paths, err := Install(dir, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, "hooks", "pre-receive")}, paths)
}

// A foreign hook is never overwritten without --force or --chain, and
// one in the way of either kind leaves both unwritten.
func TestInstallForeign(t *testing.T) {
	dir := gitInit(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	require.NoError(t, os.MkdirAll(hooks, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(hooks, "pre-push"), []byte("#!/bin/sh\nexit 0\n"), 0o755))
	_, err := Install(dir, Options{})
	assert.ErrorIs(t, err, ErrForeignHook)
	var fe *ForeignHookError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, PrePush, fe.Kind)
	assert.NoFileExists(t, filepath.Join(hooks, "pre-commit"), "nothing written")
	_, err = Install(dir, Options{Force: true, Chain: true})
	assert.ErrorIs(t, err, ErrForceAndChain)
}

// Uninstall puts a chained hook back byte for byte (content and mode),
// removes keygate's own, and leaves a foreign one alone; Status says
// what is where and that git runs keygate's hooks.
func TestUninstallRestoresChained(t *testing.T) {
	dir := gitInit(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	require.NoError(t, os.MkdirAll(hooks, 0o755))
	original := []byte("#!/bin/sh\n# a team's own hook\r\nexit 0\n\x00tail")
	require.NoError(t, os.WriteFile(filepath.Join(hooks, "pre-push"), original, 0o751))
	_, err := Install(dir, Options{Chain: true})
	require.NoError(t, err)

	st, err := Status(dir)
	require.NoError(t, err)
	byKind := map[Kind]HookStatus{}
	for _, s := range st {
		byKind[s.Kind] = s
	}
	assert.Equal(t, Keygate, byKind[PrePush].State)
	assert.Equal(t, filepath.Join(hooks, PrePush.ChainedName()), byKind[PrePush].Chained)
	require.NotNil(t, byKind[PrePush].Runs)
	assert.True(t, *byKind[PrePush].Runs)
	assert.Equal(t, Absent, byKind[PreReceive].State)

	removed, err := Uninstall(dir, nil)
	require.NoError(t, err)
	assert.Equal(t, []Removed{{Kind: PreCommit, Path: filepath.Join(hooks, "pre-commit")}, {Kind: PrePush, Path: filepath.Join(hooks, "pre-push"), Restored: true}}, removed)
	data, err := os.ReadFile(filepath.Join(hooks, "pre-push"))
	require.NoError(t, err)
	assert.Equal(t, original, data)
	fi, err := os.Stat(filepath.Join(hooks, "pre-push"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o751), fi.Mode().Perm())
	assert.NoFileExists(t, filepath.Join(hooks, "pre-commit"))
	assert.NoFileExists(t, filepath.Join(hooks, PrePush.ChainedName()))

	removed, err = Uninstall(dir, nil)
	require.NoError(t, err)
	assert.Equal(t, []Removed{{Kind: PrePush, Path: filepath.Join(hooks, "pre-push"), Left: true}}, removed)
	data, _ = os.ReadFile(filepath.Join(hooks, "pre-push"))
	assert.Equal(t, original, data, "a foreign hook is left alone")
}
