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

	"github.com/keygate/keygate/internal/testmode"
)

type preCommitHook struct {
	ID            string `yaml:"id"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	PassFilenames bool   `yaml:"pass_filenames"`
	AlwaysRun     bool   `yaml:"always_run"`
}

// The three hooks run the same staged scan: built with go, the installed
// binary, or the image (whose entry must be where the Dockerfile puts it).
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
		assert.True(t, strings.HasSuffix(h.Entry, "keygate scan --staged"), h.ID)
	}
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
