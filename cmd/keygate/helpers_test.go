package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
	"github.com/keygate/keygate/report"
)

type cliResult struct {
	code     int
	stdout   string
	stderr   string
	combined string
}

// runCLI runs keygate in-process with -C dir.
func runCLI(t testing.TB, dir string, stdin io.Reader, args ...string) cliResult {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"-C", dir}, args...), streams{in: stdin, out: &out, err: &errb})
	return cliResult{code: code, stdout: out.String(), stderr: errb.String(), combined: out.String() + errb.String()}
}

// decodeReport parses a report the CLI printed (--format json); msgAndArgs
// say what to show when it is not one (the run's output).
func decodeReport(t testing.TB, s string, msgAndArgs ...any) *report.Report {
	t.Helper()
	var r report.Report
	if len(msgAndArgs) == 0 {
		msgAndArgs = []any{"report must be valid JSON"}
	}
	require.NoError(t, json.Unmarshal([]byte(s), &r), msgAndArgs...)
	return &r
}

func readReport(t testing.TB, path string) *report.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var r report.Report
	require.NoError(t, json.Unmarshal(data, &r), "report must be valid JSON")
	return &r
}

var (
	builtBinary string
	buildMu     sync.Mutex // parallel tests wait for the one build
)

// binary builds keygate once per test run, for tests that need a separate
// process (git hooks, a pty, resource limits, another user). Go's build
// cache keeps the linked executable between runs (`go run -exec echo`
// names it without running it), so an unchanged tree skips the link, a
// few seconds of every run; the copy the tests run lives in this run's
// own temporary folder, readable by all (a test runs it as another user),
// and TestMain removes it: a run leaves nothing behind (it used to leave
// 28 MB in /dev/shm).
func binary(t testing.TB) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if builtBinary != "" {
		return builtBinary
	}
	src, err := cachedExecutable()
	require.NoError(t, err)
	dir, err := os.MkdirTemp("", "keygate-bin-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755))
	bin := filepath.Join(dir, "keygate")
	require.NoError(t, copyExecutable(src, bin))
	builtBinary = bin
	return bin
}

// cachedExecutable is the path of keygate's executable in Go's build
// cache, building it there if need be. The first `go run` of a changed
// tree names a temporary copy it deletes on return; the next names the
// cached one.
func cachedExecutable() (string, error) {
	for try := 0; try < 2; try++ {
		cmd := exec.Command("go", "run", "-exec", "echo", ".")
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("go run -exec echo: %w", err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		path := lines[len(lines)-1]
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}
	return "", errors.New("go run -exec echo: the executable is not in the build cache")
}

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func TestMain(m *testing.M) {
	if os.Getenv(childCLIEnv) != "" {
		os.Exit(runChildCLI())
	}
	testmode.ScratchInMemory()
	code := m.Run()
	removeTemplates()
	if builtBinary != "" {
		os.RemoveAll(filepath.Dir(builtBinary))
	}
	os.Exit(code)
}

// oneBitgetAttempt configures the repository at dir to try Bitget once:
// against an unreachable Bitget the retries' back-off only slows a test.
func oneBitgetAttempt(t testing.TB, dir string) {
	t.Helper()
	fixture.Write(t, dir, ".keygate.yaml", "exchanges:\n  bitget:\n    attempts: 1\n")
}

var processStart = time.Now()

// The binary the tests run is this run's own copy, in a folder made by this
// run (which TestMain removes), not a folder kept between runs.
func TestBinaryIsThisRunsOwn(t *testing.T) {
	bin := binary(t)
	dir := filepath.Dir(bin)
	assert.True(t, strings.HasPrefix(filepath.Base(dir), "keygate-bin-"), dir)
	st, err := os.Stat(dir)
	require.NoError(t, err)
	assert.False(t, st.ModTime().Before(processStart.Add(-time.Second)), "made by this run: %s", dir)
	out, err := exec.Command(bin, "version").Output()
	require.NoError(t, err)
	assert.Contains(t, string(out), "keygate ")
}
