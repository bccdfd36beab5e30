package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
)

// gitRepo is a real repository in a temp dir, driven with the git CLI.
type gitRepo struct {
	t    *testing.T
	dir  string
	tick int
}

// emptyRepo is `git init` with the test identity, made once and copied.
var emptyRepo = &repoTemplate{build: func(*gitRepo) {}}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	return emptyRepo.clone(t)
}

// repoTemplate is a repository built once per test binary and copied into
// each test that starts from it: a copy costs no process, where git init,
// its configuration and a first commit cost half a dozen. Tests only ever
// change their copy.
type repoTemplate struct {
	build func(g *gitRepo) // run once, on a fresh repository

	once  sync.Once
	dir   string
	tick  int
	built bool
}

var (
	templateRootOnce sync.Once
	templateRoot     string // removed by TestMain
	templateRootErr  error
)

// clone returns a copy of the template, built on first use.
func (tp *repoTemplate) clone(t *testing.T) *gitRepo {
	t.Helper()
	testmode.Tool(t, "git", "apt-get install git")
	templateRootOnce.Do(func() { templateRoot, templateRootErr = os.MkdirTemp("", "keygate-test-repos-") })
	require.NoError(t, templateRootErr)
	tp.once.Do(func() {
		dir, err := os.MkdirTemp(templateRoot, "repo-")
		require.NoError(t, err)
		g := &gitRepo{t: t, dir: dir}
		g.git("init", "-q", "-b", "main")
		g.git("config", "user.email", "ops@synthetic.invalid")
		g.git("config", "user.name", "Ops")
		g.git("config", "commit.gpgsign", "false")
		// git never runs the sample hooks; without them a copy is half
		// the files.
		samples, err := filepath.Glob(filepath.Join(dir, ".git", "hooks", "*.sample"))
		require.NoError(t, err)
		for _, s := range samples {
			require.NoError(t, os.Remove(s))
		}
		tp.build(g)
		tp.dir, tp.tick, tp.built = dir, g.tick, true
	})
	require.True(t, tp.built, "the template repository failed to build (see the first test that used it)")
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(tp.dir)))
	return &gitRepo{t: t, dir: dir, tick: tp.tick}
}

// removeTemplates deletes the template repositories (TestMain, at the end).
func removeTemplates() {
	if templateRoot != "" {
		os.RemoveAll(templateRoot)
	}
}

// git runs a git command; commit dates advance one minute per call so the
// history has a strict order.
func (g *gitRepo) git(args ...string) string {
	g.t.Helper()
	return g.gitWithInput("", args...)
}

// gitWithInput is git with stdin.
func (g *gitRepo) gitWithInput(stdin string, args ...string) string {
	g.t.Helper()
	g.tick++
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	cmd.Stdin = strings.NewReader(stdin)
	date := dateAt(g.tick).Format(time.RFC3339)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_NOSYSTEM=1", "HOME="+g.dir, g.globalConfig())
	out, err := cmd.CombinedOutput()
	require.NoError(g.t, err, "git %v: %s", args, out)
	return strings.TrimSpace(string(out))
}

// dateAt is the commit date of a tick.
func dateAt(tick int) time.Time {
	return time.Date(2026, 11, 1, 10, tick%60, 0, 0, time.UTC)
}

// globalConfig keeps `git config --global` inside the test repository,
// whatever GIT_CONFIG_GLOBAL the caller's environment sets (a global config
// of /dev/null would have git replace the device with a file).
func (g *gitRepo) globalConfig() string {
	return "GIT_CONFIG_GLOBAL=" + filepath.Join(g.dir, ".gitconfig")
}

func (g *gitRepo) write(path, content string) { fixture.Write(g.t, g.dir, path, content) }

// commit stages everything and commits it; it returns the new commit's id.
func (g *gitRepo) commit(msg string) string {
	g.git("add", "-A")
	g.git("commit", "-q", "--no-verify", "-m", msg)
	return g.head()
}

// head is the id of the commit HEAD names, read in-process. It advances
// the clock as the git call it replaces did, so commit dates (and ids)
// stay as they were.
func (g *gitRepo) head() string {
	g.t.Helper()
	g.tick++
	r, err := git.PlainOpen(g.dir)
	require.NoError(g.t, err)
	ref, err := r.Head()
	require.NoError(g.t, err)
	return ref.Hash().String()
}

// commitSeries commits each step's files (path to content) in turn on the
// current branch, as writing them and calling commit(msg) would, but with
// one git fast-import for the lot; the work tree and index end at the last
// commit.
func (g *gitRepo) commitSeries(msg string, steps []map[string]string) {
	g.t.Helper()
	r, err := git.PlainOpen(g.dir)
	require.NoError(g.t, err)
	headRef, err := r.Storer.Reference(plumbing.HEAD)
	require.NoError(g.t, err)
	branch := headRef.Target()
	var parent string
	if ref, err := r.Reference(branch, true); err == nil {
		parent = ref.Hash().String()
	}
	var b strings.Builder
	for i, files := range steps {
		// The ticks of commit()'s add, commit and HEAD read: the same
		// dates, so the same commits.
		g.tick += 3
		fmt.Fprintf(&b, "commit %s\ncommitter Ops <ops@synthetic.invalid> %d +0000\ndata %d\n%s\n", branch, dateAt(g.tick-1).Unix(), len(msg)+1, msg)
		if i == 0 && parent != "" {
			fmt.Fprintf(&b, "from %s\n", parent)
		}
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			fmt.Fprintf(&b, "M 100644 inline %s\ndata %d\n%s\n", p, len(files[p]), files[p])
		}
	}
	tick := g.tick
	g.gitWithInput(b.String(), "fast-import", "--quiet")
	g.git("reset", "-q", "--hard")
	g.tick = tick
}
