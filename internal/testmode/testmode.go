// Package testmode separates keygate's quick tests from its end-to-end,
// large and exhaustive ones. Plain `go test ./...` runs the quick suite (a
// contributor's loop); `.ci/run` sets KEYGATE_FULL_TESTS=1 and runs
// everything. Under CI (CI=true) a full-only test never skips: it fails if
// the variable is missing, so CI cannot silently run the short suite.
package testmode

import (
	"os"
	"os/exec"
	"testing"
)

// Env turns the full suite on.
const Env = "KEYGATE_FULL_TESTS"

// Full reports whether the full suite runs.
func Full() bool { return os.Getenv(Env) != "" }

// RequireFull skips t outside the full suite, saying why it is slow.
func RequireFull(t testing.TB, why string) {
	t.Helper()
	if Full() {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s: CI must run the full suite (set %s=1)", why, Env)
	}
	t.Skipf("%s: runs with %s=1 (as .ci/run does)", why, Env)
}

// Scale returns full in the full suite and quick otherwise: the size of a
// differential or property test's input.
func Scale(quick, full int) int {
	if Full() {
		return full
	}
	return quick
}

// Missing ends t for want of something it needs that the machine lacks (a
// tool, a setting): the quick suite skips it, the full suite and CI fail
// it, since .ci/run installs and sets everything a test needs.
func Missing(t testing.TB, what string) {
	t.Helper()
	if Full() || os.Getenv("CI") != "" {
		t.Fatalf("%s: the full suite needs it (.ci/run installs it)", what)
	}
	t.Skipf("%s (the full suite fails here)", what)
}

// Tool returns the path of the program name, ending t with Missing where
// it is not on PATH; install says where it comes from.
func Tool(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not installed ("+install+")")
	}
	return path
}
