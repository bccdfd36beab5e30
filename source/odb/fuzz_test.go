package odb

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// FuzzApplyDelta: any base and delta, no panic; a delta that applies gives
// exactly the size it declares.
func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("0123456789"), []byte{10, 6, 0x91, 2, 3, 3, 'a', 'b', 'c'})
	f.Add([]byte(""), []byte{0, 3, 3, 'x', 'y', 'z'})
	f.Add([]byte("abc"), []byte{3, 0x80, 0x80, 0x80, 1})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(base, delta)
		if err != nil {
			return
		}
		_, rest, _ := deltaSize(delta)
		want, _, _ := deltaSize(rest)
		if uint64(len(out)) != want {
			t.Fatalf("%d bytes, the delta declares %d", len(out), want)
		}
	})
}

// ofsDeltaObject is object id stored as a delta on the object rel bytes
// before it in its pack.
func ofsDeltaObject(id plumbing.Hash, rel int64, delta []byte) rawObject {
	enc := []byte{byte(rel & 0x7f)}
	for rel >>= 7; rel > 0; rel >>= 7 {
		rel--
		enc = append([]byte{0x80 | byte(rel&0x7f)}, enc...)
	}
	raw := append(objHeader(ofsDelta, uint64(len(delta))), enc...)
	return rawObject{id, append(raw, zlibBytes(delta)...)}
}

// packSeed is a pack body (objects after the 12-byte header) and its index
// entries as FuzzPacks takes them: 20 bytes of id, 4 of offset.
func packSeed(objs ...rawObject) (body, entries []byte) {
	pack, offs := buildPack(objs...)
	for i, o := range objs {
		entries = append(entries, o.id[:]...)
		entries = binary.BigEndian.AppendUint32(entries, uint32(offs[i]))
	}
	return pack[12 : len(pack)-20], entries
}

// fuzzPack makes a pack of body and an index of entries (20 bytes of id, 4
// of offset, modulo the pack's size), in memory: mapped, or read with
// ReadAt. Each entry's CRC-32 is that of the bytes from its offset to the
// next one's, as git writes it. Entries of a length that is not a multiple
// of 24 give the index a wrong checksum. An index Open would leave to the
// fallback is nil; ref is the same pack for the reference reader.
func fuzzPack(body, entries []byte, mapped bool) (p *pack, ids []plumbing.Hash, ref refPack) {
	n := min(len(entries)/24, 64)
	data := append([]byte("PACK\x00\x00\x00\x02"), binary.BigEndian.AppendUint32(nil, uint32(n))...)
	data = append(data, body...)
	sum := sha1.Sum(data)
	data = append(data, sum[:]...)
	ids = make([]plumbing.Hash, n)
	offs := make([]int64, n)
	for i := range n {
		e := entries[i*24:]
		copy(ids[i][:], e[:20])
		offs[i] = int64(binary.BigEndian.Uint32(e[20:]) % uint32(len(data)))
	}
	crcs := packCRCs(data, offs)
	idx := buildIndex(data, ids, offs, crcs)
	if len(entries)%24 != 0 {
		idx[len(idx)-1] ^= 1
	}
	ref = refPack{data, ids, offs, crcs}
	p = &pack{path: "fuzz.pack", r: bytes.NewReader(data), size: int64(len(data))}
	if mapped {
		p.data = data
	}
	if p.parseIndex(idx) != nil {
		return nil, ids, ref
	}
	return p, ids, ref
}

// FuzzPacks: two packs and their indexes made from the fuzzer's bytes, every
// object each index names read whole and sniffed, from mapped packs and
// with ReadAt: never a panic or a runtime fatal error; what reads whole is
// what a plain reader (refReader: compress/zlib, the delta format as
// written, every object found by id checked against its CRC-32) reads for
// that id; and each read allocates within the limits.
func FuzzPacks(f *testing.F) {
	v0 := []byte("version 0 of a file\nwith two lines\n")
	v1 := append(bytes.Clone(v0), "and a third\n"...)
	v2 := append(bytes.Clone(v1), "and a fourth\n"...)
	base := wholeObject(Blob, v0)
	ofs := ofsDeltaObject(hashObject(Blob, v1), int64(len(base.raw)), deltaOn(v0, v1))
	ref := refDeltaObject(hashObject(Blob, v2), ofs.id, deltaOn(v1, v2))
	body, entries := packSeed(base, ofs, ref)
	f.Add(body, entries, []byte{}, []byte{})
	// The base in one pack, its deltas in the other.
	b1, e1 := packSeed(base)
	b2, e2 := packSeed(refDeltaObject(ofs.id, base.id, deltaOn(v0, v1)), ref)
	f.Add(b1, e1, b2, e2)
	x, y := someID("x"), someID("y")
	b1, e1 = packSeed(refDeltaObject(x, y, []byte{1, 1, 1, 'a'}))
	b2, e2 = packSeed(refDeltaObject(y, x, []byte{1, 1, 1, 'b'}))
	f.Add(b1, e1, b2, e2)
	b1, e1 = packSeed(refDeltaObject(x, x, []byte{1, 1, 1, 'a'}))
	f.Add(b1, e1, []byte{}, []byte{})
	b1, e1 = packSeed(rawObject{x, append(objHeader(int(Blob), 1<<32-1), repeatedA(1<<16)...)})
	f.Add(b1, e1, []byte{}, []byte{})
	b1, e1 = packSeed(rawObject{hashObject(Blob, []byte("aaa")), append(objHeader(int(Blob), 3), incompleteCode...)})
	f.Add(b1, e1, []byte{}, []byte{})
	const maxObject, maxResolve = 1 << 20, 4 << 20
	f.Fuzz(func(t *testing.T, body1, entries1, body2, entries2 []byte) {
		for _, mapped := range []bool{true, false} {
			db := &DB{cache: newLRU(256 << 10), limits: Limits{MaxObject: maxObject, MaxResolve: maxResolve}.withDefaults()}
			p1, ids1, ref1 := fuzzPack(body1, entries1, mapped)
			p2, ids2, ref2 := fuzzPack(body2, entries2, mapped)
			var ref refReader
			for i, p := range []*pack{p1, p2} {
				if p != nil {
					db.packs = append(db.packs, p)
					ref.packs = append(ref.packs, []refPack{ref1, ref2}[i])
				}
			}
			r := db.NewReader()
			var before, after runtime.MemStats
			for _, id := range append(ids1, ids2...) {
				runtime.ReadMemStats(&before)
				// Sized first, as the scan does: a small delta is then
				// inflated whole, and the read applies that.
				size, serr := r.Size(id)
				typ, data, err := r.Read(id)
				if err == nil && serr == nil && size != int64(len(data)) {
					t.Fatalf("object %s: sized %d, read %d bytes", id, size, len(data))
				}
				_, _, _, _ = r.ReadOrSkip(id, 8000, func(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 })
				runtime.ReadMemStats(&after)
				// Two reads, each within its budget, plus the sniff, a
				// delta sized whole (at most maxReused) and the small
				// change of buffers and errors.
				if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2*(maxResolve+maxObject)+maxReused+1<<20 {
					t.Fatalf("reading %s allocated %d bytes", id, alloc)
				}
				if err != nil {
					continue
				}
				rtyp, rdata, rerr := ref.read(id, -1, map[key]bool{})
				if errors.Is(rerr, errRefAmbiguous) {
					continue
				}
				if rerr != nil {
					t.Fatalf("object %s read as %d bytes of %s, where the plain reader says: %v", id, len(data), typ, rerr)
				}
				if rtyp != typ || !bytes.Equal(rdata, data) {
					t.Fatalf("object %s read as %d bytes of %s, the plain reader %d of %s", id, len(data), typ, len(rdata), rtyp)
				}
			}
		}
	})
}
