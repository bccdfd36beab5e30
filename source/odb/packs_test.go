package odb

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"
)

// Hand-made packs and indexes, for what git itself never writes: cycles,
// sizes no pack of this size could hold, indexes that point ids at other
// objects' bytes.

// rawObject is one packed object: the id its index entry names, and its
// bytes (header, delta base, zlib stream).
type rawObject struct {
	id  plumbing.Hash
	raw []byte
}

func zlibBytes(data []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.Bytes()
}

// objHeader is a packed object's header: its kind and (inflated) size.
func objHeader(kind int, size uint64) []byte {
	c := byte(kind<<4) | byte(size&15)
	size >>= 4
	var b []byte
	for size > 0 {
		b = append(b, c|0x80)
		c = byte(size & 0x7f)
		size >>= 7
	}
	return append(b, c)
}

func wholeObject(t Type, data []byte) rawObject {
	return rawObject{hashObject(t, data), append(objHeader(int(t), uint64(len(data))), zlibBytes(data)...)}
}

// refDeltaObject is object id stored as a delta on base.
func refDeltaObject(id, base plumbing.Hash, delta []byte) rawObject {
	raw := append(objHeader(refDelta, uint64(len(delta))), base[:]...)
	return rawObject{id, append(raw, zlibBytes(delta)...)}
}

// varint is a delta's size encoding.
func varint(v uint64) []byte {
	var b []byte
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// buildPack lays objects out as a version-2 pack and returns it with each
// object's offset.
func buildPack(objs ...rawObject) ([]byte, []int64) {
	pack := []byte("PACK\x00\x00\x00\x02")
	pack = binary.BigEndian.AppendUint32(pack, uint32(len(objs)))
	offs := make([]int64, len(objs))
	for i, o := range objs {
		offs[i] = int64(len(pack))
		pack = append(pack, o.raw...)
	}
	sum := sha1.Sum(pack)
	return append(pack, sum[:]...), offs
}

// buildIndex is a version-2 index of ids at offs in pack, with its
// checksums right.
func buildIndex(pack []byte, ids []plumbing.Hash, offs []int64, crcs []uint32) []byte {
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return bytes.Compare(ids[a][:], ids[b][:]) })
	idx := []byte("\xfftOc\x00\x00\x00\x02")
	var fanout [256]uint32
	for _, id := range ids {
		for b := int(id[0]); b < 256; b++ {
			fanout[b]++
		}
	}
	for _, n := range fanout {
		idx = binary.BigEndian.AppendUint32(idx, n)
	}
	for _, i := range order {
		idx = append(idx, ids[i][:]...)
	}
	for _, i := range order {
		idx = binary.BigEndian.AppendUint32(idx, crcs[i])
	}
	var big []uint64
	for _, i := range order {
		if offs[i] < 1<<31 {
			idx = binary.BigEndian.AppendUint32(idx, uint32(offs[i]))
		} else {
			idx = binary.BigEndian.AppendUint32(idx, 1<<31|uint32(len(big)))
			big = append(big, uint64(offs[i]))
		}
	}
	for _, o := range big {
		idx = binary.BigEndian.AppendUint64(idx, o)
	}
	idx = append(idx, pack[len(pack)-20:]...)
	sum := sha1.Sum(idx)
	return append(idx, sum[:]...)
}

// packCRCs is, for each offset, the CRC-32 git's index gives the object
// there: of its bytes up to the next object (or the pack's checksum).
func packCRCs(pack []byte, offs []int64) []uint32 {
	ends := slices.Sorted(slices.Values(offs))
	crcs := make([]uint32, len(offs))
	for i, off := range offs {
		end := int64(len(pack) - 20)
		if j, _ := slices.BinarySearch(ends, off+1); j < len(ends) {
			end = ends[j]
		}
		if off >= 0 && off < end && end <= int64(len(pack)) {
			crcs[i] = crc32.ChecksumIEEE(pack[off:end])
		}
	}
	return crcs
}

// writePack writes objects as one pack, with its index, into the objects
// directory dir, and returns the paths.
func writePack(t testing.TB, dir string, objs ...rawObject) (packPath, idxPath string) {
	pack, offs := buildPack(objs...)
	ids := make([]plumbing.Hash, len(objs))
	crcs := make([]uint32, len(objs))
	for i, o := range objs {
		ids[i], crcs[i] = o.id, crc32.ChecksumIEEE(o.raw)
	}
	return writePackFiles(t, dir, pack, buildIndex(pack, ids, offs, crcs))
}

func writePackFiles(t testing.TB, dir string, pack, idx []byte) (packPath, idxPath string) {
	name := filepath.Join(dir, "pack", "pack-"+hex.EncodeToString(pack[len(pack)-20:]))
	require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
	require.NoError(t, os.WriteFile(name+".pack", pack, 0o644))
	require.NoError(t, os.WriteFile(name+".idx", idx, 0o644))
	return name + ".pack", name + ".idx"
}

// bitWriter writes deflate's LSB-first bit stream.
type bitWriter struct {
	out []byte
	acc uint64
	n   uint
}

func (w *bitWriter) bits(v uint64, k uint) {
	w.acc |= v << w.n
	w.n += k
	for w.n >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

// code writes a Huffman code, most significant bit first.
func (w *bitWriter) code(c uint64, k uint) {
	for i := int(k) - 1; i >= 0; i-- {
		w.bits(c>>uint(i)&1, 1)
	}
}

// repeatedA is a zlib stream of size bytes of 'a' (size >= 1), at deflate's
// best ratio (two bits for each 258-byte match, about 1032 to 1), built
// without compressing them: one dynamic block whose literal/length code is
// 285 (a 258-byte match) "0", 'a' "10", end of block "11", and whose
// distance code is the single one-bit code for distance 1.
func repeatedA(size uint64) []byte {
	w := bitWriter{out: []byte{0x78, 0x01}}
	w.bits(1, 1) // final block
	w.bits(2, 2) // dynamic codes
	w.bits(29, 5)
	w.bits(0, 5)
	w.bits(14, 4)
	// Code-length code lengths, in deflate's order: 1, 2, 17 and 18 get two
	// bits each (codes 00, 01, 10, 11).
	for _, sym := range clOrder[:18] {
		l := uint64(0)
		if sym == 1 || sym == 2 || sym == 17 || sym == 18 {
			l = 2
		}
		w.bits(l, 3)
	}
	zeros := func(n uint64) { // code 18: 11 to 138 zeros
		w.code(3, 2)
		w.bits(n-11, 7)
	}
	zeros(97)    // 0..96
	w.code(1, 2) // 'a' (97): length 2
	zeros(138)   // 98..235
	zeros(20)    // 236..255
	w.code(1, 2) // end of block: length 2
	zeros(28)    // 257..284
	w.code(0, 2) // 285: length 1
	w.code(0, 2) // distance 0: length 1
	w.code(2, 2) // 'a'
	k, r := (size-1)/258, (size-1)%258
	for ; k >= 32; k -= 32 {
		w.bits(0, 64) // 32 matches: "0" then distance "0"
	}
	for ; k > 0; k-- {
		w.bits(0, 2)
	}
	for ; r > 0; r-- {
		w.code(2, 2)
	}
	w.code(3, 2) // end of block
	if w.n > 0 {
		w.bits(0, 8-w.n)
	}
	// Adler-32 of size bytes of 'a'.
	const m = 65521
	a := (1 + 97*(size%m)) % m
	tri := size / 2 * (size + 1) // 1 + 2 + ... + size, without overflow
	if size%2 == 1 {
		tri = size * ((size + 1) / 2)
	}
	b := (size%m + 97*(tri%m)) % m
	return binary.BigEndian.AppendUint32(w.out, uint32(b<<16|a))
}
