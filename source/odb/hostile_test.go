package odb

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/testmode"
)

// deltaOn is a git delta that rebuilds result from base: a copy of the
// base's first bytes where they match, then the rest inserted.
func deltaOn(base, result []byte) []byte {
	d := append(varint(uint64(len(base))), varint(uint64(len(result)))...)
	n := 0
	for n < len(base) && n < len(result) && n < 0xffff && base[n] == result[n] {
		n++
	}
	if n > 0 {
		d = append(d, 0x80|0x30, byte(n), byte(n>>8)) // copy n bytes from 0
	}
	for rest := result[n:]; len(rest) > 0; {
		k := min(len(rest), 127)
		d = append(d, byte(k))
		d = append(d, rest[:k]...)
		rest = rest[k:]
	}
	return d
}

// writeLoose writes a loose object into the objects directory dir.
func writeLoose(t *testing.T, dir string, typ Type, data []byte) plumbing.Hash {
	id := hashObject(typ, data)
	path := filepath.Join(dir, id.String()[:2], id.String()[2:])
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	content := append([]byte(typ.String()+" "+strconv.Itoa(len(data))+"\x00"), data...)
	require.NoError(t, os.WriteFile(path, zlibBytes(content), 0o644))
	return id
}

func someID(s string) plumbing.Hash { return plumbing.Hash(sha1.Sum([]byte(s))) }

// Each hostile pack the issue lists: read in a process of its own, it is an
// error (exit 2, never a runtime fatal error), in bounded memory.
func TestHostilePacksFailClosedInBoundedMemory(t *testing.T) {
	mib := bytes.Repeat([]byte{1, 'x', 2, 'y'}, 1<<18) // a 1 MiB delta body of inserts
	tests := []struct {
		name   string
		write  func(t *testing.T, dir string) plumbing.Hash
		errors string
		peakMB int64
	}{
		{"a ref-delta whose base is itself, with a 1 MiB body", func(t *testing.T, dir string) plumbing.Hash {
			x := someID("x")
			writePack(t, dir, refDeltaObject(x, x, mib))
			return x
		}, "delta chain is a cycle: it comes back to " + someID("x").String(), 500},
		{"two packs whose ref-deltas name each other", func(t *testing.T, dir string) plumbing.Hash {
			x, y := someID("x"), someID("y")
			writePack(t, dir, refDeltaObject(x, y, mib))
			writePack(t, dir, refDeltaObject(y, x, mib))
			return x
		}, "delta chain is a cycle", 500},
		{"a header claiming 4 GiB-1, backed by a stream that inflates to it", func(t *testing.T, dir string) plumbing.Hash {
			x := someID("4 GiB of a")
			writePack(t, dir, rawObject{x, append(objHeader(int(Blob), 1<<32-1), repeatedA(1<<32-1)...)})
			return x
		}, "is 4294967295 bytes, over the 1073741824-byte maximum object size: skipped as too large", 500},
		{"a header claiming 4 GiB-1 in a tiny pack", func(t *testing.T, dir string) plumbing.Hash {
			x := someID("4 GiB claimed")
			writePack(t, dir, rawObject{x, append(objHeader(int(Blob), 1<<32-1), zlibBytes([]byte("small"))...)})
			return x
		}, "claims 4294967295 bytes", 500},
		{"an index that points one blob's id at another blob's bytes", func(t *testing.T, dir string) plumbing.Hash {
			a := wholeObject(Blob, []byte("BOT1_PASSWORD=the blob the index should lead to\n"))
			b := wholeObject(Blob, []byte("an innocent blob\n"))
			pack, offs := buildPack(a, b)
			crcs := packCRCs(pack, offs)
			offs[0] = offs[1]
			writePackFiles(t, dir, pack, buildIndex(pack, []plumbing.Hash{a.id, b.id}, offs, crcs))
			return a.id
		}, fmt.Sprintf("its packed bytes at %d have CRC-32 %08x where the index of", len(wholeObject(Blob, []byte("BOT1_PASSWORD=the blob the index should lead to\n")).raw)+12, crc32.ChecksumIEEE(wholeObject(Blob, []byte("an innocent blob\n")).raw)), 500},
		{"an index whose CRC for a blob is not its bytes'", func(t *testing.T, dir string) plumbing.Hash {
			a := wholeObject(Blob, []byte("BOT1_PASSWORD=the blob the index should lead to\n"))
			b := wholeObject(Blob, []byte("an innocent blob\n"))
			pack, offs := buildPack(a, b)
			crcs := packCRCs(pack, offs)
			crcs[0] ^= 1
			writePackFiles(t, dir, pack, buildIndex(pack, []plumbing.Hash{a.id, b.id}, offs, crcs))
			return a.id
		}, "the index points at another object's bytes, or the pack is damaged", 500},
		{"an index whose own checksum is wrong", func(t *testing.T, dir string) plumbing.Hash {
			a := wholeObject(Blob, []byte("BOT1_PASSWORD=the blob the index should lead to\n"))
			b := wholeObject(Blob, []byte("an innocent blob\n"))
			pack, offs := buildPack(a, b)
			idx := buildIndex(pack, []plumbing.Hash{a.id, b.id}, offs, packCRCs(pack, offs))
			idx[len(idx)-1] ^= 1
			writePackFiles(t, dir, pack, idx)
			return a.id
		}, "checksum mismatch (the index is damaged)", 500},
		{"a blob stored as a stream with an incomplete Huffman code", func(t *testing.T, dir string) plumbing.Hash {
			o := rawObject{hashObject(Blob, []byte("aaa")), append(objHeader(int(Blob), 3), incompleteCode...)}
			writePack(t, dir, o)
			return o.id
		}, "corrupt zlib stream", 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			id := tt.write(t, dir)
			res := readInChild(t, dir, id)
			assert.Equal(t, 2, res.code, "stdout: %s\nstderr: %s", res.stdout, res.stderr)
			assert.Contains(t, res.stderr, tt.errors)
			assert.NotContains(t, res.stderr, "fatal error")
			assert.NotContains(t, res.stderr, "goroutine")
			require.Positive(t, res.peakKB, "VmHWM was read: %s", res.stdout)
			assert.Less(t, res.peakKB, tt.peakMB<<10, "peak RSS %d KB", res.peakKB)
			t.Logf("peak RSS %d MB", res.peakKB>>10)
		})
	}
}

// A valid pack of under 300 bytes that rebuilds a 1 GiB blob (a 64 KiB
// base and a delta of 16,384 one-byte copies): read whole, and checked
// against its id, at not much more than the blob's own size.
func TestHugeDeltaResultInBoundedMemory(t *testing.T) {
	testmode.RequireFull(t, "rebuilds a 1 GiB blob")
	const size = 1 << 30
	base := wholeObject(Blob, bytes.Repeat([]byte("a"), 1<<16))
	delta := append(varint(1<<16), varint(size)...)
	delta = append(delta, bytes.Repeat([]byte{0x80}, size>>16)...) // copy 64 KiB from 0
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", size)
	chunk := bytes.Repeat([]byte("a"), 1<<16)
	for range size >> 16 {
		h.Write(chunk)
	}
	var id plumbing.Hash
	h.Sum(id[:0])
	dir := t.TempDir()
	packPath, _ := writePack(t, dir, base, refDeltaObject(id, base.id, delta))
	st, err := os.Stat(packPath)
	require.NoError(t, err)
	require.Less(t, st.Size(), int64(300), "a tiny pack")

	res := readInChild(t, dir, id)
	require.Equal(t, 0, res.code, "stdout: %s\nstderr: %s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "read blob 1073741824 bytes skipped=false")
	require.Positive(t, res.peakKB)
	assert.Less(t, res.peakKB, int64(1600<<10), "peak RSS %d KB for a 1 GiB blob", res.peakKB)
	t.Logf("peak RSS %d MB", res.peakKB>>10)
}

// The size in an object's header is checked against Limits.MaxObject
// before anything is allocated: a *TooLargeError naming the object, packed
// or loose, whole or rebuilt from a delta.
func TestObjectsOverTheLimitAreTooLarge(t *testing.T) {
	dir := t.TempDir()
	small := bytes.Repeat([]byte("text of a small blob\n"), 10)
	big := bytes.Repeat([]byte("text of a blob over the limit\n"), 100)
	base := wholeObject(Blob, small)
	whole := wholeObject(Blob, big)
	// A small delta that copies the small blob 15 times: its body is under
	// the limit, what it rebuilds over it.
	copies := append(bytes.Repeat(small, 15), '!')
	delta := append(varint(uint64(len(small))), varint(uint64(len(copies)))...)
	for range 15 {
		delta = append(delta, 0x90, byte(len(small)))
	}
	rebuilt := refDeltaObject(hashObject(Blob, copies), base.id, append(delta, 1, '!'))
	writePack(t, dir, base, whole, rebuilt)
	loose := writeLoose(t, dir, Blob, append(bytes.Clone(big), '?'))
	db, err := Open(dir, Options{CacheBytes: 1 << 20, Limits: Limits{MaxObject: 1000}})
	require.NoError(t, err)
	defer db.Close()
	r := db.NewReader()
	for name, want := range map[string]struct {
		id   plumbing.Hash
		size int64
	}{"whole": {whole.id, 3000}, "rebuilt from a delta": {rebuilt.id, 3151}, "loose": {loose, 3001}} {
		_, _, err := r.Read(want.id)
		var tl *TooLargeError
		require.ErrorAs(t, err, &tl, name)
		assert.Equal(t, *tl, TooLargeError{ID: want.id, Size: want.size, Max: 1000}, name)
		assert.Contains(t, err.Error(), want.id.String()+" is "+strconv.FormatInt(want.size, 10)+" bytes, over the 1000-byte maximum object size: skipped as too large")
	}
	_, data, err := r.Read(base.id)
	require.NoError(t, err, "an object under the limit")
	assert.Equal(t, small, data)
}

// A large binary blob over the limit is still recognised from its first
// bytes, as one under it is (skipped as binary, never read whole); read
// whole it is too large.
func TestBinaryOverTheLimitIsStillSniffed(t *testing.T) {
	dir := t.TempDir()
	bin := wholeObject(Blob, bytes.Repeat([]byte("\x00\x01binary"), 2*LargeObject/8))
	writePack(t, dir, bin)
	db, err := Open(dir, Options{CacheBytes: 1 << 20, Limits: Limits{MaxObject: LargeObject}})
	require.NoError(t, err)
	defer db.Close()
	r := db.NewReader()
	typ, head, skipped, err := r.ReadOrSkip(bin.id, 8000, func(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 })
	require.NoError(t, err)
	assert.True(t, skipped)
	assert.Equal(t, Blob, typ)
	assert.LessOrEqual(t, len(head), 8000)
	_, _, err = r.Read(bin.id)
	var tl *TooLargeError
	assert.ErrorAs(t, err, &tl)
}

// A delta chain of 12 versions, each a ref-delta on the one before,
// alternating between two packs, with the first version loose: read
// within the limits, over the depth or the byte budget an error; the same
// with the packs read by ReadAt, where bytes read ahead from one pack
// must never be taken for the other's at the same offsets.
func TestDeltaChainsAcrossPacksWithinOneBudget(t *testing.T) {
	dir := t.TempDir()
	versions := [][]byte{[]byte("version 0 of a file, with a line that stays the same\n")}
	for i := 1; i < 12; i++ {
		versions = append(versions, append(bytes.Clone(versions[i-1]), fmt.Sprintf("line %d\n", i)...))
	}
	ids := []plumbing.Hash{writeLoose(t, dir, Blob, versions[0])}
	var packs [2][]rawObject
	for i := 1; i < len(versions); i++ {
		ids = append(ids, hashObject(Blob, versions[i]))
		packs[i%2] = append(packs[i%2], refDeltaObject(ids[i], ids[i-1], deltaOn(versions[i-1], versions[i])))
	}
	writePack(t, dir, packs[0]...)
	writePack(t, dir, packs[1]...)
	top := ids[len(ids)-1]

	tests := []struct {
		name   string
		limits Limits
		err    string
	}{
		{"within the defaults", Limits{}, ""},
		{"deeper than MaxDepth", Limits{MaxDepth: 10}, "delta chain longer than 10 objects"},
		{"more work than MaxResolve", Limits{MaxResolve: 800}, "delta chain needs more than 800 bytes to resolve"},
	}
	for _, mapBytes := range []int64{0, -1} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s, map %d", tt.name, mapBytes), func(t *testing.T) {
				db, err := Open(dir, Options{CacheBytes: 1 << 20, Limits: tt.limits, MapBytes: mapBytes})
				require.NoError(t, err)
				defer db.Close()
				require.Len(t, db.packs, 2)
				for _, p := range db.packs {
					assert.Equal(t, mapBytes == 0, p.data != nil, "mapped")
				}
				rd := db.NewReader()
				size, err := rd.Size(top)
				require.NoError(t, err)
				typ, data, err := rd.Read(top)
				if tt.err != "" {
					assert.ErrorContains(t, err, tt.err)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, Blob, typ)
				assert.Equal(t, string(versions[len(versions)-1]), string(data))
				assert.Equal(t, int64(len(data)), size)
			})
		}
	}
}
