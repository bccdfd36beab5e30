package baseline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A baseline written and read back accepts the same fingerprints, once
// each, in path order.
func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".keygate-baseline.json")
	b := New([]Entry{
		{Fingerprint: "fp2", RuleID: "bot-password", Path: "docs/b.md", Masked: "****"},
		{Fingerprint: "fp1", RuleID: "bitget-api-key", Path: "docs/a.md", Masked: "****e1f0"},
		{Fingerprint: "fp1", RuleID: "bitget-api-key", Path: "docs/a.md", Masked: "****e1f0"},
	})
	require.NoError(t, b.Write(path))
	got, err := Load(path)
	require.NoError(t, err)
	entries := all(t, got)
	require.Len(t, entries, 2)
	assert.Equal(t, 2, got.Len())
	assert.Equal(t, "docs/a.md", entries[0].Path)
	assert.True(t, got.Has("fp1"))
	assert.True(t, got.Has("fp2"))
	assert.False(t, got.Has("fp3"))
}

// No file is an empty baseline; a broken one is an error naming the file
// and how to fix it.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	b, err := Load(filepath.Join(dir, "missing.json"))
	require.NoError(t, err)
	assert.False(t, b.Has("anything"), "a nil baseline has nothing")

	for name, content := range map[string]string{"bad.json": "{not json", "old.json": `{"version": 7, "findings": []}`} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		_, err := Load(p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), p)
		assert.Contains(t, err.Error(), "keygate baseline")
	}
}

// Merging keeps what was accepted before (entries a working-tree scan does
// not meet again, such as a history finding's), adds what is found now,
// and with prune drops, and returns, what is not found any more.
func TestMerge(t *testing.T) {
	hist := Entry{Fingerprint: "fp-hist", RuleID: "bitget-api-key", Path: "docs/old.md", Masked: "****e1f0"}
	kept := Entry{Fingerprint: "fp-kept", RuleID: "redis-password", Path: "docs/a.md", Masked: "****5Dga"}
	fresh := Entry{Fingerprint: "fp-new", RuleID: "bot-password", Path: "docs/b.md", Masked: "****Reef"}
	old := New([]Entry{hist, kept})

	merged, added, pruned, err := Merge(old, []Entry{kept, fresh}, false)
	require.NoError(t, err)
	assert.Equal(t, []Entry{kept, fresh, hist}, merged.Entries)
	assert.Equal(t, []Entry{fresh}, added)
	assert.Empty(t, pruned)

	merged, added, pruned, err = Merge(old, []Entry{kept, fresh}, true)
	require.NoError(t, err)
	assert.Equal(t, []Entry{kept, fresh}, merged.Entries)
	assert.Equal(t, []Entry{fresh}, added)
	assert.Equal(t, []Entry{hist}, pruned)

	merged, added, _, err = Merge(nil, []Entry{fresh, fresh}, true)
	require.NoError(t, err)
	assert.Equal(t, []Entry{fresh}, merged.Entries)
	assert.Equal(t, []Entry{fresh}, added)
}

// all reads every entry of b.
func all(t *testing.T, b *File) []Entry {
	t.Helper()
	var out []Entry
	require.NoError(t, b.Each(func(e Entry) { out = append(out, e) }))
	return out
}
