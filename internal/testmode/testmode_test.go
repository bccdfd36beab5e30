package testmode

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// recorder is a testing.TB that records how a test would have ended: the
// first Fatalf or Skipf (the real ones do not return).
type recorder struct {
	testing.TB
	ended string // "fatal" or "skip"
	msg   string
}

func (r *recorder) Helper() {}
func (r *recorder) end(how, format string, args ...any) {
	if r.ended == "" {
		r.ended, r.msg = how, fmt.Sprintf(format, args...)
	}
}
func (r *recorder) Fatalf(format string, args ...any) { r.end("fatal", format, args...) }
func (r *recorder) Skipf(format string, args ...any)  { r.end("skip", format, args...) }

// A missing tool skips a contributor's quick run and fails the full suite
// and CI, which install every tool.
func TestMissingFailsTheFullSuiteAndCI(t *testing.T) {
	for _, tt := range []struct {
		name, full, ci, want string
	}{
		{"quick suite", "", "", "skip"},
		{"full suite", "1", "", "fatal"},
		{"CI", "", "true", "fatal"},
		{"full suite in CI", "1", "true", "fatal"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(Env, tt.full)
			t.Setenv("CI", tt.ci)
			r := &recorder{TB: t}
			Tool(r, "keygate-no-such-tool", "nowhere")
			assert.Equal(t, tt.want, r.ended)
			assert.Contains(t, r.msg, "keygate-no-such-tool is not installed (nowhere)")
		})
	}
}

// A tool on PATH is returned, whatever the suite.
func TestToolFound(t *testing.T) {
	t.Setenv(Env, "1")
	r := &recorder{TB: t}
	assert.NotEmpty(t, Tool(r, "go", "the Go toolchain"))
	assert.Empty(t, r.ended)
}
