package odb

import (
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// BenchmarkReadAll reads every object of a packed history with deep delta
// chains, through a cache as small as the scan's is relative to it, as the
// history scan does: what it measures is inflation, delta resolution and
// the per-object checks together.
func BenchmarkReadAll(b *testing.B) {
	dir := history(b)
	fixture.Git(b, dir, "repack", "-adfq", "--depth=50", "--window=50")
	all := catAll(b, dir)
	ids := make([]plumbing.Hash, 0, len(all))
	var total int64
	for h, o := range all {
		ids = append(ids, h)
		total += int64(len(o.data))
	}
	b.SetBytes(total)
	for b.Loop() {
		db, err := Open(filepath.Join(dir, ".git", "objects"), Options{CacheBytes: 1 << 20})
		require.NoError(b, err)
		r := db.NewReader()
		for _, h := range ids {
			if _, _, err := r.Read(h); err != nil {
				b.Fatal(err)
			}
		}
		db.Close()
	}
}
