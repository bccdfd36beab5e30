package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// runActionStep runs scripts/github-action-scan.sh as the action's Scan
// step would, with a faked GitHub environment.
func runActionStep(t *testing.T, workspace string, env map[string]string) (code int, outputs, summary string) {
	t.Helper()
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	require.NoError(t, err)
	script := filepath.Join(strings.TrimSpace(string(top)), "scripts", "github-action-scan.sh")
	runner := t.TempDir()
	outFile, sumFile := filepath.Join(runner, "output"), filepath.Join(runner, "summary")
	cmd := exec.Command("bash", script)
	cmd.Dir = workspace
	cmd.Env = append(os.Environ(), "KEYGATE_BIN="+binary(t), "RUNNER_TEMP="+runner,
		"GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+sumFile, "GITHUB_WORKSPACE="+workspace, "GITHUB_ACTIONS=true")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err, string(out))
	}
	o, _ := os.ReadFile(outFile)
	s, _ := os.ReadFile(sumFile)
	return code, string(o), string(s)
}

func TestGitHubActionScanStep(t *testing.T) {
	g := newGitRepo(t)
	g.write("docs/readme.md", "hello\n")
	base := g.commit("base")
	g.write("docs/pr.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	g.write("env/.env", "LOG_LEVEL=info\n")
	head := g.commit("pull request")

	code, outputs, summary := runActionStep(t, g.dir, map[string]string{
		"INPUT_MODE": "pr", "KEYGATE_BASE_SHA": base, "KEYGATE_HEAD_SHA": head, "INPUT_SARIF_FILE": "out/keygate.sarif",
		"INPUT_ARGS": "--no-env-file",
	})
	assert.Equal(t, 0, code, "findings are reported through outputs; the action fails the job later")
	assert.Contains(t, outputs, "status=fail\n")
	assert.Contains(t, outputs, "findings=2\n")
	assert.Contains(t, summary, "## ❌ keygate: fail")
	assert.Contains(t, summary, "| high | `bot-password` | `docs/pr.md:1 @ "+head[:12]+"` | `****Reef` |")
	assert.Contains(t, summary, "| critical | `blocked-path` | `env/.env:1 @ ")
	assert.NotContains(t, summary, fixture.BotPassword)
	assert.FileExists(t, filepath.Join(g.dir, "out/keygate.sarif"))

	// A clean range passes.
	code, outputs, summary = runActionStep(t, g.dir, map[string]string{
		"INPUT_MODE": "pr", "KEYGATE_BASE_SHA": base, "KEYGATE_HEAD_SHA": base, "INPUT_SARIF_FILE": "out/clean.sarif"})
	assert.Equal(t, 0, code)
	assert.Contains(t, outputs, "status=pass\nfindings=0\n")
	assert.Contains(t, summary, "## ✅ keygate: pass")

	// Paths mode with logs.
	g.write("data/bot1/logs/bot1.log", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	code, outputs, _ = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "paths", "INPUT_INCLUDE_LOGS": "true", "INPUT_ARGS": "--no-env-file"})
	assert.Equal(t, 0, code)
	assert.Contains(t, outputs, "status=fail\nfindings=2\n")

	// Misuse is an error, not a pass: pr mode outside a pull request, a
	// bad mode, and a bad base.
	code, outputs, _ = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "pr"})
	assert.Equal(t, 2, code)
	assert.Contains(t, outputs, "status=error")
	code, _, _ = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "everything"})
	assert.Equal(t, 2, code)
	code, outputs, _ = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "pr", "KEYGATE_BASE_SHA": strings.Repeat("0", 40), "KEYGATE_HEAD_SHA": head})
	assert.Equal(t, 2, code)
	assert.Contains(t, outputs, "status=error")

	// An input cannot inject shell: it is data.
	marker := filepath.Join(t.TempDir(), "pwned")
	code, _, _ = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "paths", "INPUT_ARGS": "$(touch " + marker + ")"})
	assert.NoFileExists(t, marker)
	assert.Equal(t, 2, code, "the odd argument is refused by keygate")
}
