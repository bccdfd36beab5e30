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
	"github.com/keygate/keygate/internal/testmode"
)

// gitIn runs git in dir with the repository's test environment (HOME is
// the repository, so `git config --global` stays inside the test) and
// returns whether it succeeded and its output.
func (g *gitRepo) gitIn(dir, stdin string, args ...string) (bool, string) {
	g.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "HOME="+g.dir, "GIT_CONFIG_NOSYSTEM=1", g.globalConfig())
	out, err := cmd.CombinedOutput()
	return err == nil, string(out)
}

const keyLine = "BOT1_BITGET_API_KEY=" + fixture.BitgetKey + "\n"

// hookedRepo has docs/a.md and env/.env committed (before the hook) and the
// gate installed.
var hookedRepo = &repoTemplate{build: func(g *gitRepo) {
	g.write("docs/a.md", "hello\n")
	g.write("env/.env", "LOG_LEVEL=info\n")
	g.commit("base, env file committed before the hook")
	res := runCLI(g.t, g.dir, nil, "hook", "install", "--command", binary(g.t))
	require.Equal(g.t, exitPass, res.code, res.combined)
}}

// Every way of making a commit goes through the gate: git commits from a
// temporary index for `commit -a`, `commit PATH` and `--patch`, and names
// it to the hook in GIT_INDEX_FILE. Each form is refused when it adds a
// Bitget key or touches env/.env, and goes through when clean.
func TestGateHoldsOnEveryCommitForm(t *testing.T) {
	t.Parallel()
	type form struct {
		name string
		// change edits the work tree (docs/a.md or env/.env are tracked
		// and committed); commit makes the commit and returns its result.
		commit func(g *gitRepo, file string) (bool, string)
	}
	forms := []form{
		{"commit -a", func(g *gitRepo, _ string) (bool, string) { return g.gitIn(g.dir, "", "commit", "-a", "-m", "x") }},
		{"commit PATH", func(g *gitRepo, file string) (bool, string) { return g.gitIn(g.dir, "", "commit", "-m", "x", file) }},
		{"commit --only PATH", func(g *gitRepo, file string) (bool, string) {
			return g.gitIn(g.dir, "", "commit", "--only", "-m", "x", file)
		}},
		{"commit --include PATH", func(g *gitRepo, file string) (bool, string) {
			g.write("docs/other.md", "staged before\n")
			g.git("add", "docs/other.md")
			return g.gitIn(g.dir, "", "commit", "--include", "-m", "x", file)
		}},
		{"commit --patch", func(g *gitRepo, _ string) (bool, string) {
			return g.gitIn(g.dir, "y\n", "commit", "--patch", "-m", "x")
		}},
		{"commit --interactive", func(g *gitRepo, _ string) (bool, string) {
			return g.gitIn(g.dir, "p\n1\n\ny\nq\n", "commit", "--interactive", "-m", "x")
		}},
		{"commit --amend", func(g *gitRepo, file string) (bool, string) {
			g.git("add", file)
			return g.gitIn(g.dir, "", "commit", "--amend", "--no-edit")
		}},
		{"commit -a from a subdirectory", func(g *gitRepo, _ string) (bool, string) {
			return g.gitIn(filepath.Join(g.dir, "docs"), "", "commit", "-a", "-m", "x")
		}},
	}
	type change struct {
		name, file, dirty, clean, rule string
		full                           bool // in the full suite only
	}
	changes := []change{
		{"a Bitget key", "docs/a.md", "hello\n" + keyLine, "hello\nmore words\n", "bitget-api-key", false},
		// The quick suite refuses env/.env through the hook once
		// (TestHookInstall); here, through every form.
		{"env/.env", "env/.env", "LOG_LEVEL=debug\n", "", "blocked-path", true},
	}
	for _, f := range forms {
		for _, c := range changes {
			t.Run(f.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				if c.full {
					testmode.RequireFull(t, "every commit form again with a blocked path")
				}
				g := hookedRepo.clone(t)
				head := g.git("rev-parse", "HEAD")

				g.write(c.file, c.dirty)
				ok, out := f.commit(g, c.file)
				assert.False(t, ok, "the gate must refuse it: %s", out)
				assert.Contains(t, out, c.rule)
				for _, line := range strings.Split(out, "\n") {
					if strings.Contains(line, c.rule) || strings.HasPrefix(line, "keygate:") {
						assert.NotContains(t, line, fixture.BitgetKey, "keygate's own lines (git's --patch shows the diff)")
					}
				}
				assert.Equal(t, head, g.git("rev-parse", "HEAD"), "nothing was committed")

				if c.clean == "" {
					return
				}
				g.git("reset", "-q")
				g.write(c.file, c.clean)
				ok, out = f.commit(g, c.file)
				assert.True(t, ok, "a clean commit goes through: %s", out)
			})
		}
	}
}

// A linked work tree commits from its own index and HEAD, and shares the
// hooks of the main one; `hook install` there writes where git looks.
func TestGateInLinkedWorktree(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	g := newGitRepo(t)
	g.write("docs/a.md", "hello\n")
	g.commit("base")
	wt := filepath.Join(t.TempDir(), "wt")
	g.git("worktree", "add", "-q", "-b", "feature", wt)
	res := runCLI(t, wt, nil, "hook", "install", "--command", bin)
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, filepath.Join(g.dir, ".git", "hooks", "pre-commit"), "git runs the common hooks folder")

	fixture.Write(t, wt, "docs/a.md", "hello\n"+keyLine)
	ok, out := g.gitIn(wt, "", "commit", "-a", "-m", "leak")
	assert.False(t, ok, out)
	assert.Contains(t, out, "bitget-api-key")

	// The work tree's own index, not the main one's: staged there only.
	fixture.Write(t, wt, "docs/b.md", keyLine)
	_, _ = g.gitIn(wt, "", "add", "docs/b.md")
	ok, out = g.gitIn(wt, "", "commit", "-m", "leak")
	assert.False(t, ok, out)
	assert.Contains(t, out, "docs/b.md")
	ok, out = g.gitIn(g.dir, "", "commit", "--allow-empty", "-m", "main is clean")
	assert.True(t, ok, out)
}

// hook install asks git where hooks live: core.hooksPath from the global
// config, with ~, or relative; each time a commit with a key is refused.
func TestHookInstallWhereGitLooks(t *testing.T) {
	bin := binary(t)
	cases := []struct {
		name    string
		setup   func(g *gitRepo)
		hookDir func(g *gitRepo) string
	}{
		{"global core.hooksPath", func(g *gitRepo) {
			g.git("config", "--global", "core.hooksPath", filepath.Join(g.dir, "global-hooks"))
		}, func(g *gitRepo) string { return filepath.Join(g.dir, "global-hooks") }},
		{"core.hooksPath with ~", func(g *gitRepo) {
			g.git("config", "--global", "core.hooksPath", "~/tilde-hooks")
		}, func(g *gitRepo) string { return filepath.Join(g.dir, "tilde-hooks") }},
		{"relative core.hooksPath", func(g *gitRepo) {
			g.git("config", "core.hooksPath", "tools/hooks")
		}, func(g *gitRepo) string { return filepath.Join(g.dir, "tools", "hooks") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := newGitRepo(t)
			c.setup(g)
			g.write("docs/a.md", "hello\n")
			g.commit("base")
			// From a subdirectory, with HOME where the global config is.
			t.Setenv("HOME", g.dir)
			t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(g.dir, ".gitconfig"))
			res := runCLI(t, filepath.Join(g.dir, "docs"), nil, "hook", "install", "--command", bin)
			require.Equal(t, exitPass, res.code, res.combined)
			assert.FileExists(t, filepath.Join(c.hookDir(g), "pre-commit"))
			assert.NoDirExists(t, filepath.Join(g.dir, "docs", "~"))
			assert.NoDirExists(t, filepath.Join(g.dir, "~"))

			g.write("docs/a.md", "hello\n"+keyLine)
			ok, out := g.gitIn(g.dir, "", "commit", "-a", "-m", "leak")
			assert.False(t, ok, out)
			assert.Contains(t, out, "bitget-api-key")
		})
	}
}

// --force replaces a symlinked hook with a file of its own; the shared
// file the link pointed at is untouched, and a dangling link's target is
// never created.
func TestHookInstallForceOverSymlink(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	g := newGitRepo(t)
	g.write("docs/a.md", "hello\n")
	g.commit("base")
	shared := filepath.Join(t.TempDir(), "shared-hook")
	require.NoError(t, os.WriteFile(shared, []byte("#!/bin/sh\nexit 0\n"), 0o755))
	hooks := filepath.Join(g.dir, ".git", "hooks")
	require.NoError(t, os.MkdirAll(hooks, 0o755))
	link := filepath.Join(hooks, "pre-commit")
	require.NoError(t, os.Symlink(shared, link))

	res := runCLI(t, g.dir, nil, "hook", "install", "--command", bin, "--force")
	require.Equal(t, exitPass, res.code, res.combined)
	data, err := os.ReadFile(shared)
	require.NoError(t, err)
	assert.Equal(t, "#!/bin/sh\nexit 0\n", string(data), "the link's target is someone else's")
	st, err := os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, st.Mode().IsRegular())

	dangling := filepath.Join(t.TempDir(), "nowhere", "hook")
	require.NoError(t, os.Remove(link))
	require.NoError(t, os.Symlink(dangling, link))
	res = runCLI(t, g.dir, nil, "hook", "install", "--command", bin, "--force")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.NoFileExists(t, dangling)
}

// A copy of committed content at a new path is new content: a key file
// copied out of an allowed fixtures folder is refused.
func TestGateStagedCopyToNewPath(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	g := newGitRepo(t)
	g.write(".keygate.yaml", "allow_paths: [\"fixtures/**\"]\n")
	g.write("fixtures/keys.md", keyLine)
	g.commit("fixtures, allowed")
	res := runCLI(t, g.dir, nil, "hook", "install", "--command", bin)
	require.Equal(t, exitPass, res.code, res.combined)

	g.write("docs/keys.md", keyLine)
	g.git("add", "docs/keys.md")
	ok, out := g.gitIn(g.dir, "", "commit", "-m", "copy")
	assert.False(t, ok, out)
	assert.Contains(t, out, "docs/keys.md")

	g.git("reset", "-q")
	require.NoError(t, os.Remove(filepath.Join(g.dir, "docs/keys.md")))
	g.git("mv", "fixtures/keys.md", "docs/moved.md")
	ok, out = g.gitIn(g.dir, "", "commit", "-m", "move")
	assert.False(t, ok, "a rename out of the allowed folder too: %s", out)
	assert.Contains(t, out, "docs/moved.md")
}

type historyFinding struct {
	Path   string
	RuleID string
	Commit string
	Times  int
	AtTip  bool
}

func historyFindings(t *testing.T, res cliResult) []historyFinding {
	t.Helper()
	rep := decodeReport(t, res.stdout, res.combined)
	var out []historyFinding
	for _, f := range rep.Findings {
		require.NotNil(t, f.Commit)
		require.NotNil(t, f.PresentAtTip, "history findings say whether a tip holds them")
		out = append(out, historyFinding{Path: f.Path, RuleID: f.RuleID, Commit: *f.Commit, Times: f.TimesAdded, AtTip: *f.PresentAtTip})
	}
	return out
}

// A history finding means "this commit added this secret at this path":
// a secret kept through 30 later versions of its file is one finding, at
// the commit that added it; removed and added again, still one, counted
// twice; a merge adds nothing its parents held.
func TestHistoryOneFindingPerSecret(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/bot.md", "# bot\n")
	g.commit("init")
	g.write("docs/bot.md", "# bot\n"+keyLine)
	added := g.commit("add the key")
	var edits []map[string]string
	for i := range 30 {
		edits = append(edits, map[string]string{"docs/bot.md": "# bot\n" + keyLine + strings.Repeat("more notes\n", i+1)})
	}
	g.commitSeries("edit", edits)
	res := runCLI(t, g.dir, nil, "scan", "--history", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []historyFinding{{Path: "docs/bot.md", RuleID: "bitget-api-key", Commit: added, Times: 1, AtTip: true}}, historyFindings(t, res))

	g.write("docs/bot.md", "# bot\nremoved\n")
	g.commit("remove the key")
	res = runCLI(t, g.dir, nil, "scan", "--history", "--format", "json", "--no-env-file")
	assert.Equal(t, []historyFinding{{Path: "docs/bot.md", RuleID: "bitget-api-key", Commit: added, Times: 1, AtTip: false}}, historyFindings(t, res))

	g.write("docs/bot.md", "# bot\nremoved\n"+keyLine)
	g.commit("add it again")
	// On a branch, merged back: the merge adds nothing.
	g.git("checkout", "-q", "-b", "side")
	g.write("docs/side.md", "side work\n")
	g.commit("side")
	g.git("checkout", "-q", "main")
	g.write("docs/bot.md", "# bot\nremoved\n"+keyLine+"main work\n")
	g.commit("main work")
	g.git("merge", "-q", "--no-ff", "--no-edit", "side")
	res = runCLI(t, g.dir, nil, "scan", "--history", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []historyFinding{{Path: "docs/bot.md", RuleID: "bitget-api-key", Commit: added, Times: 2, AtTip: true}}, historyFindings(t, res))
	assert.Contains(t, runCLI(t, g.dir, nil, "scan", "--history", "--no-env-file").stdout, "added 2 times, still at a ref tip")
}

// A pull request is blamed only for what it adds: touching a file that
// held a secret before the PR's base passes; adding one fails with
// exactly that finding; added, removed and added again inside the range
// is one finding.
func TestRangeReportsOnlyWhatItAdds(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/ops.md", "# ops\nREDIS_PASSWORD="+fixture.RedisPassword+"\n")
	base := g.commit("an old secret, before the PR")
	g.git("checkout", "-q", "-b", "pr")
	g.write("docs/ops.md", "# ops\nREDIS_PASSWORD="+fixture.RedisPassword+"\nA new paragraph.\n")
	g.commit("touch the file")
	res := runCLI(t, g.dir, nil, "scan", "--range", base+"..pr", "--format", "json", "--no-env-file")
	assert.Equal(t, exitPass, res.code, "the old secret is the base's: %s", res.combined)

	g.write("docs/ops.md", "# ops\nREDIS_PASSWORD="+fixture.RedisPassword+"\nA new paragraph.\n"+keyLine)
	leak := g.commit("add a key")
	g.write("docs/ops.md", "# ops\nREDIS_PASSWORD="+fixture.RedisPassword+"\nA new paragraph.\n")
	g.commit("remove it")
	g.write("docs/ops.md", "# ops\nREDIS_PASSWORD="+fixture.RedisPassword+"\nA new paragraph.\n"+keyLine)
	g.commit("add it again")
	res = runCLI(t, g.dir, nil, "scan", "--range", base+"..pr", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []historyFinding{{Path: "docs/ops.md", RuleID: "bitget-api-key", Commit: leak, Times: 2, AtTip: true}}, historyFindings(t, res))

	// Merging the base into the PR brings nothing the PR added.
	g.git("checkout", "-q", "main")
	g.write("docs/main.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	mainLeak := g.commit("a leak on main")
	g.git("checkout", "-q", "pr")
	g.git("merge", "-q", "--no-edit", "main")
	res = runCLI(t, g.dir, nil, "scan", "--range", "main..pr", "--format", "json", "--no-env-file")
	assert.Equal(t, []historyFinding{{Path: "docs/ops.md", RuleID: "bitget-api-key", Commit: leak, Times: 2, AtTip: true}}, historyFindings(t, res))
	res = runCLI(t, g.dir, nil, "scan", "--history", "--format", "json", "--no-env-file")
	assert.Contains(t, historyFindings(t, res), historyFinding{Path: "docs/main.md", RuleID: "bot-password", Commit: mainLeak, Times: 1, AtTip: true})
}

// CI checkouts: a shallow clone without the range's base says to fetch
// the whole history; a partial clone missing blobs says how many, and
// neither passes.
func TestRangeInShallowAndPartialClones(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "hello\n")
	base := g.commit("base")
	g.write("docs/b.md", keyLine)
	g.commit("leak")
	g.write("docs/c.md", "later\n")
	g.commit("later")

	shallow := filepath.Join(t.TempDir(), "shallow")
	ok, out := g.gitIn(g.dir, "", "clone", "-q", "--depth", "1", "file://"+g.dir, shallow)
	require.True(t, ok, out)
	res := runCLI(t, shallow, nil, "scan", "--range", base+"..HEAD")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "fetch-depth: 0")

	g.git("config", "uploadpack.allowFilter", "true")
	partial := filepath.Join(t.TempDir(), "partial")
	ok, out = g.gitIn(g.dir, "", "clone", "-q", "--no-checkout", "--filter=blob:none", "file://"+g.dir, partial)
	require.True(t, ok, out)
	res = runCLI(t, partial, nil, "scan", "--history", "--format", "json", "--no-env-file")
	assert.Equal(t, exitUsage, res.code, res.combined)
	rep := decodeReport(t, res.stdout, res.combined)
	assert.Equal(t, "error", string(rep.Status))
	require.Len(t, rep.Errors, 1)
	assert.Contains(t, rep.Errors[0], "3 blobs are missing from this partial clone")
	// Each is named, by path and blob, so a user knows what was not read.
	for _, p := range []string{"docs/a.md", "docs/b.md", "docs/c.md"} {
		blob := strings.TrimSpace(g.git("rev-parse", "HEAD:"+p))
		assert.Contains(t, rep.Errors[0], p+" (blob "+blob[:12]+")")
	}
}

// A text blob over max_object_mb is not read whole: the scan says so and
// fails closed (status error, exit 2), never a pass.
func TestHistoryObjectOverTheLimit(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write(".keygate.yaml", "max_object_mb: 1\n")
	g.write("docs/big.md", strings.Repeat("a long line of ordinary notes\n", 80_000)+keyLine)
	g.commit("a 2.4 MB text file")
	res := runCLI(t, g.dir, nil, "scan", "--history", "--format", "json", "--no-env-file")
	assert.Equal(t, exitUsage, res.code, res.combined)
	rep := decodeReport(t, res.stdout, res.combined)
	assert.Equal(t, "error", string(rep.Status))
	require.NotEmpty(t, rep.Errors)
	assert.Contains(t, rep.Errors[0], "docs/big.md")
	assert.Contains(t, rep.Errors[0], "too large")
	assert.NotContains(t, res.combined, fixture.BitgetKey)
}
