package scan

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
)

// manyKeys is n lines, each a distinct synthetic Bitget key.
func manyKeys(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	for range n {
		fmt.Fprintf(&b, "BOT1_BITGET_API_KEY=bg_%016x%016x\n", r.Uint64(), r.Uint64())
	}
	return b.String()
}

// A file of more findings than a file reports keeps the first
// maxFileFindings, counts the rest and ends in error, in a stream (a
// working tree, a staged blob, stdin) as in a history's text version.
func TestFileFindingsBounded(t *testing.T) {
	d := edgeDetector(t)
	text := manyKeys(1, maxFileFindings+300)
	res := scanContent(d, Options{}.Containers, strings.NewReader(text), nil, -1, "docs/keys.md", nil)
	require.NoError(t, res.err)
	assert.Len(t, res.findings, maxFileFindings)
	assert.Equal(t, 300, res.dropped, "one chunk: every finding past the bound is counted")

	r := &Result{}
	require.True(t, r.tally("docs/keys.md", "", res))
	require.Len(t, r.Errors, 1)
	assert.Contains(t, r.Errors[0], fmt.Sprintf("docs/keys.md: more than %d findings (300 more counted)", maxFileFindings))

	// Far more than one chunk: the scan stops reading soon after the bound.
	big := manyKeys(2, 120_000)
	res = scanContent(d, Options{}.Containers, strings.NewReader(big), nil, -1, "docs/big.md", nil)
	require.NoError(t, res.err)
	assert.Len(t, res.findings, maxFileFindings)
	assert.Less(t, res.bytes, int64(len(big)), "the rest of the file is not read")
	assert.Positive(t, res.dropped)

	// A stream under the bound is untouched.
	res = scanContent(d, Options{}.Containers, strings.NewReader(manyKeys(3, 20)), nil, -1, "docs/few.md", nil)
	assert.Len(t, res.findings, 20)
	assert.Zero(t, res.dropped)
}

// A history reports at most maxHistoryFindings additions, the earliest
// commits' first, and ends in error; each version is bounded as a file is.
func TestHistoryFindingsBounded(t *testing.T) {
	testmode.Tool(t, "git", "apt-get install git")
	d := edgeDetector(t)
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q")
	var stream bytes.Buffer
	for i := range 3 {
		data := manyKeys(uint64(10+i), 40)
		if i == 2 {
			data = manyKeys(99, maxFileFindings+5)
		}
		importCommit(&stream, i, "keys", fmt.Sprintf("docs/keys%d.md", i), []byte(data))
	}
	repo, revs := importHistory(t, dir, &stream)

	r, err := History(context.Background(), repo, GitOptions{Options: Options{Detector: d}, Revs: revs})
	require.NoError(t, err)
	assert.Len(t, r.Findings, 40+40+maxFileFindings)
	require.Len(t, r.Errors, 1)
	assert.Contains(t, r.Errors[0], "docs/keys2.md (blob ")
	assert.Contains(t, r.Errors[0], fmt.Sprintf("more than %d findings (5 more counted)", maxFileFindings))

	defer func(n int) { maxHistoryFindings = n }(maxHistoryFindings)
	maxHistoryFindings = 50
	r, err = History(context.Background(), repo, GitOptions{Options: Options{Detector: d}, Revs: revs})
	require.NoError(t, err)
	require.Len(t, r.Findings, 50)
	paths := map[string]int{}
	for _, f := range r.Findings {
		paths[f.Path]++
	}
	assert.Equal(t, map[string]int{"docs/keys0.md": 40, "docs/keys1.md": 10}, paths, "the earliest commits' additions")
	assert.Contains(t, strings.Join(r.Errors, "\n"), fmt.Sprintf("%d more findings not reported: a history reports the first 50", 40+maxFileFindings-10))
}
