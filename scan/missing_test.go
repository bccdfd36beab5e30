package scan

import (
	"fmt"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/source"
)

// Missing blobs are named, the first five of them, and the rest counted:
// a damaged repository can lose thousands, and one error line must stay
// readable.
func TestMissingBlobsAreNamed(t *testing.T) {
	dir := t.TempDir()
	out, err := exec.Command("git", "init", "-q", dir).CombinedOutput()
	require.NoError(t, err, string(out))
	repo, err := source.OpenRepo(dir)
	require.NoError(t, err)

	var missing []string
	for i := range 7 {
		missing = append(missing, fmt.Sprintf("docs/f%d.md (blob %012d)", i, i))
	}
	msg := missingBlobsError(repo, missing)
	assert.Contains(t, msg, "7 blobs are missing from the repository and were not scanned")
	for _, m := range missing[:5] {
		assert.Contains(t, msg, m)
	}
	assert.NotContains(t, msg, "docs/f5.md")
	assert.Contains(t, msg, "and 2 more")

	msg = missingBlobsError(repo, missing[:1])
	assert.Contains(t, msg, "1 blob is missing from the repository and was not scanned (docs/f0.md (blob 000000000000))")
	assert.NotContains(t, msg, " more")
}
