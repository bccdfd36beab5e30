package odb

import (
	"bytes"
	"compress/zlib"
	"errors"
	"hash/crc32"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
)

// refPack is a pack as the reference reader sees it: its bytes and its
// index's entries, unsorted.
type refPack struct {
	data []byte
	ids  []plumbing.Hash
	offs []int64
	crcs []uint32
}

// refReader reads objects the plain way, for FuzzPacks to hold the
// package's reader to: each id looked up in its pack's entries (a
// ref-delta's base in the delta's own pack first, then in order, as git
// and locate do), each zlib stream inflated by compress/zlib, each delta
// applied by applyRefDelta, and each object found by id checked against
// its entry's CRC-32. It follows chains by recursion with a set of
// visited objects; nothing bounds its memory but the fuzzer's inputs.
type refReader struct{ packs []refPack }

var errRefAmbiguous = errors.New("id listed twice in its pack")

// read resolves id as the package does: in the first pack that lists it,
// or in pack first before the others.
func (r refReader) read(id plumbing.Hash, first int, seen map[key]bool) (Type, []byte, error) {
	order := []int{}
	if first >= 0 {
		order = append(order, first)
	}
	for i := range r.packs {
		if i != first {
			order = append(order, i)
		}
	}
	for _, pi := range order {
		pos, n := -1, 0
		for i, h := range r.packs[pi].ids {
			if h == id {
				pos, n = i, n+1
			}
		}
		if n > 1 {
			return 0, nil, errRefAmbiguous // the binary search may find either
		}
		if pos >= 0 {
			return r.at(pi, r.packs[pi].offs[pos], pos, seen)
		}
	}
	return 0, nil, ErrNotFound
}

// at resolves the object at off in pack pi, checking its CRC-32 against
// entry pos (-1: found by offset).
func (r refReader) at(pi int, off int64, pos int, seen map[key]bool) (Type, []byte, error) {
	if seen[key{pi, off}] {
		return 0, nil, errors.New("cycle")
	}
	seen[key{pi, off}] = true
	data := r.packs[pi].data
	if off < 12 || off >= int64(len(data)) {
		return 0, nil, errors.New("no object")
	}
	i := off
	c := data[i]
	i++
	kind, size := int(c>>4)&7, uint64(c&15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if i >= int64(len(data)) || shift > 56 {
			return 0, nil, errors.New("bad header")
		}
		c = data[i]
		i++
		size |= uint64(c&0x7f) << shift
	}
	var baseOff int64
	var baseID plumbing.Hash
	switch kind {
	case ofsDelta:
		if i >= int64(len(data)) {
			return 0, nil, errors.New("bad base offset")
		}
		c = data[i]
		i++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if i >= int64(len(data)) || rel > 1<<55 {
				return 0, nil, errors.New("bad base offset")
			}
			c = data[i]
			i++
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		baseOff = off - rel
	case refDelta:
		if i+20 > int64(len(data)) {
			return 0, nil, errors.New("bad base id")
		}
		copy(baseID[:], data[i:i+20])
		i += 20
	case int(Commit), int(Tree), int(Blob), int(Tag):
	default:
		return 0, nil, errors.New("bad type")
	}
	if size > 64<<20 {
		return 0, nil, errors.New("too large for the reference")
	}
	in := bytes.NewReader(data[i:])
	zr, err := zlib.NewReader(in)
	if err != nil {
		return 0, nil, err
	}
	body := make([]byte, size)
	if _, err := io.ReadFull(zr, body); err != nil {
		return 0, nil, err
	}
	if n, err := zr.Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		return 0, nil, errors.New("stream longer than its size, or its Adler-32 wrong")
	}
	end := int64(len(data)) - int64(in.Len())
	if pos >= 0 && crc32.ChecksumIEEE(data[off:end]) != r.packs[pi].crcs[pos] {
		return 0, nil, errors.New("CRC-32 mismatch")
	}
	var typ Type
	var base []byte
	switch kind {
	case ofsDelta:
		typ, base, err = r.at(pi, baseOff, -1, seen)
	case refDelta:
		typ, base, err = r.read(baseID, pi, seen)
	default:
		return Type(kind), body, nil
	}
	if err != nil {
		return 0, nil, err
	}
	out, err := applyRefDelta(base, body)
	return typ, out, err
}

// applyRefDelta applies a git delta as the format describes it, byte by
// byte: the base's size, the result's, then copies from the base (an
// offset and size of up to 4 and 3 bytes, which bits 0-6 say are present;
// a size of 0 is 0x10000) and inserts of 1 to 127 bytes.
func applyRefDelta(base, delta []byte) ([]byte, error) {
	bad := errors.New("bad delta")
	varint := func() (uint64, bool) {
		var v uint64
		for shift := 0; ; shift += 7 {
			if len(delta) == 0 || shift > 63 {
				return 0, false
			}
			c := delta[0]
			delta = delta[1:]
			v |= uint64(c&0x7f) << shift
			if c&0x80 == 0 {
				return v, true
			}
		}
	}
	src, ok1 := varint()
	dst, ok2 := varint()
	if !ok1 || !ok2 || src != uint64(len(base)) || dst > 64<<20 {
		return nil, bad
	}
	out := make([]byte, 0, dst)
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		if op == 0 {
			return nil, bad
		}
		if op&0x80 == 0 {
			if int(op) > len(delta) {
				return nil, bad
			}
			out = append(out, delta[:op]...)
			delta = delta[op:]
			continue
		}
		var offset, size uint64
		for bit := range 7 {
			if op&(1<<bit) == 0 {
				continue
			}
			if len(delta) == 0 {
				return nil, bad
			}
			if bit < 4 {
				offset |= uint64(delta[0]) << (8 * bit)
			} else {
				size |= uint64(delta[0]) << (8 * (bit - 4))
			}
			delta = delta[1:]
		}
		if size == 0 {
			size = 0x10000
		}
		if offset+size > uint64(len(base)) || uint64(len(out))+size > dst {
			return nil, bad
		}
		out = append(out, base[offset:offset+size]...)
	}
	if uint64(len(out)) != dst {
		return nil, bad
	}
	return out, nil
}
