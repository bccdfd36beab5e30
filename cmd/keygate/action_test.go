package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// actionRun is what one step of the action left behind.
type actionRun struct {
	code    int
	log     string // stdout and stderr: workflow commands land here
	outputs string // $GITHUB_OUTPUT
	summary string // $GITHUB_STEP_SUMMARY
}

// repoTop is the top of this checkout (asked of git once per run).
func repoTop(t *testing.T) string {
	t.Helper()
	top, err := repoTopOnce()
	require.NoError(t, err)
	return top
}

var repoTopOnce = sync.OnceValues(func() (string, error) {
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	return strings.TrimSpace(string(top)), err
})

// runActionScript runs one of the action's scripts as the runner would, in
// workspace, with a faked GitHub environment plus env.
func runActionScript(t *testing.T, script, workspace string, env map[string]string) actionRun {
	t.Helper()
	runner := t.TempDir()
	outFile, sumFile := filepath.Join(runner, "output"), filepath.Join(runner, "summary")
	cmd := exec.Command("bash", filepath.Join(repoTop(t), "scripts", script))
	cmd.Dir = workspace
	cmd.Env = append(os.Environ(), "RUNNER_TEMP="+runner, "GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+sumFile,
		"GITHUB_WORKSPACE="+workspace, "GITHUB_ACTIONS=true", "GITHUB_REPOSITORY=ops/trading", "GITHUB_EVENT_NAME=pull_request")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	r := actionRun{log: string(out)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else {
		require.NoError(t, err, string(out))
	}
	o, _ := os.ReadFile(outFile)
	s, _ := os.ReadFile(sumFile)
	r.outputs, r.summary = string(o), string(s)
	return r
}

// runActionStep runs scripts/github-action-scan.sh as the action's Scan step.
func runActionStep(t *testing.T, workspace string, env map[string]string) actionRun {
	t.Helper()
	full := map[string]string{"KEYGATE_BIN": binary(t), "INPUT_ARGS": "--no-env-file"}
	for k, v := range env {
		full[k] = v
	}
	return runActionScript(t, "github-action-scan.sh", workspace, full)
}

func TestGitHubActionScanStep(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/readme.md", "hello\n")
	base := g.commit("base")
	g.write("docs/pr.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	g.write("env/.env", "LOG_LEVEL=info\n")
	head := g.commit("pull request")

	r := runActionStep(t, g.dir, map[string]string{
		"INPUT_MODE": "pr", "KEYGATE_BASE_SHA": base, "KEYGATE_HEAD_SHA": head, "INPUT_SARIF_FILE": "out/keygate.sarif",
	})
	assert.Equal(t, 0, r.code, "findings are reported through outputs; the action fails the job later: %s", r.log)
	assert.Contains(t, r.outputs, "status=fail\n")
	assert.Contains(t, r.outputs, "findings=2\n")
	assert.Contains(t, r.outputs, "upload-sarif=true\n")
	assert.Contains(t, r.summary, "## ❌ keygate: fail")
	assert.Contains(t, r.summary, "| high | `bot-password` | `docs/pr.md:1 @ "+head[:12]+"` | `****Reef` |")
	assert.Contains(t, r.summary, "| critical | `blocked-path` | `env/.env:1 @ ")
	assert.NotContains(t, r.summary+r.log, fixture.BotPassword)
	assert.FileExists(t, filepath.Join(g.dir, "out/keygate.sarif"))
	assert.Contains(t, r.log, "::error file=docs/pr.md,line=1,col=15,title=keygate bot-password::high bot-password: ****Reef (commit "+head[:12]+")")
	assert.Contains(t, r.log, "::error file=env/.env,line=1,col=1,title=keygate blocked-path::")
	require.Contains(t, r.outputs, "report=")
	report := strings.TrimSpace(strings.SplitN(strings.SplitN(r.outputs, "report=", 2)[1], "\n", 2)[0])
	assert.Equal(t, "fail", string(readReport(t, report).Status), "latest.json is kept for the artifact")

	// A clean range passes.
	g.git("checkout", "-q", "-b", "clean", base)
	g.write("docs/clean.md", "nothing secret\n")
	g.git("add", "docs/clean.md")
	g.git("commit", "-qm", "clean change")
	clean := g.git("rev-parse", "HEAD")
	g.git("checkout", "-q", "-")
	r = runActionStep(t, g.dir, map[string]string{
		"INPUT_MODE": "pr", "KEYGATE_BASE_SHA": base, "KEYGATE_HEAD_SHA": clean, "INPUT_SARIF_FILE": "out/clean.sarif"})
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.outputs, "status=pass\nfindings=0\n")
	assert.Contains(t, r.summary, "## ✅ keygate: pass")

	// --fail-on: a high finding below critical passes the gate.
	r = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "paths", "INPUT_FAIL_ON": "critical"})
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.outputs, "status=pass\nfindings=1\n")

	// Paths mode with logs.
	g.write("data/bot1/logs/bot1.log", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	r = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "paths", "INPUT_INCLUDE_LOGS": "true"})
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.outputs, "status=fail\nfindings=2\n")

	// Misuse is an error, not a pass: pr mode outside a pull request, a
	// bad mode, and a base that is not in the clone.
	r = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "pr"})
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.outputs, "status=error")
	r = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "everything"})
	assert.Equal(t, 2, r.code)
	r = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "pr", "KEYGATE_BASE_SHA": strings.Repeat("1", 40), "KEYGATE_HEAD_SHA": head})
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.outputs, "status=error")
	assert.Contains(t, r.log, "fetch-depth: 0")

	// An input cannot inject shell: it is data.
	marker := filepath.Join(t.TempDir(), "pwned")
	r = runActionStep(t, g.dir, map[string]string{"INPUT_MODE": "paths", "INPUT_ARGS": "$(touch " + marker + ")"})
	assert.NoFileExists(t, marker)
	assert.Equal(t, 2, r.code, "the odd argument is refused by keygate")
}

// Each event scans what it should: a pull request what it adds, a push the
// pushed commits (a new branch from the default branch on), a schedule or a
// manual run the whole history or the scopes.
func TestGitHubActionEvents(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/old.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	g.commit("old leak")
	g.write("docs/old.md", "removed\n")
	main := g.commit("old leak removed")
	g.git("update-ref", "refs/remotes/origin/main", main)
	g.git("checkout", "-q", "-b", "feature")
	g.write("docs/new.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	feature := g.commit("new leak")

	rules := func(r actionRun) []string {
		var ids []string
		for _, l := range strings.Split(r.log, "\n") {
			if _, rest, ok := strings.Cut(l, "title=keygate "); ok {
				ids = append(ids, strings.SplitN(rest, "::", 2)[0])
			}
		}
		return ids
	}
	for _, tt := range []struct {
		name   string
		env    map[string]string
		rules  []string
		notice string
	}{
		{"pull_request", map[string]string{"GITHUB_EVENT_NAME": "pull_request", "KEYGATE_BASE_SHA": main, "KEYGATE_HEAD_SHA": feature},
			[]string{"bot-password"}, ""},
		{"push", map[string]string{"GITHUB_EVENT_NAME": "push", "KEYGATE_BEFORE_SHA": main, "KEYGATE_AFTER_SHA": feature},
			[]string{"bot-password"}, ""},
		{"push of a new branch", map[string]string{"GITHUB_EVENT_NAME": "push", "KEYGATE_BEFORE_SHA": strings.Repeat("0", 40),
			"KEYGATE_AFTER_SHA": feature, "KEYGATE_DEFAULT_BRANCH": "main", "GITHUB_REF": "refs/heads/feature"},
			[]string{"bot-password"}, "new branch: scanning the commits not on main"},
		{"first push of the default branch", map[string]string{"GITHUB_EVENT_NAME": "push", "KEYGATE_BEFORE_SHA": strings.Repeat("0", 40),
			"KEYGATE_AFTER_SHA": feature, "KEYGATE_DEFAULT_BRANCH": "main", "GITHUB_REF": "refs/heads/main"},
			[]string{"bot-password", "redis-password"}, "no earlier commit to compare with: scanning the whole history"},
		{"force-push whose old tip is gone", map[string]string{"GITHUB_EVENT_NAME": "push", "KEYGATE_BEFORE_SHA": strings.Repeat("ab", 20),
			"KEYGATE_AFTER_SHA": feature, "KEYGATE_DEFAULT_BRANCH": "main", "GITHUB_REF": "refs/heads/feature"},
			[]string{"bot-password"}, "new branch"},
		{"schedule", map[string]string{"GITHUB_EVENT_NAME": "schedule"}, []string{"bot-password", "redis-password"}, ""},
		{"workflow_dispatch", map[string]string{"GITHUB_EVENT_NAME": "workflow_dispatch"}, []string{"bot-password", "redis-password"}, ""},
		{"workflow_dispatch paths", map[string]string{"GITHUB_EVENT_NAME": "workflow_dispatch", "INPUT_MODE": "paths"}, []string{"bot-password"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runActionStep(t, g.dir, tt.env)
			assert.Equal(t, 0, r.code, r.log)
			got := rules(r)
			assert.ElementsMatch(t, tt.rules, got, r.log)
			assert.Contains(t, r.outputs, "status=fail\nfindings="+itoa(len(tt.rules))+"\n")
			if tt.notice != "" {
				assert.Contains(t, r.log, "::notice title=keygate::"+tt.notice)
			}
		})
	}

	t.Run("push deleting a branch", func(t *testing.T) {
		r := runActionStep(t, g.dir, map[string]string{"GITHUB_EVENT_NAME": "push", "KEYGATE_BEFORE_SHA": feature, "KEYGATE_AFTER_SHA": strings.Repeat("0", 40)})
		assert.Equal(t, 0, r.code, r.log)
		assert.Contains(t, r.outputs, "status=pass\nfindings=0\n")
	})
}

// A fork's pull request cannot upload SARIF (read-only token): the upload
// is skipped, and the step does not fail because of it.
func TestGitHubActionForkPullRequest(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/readme.md", "hello\n")
	base := g.commit("base")
	g.write("docs/pr.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	head := g.commit("pr")
	env := map[string]string{"KEYGATE_BASE_SHA": base, "KEYGATE_HEAD_SHA": head, "KEYGATE_PR_HEAD_REPO": "someone/trading"}
	r := runActionStep(t, g.dir, env)
	assert.Equal(t, 0, r.code, r.log)
	assert.Contains(t, r.outputs, "status=fail\nfindings=1\n")
	assert.Contains(t, r.outputs, "upload-sarif=false\n")
	assert.Contains(t, r.log, "pull request from a fork")
	assert.Contains(t, r.log, "::error file=docs/pr.md,line=1", "annotations still show the finding")

	env["KEYGATE_PR_HEAD_REPO"] = "ops/trading" // a branch of the same repository
	r = runActionStep(t, g.dir, env)
	assert.Contains(t, r.outputs, "upload-sarif=true\n")
}

// A shallow checkout cannot show what a pull request or push adds: the step
// fails and names the fix. A scan of the scopes needs no history.
func TestGitHubActionShallowCheckout(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/readme.md", "hello\n")
	base := g.commit("base")
	g.write("docs/pr.md", "fine\n")
	head := g.commit("pr")
	clone := filepath.Join(t.TempDir(), "shallow")
	out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+g.dir, clone).CombinedOutput()
	require.NoError(t, err, string(out))

	for _, env := range []map[string]string{
		{"GITHUB_EVENT_NAME": "pull_request", "KEYGATE_BASE_SHA": base, "KEYGATE_HEAD_SHA": head},
		{"GITHUB_EVENT_NAME": "push", "KEYGATE_BEFORE_SHA": base, "KEYGATE_AFTER_SHA": head},
		{"GITHUB_EVENT_NAME": "schedule"},
	} {
		r := runActionStep(t, clone, env)
		assert.Equal(t, 2, r.code, r.log)
		assert.Contains(t, r.log, "this checkout is shallow: set 'fetch-depth: 0' on actions/checkout")
		assert.Contains(t, r.outputs, "status=error")
	}
	r := runActionStep(t, clone, map[string]string{"GITHUB_EVENT_NAME": "workflow_dispatch", "INPUT_MODE": "paths"})
	assert.Equal(t, 0, r.code, r.log)
	assert.Contains(t, r.outputs, "status=pass")
}

// Annotations are capped: a file full of findings does not flood the log.
func TestGitHubActionAnnotationsCapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 60; i++ {
		b.WriteString("BOT1_PASSWORD=" + fixture.BotPassword + "\n")
	}
	fixture.Write(t, dir, "docs/many.md", b.String())
	r := runActionStep(t, dir, map[string]string{"INPUT_MODE": "paths"})
	assert.Equal(t, 0, r.code, r.log)
	assert.Contains(t, r.outputs, "findings=60\n")
	assert.Equal(t, 50, strings.Count(r.log, "::error file=docs/many.md"))
	assert.Contains(t, r.log, "::warning title=keygate::10 more findings are not annotated")
}

// A scan that fails before writing SARIF (here a bad argument) must not
// leave an earlier step's SARIF file at the same path to be uploaded as
// this scan's result.
func TestGitHubActionStaleSARIFRemoved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/readme.md", "hello\n")
	fixture.Write(t, dir, "keygate.sarif", `{"version":"2.1.0","runs":[]}`)
	r := runActionStep(t, dir, map[string]string{"INPUT_MODE": "paths", "INPUT_ARGS": "--no-such-flag"})
	assert.Equal(t, 2, r.code, r.log)
	assert.Contains(t, r.outputs, "status=error")
	assert.Contains(t, r.outputs, "upload-sarif=false\n")
	assert.NotContains(t, r.outputs, "sarif=keygate.sarif")
	assert.NoFileExists(t, filepath.Join(dir, "keygate.sarif"), "the earlier step's SARIF is removed before the scan")
}

// A pull request that suppresses its own secret fails the action with a
// suppression-added finding; a maintainer's accept-policy-changes passes
// it, the secret listed as suppressed.
func TestGitHubActionPolicyChanges(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/readme.md", "hello\n")
	base := g.commit("base")
	g.git("checkout", "-q", "-b", "feature")
	g.write(".keygate.yaml", "allow_paths: ['docs/**']\n")
	g.write("docs/new.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	head := g.commit("suppress my own leak")
	env := map[string]string{"GITHUB_EVENT_NAME": "pull_request", "KEYGATE_BASE_SHA": base, "KEYGATE_HEAD_SHA": head}

	r := runActionStep(t, g.dir, env)
	assert.Contains(t, r.outputs, "status=fail\n", r.log)
	assert.Contains(t, r.log, "title=keygate suppression-added-config::")
	assert.Contains(t, r.log, "title=keygate bot-password::")

	env["INPUT_ACCEPT_POLICY_CHANGES"] = "true"
	r = runActionStep(t, g.dir, env)
	assert.Equal(t, 0, r.code, r.log)
	assert.Contains(t, r.outputs, "status=pass\nfindings=0\n", r.log)
	assert.Contains(t, r.log, "title=keygate suppressed bot-password::")
	assert.Contains(t, r.summary, "### Suppressed (2)")
	assert.NotContains(t, r.log+r.summary, fixture.BotPassword)
}
