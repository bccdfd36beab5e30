package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/testmode"
)

// On a terminal a history scan shows progress on stderr; piped, it prints
// nothing extra. `script` (util-linux) gives the process a real pty.
func TestHistoryProgressOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	scriptBin := testmode.Tool(t, "script", "util-linux")
	g := newGitRepo(t)
	g.commitSeries("c", growingFile(30))
	bin := binary(t)
	cmd := exec.Command(scriptBin, "-q", "-e", "-c", bin+" -C "+g.dir+" scan --history --no-env-file", "/dev/null")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "commits: ", "progress is drawn on a terminal")
	assert.Contains(t, string(out), "\x1b[K", "and the line is cleared")

	piped := exec.Command(bin, "-C", g.dir, "scan", "--history", "--no-env-file")
	var stderr strings.Builder
	piped.Stderr = &stderr
	require.NoError(t, piped.Run())
	assert.Empty(t, stderr.String(), "nothing extra when stderr is not a terminal")
}

// growingFile is n versions of docs/a.md, each a line longer: a history of
// n commits.
func growingFile(n int) []map[string]string {
	steps := make([]map[string]string, n)
	for i := range steps {
		steps[i] = map[string]string{"docs/a.md": strings.Repeat("line\n", i+1)}
	}
	return steps
}
