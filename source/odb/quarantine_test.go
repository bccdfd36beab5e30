package odb

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// A pre-receive hook sees the pushed objects only in the quarantine git
// names in its environment: loose and packed there, they are read; without
// that environment they are not found.
func TestReadsTheQuarantine(t *testing.T) {
	repo := t.TempDir()
	fixture.Git(t, repo, "init", "-q", "--bare")
	objects := filepath.Join(repo, "objects")
	quarantine := filepath.Join(objects, "tmp_objdir-incoming-test")
	require.NoError(t, os.MkdirAll(filepath.Join(quarantine, "pack"), 0o755))
	env := map[string]string{
		"GIT_OBJECT_DIRECTORY":             quarantine,
		"GIT_QUARANTINE_PATH":              quarantine,
		"GIT_ALTERNATE_OBJECT_DIRECTORIES": `"` + objects + `"`,
	}
	write := func(content string) plumbing.Hash {
		cmd := exec.Command("git", "hash-object", "-w", "--stdin")
		cmd.Dir = repo
		cmd.Stdin = strings.NewReader(content)
		cmd.Env = append(os.Environ(), "GIT_OBJECT_DIRECTORY="+quarantine, "GIT_ALTERNATE_OBJECT_DIRECTORIES="+objects)
		out, err := cmd.Output()
		require.NoError(t, err)
		return plumbing.NewHash(strings.TrimSpace(string(out)))
	}
	loose := write("pushed, loose in the quarantine\n")
	// A pack in the quarantine, as index-pack leaves a larger push.
	other := t.TempDir()
	fixture.Git(t, other, "init", "-q")
	require.NoError(t, os.WriteFile(filepath.Join(other, "p.txt"), []byte("pushed, packed\n"), 0o644))
	packed := plumbing.NewHash(fixture.Git(t, other, "hash-object", "-w", "p.txt"))
	cmd := exec.Command("git", "pack-objects", "-q", filepath.Join(quarantine, "pack", "pack"))
	cmd.Dir = other
	cmd.Stdin = strings.NewReader(packed.String() + "\n")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))

	db, err := Open(objects, Options{CacheBytes: 1 << 20, Getenv: func(k string) string { return env[k] }})
	require.NoError(t, err)
	defer db.Close()
	for _, h := range []plumbing.Hash{loose, packed} {
		typ, _, err := db.NewReader().Read(h)
		require.NoError(t, err, h.String())
		assert.Equal(t, Blob, typ)
	}

	plain, err := Open(objects, Options{CacheBytes: 1 << 20, Getenv: func(string) string { return "" }})
	require.NoError(t, err)
	defer plain.Close()
	_, _, err = plain.NewReader().Read(loose)
	assert.True(t, errors.Is(err, ErrNotFound), "outside the hook the quarantine is not there: %v", err)
}

// GIT_ALTERNATE_OBJECT_DIRECTORIES is read as git reads it: colon
// separated, an entry in double quotes C-quoted (a colon inside it).
func TestEnvDirs(t *testing.T) {
	env := map[string]string{
		"GIT_OBJECT_DIRECTORY":             "/q",
		"GIT_QUARANTINE_PATH":              "/q",
		"GIT_ALTERNATE_OBJECT_DIRECTORIES": `/a:"/b:c\tq":/d`,
	}
	assert.Equal(t, []string{"/q", "/a", "/b:c\tq", "/d"}, EnvDirs(func(k string) string { return env[k] }))
	assert.Empty(t, EnvDirs(func(string) string { return "" }))
}
