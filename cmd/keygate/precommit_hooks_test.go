package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
)

type preCommitHook struct {
	ID            string   `yaml:"id"`
	Entry         string   `yaml:"entry"`
	Language      string   `yaml:"language"`
	PassFilenames bool     `yaml:"pass_filenames"`
	AlwaysRun     bool     `yaml:"always_run"`
	Stages        []string `yaml:"stages"`
}

// The three commit hooks run the same staged scan: built with go, the
// installed binary, or the image (whose entry must be where the Dockerfile
// puts it); the push hook runs at the push stage.
func TestPreCommitHooksFile(t *testing.T) {
	t.Parallel()
	top := repoTop(t)
	data, err := os.ReadFile(filepath.Join(top, ".pre-commit-hooks.yaml"))
	require.NoError(t, err)
	var hooks []preCommitHook
	require.NoError(t, yaml.Unmarshal(data, &hooks))
	byID := map[string]preCommitHook{}
	for _, h := range hooks {
		byID[h.ID] = h
		assert.False(t, h.PassFilenames, h.ID)
		assert.True(t, h.AlwaysRun, h.ID)
		if h.ID == "keygate-push" {
			continue
		}
		assert.True(t, strings.HasSuffix(h.Entry, "keygate scan --staged"), h.ID)
		assert.Empty(t, h.Stages, h.ID)
	}
	push := byID["keygate-push"]
	assert.Equal(t, "keygate hook pre-push --pre-commit-framework", push.Entry)
	assert.Equal(t, "golang", push.Language)
	assert.Equal(t, []string{"push"}, push.Stages, "the spelling every pre-commit release accepts")
	assert.Equal(t, "golang", byID["keygate"].Language)
	assert.Equal(t, "system", byID["keygate-system"].Language)
	docker := byID["keygate-docker"]
	assert.Equal(t, "docker", docker.Language)
	exe := strings.Fields(docker.Entry)[0]
	dockerfile, err := os.ReadFile(filepath.Join(top, "Dockerfile"))
	require.NoError(t, err)
	assert.Contains(t, string(dockerfile), "COPY --from=build /out/keygate "+exe, "the docker hook's entry is the image's binary")
}

// The keygate-system hook, through the real framework, runs the keygate on
// PATH: no Go build.
func TestPreCommitSystemHook(t *testing.T) {
	testmode.RequireFull(t, "runs the pre-commit framework")
	t.Parallel()
	precommit := testmode.Tool(t, "pre-commit", "apt-get install pre-commit")
	hookRepo := repoTop(t)
	rev, err := exec.Command("git", "-C", hookRepo, "rev-parse", "HEAD").Output()
	require.NoError(t, err)
	env := []string{
		"PRE_COMMIT_HOME=" + t.TempDir(),
		"PATH=" + filepath.Dir(binary(t)) + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	g := newGitRepo(t)
	g.write(".pre-commit-config.yaml", "repos:\n  - repo: "+hookRepo+"\n    rev: "+strings.TrimSpace(string(rev))+"\n    hooks:\n      - id: keygate-system\n")
	cmd := exec.Command(precommit, "install")
	cmd.Dir = g.dir
	cmd.Env = append(append(os.Environ(), "HOME="+g.dir), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	clean := assertGateBlocksEnvFile(t, g, env)
	assert.Contains(t, clean, "installed binary")
	assert.Contains(t, clean, "Passed")
}

// The keygate-push hook through the real framework's pre-push stage: a
// commit made without the pre-commit hook (a cherry-pick) is refused at
// git push with its path; a clean push passes. The framework builds
// keygate with go install.
func TestPreCommitFrameworkPrePush(t *testing.T) {
	testmode.RequireFull(t, "builds keygate inside the pre-commit framework")
	t.Parallel()
	precommit := testmode.Tool(t, "pre-commit", "apt-get install pre-commit")
	hookRepo := repoTop(t)
	rev, err := exec.Command("git", "-C", hookRepo, "rev-parse", "HEAD").Output()
	require.NoError(t, err)
	goEnv := func(k string) string {
		out, err := exec.Command("go", "env", k).Output()
		require.NoError(t, err)
		return strings.TrimSpace(string(out))
	}
	env := []string{"PRE_COMMIT_HOME=" + t.TempDir(), "GOMODCACHE=" + goEnv("GOMODCACHE"), "GOCACHE=" + goEnv("GOCACHE"), "GOFLAGS=-buildvcs=false"}
	g := newGitRepo(t)
	remote := filepath.Join(t.TempDir(), "remote.git")
	ok, out := g.gitAt(g.dir, "", nil, "init", "-q", "--bare", "-b", "main", remote)
	require.True(t, ok, out)
	g.commitNoHook("config", map[string]string{".pre-commit-config.yaml": "repos:\n  - repo: " + hookRepo + "\n    rev: " + strings.TrimSpace(string(rev)) + "\n    hooks:\n      - id: keygate-push\n", "docs/a.md": "hello\n"})
	ok, out = g.gitAt(g.dir, "", env, "remote", "add", "origin", remote)
	require.True(t, ok, out)
	cmd := exec.Command(precommit, "install", "--hook-type", "pre-push")
	cmd.Dir = g.dir
	cmd.Env = append(append(os.Environ(), "HOME="+g.dir, g.globalConfig()), env...)
	o, err := cmd.CombinedOutput()
	require.NoError(t, err, string(o))

	ok, out = g.gitAt(g.dir, "", env, "push", "origin", "main")
	require.True(t, ok, "a clean push passes: %s", out)
	assert.Contains(t, out, "Passed")

	g.must("checkout", "-q", "-b", "scratch")
	c := g.commitNoHook("scratch", map[string]string{"docs/scratch.md": keyLine})
	g.must("checkout", "-q", "main")
	g.commitNoHook("more", map[string]string{"docs/b.md": "b\n"})
	g.must("cherry-pick", c)
	ok, out = g.gitAt(g.dir, "", env, "push", "origin", "main")
	assert.False(t, ok, "the framework's pre-push stage refuses it: %s", out)
	assert.Contains(t, out, "docs/scratch.md")
	assert.Contains(t, out, "bitget-api-key")
	assert.NotContains(t, out, fixture.BitgetKey)
}
