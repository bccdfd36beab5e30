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

type gitFinding struct {
	Path   string
	Line   int
	RuleID string
	Commit string
}

func gitFindings(t *testing.T, res cliResult) []gitFinding {
	t.Helper()
	rep := decodeReport(t, res.stdout, res.combined)
	var out []gitFinding
	for _, f := range rep.Findings {
		c := ""
		if f.Commit != nil {
			c = *f.Commit
		}
		out = append(out, gitFinding{f.Path, f.Line, f.RuleID, c})
	}
	return out
}

func TestStagedFirstCommitAndBlockedPaths(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("env/.env", "LOG_LEVEL=info\n")
	g.write("env/.env.example", "BOT1_BITGET_API_KEY=<your key>\n")
	g.write("keys/deploy.pem", "not even a key\n")
	g.write("keys/BOT1.P12", "not even a key\n") // blocked whatever its case
	g.write("keys/BOT1.P12.EXAMPLE", "a template\n")
	g.write("docs/runbook.md", "line\nBOT1_PASSWORD="+fixture.BotPassword+"\n")
	g.git("add", "-A")
	res := runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []gitFinding{
		{"docs/runbook.md", 2, "bot-password", ""},
		{"env/.env", 1, "blocked-path", ""},
		{"keys/BOT1.P12", 1, "blocked-path", ""},
		{"keys/deploy.pem", 1, "blocked-path", ""},
	}, gitFindings(t, res))
	assert.NoFileExists(t, filepath.Join(g.dir, "reports/security/latest.json"), "the hook writes no report unless asked")

	text := runCLI(t, g.dir, nil, "scan", "--staged")
	assert.Contains(t, text.stdout, "git rm --cached env/.env")
}

// The staged blob is scanned, never the working-tree file, and only the
// lines this commit adds.
func TestStagedScansTheIndexAndAddedLinesOnly(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\nold line\n")
	g.commit("old secret, committed before the hook")

	// A harmless staged change: the committed secret on line 1 is not this
	// commit's, so it is not reported.
	g.write("docs/a.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\nold line\nnew line\n")
	g.git("add", "docs/a.md")
	res := runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitPass, res.code, res.combined)

	// Partly staged: the secret exists only in the working tree.
	g.write("docs/a.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\nold line\nnew line\nBOT1_PASSWORD="+fixture.BotPassword+"\n")
	res = runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitPass, res.code, "unstaged lines are not this commit: %s", res.combined)

	// Staged secret, then removed from the working tree: still found.
	g.git("add", "docs/a.md")
	g.write("docs/a.md", "clean\n")
	res = runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitFail, res.code)
	assert.Equal(t, []gitFinding{{"docs/a.md", 4, "bot-password", ""}}, gitFindings(t, res))
}

func TestStagedRenameModeChangeSubdirSubmodule(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/old.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	g.write("scripts/run.sh", "echo hi\n")
	g.commit("base")
	g.git("mv", "docs/old.md", "docs/new.md")
	g.git("update-index", "--chmod=+x", "scripts/run.sh")
	// A submodule entry (gitlink) has no content to scan.
	g.git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("ab", 20)+",vendor/lib")
	res := runCLI(t, filepath.Join(g.dir, "docs"), nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitFail, res.code, "a path new to the commit is new content, even a rename: %s", res.combined)
	assert.Equal(t, []gitFinding{{"docs/new.md", 1, "redis-password", ""}}, gitFindings(t, res))

	// A rename of clean content, a mode change and a submodule add nothing.
	g.git("reset", "-q", "docs")
	g.git("checkout", "docs/old.md")
	require.NoError(t, os.Remove(filepath.Join(g.dir, "docs/new.md")))
	g.write("docs/clean.md", "nothing here\n")
	g.commit("clean file")
	g.git("update-index", "--chmod=+x", "scripts/run.sh")
	g.git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("ab", 20)+",vendor/lib")
	g.git("mv", "docs/clean.md", "docs/renamed.md")
	res = runCLI(t, filepath.Join(g.dir, "docs"), nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitPass, res.code, res.combined)
	g.git("mv", "docs/old.md", "docs/new.md")

	// Renaming into a blocked path is blocked, whatever the content.
	g.git("mv", "docs/new.md", ".env")
	res = runCLI(t, filepath.Join(g.dir, "docs"), nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitFail, res.code)
	assert.Equal(t, []gitFinding{{".env", 1, "blocked-path", ""}, {".env", 1, "redis-password", ""}}, gitFindings(t, res))
}

func TestStagedBinaryAndNonUTF8Path(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/chart.png", "\x89PNG\x00\x00 key="+fixture.BinaryHiddenKey)
	g.write("docs/caf\xe9.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	g.git("add", "-A")
	res := runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout)
	require.Len(t, rep.Findings, 2)
	assert.Equal(t, "bot-password", rep.Findings[0].RuleID)
	assert.True(t, strings.HasPrefix(rep.Findings[0].Path, "docs/caf"))
	// A binary's printable runs are read: the key in the chart is found.
	assert.Equal(t, "docs/chart.png", rep.Findings[1].Path)
	assert.Equal(t, "bitget-api-key", rep.Findings[1].RuleID)
	assert.Equal(t, 0, rep.Summary.FilesSkipped)
}

// History: every blob once, attributed to the commit that introduced it at
// that path; deleted, reverted and merged secrets are found; a committed
// env/.env is reported at every commit that added it.
func TestHistory(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/readme.md", "hello\n")
	c1 := g.commit("init")
	g.write("docs/notes.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	c2 := g.commit("leak")
	g.git("rm", "-q", "docs/notes.md")
	g.commit("delete the leak")
	g.write("env/.env", "LOG_LEVEL=info\n")
	c4 := g.commit("commit env by mistake")
	g.git("rm", "-q", "--cached", "env/.env")
	g.write(".gitignore", "env/.env\n")
	g.commit("untrack env")

	g.git("checkout", "-q", "-b", "feature")
	g.write("docs/feature.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	c6 := g.commit("feature leak")
	g.git("checkout", "-q", "main")
	g.write("docs/main.md", "main work\n")
	g.commit("main work")
	g.git("merge", "-q", "--no-ff", "--no-edit", "feature")
	// The same content at a second path, later: a second introduction.
	g.write("docs/copy.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	c9 := g.commit("copy the old leak")

	res := runCLI(t, g.dir, nil, "scan", "--history", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []gitFinding{
		{"docs/copy.md", 1, "redis-password", c9},
		{"docs/feature.md", 1, "bot-password", c6},
		{"docs/notes.md", 1, "redis-password", c2},
		{"env/.env", 1, "blocked-path", c4},
	}, gitFindings(t, res))
	rep := decodeReport(t, res.stdout)
	assert.Equal(t, "history", rep.Mode)
	assert.Equal(t, 9, rep.Summary.CommitsScanned)
	// Unique blobs: readme, notes (= copy), env, .gitignore, feature, main.
	assert.Equal(t, 6, rep.Summary.FilesScanned)
	assert.Equal(t, "Ops", *rep.Findings[0].Author)
	_ = c1

	// The pull-request form: only the feature branch's commits.
	res = runCLI(t, g.dir, nil, "scan", "--history", "--range", c4+"..feature", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code)
	assert.Equal(t, []gitFinding{{"docs/feature.md", 1, "bot-password", c6}}, gitFindings(t, res))
	res = runCLI(t, g.dir, nil, "scan", "--range", "feature..main", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, "--range implies --history: %s", res.combined)
}

func TestHistoryShallowClone(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	g.commit("old leak")
	g.write("docs/b.md", "fine\n")
	g.commit("later")
	clone := filepath.Join(t.TempDir(), "clone")
	out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+g.dir, clone).CombinedOutput()
	require.NoError(t, err, string(out))
	res := runCLI(t, clone, nil, "scan", "--history", "--format", "json", "--no-env-file")
	rep := decodeReport(t, res.stdout, res.combined)
	require.NotEmpty(t, rep.Warnings)
	assert.Contains(t, rep.Warnings[0], "shallow clone")
	assert.Equal(t, 1, rep.Summary.CommitsScanned)
	// What is there is scanned: the boundary commit's whole tree.
	assert.Equal(t, exitFail, res.code)
	assert.Equal(t, []gitFinding{{"docs/a.md", 1, "redis-password", g.git("rev-parse", "HEAD")}}, gitFindings(t, res))
}

// Every git failure is exit 2 with the reason, never a pass.
func TestGitFailures(t *testing.T) {
	t.Parallel()
	t.Run("not a repository", func(t *testing.T) {
		for _, mode := range []string{"--staged", "--history"} {
			res := runCLI(t, t.TempDir(), nil, "scan", mode)
			assert.Equal(t, exitUsage, res.code)
			assert.Contains(t, res.stderr, "not a git repository")
		}
	})
	t.Run("bad range", func(t *testing.T) {
		g := newGitRepo(t)
		g.write("a.md", "x\n")
		g.commit("one")
		for _, r := range []string{"nope..HEAD", "HEAD", "HEAD~5..HEAD", "HEAD...main"} {
			res := runCLI(t, g.dir, nil, "scan", "--history", "--range", r)
			assert.Equal(t, exitUsage, res.code, r)
			assert.Contains(t, res.stderr, "--range", r)
		}
	})
	t.Run("repo with no commits", func(t *testing.T) {
		g := newGitRepo(t)
		res := runCLI(t, g.dir, nil, "scan", "--history", "--format", "json")
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.stderr, "keygate: error: no commit was scanned: the repository has no commits; give --allow-empty if that is expected")
		res = runCLI(t, g.dir, nil, "scan", "--history", "--allow-empty")
		assert.Equal(t, exitPass, res.code, res.combined)
		res = runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
		assert.Equal(t, exitPass, res.code, res.combined)
	})
	t.Run("range with no commits", func(t *testing.T) {
		g := newGitRepo(t)
		g.write("a.md", "x\n")
		g.commit("one")
		g.git("branch", "feature")
		g.git("checkout", "-q", "feature")
		g.write("b.md", "y\n")
		g.commit("two")
		g.git("checkout", "-q", "-")
		// Reversed: main has nothing feature lacks.
		for _, r := range []string{"feature..HEAD", "HEAD..HEAD"} {
			res := runCLI(t, g.dir, nil, "scan", "--history", "--range", r)
			assert.Equal(t, exitUsage, res.code, res.combined)
			assert.Contains(t, res.stderr, "no commit was scanned: the range "+r+" holds no commit", r)
			res = runCLI(t, g.dir, nil, "scan", "--history", "--range", r, "--allow-empty")
			assert.Equal(t, exitPass, res.code, res.combined)
		}
		res := runCLI(t, g.dir, nil, "scan", "--history", "--range", "HEAD..feature")
		assert.Equal(t, exitPass, res.code, res.combined)
	})
	t.Run("corrupt object", func(t *testing.T) {
		g := newGitRepo(t)
		g.write("docs/a.md", "some content\n")
		g.commit("one")
		blob := g.git("rev-parse", "HEAD:docs/a.md")
		obj := filepath.Join(g.dir, ".git/objects", blob[:2], blob[2:])
		require.NoError(t, os.Chmod(obj, 0o644))
		require.NoError(t, os.WriteFile(obj, []byte("garbage, not zlib"), 0o644))
		res := runCLI(t, g.dir, nil, "scan", "--history")
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.stderr, "docs/a.md")
	})
	t.Run("missing packfile", func(t *testing.T) {
		g := newGitRepo(t)
		g.write("docs/a.md", "some content\n")
		g.commit("one")
		g.git("gc", "-q")
		packs, _ := filepath.Glob(filepath.Join(g.dir, ".git/objects/pack/*.pack"))
		require.NotEmpty(t, packs)
		for _, p := range packs {
			require.NoError(t, os.Remove(p))
		}
		res := runCLI(t, g.dir, nil, "scan", "--history")
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.NotEmpty(t, res.stderr)
	})
	t.Run("corrupt index", func(t *testing.T) {
		g := newGitRepo(t)
		g.write("docs/a.md", "some content\n")
		g.commit("one")
		idx := filepath.Join(g.dir, ".git", "index")
		require.NoError(t, os.WriteFile(idx, []byte("DIRC garbage, not an index"), 0o644))
		res := runCLI(t, g.dir, nil, "scan", "--staged")
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.stderr, "read the git index ("+idx+")")
	})
}

// The index a hook is given (GIT_INDEX_FILE) that cannot be read or is no
// index stops the gate with exit 2 and its name, never a pass. Not
// parallel: it sets the process's environment.
func TestStagedBadIndexFile(t *testing.T) {
	g := newGitRepo(t)
	g.write("docs/a.md", "some content\n")
	g.commit("one")
	missing := filepath.Join(t.TempDir(), "no-such-index")
	garbage := filepath.Join(t.TempDir(), "index")
	require.NoError(t, os.WriteFile(garbage, []byte("not an index at all"), 0o644))
	for _, tt := range []struct{ name, file, want string }{
		{"missing", missing, "read the git index that GIT_INDEX_FILE names: open " + missing},
		{"not an index", garbage, "read the git index that GIT_INDEX_FILE names (" + garbage + ")"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GIT_INDEX_FILE", tt.file)
			res := runCLI(t, g.dir, nil, "scan", "--staged")
			assert.Equal(t, exitUsage, res.code, res.combined)
			assert.Contains(t, res.stderr, tt.want)
		})
	}
}

// A shared clone (objects/info/alternates, as CI systems make with
// --reference) is scanned through its alternates, staged and history.
func TestHistorySharedClone(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	leak := g.commit("old leak")
	g.git("gc", "-q")
	clone := filepath.Join(t.TempDir(), "clone")
	out, err := exec.Command("git", "clone", "-q", "--shared", g.dir, clone).CombinedOutput()
	require.NoError(t, err, string(out))
	res := runCLI(t, clone, nil, "scan", "--history", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []gitFinding{{"docs/a.md", 1, "redis-password", leak}}, gitFindings(t, res))

	fixture.Write(t, clone, "docs/a.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\nBOT1_PASSWORD="+fixture.BotPassword+"\n")
	cmd := exec.Command("git", "-C", clone, "add", "docs/a.md")
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	res = runCLI(t, clone, nil, "scan", "--staged", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []gitFinding{{"docs/a.md", 2, "bot-password", ""}}, gitFindings(t, res))

	// The pull-request form resolves revisions through the alternates too.
	out, err = exec.Command("git", "-C", clone, "-c", "user.name=Ops", "-c", "user.email=ops@synthetic.invalid",
		"commit", "-q", "--no-verify", "-m", "new").CombinedOutput()
	require.NoError(t, err, string(out))
	rev, err := exec.Command("git", "-C", clone, "rev-parse", "HEAD").Output()
	require.NoError(t, err)
	head := strings.TrimSpace(string(rev))
	res = runCLI(t, clone, nil, "scan", "--history", "--range", leak+"..HEAD", "--format", "json", "--no-env-file")
	assert.Equal(t, exitFail, res.code, res.combined)
	// Only what the range added: the older secret is the base's.
	assert.Equal(t, []gitFinding{{"docs/a.md", 2, "bot-password", head}}, gitFindings(t, res))
}
