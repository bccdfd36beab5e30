package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/hook"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
)

// commitThroughHooks runs a real `git commit` (hooks enabled) and returns
// its exit status and output.
func (g *gitRepo) commitThroughHooks(env []string, msg string) (bool, string) {
	g.t.Helper()
	cmd := exec.Command("git", "commit", "-q", "-m", msg)
	cmd.Dir = g.dir
	cmd.Env = append(append(os.Environ(), "HOME="+g.dir, "GIT_CONFIG_NOSYSTEM=1", g.globalConfig()), env...)
	out, err := cmd.CombinedOutput()
	return err == nil, string(out)
}

// assertGateBlocksEnvFile is what a user relies on from either hook: a
// commit staging env/.env is refused with how to recover, and once it is
// unstaged (and ignored) a clean commit goes through.
func assertGateBlocksEnvFile(t *testing.T, g *gitRepo, env []string) (clean string) {
	t.Helper()
	g.write("env/.env", "LOG_LEVEL=info\n")
	g.git("add", "-A")
	ok, out := g.commitThroughHooks(env, "stage the env file")
	assert.False(t, ok, "the hook must refuse env/.env: %s", out)
	assert.Contains(t, out, "blocked-path")
	assert.Contains(t, out, "git rm --cached env/.env")

	g.git("rm", "-q", "--cached", "env/.env")
	g.write(".gitignore", "env/.env\n")
	g.write("docs/a.md", "hello\n")
	g.git("add", "-A")
	ok, out = g.commitThroughHooks(env, "clean")
	assert.True(t, ok, "a clean commit goes through: %s", out)
	return out
}

func TestHookInstall(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	bin := binary(t)
	res := runCLI(t, g.dir, nil, "hook", "install", "--command", bin)
	require.Equal(t, exitPass, res.code, res.combined)
	hookPath := filepath.Join(g.dir, ".git/hooks/pre-commit")
	assert.FileExists(t, hookPath)

	assertGateBlocksEnvFile(t, g, nil)

	assert.NotContains(t, res.stderr, "not on PATH")

	// Reinstalling over our own hook is fine.
	res = runCLI(t, g.dir, nil, "hook", "install", "--command", bin)
	assert.Equal(t, exitPass, res.code, res.combined)
}

// A hook whose keygate git cannot find refuses every commit and push: the
// install says so at once rather than at the first commit.
func TestHookInstallWarnsWhenKeygateIsNotOnPath(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	res := runCLI(t, g.dir, nil, "hook", "install", "--command", "keygate-not-installed-here")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stderr, "keygate: warning: keygate-not-installed-here is not on PATH here")
	assert.Contains(t, res.stderr, "--command /absolute/path/to/keygate")
}

func TestHookInstallForeignHook(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	bin := binary(t)
	hooks := filepath.Join(g.dir, ".git/hooks")
	require.NoError(t, os.MkdirAll(hooks, 0o755))
	foreign := "#!/bin/sh\necho foreign-ran >> \"$(git rev-parse --show-toplevel)/foreign.log\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(hooks, "pre-commit"), []byte(foreign), 0o755))

	res := runCLI(t, g.dir, nil, "hook", "install", "--command", bin)
	assert.Equal(t, exitUsage, res.code, "an input to resolve, not a finding: %s", res.combined)
	assert.Contains(t, res.stderr, "--chain")
	assert.Contains(t, res.stderr, "a pre-commit hook that keygate did not write exists; run with --chain to keep it and run keygate after it, or --force to replace it")
	data, _ := os.ReadFile(filepath.Join(hooks, "pre-commit"))
	assert.Equal(t, foreign, string(data), "the foreign hook is untouched")

	res = runCLI(t, g.dir, nil, "hook", "install", "--command", bin, "--chain")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.FileExists(t, filepath.Join(hooks, hook.PreCommit.ChainedName()))
	g.write("docs/a.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	g.git("add", "docs/a.md")
	ok, out := g.commitThroughHooks(nil, "leak")
	assert.False(t, ok, out)
	log, err := os.ReadFile(filepath.Join(g.dir, "foreign.log"))
	require.NoError(t, err, "the chained hook ran first")
	assert.Equal(t, "foreign-ran\n", string(log))

	res = runCLI(t, g.dir, nil, "hook", "install", "--force", "--chain")
	assert.Equal(t, exitUsage, res.code)
	require.NoError(t, os.WriteFile(filepath.Join(hooks, "pre-commit"), []byte(foreign), 0o755))
	res = runCLI(t, g.dir, nil, "hook", "install", "--command", bin, "--force")
	assert.Equal(t, exitPass, res.code)
	data, _ = os.ReadFile(filepath.Join(hooks, "pre-commit"))
	assert.Contains(t, string(data), hook.Marker)
}

// The real pre-commit framework, with this repository (at HEAD) as the hook
// repo: it builds keygate with `go install`, refuses a commit staging
// env/.env and lets a clean one through. CI installs Debian's pre-commit;
// the full suite fails, never skips, without it.
func TestPreCommitFramework(t *testing.T) {
	t.Parallel()
	testmode.RequireFull(t, "builds keygate inside the pre-commit framework")
	precommit := testmode.Tool(t, "pre-commit", "apt-get install pre-commit")
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		testmode.Missing(t, "not run from a keygate git checkout")
	}
	hookRepo := strings.TrimSpace(string(top))
	rev, err := exec.Command("git", "-C", hookRepo, "rev-parse", "HEAD").Output()
	require.NoError(t, err)
	goEnv := func(k string) string {
		out, err := exec.Command("go", "env", k).Output()
		require.NoError(t, err)
		return strings.TrimSpace(string(out))
	}
	env := []string{
		"PRE_COMMIT_HOME=" + t.TempDir(),
		// Reuse the module and build caches: the hook's `go install` then
		// needs no download.
		"GOMODCACHE=" + goEnv("GOMODCACHE"),
		"GOCACHE=" + goEnv("GOCACHE"),
		"GOFLAGS=-buildvcs=false",
	}

	g := newGitRepo(t)
	g.write(".pre-commit-config.yaml", "repos:\n  - repo: "+hookRepo+"\n    rev: "+strings.TrimSpace(string(rev))+"\n    hooks:\n      - id: keygate\n")
	cmd := exec.Command(precommit, "install")
	cmd.Dir = g.dir
	cmd.Env = append(append(os.Environ(), "HOME="+g.dir, g.globalConfig()), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))

	out2 := assertGateBlocksEnvFile(t, g, env)
	assert.Contains(t, out2, "Passed", "the framework ran the keygate hook on the clean commit")

	// `git commit -a` commits from a temporary index: the framework's
	// hook must read it too.
	g.write("docs/a.md", "hello\nBOT1_BITGET_API_KEY="+fixture.BitgetKey+"\n")
	cmd = exec.Command("git", "commit", "-a", "-q", "-m", "leak through commit -a")
	cmd.Dir = g.dir
	cmd.Env = append(append(os.Environ(), "HOME="+g.dir, "GIT_CONFIG_NOSYSTEM=1", g.globalConfig()), env...)
	out, err = cmd.CombinedOutput()
	assert.Error(t, err, "the framework's hook must refuse commit -a with a key: %s", out)
	assert.Contains(t, string(out), "bitget-api-key")
}

// --force and --chain together are a usage error named in the flags' terms.
func TestHookInstallForceAndChainContradict(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	res := runCLI(t, g.dir, nil, "hook", "install", "--force", "--chain")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "--force and --chain contradict each other")
	assert.NoFileExists(t, filepath.Join(g.dir, ".git", "hooks", "pre-commit"))
}

// uninstall puts a chained hook back byte for byte and removes keygate's
// own; status says which hooks are there, where, and that git runs them.
func TestHookUninstallAndStatus(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	bin := binary(t)
	hooks := filepath.Join(g.dir, ".git", "hooks")
	require.NoError(t, os.MkdirAll(hooks, 0o755))
	original := "#!/bin/sh\n# the team's own pre-push check\r\nexit 0\n"
	require.NoError(t, os.WriteFile(filepath.Join(hooks, "pre-push"), []byte(original), 0o700))

	res := runCLI(t, g.dir, nil, "hook", "install", "--command", bin, "--chain")
	require.Equal(t, exitPass, res.code, res.combined)
	res = runCLI(t, g.dir, nil, "hook", "status")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "pre-commit   keygate: "+filepath.Join(hooks, "pre-commit")+"; git runs it")
	assert.Contains(t, res.stdout, "pre-push     keygate: "+filepath.Join(hooks, "pre-push")+", runs "+filepath.Join(hooks, "pre-push.keygate-chained")+" first; git runs it")
	assert.Contains(t, res.stdout, "pre-receive  not installed")

	// A hook git does not run (not executable) is said loudly, exit 2.
	require.NoError(t, os.Chmod(filepath.Join(hooks, "pre-commit"), 0o644))
	res = runCLI(t, g.dir, nil, "hook", "status")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stdout, "GIT DOES NOT RUN IT")

	res = runCLI(t, g.dir, nil, "hook", "uninstall")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "put back the hook it ran first")
	data, err := os.ReadFile(filepath.Join(hooks, "pre-push"))
	require.NoError(t, err)
	assert.Equal(t, original, string(data), "byte for byte")
	fi, err := os.Stat(filepath.Join(hooks, "pre-push"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
	assert.NoFileExists(t, filepath.Join(hooks, "pre-commit"))
	entries, err := os.ReadDir(hooks)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing of keygate's is left")

	res = runCLI(t, g.dir, nil, "hook", "install", "--pre-commit-only", "--pre-push-only")
	assert.Equal(t, exitUsage, res.code)
}
