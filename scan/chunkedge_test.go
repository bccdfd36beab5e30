package scan

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/source"
)

// edgeLine is a Bitget secret assignment whose secret differs per n, so
// that a history reports each version's key.
func edgeLine(n int) string {
	return fmt.Sprintf("BOT1_BITGET_API_SECRET=f00dfacec0ffee00deadbeef0123456789abcdef0123456789abcdef%08x", n)
}

// edgeFile is a bot log past one chunk with line starting at stream
// offset ChunkSize+delta; it returns the file and the line's number.
func edgeFile(line string, delta int) ([]byte, int) {
	const filler = "2026-11-25T18:00:00Z INFO bot1 order filled qty=0.010 px=64000.5 id=7731\n"
	at := detector.ChunkSize + delta
	var b bytes.Buffer
	for b.Len() < at-1 {
		b.WriteString(filler)
	}
	b.Truncate(at - 1)
	b.WriteByte('\n')
	b.WriteString(line + "\n")
	b.WriteString(strings.Repeat(filler, 1000))
	return b.Bytes(), bytes.Count(b.Bytes()[:at], []byte{'\n'}) + 1
}

// edgeDeltas: the key's line starts from 100 bytes before the chunk edge
// (the secret then straddles or follows it) to 20 after; all of them in
// the full suite, a sample in the quick one.
func edgeDeltas() []int {
	secretAt := len(edgeLine(0)) - 64
	var out []int
	for d := -100; d <= 20; d++ {
		near := d == -100 || d == 20 || d >= -1 && d <= 1 || d >= -secretAt-1 && d <= -secretAt+1 || d >= -len(edgeLine(0))-1 && d <= -len(edgeLine(0))+1
		if testmode.Full() || near {
			out = append(out, d)
		}
	}
	return out
}

// importHistory loads a git fast-import stream into the repository at dir
// and opens it, with its refs.
func importHistory(t *testing.T, dir string, stream io.Reader) (*source.Repo, source.Revs) {
	t.Helper()
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stdin = stream
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	repo, err := source.OpenRepo(dir)
	require.NoError(t, err)
	revs, err := repo.AllRefs()
	require.NoError(t, err)
	return repo, revs
}

// importCommit writes the i-th (from 0) commit of a fast-import stream on
// main, a minute after the one before, writing data to path.
func importCommit(w *bytes.Buffer, i int, msg, path string, data []byte) {
	fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\ncommitter Ops <ops@synthetic.invalid> %d +0000\ndata %d\n%s\n", i+1, 1_790_000_000+i*60, len(msg), msg)
	if i > 0 {
		fmt.Fprintf(w, "from :%d\n", i)
	}
	fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n", path, len(data))
	w.Write(data)
	w.WriteString("\n")
}

func edgeDetector(t *testing.T) *detector.Detector {
	p, err := rules.Default()
	require.NoError(t, err)
	d, err := detector.New(p)
	require.NoError(t, err)
	return d
}

// TestChunkEdgeStaged: the staged scan finds a key wherever its line lies
// around the 4 MiB chunk edge of a large staged file.
func TestChunkEdgeStaged(t *testing.T) {
	d := edgeDetector(t)
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("ops\n"), 0o644))
	fixture.Git(t, dir, "add", "README.md")
	fixture.Git(t, dir, "commit", "-qm", "init")
	for _, delta := range edgeDeltas() {
		data, line := edgeFile(edgeLine(delta+1000), delta)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "bot1.log"), data, 0o644))
		fixture.Git(t, dir, "add", "bot1.log")
		repo, err := source.OpenRepo(dir)
		require.NoError(t, err)
		r, err := Staged(context.Background(), repo, GitOptions{Options: Options{Detector: d}})
		require.NoError(t, err)
		require.Len(t, r.Findings, 1, "line at edge%+d", delta)
		assert.Equal(t, []any{"bitget-api-secret", "bot1.log", line, 24}, []any{r.Findings[0].RuleID, r.Findings[0].Path, r.Findings[0].Line, r.Findings[0].Column}, "line at edge%+d", delta)
	}
}

// TestChunkEdgeHistory: a history whose commits each move a distinct key
// across the 4 MiB chunk edge of a large file reports every one of them,
// on its line.
func TestChunkEdgeHistory(t *testing.T) {
	testmode.Tool(t, "git", "apt-get install git")
	d := edgeDetector(t)
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q")
	var stream bytes.Buffer
	want := map[string]int{} // masked secret -> line
	for i, delta := range edgeDeltas() {
		line := edgeLine(delta + 1000)
		data, n := edgeFile(line, delta)
		want[detector.Mask(line[len(line)-64:])] = n
		importCommit(&stream, i, "edge", "bot1.log", data)
	}
	repo, revs := importHistory(t, dir, &stream)
	r, err := History(context.Background(), repo, GitOptions{Options: Options{Detector: d}, Revs: revs})
	require.NoError(t, err)
	got := map[string]int{}
	for _, f := range r.Findings {
		assert.Equal(t, "bitget-api-secret", f.RuleID)
		assert.Equal(t, 24, f.Column)
		got[f.Masked] = f.Line
	}
	assert.Equal(t, want, got)
}
