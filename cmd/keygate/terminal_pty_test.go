package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// onPty runs the keygate binary with stdout and stderr on a real pty
// (`script` from util-linux) and returns what the terminal received.
func onPty(t *testing.T, env []string, args ...string) string {
	t.Helper()
	scriptBin, err := exec.LookPath("script")
	require.NoError(t, err, "script (util-linux) is needed for the terminal tests")
	line := binary(t)
	for _, a := range args {
		line += " '" + a + "'"
	}
	cmd := exec.Command(scriptBin, "-q", "-c", line, "/dev/null")
	cmd.Env = append(os.Environ(), "NO_COLOR=", "TERM=xterm-256color")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); !ok {
		require.NoError(t, err, string(out))
	}
	return string(out)
}

const highColour = "\x1b[31m"

func TestColourOnlyOnATerminalThatWantsIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	scan := []string{"-C", dir, "scan", "--no-env-file"}
	assert.Contains(t, onPty(t, nil, scan...), highColour+"high    "+colourResetSeq, "severities are coloured on a terminal")
	for _, tt := range []struct {
		name string
		env  []string
		args []string
	}{
		{"NO_COLOR", []string{"NO_COLOR=1"}, scan},
		{"TERM=dumb", []string{"TERM=dumb"}, scan},
		{"--no-color", nil, append([]string{"--no-color"}, scan...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := onPty(t, tt.env, tt.args...)
			assert.Contains(t, out, "high      bot-password  ****Reef")
			assert.NotContains(t, out, "\x1b[", "no escape sequence at all")
		})
	}
}

const colourResetSeq = "\x1b[0m"

// A history scan's progress line is cleared before the first finding is
// printed, and not drawn at all with TERM=dumb or --quiet.
func TestProgressClearedBeforeOutput(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.commitSeries("c", growingFile(40))
	g.write("docs/leak.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	g.commit("leak")
	args := []string{"-C", g.dir, "scan", "--history", "--no-env-file", "--no-color"}
	out := onPty(t, nil, args...)
	drawn := strings.LastIndex(out, "commits: ")
	require.GreaterOrEqual(t, drawn, 0, "progress is drawn on a terminal: %q", out)
	cleared := strings.LastIndex(out, "\r\x1b[K")
	first := strings.Index(out, "docs/leak.md:1:15")
	require.GreaterOrEqual(t, first, 0, out)
	assert.Less(t, drawn, cleared, "the last progress line is cleared")
	assert.Less(t, cleared, first, "before the first finding is printed")
	assert.NotContains(t, out[first:], "commits: ", "and never drawn again")

	for _, tt := range []struct {
		name string
		env  []string
		args []string
	}{
		{"TERM=dumb", []string{"TERM=dumb"}, args},
		{"--quiet", nil, append(args, "--quiet")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := onPty(t, tt.env, tt.args...)
			assert.Contains(t, out, "docs/leak.md:1:15")
			assert.NotContains(t, out, "commits: ")
			assert.NotContains(t, out, "\x1b[K")
		})
	}
}

// The line is redrawn at most about ten times a second, however often the
// scan reports (every blob, once commits are counted).
func TestProgressRedrawRate(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	p := newProgress(&b)
	clock := p.start
	p.now = func() time.Time { return clock }
	for i := 0; i < 3000; i++ { // 3000 reports in 1.5 s, all "done"
		clock = clock.Add(500 * time.Microsecond)
		p.update("blobs 7, commits", 40, 40, int64(i))
	}
	draws := strings.Count(b.String(), "\r\x1b[K")
	assert.LessOrEqual(t, draws, 16, "at most ~10 redraws a second")
	assert.GreaterOrEqual(t, draws, 10, "but it keeps moving")

	p.stop()
	assert.True(t, strings.HasSuffix(b.String(), "\r\x1b[K"), "stop clears the line")
	n := b.Len()
	clock = clock.Add(time.Second)
	p.update("blobs 8, commits", 40, 40, 1)
	p.stop()
	assert.Equal(t, n, b.Len(), "nothing is drawn or cleared after stop")
}
