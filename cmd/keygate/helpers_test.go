package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

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
	binaryKept  bool       // builtBinary's folder outlives the run
	buildMu     sync.Mutex // parallel tests wait for the one build
)

// binary builds keygate once per test run, for tests that need a separate
// process (git hooks, a pty, resource limits, another user). It is kept
// between runs in a folder of this user's (binaryDir): go build finds it
// up to date and skips the link, a second or two of every run.
func binary(t testing.TB) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if builtBinary != "" {
		return builtBinary
	}
	dir, kept, err := binaryDir()
	require.NoError(t, err)
	bin := filepath.Join(dir, "keygate")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Run())
	builtBinary, binaryKept = bin, kept
	return bin
}

// binaryDir is where binary builds: a folder under the system temp dir
// named for this user and checkout, readable by all (a test runs the
// binary as another user) and writable by this user only. go build
// replaces the binary by renaming a new one over it, so a run that races
// another still sees a whole file. Where that folder is not this user's
// own, a new temporary one is used (kept false: removed at the end).
func binaryDir() (dir string, kept bool, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false, err
	}
	sum := sha256.Sum256([]byte(wd))
	dir = filepath.Join(os.TempDir(), fmt.Sprintf("keygate-test-bin-%d-%x", os.Getuid(), sum[:6]))
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", false, err
	}
	if fi, err := os.Lstat(dir); err == nil && fi.IsDir() && fi.Mode().Perm() == 0o755 {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) == os.Getuid() {
			return dir, true, nil
		}
	}
	dir, err = os.MkdirTemp("", "keygate-bin-")
	if err != nil {
		return "", false, err
	}
	return dir, false, os.Chmod(dir, 0o755)
}

func TestMain(m *testing.M) {
	if os.Getenv(childCLIEnv) != "" {
		os.Exit(runChildCLI())
	}
	testmode.ScratchInMemory()
	code := m.Run()
	removeTemplates()
	if builtBinary != "" && !binaryKept {
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
