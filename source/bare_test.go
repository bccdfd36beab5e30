package source

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// IsBare answers as git does, without opening the repository: a bare
// clone, a mirror, a fresh bare repository and one with a detached HEAD
// are bare; a work tree, its subdirectory and a linked work tree are not;
// nor is a directory that only looks like a git directory.
func TestIsBare(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	work := filepath.Join(base, "work")
	require.NoError(t, os.MkdirAll(filepath.Join(work, "docs"), 0o755))
	fixture.Git(t, work, "init", "-q", "-b", "main")
	require.NoError(t, os.WriteFile(filepath.Join(work, "docs", "a.md"), []byte("text\n"), 0o644))
	fixture.Git(t, work, "add", ".")
	fixture.Git(t, work, "commit", "-q", "-m", "one")
	clone := func(name string, args ...string) string {
		dir := filepath.Join(base, name)
		fixture.Git(t, base, append(append([]string{"clone", "-q"}, args...), work, dir)...)
		return dir
	}
	detached := clone("detached.git", "--bare")
	fixture.Git(t, detached, "update-ref", "--no-deref", "HEAD", "main")
	linked := filepath.Join(base, "linked")
	fixture.Git(t, work, "worktree", "add", "-q", linked)
	fresh := filepath.Join(base, "fresh.git")
	require.NoError(t, os.Mkdir(fresh, 0o755))
	fixture.Git(t, fresh, "init", "-q", "--bare")

	repos := []struct {
		name string
		dir  string
		want bool
	}{
		{"work tree", work, false},
		{"subdirectory of a work tree", filepath.Join(work, "docs"), false},
		{"linked work tree", linked, false},
		{"bare clone", clone("bare.git", "--bare"), true},
		{"mirror", clone("mirror.git", "--mirror"), true},
		{"fresh bare repository", fresh, true},
		{"detached HEAD", detached, true},
	}
	for _, tt := range repos {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, IsBare(tt.dir))
			assert.Equal(t, map[bool]string{true: "true", false: "false"}[tt.want],
				fixture.Git(t, tt.dir, "rev-parse", "--is-bare-repository"), "git agrees")
			if tt.dir == work || tt.want {
				r, err := OpenRepo(tt.dir)
				require.NoError(t, err)
				assert.Equal(t, tt.want, r.Bare, "OpenRepo agrees")
			}
		})
	}

	lookalike := func(head string) string {
		dir := t.TempDir()
		require.NoError(t, os.Mkdir(filepath.Join(dir, "objects"), 0o755))
		require.NoError(t, os.Mkdir(filepath.Join(dir, "refs"), 0o755))
		if head != "" {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "HEAD"), []byte(head), 0o644))
		}
		return dir
	}
	onlyHead := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(onlyHead, "HEAD"), []byte("ref: refs/heads/main\n"), 0o644))
	for name, dir := range map[string]string{
		"empty directory":           t.TempDir(),
		"missing directory":         filepath.Join(base, "nothing"),
		"HEAD without objects/refs": onlyHead,
		"no HEAD":                   lookalike(""),
		"HEAD that is no reference": lookalike("notes about the head of the team\n"),
	} {
		assert.False(t, IsBare(dir), name)
	}
	assert.True(t, IsBare(lookalike("ref: refs/heads/main\n")), "HEAD, objects/ and refs/ make a git directory")
}
