package odb

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/mmapfile"
	"github.com/keygate/keygate/internal/testmode"
	"github.com/keygate/keygate/source/odb/ahead"
)

// history is a copy of a repository of versions of a few files, so that a
// repack stores most of them as deltas, in chains. The repository is built
// once per test binary (a few dozen git processes) and copied into each
// test, which may repack or damage its copy.
func history(t testing.TB) string {
	t.Helper()
	historyOnce.Do(func() {
		root, err := os.MkdirTemp("", "keygate-odb-history-")
		require.NoError(t, err)
		historyRoot = root
		buildHistory(t, root)
		historyBuilt = true
	})
	require.True(t, historyBuilt, "the shared history failed to build (see the first test that used it)")
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(historyRoot)))
	return dir
}

var (
	historyOnce  sync.Once
	historyRoot  string // removed by TestMain
	historyBuilt bool
)

// buildHistory commits the versions into a new repository at dir.
func buildHistory(t testing.TB, dir string) {
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	var lines []string
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("line %d of a file that changes a little in every commit", i))
	}
	for c := range testmode.Scale(12, 40) {
		for f := range 3 {
			lines[(c*7+f*13)%len(lines)] = fmt.Sprintf("changed in commit %d file %d", c, f)
			require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", f)), []byte(strings.Join(lines, "\n")), 0o644))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, "big.bin"), bytes.Repeat([]byte{byte(c)}, 200_000+c), 0o644))
		fixture.Git(t, dir, "add", "-A")
		fixture.Git(t, dir, "commit", "-q", "-m", fmt.Sprintf("c%d", c))
	}
}

type object struct {
	typ  string
	data []byte
}

// catAll is every object as git itself reads it.
func catAll(t testing.TB, dir string) map[plumbing.Hash]object {
	out := fixture.GitRaw(t, dir, "cat-file", "--batch-all-objects", "--batch")
	br := bufio.NewReader(bytes.NewReader(out))
	all := map[plumbing.Hash]object{}
	for {
		head, err := br.ReadString('\n')
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		f := strings.Fields(head)
		require.Len(t, f, 3)
		n, err := strconv.Atoi(f[2])
		require.NoError(t, err)
		data := make([]byte, n+1)
		_, err = io.ReadFull(br, data)
		require.NoError(t, err)
		all[plumbing.NewHash(f[0])] = object{f[1], data[:n]}
	}
	return all
}

func TestReadsEveryObjectAsGitDoes(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		packs   int
	}{
		{"loose objects", func(*testing.T, string) {}, 0},
		{"one pack with deep delta chains", func(t *testing.T, dir string) {
			fixture.Git(t, dir, "repack", "-adfq", "--depth=50", "--window=50")
		}, 1},
		{"ref deltas", func(t *testing.T, dir string) {
			fixture.Git(t, dir, "-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq")
		}, 1},
		{"a pack and newer loose objects", func(t *testing.T, dir string) {
			fixture.Git(t, dir, "repack", "-adq")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "f0.txt"), []byte("after the repack\n"), 0o644))
			fixture.Git(t, dir, "commit", "-qam", "loose")
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := history(t)
			tt.prepare(t, dir)
			want := catAll(t, dir)
			// A small cache forces chains to be resolved from the pack
			// again; a big one serves them from memory. Packs are mapped
			// within the mapping budget where the system can; ReadAt
			// (past the budget, or as on Windows) must read the same.
			for _, cfg := range []struct {
				cache  int
				mapped bool
			}{{64 << 10, true}, {64 << 20, true}, {64 << 10, false}, {64 << 20, false}} {
				opts := Options{CacheBytes: cfg.cache, MapBytes: -1}
				if cfg.mapped {
					opts.MapBytes = 0 // the default budget: these packs fit
				}
				db, err := Open(filepath.Join(dir, ".git", "objects"), opts)
				require.NoError(t, err)
				defer db.Close()
				assert.Len(t, db.packs, tt.packs)
				for _, p := range db.packs {
					assert.Equal(t, cfg.mapped, p.data != nil, "mapped within the budget, read with ReadAt past it")
				}
				r := db.NewReader()
				for h, o := range want {
					// Size says it before reading, as the scan asks it:
					// from a packed object's header, a delta's (whose
					// body the read then applies), a loose header.
					size, err := r.Size(h)
					require.NoError(t, err, h.String())
					assert.Equal(t, int64(len(o.data)), size, "size of %s", h)
					typ, data, err := r.Read(h)
					require.NoError(t, err, h.String())
					assert.Equal(t, o.typ, typ.String(), h.String())
					require.True(t, bytes.Equal(o.data, data), "object %s differs", h)
					// And read alone, by a reader that sized nothing.
					_, data, err = db.NewReader().Read(h)
					require.NoError(t, err, h.String())
					require.True(t, bytes.Equal(o.data, data), "object %s differs", h)
				}
			}
			db, err := Open(filepath.Join(dir, ".git", "objects"), Options{CacheBytes: 1 << 20})
			require.NoError(t, err)
			defer db.Close()
			_, _, err = db.NewReader().Read(plumbing.NewHash("0123456789012345678901234567890123456789"))
			assert.ErrorIs(t, err, ErrNotFound)
		})
	}
}

// A damaged pack gives errors, never a panic or wrong content.
func TestCorruptPackIsAnError(t *testing.T) {
	dir := history(t)
	fixture.Git(t, dir, "repack", "-adfq")
	want := catAll(t, dir)
	packs, err := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	require.NoError(t, err)
	require.Len(t, packs, 1)
	orig, err := os.ReadFile(packs[0])
	require.NoError(t, err)
	for _, at := range []int{20, len(orig) / 3, len(orig) / 2, len(orig) - 100} {
		bad := bytes.Clone(orig)
		for i := at; i < at+8; i++ {
			bad[i] ^= 0x5a
		}
		require.NoError(t, os.WriteFile(packs[0], bad, 0o644))
		for _, mapped := range []bool{true, false} {
			db, err := Open(filepath.Join(dir, ".git", "objects"), Options{CacheBytes: 1 << 20})
			require.NoError(t, err)
			if !mapped {
				require.NoError(t, mmapfile.Unmap(db.packs[0].data))
				db.packs[0].data = nil
			}
			r := db.NewReader()
			errs := 0
			for h, o := range want {
				typ, data, err := r.Read(h)
				if err != nil {
					errs++
					continue
				}
				// What does come back undamaged must be right; damage inside
				// a zlib stream is caught by its checksum, or by the sizes.
				if o.typ != typ.String() || !bytes.Equal(o.data, data) {
					errs++
					assert.Failf(t, "wrong content", "object %s at damage %d (mapped: %v)", h, at, mapped)
				}
			}
			assert.Positive(t, errs, "damage at %d went unnoticed (mapped: %v)", at, mapped)
			db.Close()
		}
	}
}

func TestApplyDeltaRejectsBadInput(t *testing.T) {
	base := []byte("0123456789")
	tests := []struct {
		name  string
		delta []byte
	}{
		{"empty", nil},
		{"wrong base size", []byte{9, 1, 1, 'x'}},
		{"copy past the base", []byte{10, 5, 0x91, 8, 5}},
		{"insert past the end", []byte{10, 2, 5, 'a'}},
		{"output longer than declared", []byte{10, 1, 2, 'a', 'b'}},
		{"output shorter than declared", []byte{10, 5, 1, 'a'}},
		{"reserved instruction", []byte{10, 1, 0}},
		// More than the base and the delta could hold: checked before
		// it is allocated (a terabyte here).
		{"claims far more than it writes", []byte{10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x90, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := applyDelta(base, tt.delta)
			assert.ErrorIs(t, err, errBadDelta)
		})
	}
	out, err := applyDelta(base, []byte{10, 6, 0x91, 2, 3, 3, 'a', 'b', 'c'})
	require.NoError(t, err)
	assert.Equal(t, "234abc", string(out))
	// Copies that repeat the base rebuild more than base and delta hold.
	out, err = applyDelta(base, []byte{10, 30, 0x90, 10, 0x90, 10, 0x90, 10})
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("0123456789", 3), string(out))
}

// A shared clone keeps no objects of its own but those it adds: the rest
// are read through objects/info/alternates, packed and loose.
func TestReadsThroughAlternates(t *testing.T) {
	origin := history(t)
	fixture.Git(t, origin, "repack", "-adq")
	require.NoError(t, os.WriteFile(filepath.Join(origin, "loose.txt"), []byte("a loose object of the origin\n"), 0o644))
	fixture.Git(t, origin, "add", "loose.txt")
	fixture.Git(t, origin, "commit", "-qm", "loose")
	clone := filepath.Join(t.TempDir(), "clone")
	fixture.Git(t, origin, "clone", "-q", "--shared", origin, clone)
	require.NoError(t, os.WriteFile(filepath.Join(clone, "own.txt"), []byte("the clone's own object\n"), 0o644))
	fixture.Git(t, clone, "add", "own.txt")
	fixture.Git(t, clone, "commit", "-qm", "own")
	want := catAll(t, clone)
	require.Greater(t, len(want), 50, "the history must hold objects enough to span packs and loose files")
	db, err := Open(filepath.Join(clone, ".git", "objects"), Options{CacheBytes: 1 << 20})
	require.NoError(t, err)
	defer db.Close()
	r := db.NewReader()
	for h, o := range want {
		typ, data, err := r.Read(h)
		require.NoError(t, err, h.String())
		assert.Equal(t, o.typ, typ.String())
		require.True(t, bytes.Equal(o.data, data), "object %s differs", h)
	}
}

// A large binary blob is recognised from its first bytes without being
// inflated whole, packed or loose; a large text blob is read whole.
func TestReadOrSkipStopsAtABinaryHead(t *testing.T) {
	dir := t.TempDir()
	fixture.Git(t, dir, "init", "-q", "-b", "main")
	bin := make([]byte, 3*LargeObject)
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	text := bytes.Repeat([]byte("plain text, no NUL in it\n"), 3*LargeObject/25)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.bin"), bin, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.txt"), text, 0o644))
	fixture.Git(t, dir, "add", ".")
	fixture.Git(t, dir, "commit", "-qm", "big files")
	binID := plumbing.NewHash(fixture.Git(t, dir, "rev-parse", "HEAD:big.bin"))
	textID := plumbing.NewHash(fixture.Git(t, dir, "rev-parse", "HEAD:big.txt"))
	hasNUL := func(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 }
	for _, packed := range []bool{false, true} {
		if packed {
			fixture.Git(t, dir, "gc", "-q")
		}
		db, err := Open(filepath.Join(dir, ".git", "objects"), Options{CacheBytes: 1 << 20})
		require.NoError(t, err)
		r := db.NewReader()
		typ, head, skipped, err := r.ReadOrSkip(binID, 8000, hasNUL)
		require.NoError(t, err)
		assert.Equal(t, Blob, typ)
		assert.True(t, skipped, "packed: %v", packed)
		assert.LessOrEqual(t, len(head), 8000)
		assert.True(t, bytes.Equal(bin[:len(head)], head))
		_, data, skipped, err := r.ReadOrSkip(textID, 8000, hasNUL)
		require.NoError(t, err)
		assert.False(t, skipped)
		assert.True(t, bytes.Equal(text, data), "packed: %v", packed)
		db.Close()
	}
}

// A store closed, or an index refused, while the check started with the
// process still hashes the mapping waits for that check before it unmaps:
// unmapped under it, the check would fault, a crash no recover catches.
func TestIndexCheckedAheadIsNotUnmappedUnderItsCheck(t *testing.T) {
	a, pack, good, _ := indexedPack()
	// The index with 24 MB more of 64-bit offsets, which nothing points
	// at (parseIndex allows them): its check takes tens of milliseconds.
	body := append(bytes.Clone(good[:len(good)-40]), make([]byte, 24<<20)...)
	body = append(body, good[len(good)-40:len(good)-20]...)
	sum := sha1.Sum(body)
	slow := append(body, sum[:]...)
	notIndex := append([]byte("not an index"), make([]byte, 24<<20)...)
	for _, tt := range []struct {
		name string
		idx  []byte
	}{{"closed", slow}, {"refused", notIndex}} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, idxPath := writePackFiles(t, dir, pack, tt.idx)
			ahead.Start(filepath.Dir(idxPath), 0)
			db, err := Open(dir, Options{CacheBytes: 1 << 20})
			require.NoError(t, err)
			if tt.name == "refused" {
				assert.Empty(t, db.packs, "not an index: its pack is left to the fallback")
				require.NoError(t, db.Close())
				return
			}
			require.NotNil(t, db.packs[0].aheadSumOK, "the store took the mapping")
			require.NoError(t, db.Close(), "closed before the check ends")
		})
	}
	// The slow index is a sound one: read through it, a lookup finds a.
	dir := t.TempDir()
	_, idxPath := writePackFiles(t, dir, pack, slow)
	ahead.Start(filepath.Dir(idxPath), 0)
	db, err := Open(dir, Options{CacheBytes: 1 << 20})
	require.NoError(t, err)
	defer db.Close()
	_, data, err := db.NewReader().Read(a.id)
	require.NoError(t, err)
	assert.Contains(t, string(data), "BOT1_PASSWORD")
}

// indexedPack is a pack of two blobs, a first, with a sound index and a
// damaged one (its checksum's last bit flipped).
func indexedPack() (a rawObject, pack, good, bad []byte) {
	a = wholeObject(Blob, []byte("BOT1_PASSWORD=the blob the index should lead to\n"))
	b := wholeObject(Blob, []byte("an innocent blob\n"))
	pack, offs := buildPack(a, b)
	good = buildIndex(pack, []plumbing.Hash{a.id, b.id}, offs, packCRCs(pack, offs))
	bad = bytes.Clone(good)
	bad[len(bad)-1] ^= 1
	return a, pack, good, bad
}

// An index checked from the process's start (package ahead) is the one
// a DB opens on that file: its check's answer is the DB's, a damaged
// index the same error as a DB's own check gives, and an index the start
// did not map is checked by the DB itself.
func TestIndexCheckedAhead(t *testing.T) {
	a, pack, good, bad := indexedPack()
	for _, tt := range []struct {
		name  string
		idx   []byte
		ahead bool
	}{
		{"sound, checked ahead", good, true},
		{"damaged, checked ahead", bad, true},
		{"damaged, another directory checked ahead", bad, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, idxPath := writePackFiles(t, dir, pack, tt.idx)
			if tt.ahead {
				ahead.Start(filepath.Dir(idxPath), 0)
			} else {
				other := t.TempDir()
				writePackFiles(t, other, pack, good)
				ahead.Start(filepath.Join(other, "pack"), 0)
			}
			db, err := Open(dir, Options{CacheBytes: 1 << 20})
			require.NoError(t, err)
			defer db.Close()
			require.Equal(t, tt.ahead, db.packs[0].aheadSumOK != nil, "the DB took the mapping started ahead")
			// The read does not wait for the index's checksum (its
			// object's CRC-32 is checked); the verdict does.
			_, data, err := db.NewReader().Read(a.id)
			require.NoError(t, err)
			assert.Equal(t, []byte("BOT1_PASSWORD=the blob the index should lead to\n"), data)
			if bytes.Equal(tt.idx, bad) {
				require.Error(t, db.Verify())
				assert.Contains(t, db.Verify().Error(), "checksum mismatch (the index is damaged)")
				return
			}
			require.NoError(t, db.Verify())
		})
	}
}

// Verify answers for the indexes read through: a damaged index no object
// was looked up in says nothing about what was read. VerifyAll, asked
// where a revision was not found, answers for every index.
func TestVerifyChecksTheIndexesReadThrough(t *testing.T) {
	a, pack, good, _ := indexedPack()
	dir := t.TempDir()
	writePackFiles(t, dir, pack, good)
	c := wholeObject(Blob, []byte("a blob of another pack\n"))
	other, offs := buildPack(c)
	idx := buildIndex(other, []plumbing.Hash{c.id}, offs, packCRCs(other, offs))
	idx[len(idx)-1] ^= 1
	writePackFiles(t, dir, other, idx)
	db, err := Open(dir, Options{CacheBytes: 1 << 20})
	require.NoError(t, err)
	defer db.Close()
	_, _, err = db.NewReader().Read(a.id)
	require.NoError(t, err)
	require.NoError(t, db.Verify(), "only the sound index was read through")
	require.Error(t, db.VerifyAll(), "the damaged index, read through or not")
	assert.Contains(t, db.VerifyAll().Error(), "checksum mismatch (the index is damaged)")
	_, _, err = db.NewReader().Read(c.id)
	require.NoError(t, err)
	require.Error(t, db.Verify())
	assert.Contains(t, db.Verify().Error(), "checksum mismatch (the index is damaged)")
}

// Checking the indexes in the background changes no answer: a damaged
// index is still an error for the verdict (Verify), a sound one reads as
// before, and closing the store while a check runs waits for it.
func TestCheckIndexesInTheBackground(t *testing.T) {
	a, pack, good, bad := indexedPack()
	for name, idx := range map[string][]byte{"sound": good, "damaged": bad} {
		dir := t.TempDir()
		writePackFiles(t, dir, pack, idx)
		db, err := Open(dir, Options{CacheBytes: 1 << 20})
		require.NoError(t, err)
		db.checkIndexesAbove(0)
		_, data, err := db.NewReader().Read(a.id)
		require.NoError(t, err)
		assert.Equal(t, []byte("BOT1_PASSWORD=the blob the index should lead to\n"), data)
		if name == "damaged" {
			require.Error(t, db.Verify())
			assert.Contains(t, db.Verify().Error(), "checksum mismatch (the index is damaged)")
		} else {
			require.NoError(t, db.Verify())
		}
		require.NoError(t, db.Close())
	}
	// Closed as soon as the checks start.
	dir := t.TempDir()
	writePackFiles(t, dir, pack, good)
	for range 20 {
		db, err := Open(dir, Options{CacheBytes: 1 << 20})
		require.NoError(t, err)
		db.checkIndexesAbove(0)
		require.NoError(t, db.Close())
	}
}
