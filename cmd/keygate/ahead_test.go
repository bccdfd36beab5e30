package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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

// The commit hook as git runs it, a built binary, in a repository whose
// pack index is large enough to be checked from the process's start
// (source/odb/ahead: the command line is read before main): the staged
// secret is found; an index whose checksum is damaged is the scan's error,
// exit 2; one whose header is garbled is left to go-git, which refuses it;
// none of them a crash (a Go fatal error exits 2 too: the report tells).
func TestStagedScanWithIndexCheckedFromTheStart(t *testing.T) {
	testmode.RequireFull(t, "builds keygate and a repository of 10,000 objects")
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "keygate")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	var stream bytes.Buffer
	const files = 10000
	for i := 1; i <= files; i++ {
		body := fmt.Sprintf("note %d\n", i)
		fmt.Fprintf(&stream, "blob\nmark :%d\ndata %d\n%s", i, len(body), body)
	}
	fmt.Fprintf(&stream, "commit refs/heads/main\ncommitter Ops <ops@synthetic.invalid> 0 +0000\ndata 5\nseed\n")
	for i := 1; i <= files; i++ {
		fmt.Fprintf(&stream, "M 100644 :%d notes/%05d.md\n", i, i)
	}
	fi := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	fi.Stdin = &stream
	out, err = fi.CombinedOutput()
	require.NoError(t, err, string(out))
	fixture.Git(t, dir, "read-tree", "HEAD") // the index, without checking 10,000 files out
	idxs, err := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	require.NoError(t, err)
	require.Len(t, idxs, 1)
	st, err := os.Stat(idxs[0])
	require.NoError(t, err)
	require.GreaterOrEqual(t, st.Size(), int64(256<<10), "large enough to be checked from the start")
	fixture.Write(t, dir, "bot.env", "BOT1_BITGET_API_SECRET="+fixture.BitgetSecret+"\n")
	fixture.Git(t, dir, "add", "bot.env")

	scan := func() (code int, report map[string]any, stderr string) {
		t.Helper()
		cmd := exec.Command(bin, "scan", "--staged", "--no-env-file", "--format", "json")
		cmd.Dir = dir
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			require.NoError(t, err)
		}
		require.NoError(t, json.Unmarshal(o.Bytes(), &report), "a report, not a crash: %s", e.String())
		assert.NotContains(t, e.String(), "fatal error")
		return cmd.ProcessState.ExitCode(), report, e.String()
	}
	code, report, stderr := scan()
	assert.Equal(t, exitFail, code, stderr)
	assert.Equal(t, "fail", report["status"])
	assert.Contains(t, fmt.Sprint(report["findings"]), "bitget-api-secret")
	assert.NotContains(t, fmt.Sprint(report)+stderr, fixture.BitgetSecret)

	sound, err := os.ReadFile(idxs[0])
	require.NoError(t, err)
	damage := func(at int) {
		t.Helper()
		b := bytes.Clone(sound)
		b[at] ^= 0xff
		require.NoError(t, os.Chmod(idxs[0], 0o644))
		require.NoError(t, os.WriteFile(idxs[0], b, 0o644))
	}
	damage(len(sound) - 1) // the index's own checksum
	code, report, stderr = scan()
	assert.Equal(t, exitUsage, code, stderr)
	assert.Equal(t, "error", report["status"])
	assert.Contains(t, fmt.Sprint(report["errors"]), "checksum mismatch (the index is damaged)")

	damage(0) // its signature: not an index odb reads
	code, report, stderr = scan()
	assert.Equal(t, exitUsage, code, stderr)
	assert.Equal(t, "error", report["status"])
	assert.True(t, strings.Contains(fmt.Sprint(report["errors"]), "IDX"), "go-git refuses it: %v", report["errors"])
}
