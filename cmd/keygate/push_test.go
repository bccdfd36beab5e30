package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// gitAt runs git in dir with the repository's test environment and its
// clock (one minute a call, as g.git), so commits made anywhere in a test
// are dated in the order they were made; it returns whether git succeeded
// and its output.
func (g *gitRepo) gitAt(dir, stdin string, env []string, args ...string) (bool, string) {
	g.t.Helper()
	g.tick++
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	date := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(g.tick) * time.Minute).Format(time.RFC3339)
	cmd.Env = append(append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_NOSYSTEM=1",
		"HOME="+g.dir, g.globalConfig(), "GIT_EDITOR=true"), env...)
	out, err := cmd.CombinedOutput()
	return err == nil, string(out)
}

// must is gitAt in the clone, failing the test when git fails.
func (g *gitRepo) must(args ...string) string {
	g.t.Helper()
	ok, out := g.gitAt(g.dir, "", nil, args...)
	require.True(g.t, ok, "git %v: %s", args, out)
	return strings.TrimSpace(out)
}

// commitNoHook commits files without the pre-commit hook (as every
// workflow below makes commits) and returns the commit.
func (g *gitRepo) commitNoHook(msg string, files map[string]string) string {
	g.t.Helper()
	for p, c := range files {
		g.write(p, c)
		g.must("add", p)
	}
	g.must("commit", "-q", "--no-verify", "-m", msg)
	return g.must("rev-parse", "HEAD")
}

// pushRig is a clone with a bare file:// remote "origin" holding main and
// feature (clean). With server set, the remote has keygate's pre-receive
// hook and the clone has no hook; else the clone has keygate's hooks.
type pushRig struct {
	*gitRepo
	remote string
	server bool
}

func newPushRig(t *testing.T, server bool) *pushRig {
	t.Helper()
	bin := binary(t)
	g := newGitRepo(t)
	r := &pushRig{gitRepo: g, remote: filepath.Join(t.TempDir(), "remote.git"), server: server}
	ok, out := g.gitAt(g.dir, "", nil, "init", "-q", "--bare", "-b", "main", r.remote)
	require.True(t, ok, out)
	hooksIn := g.dir
	if server {
		hooksIn = r.remote
	}
	res := runCLI(t, hooksIn, nil, "hook", "install", "--command", bin)
	require.Equal(t, exitPass, res.code, res.combined)
	g.commitNoHook("base", map[string]string{"docs/a.md": "hello\n", "docs/ops.md": "# ops\n"})
	g.must("remote", "add", "origin", "file://"+r.remote)
	g.must("branch", "feature")
	ok, out = r.push("origin", "main", "feature")
	require.True(t, ok, "a clean push passes: %s", out)
	assert.Contains(t, out, "keygate: pass")
	g.must("checkout", "-q", "feature")
	return r
}

// push runs git push (hooks on) and returns its result.
func (r *pushRig) push(args ...string) (bool, string) {
	r.t.Helper()
	return r.gitAt(r.dir, "", nil, append([]string{"push"}, args...)...)
}

// pushPastHooks pushes what keygate's hooks would refuse, as a push from
// before they were installed did: no client hook, the server's moved away.
func (r *pushRig) pushPastHooks(branch string) {
	r.t.Helper()
	hook, off := filepath.Join(r.remote, "hooks", "pre-receive"), filepath.Join(r.remote, "hooks", "pre-receive.off")
	if r.server {
		require.NoError(r.t, os.Rename(hook, off))
		defer func() { require.NoError(r.t, os.Rename(off, hook)) }()
	}
	ok, out := r.push("--no-verify", "origin", branch)
	require.True(r.t, ok, out)
}

// remoteHas tells whether the remote holds object id.
func (r *pushRig) remoteHas(id string) bool {
	ok, _ := r.gitAt(r.remote, "", nil, "cat-file", "-e", id)
	return ok
}

// leakWorkflow lands a Bitget key on branch feature (checked out) the way
// developers do, where git runs no pre-commit hook, and returns the path
// and the commit that adds it (empty: the first on HEAD to add it there).
type leakWorkflow struct {
	name string
	leak func(r *pushRig) (path, commit string)
}

var leakWorkflows = []leakWorkflow{
	{"rebase conflict resolved with the key", func(r *pushRig) (string, string) {
		r.commitNoHook("feature line", map[string]string{"docs/a.md": "hello\nfeature line\n"})
		r.must("checkout", "-q", "main")
		r.commitNoHook("main line", map[string]string{"docs/a.md": "hello\nmain line\n"})
		r.must("checkout", "-q", "feature")
		ok, out := r.gitAt(r.dir, "", nil, "rebase", "main")
		require.False(r.t, ok, "the rebase stops on the conflict: %s", out)
		r.write("docs/a.md", "hello\nmain line\nfeature line\n"+keyLine)
		r.must("add", "docs/a.md")
		r.must("rebase", "--continue")
		return "docs/a.md", ""
	}},
	{"rebase -i edit", func(r *pushRig) (string, string) {
		r.commitNoHook("one", map[string]string{"docs/one.md": "one\n"})
		r.commitNoHook("two", map[string]string{"docs/two.md": "two\n"})
		ok, out := r.gitAt(r.dir, "", []string{"GIT_SEQUENCE_EDITOR=sed -i 1s/^pick/edit/"}, "rebase", "-i", "main")
		require.True(r.t, ok, out)
		r.write("docs/one.md", "one\n"+keyLine)
		r.must("add", "docs/one.md")
		r.must("rebase", "--continue")
		return "docs/one.md", ""
	}},
	{"cherry-pick", func(r *pushRig) (string, string) {
		r.must("checkout", "-q", "-b", "scratch")
		c := r.commitNoHook("scratch", map[string]string{"docs/scratch.md": keyLine})
		r.must("checkout", "-q", "feature")
		r.must("cherry-pick", c)
		return "docs/scratch.md", ""
	}},
	{"merge", func(r *pushRig) (string, string) {
		r.must("checkout", "-q", "-b", "side")
		r.commitNoHook("side", map[string]string{"docs/side.md": keyLine})
		r.must("checkout", "-q", "feature")
		r.commitNoHook("feature", map[string]string{"docs/f.md": "f\n"})
		r.must("merge", "-q", "--no-edit", "side")
		return "docs/side.md", ""
	}},
	{"pull", func(r *pushRig) (string, string) {
		other := filepath.Join(r.t.TempDir(), "other")
		ok, out := r.gitAt(r.dir, "", nil, "clone", "-q", "-b", "feature", "file://"+r.remote, other)
		require.True(r.t, ok, out)
		require.NoError(r.t, os.WriteFile(filepath.Join(other, "docs", "pulled.md"), []byte(keyLine), 0o644))
		for _, args := range [][]string{{"add", "docs/pulled.md"}, {"-c", "user.name=Dev", "-c", "user.email=dev@synthetic.invalid", "commit", "-q", "--no-verify", "-m", "pulled"}} {
			ok, out := r.gitAt(other, "", nil, args...)
			require.True(r.t, ok, out)
		}
		r.must("pull", "-q", "--no-rebase", "--no-edit", "file://"+other, "feature")
		return "docs/pulled.md", ""
	}},
	{"git am", func(r *pushRig) (string, string) {
		r.must("checkout", "-q", "-b", "patch")
		r.commitNoHook("patched", map[string]string{"docs/patch.md": keyLine})
		patch := r.must("format-patch", "-1", "--stdout")
		r.must("checkout", "-q", "feature")
		ok, out := r.gitAt(r.dir, patch+"\n", nil, "am", "-q")
		require.True(r.t, ok, out)
		return "docs/patch.md", ""
	}},
	{"revert of a removal", func(r *pushRig) (string, string) {
		// A key pushed and removed before the hooks; reverting the
		// removal adds it again.
		r.commitNoHook("key", map[string]string{"docs/notes.md": "notes\n" + keyLine})
		r.commitNoHook("remove it", map[string]string{"docs/notes.md": "notes\n"})
		r.pushPastHooks("feature")
		r.must("revert", "--no-edit", "HEAD")
		return "docs/notes.md", r.must("rev-parse", "HEAD")
	}},
	{"commit-tree and update-ref", func(r *pushRig) (string, string) {
		blob := r.gitWithStdin(keyLine, "hash-object", "-w", "--stdin")
		tree := r.gitWithStdin(r.must("ls-tree", "HEAD")+"\n100644 blob "+blob+"\tplumbed.md\n", "mktree")
		c := r.must("commit-tree", tree, "-p", "HEAD", "-m", "plumbing")
		r.must("update-ref", "refs/heads/feature", c)
		r.must("reset", "-q", "--hard")
		return "plumbed.md", ""
	}},
}

func (r *pushRig) gitWithStdin(stdin string, args ...string) string {
	r.t.Helper()
	ok, out := r.gitAt(r.dir, stdin, nil, args...)
	require.True(r.t, ok, out)
	return strings.TrimSpace(out)
}

// addedBy is the commit that first added the key at path on HEAD.
func (r *pushRig) addedBy(path string) string {
	out := r.must("log", "--reverse", "--format=%H", "-G", "BITGET_API_KEY", "HEAD", "--", path)
	return strings.Fields(out)[0]
}

// Every way a key reaches a commit without the pre-commit hook is refused
// at git push, by the pre-push hook in the clone or the pre-receive hook
// of the remote (whose new objects wait in quarantine while it runs),
// naming the commit that added it, the path and the fix; nothing reaches
// the remote, and the key's value is never printed.
func TestPushRefusesKeysFromEveryWorkflow(t *testing.T) {
	t.Parallel()
	for _, server := range []bool{false, true} {
		side := "pre-push"
		if server {
			side = "pre-receive"
		}
		for _, w := range leakWorkflows {
			t.Run(side+"/"+w.name, func(t *testing.T) {
				t.Parallel()
				r := newPushRig(t, server)
				before := func() string { return r.gitWithStdin("", "--git-dir", r.remote, "rev-parse", "refs/heads/feature") }
				was := ""
				path, leak := w.leak(r)
				if leak == "" {
					leak = r.addedBy(path)
				}
				was = before()
				ok, out := r.push("origin", "feature")
				assert.False(t, ok, "the push must be refused: %s", out)
				assert.Contains(t, out, path+":")
				assert.Contains(t, out, "bitget-api-key")
				assert.Contains(t, out, "commit "+leak[:12])
				assert.Contains(t, out, "git rebase -i")
				assert.Contains(t, out, "git commit --amend")
				assert.NotContains(t, out, fixture.BitgetKey)
				assert.Equal(t, 1, strings.Count(out, "  bitget-api-key  "), "one finding per secret: %s", out)
				assert.Equal(t, was, before(), "the remote's branch did not move")
				assert.False(t, r.remoteHas(leak), "the refused objects never reach the remote's store")
				if server {
					assert.Contains(t, out, "remote: keygate: push rejected")
					assert.Contains(t, out, "pre-receive hook declined")
				} else {
					assert.Contains(t, out, "keygate: push refused")
				}
			})
		}
	}
}

// A push of an existing branch scans only its new commits: a key already
// on the remote (pushed before the hook) is not reported again; a new
// branch from it neither; deleting a branch passes. The same holds on the
// server, also through an explicit receive-pack path.
func TestPushScansOnlyWhatItAdds(t *testing.T) {
	t.Parallel()
	for _, server := range []bool{false, true} {
		r := newPushRig(t, server)
		r.commitNoHook("an old leak, pushed before the hook", map[string]string{"docs/old.md": keyLine})
		if server {
			ok, out := r.push("--no-verify", "origin", "feature")
			assert.False(t, ok, "the server refuses it whatever the client skips: %s", out)
		}
		r.pushPastHooks("feature")

		r.commitNoHook("clean work", map[string]string{"docs/ops.md": "# ops\nmore\n", "docs/old.md": keyLine + "notes\n"})
		ok, out := r.push("origin", "feature")
		assert.True(t, ok, "server %v: the old key is the remote's already: %s", server, out)
		assert.NotContains(t, out, "bitget-api-key")

		r.must("checkout", "-q", "-b", "topic")
		r.commitNoHook("topic", map[string]string{"docs/topic.md": "topic\n"})
		ok, out = r.push("origin", "topic")
		assert.True(t, ok, "server %v: a new branch carries only its own commits: %s", server, out)

		ok, out = r.push("origin", "--delete", "topic")
		assert.True(t, ok, "server %v: a deletion adds nothing: %s", server, out)

		r.commitNoHook("a new leak", map[string]string{"docs/new.md": keyLine})
		ok, out = r.gitAt(r.dir, "", nil, "push", "--no-verify", "--receive-pack=git receive-pack", r.remote, "topic")
		assert.Equal(t, !server, ok, "server %v: %s", server, out)
		if server {
			assert.Contains(t, out, "docs/new.md")
		}
	}
}

// No variable turns a hook off: the old install probe's switch (and any
// other) still scans.
func TestNoEnvironmentSwitchSkipsTheHooks(t *testing.T) {
	t.Parallel()
	r := newPushRig(t, false)
	env := []string{"KEYGATE_HOOK_PROBE=1", "KEYGATE_SKIP=1", "SKIP=keygate"}
	r.write("docs/a.md", "hello\n"+keyLine)
	r.must("add", "docs/a.md")
	ok, out := r.gitAt(r.dir, "", env, "commit", "-q", "-m", "leak")
	assert.False(t, ok, "the pre-commit hook scans: %s", out)
	assert.Contains(t, out, "bitget-api-key")

	r.must("commit", "-q", "--no-verify", "-m", "leak, on purpose past pre-commit")
	ok, out = r.gitAt(r.dir, "", env, "push", "origin", "feature")
	assert.False(t, ok, "the pre-push hook scans: %s", out)
	assert.Contains(t, out, "docs/a.md")
}

// A push is judged by the policy of what it lands on, never its own: the
// remote's allow_paths hold, and a push cannot bring a suppression of its
// own (a wider allow_paths, an inline allow comment).
func TestPushJudgedByThePolicyItLandsOn(t *testing.T) {
	t.Parallel()
	for _, server := range []bool{false, true} {
		r := newPushRig(t, server)
		r.must("checkout", "-q", "main")
		r.commitNoHook("policy", map[string]string{".keygate.yaml": "allow_paths: [\"fixtures/**\"]\n"})
		r.pushPastHooks("main")
		r.must("checkout", "-q", "feature")
		r.must("merge", "-q", "--ff-only", "main")
		r.pushPastHooks("feature")

		r.commitNoHook("a synthetic fixture", map[string]string{"fixtures/k.md": keyLine})
		ok, out := r.push("origin", "feature")
		assert.True(t, ok, "server %v: the remote's policy allows fixtures: %s", server, out)

		r.commitNoHook("widen the policy", map[string]string{".keygate.yaml": "allow_paths: [\"fixtures/**\", \"docs/**\"]\n", "docs/k.md": keyLine})
		ok, out = r.push("origin", "feature")
		assert.False(t, ok, "server %v: a push's own allow_paths do not count: %s", server, out)
		assert.Contains(t, out, "docs/k.md")
		r.must("reset", "-q", "--hard", "HEAD~1")

		r.commitNoHook("inline allow", map[string]string{"docs/inline.md": strings.TrimSuffix(keyLine, "\n") + " # keygate:allow\n"})
		ok, out = r.push("origin", "feature")
		assert.False(t, ok, "server %v: an allow comment the push adds does not count: %s", server, out)
		assert.Contains(t, out, "docs/inline.md")
	}
}

// --pre-commit-framework reads the framework's range (or, for a branch
// pushed with its root commit, the branch and remote); without them it is
// an error, never a pass.
func TestPrePushFrameworkEnvironment(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	g := newGitRepo(t)
	base := g.commitNoHook("base", map[string]string{"docs/a.md": "hello\n"})
	head := g.commitNoHook("leak", map[string]string{"docs/k.md": keyLine})
	run := func(env ...string) (int, string) {
		cmd := exec.Command(bin, "hook", "pre-push", "--pre-commit-framework")
		cmd.Dir = g.dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, string(out)
	}
	code, out := run("PRE_COMMIT_FROM_REF="+base, "PRE_COMMIT_TO_REF="+head)
	assert.Equal(t, exitFail, code, out)
	assert.Contains(t, out, "docs/k.md")
	code, out = run("PRE_COMMIT_FROM_REF="+base, "PRE_COMMIT_TO_REF="+base)
	assert.Equal(t, exitPass, code, out)
	code, out = run("PRE_COMMIT_LOCAL_BRANCH=refs/heads/main", "PRE_COMMIT_REMOTE_NAME=origin")
	assert.Equal(t, exitFail, code, "a new branch with its root commit: all of it: %s", out)
	code, out = run()
	assert.Equal(t, exitUsage, code, out)
	assert.Contains(t, out, "PRE_COMMIT_TO_REF")
}
