package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
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
// process (resource limits, another user).
func binary(t testing.TB) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if builtBinary != "" {
		return builtBinary
	}
	dir, err := os.MkdirTemp("", "keygate-bin-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755)) // runnable by another user too
	bin := filepath.Join(dir, "keygate")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Run())
	builtBinary = bin
	return bin
}

func TestMain(m *testing.M) {
	if os.Getenv(childCLIEnv) != "" {
		os.Exit(runChildCLI())
	}
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
