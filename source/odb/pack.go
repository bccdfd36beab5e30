package odb

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"path/filepath"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// Packed object kinds beyond the four object types.
const (
	ofsDelta = 6
	refDelta = 7
)

// header is a packed object's header.
type header struct {
	kind     int
	size     int64 // inflated size: the object's, or the delta's
	dataOff  int64 // where the zlib stream starts
	baseOff  int64 // ofs-delta base
	baseHash plumbing.Hash
	crc      uint32 // CRC-32 of the header's bytes, [off, dataOff)
}

// packedCRC is the CRC-32 of a whole packed object: head, that of its
// header's bytes, continued over stream, its zlib stream as inflate read
// it. The index gives each object this CRC, which git computes as it
// writes the index.
func packedCRC(head uint32, stream []byte) uint32 {
	return crc32.Update(head, crc32.IEEETable, stream)
}

// header parses the object header at the start of b, read from off.
func (p *pack) header(b []byte, off int64) (header, error) {
	if len(b) == 0 || off < 12 {
		return header{}, fmt.Errorf("no object at %d", off)
	}
	i := 0
	next := func() (byte, bool) {
		if i >= len(b) {
			return 0, false
		}
		i++
		return b[i-1], true
	}
	c, _ := next()
	h := header{kind: int(c>>4) & 7, size: int64(c & 15)}
	for shift := 4; c&0x80 != 0; shift += 7 {
		var ok bool
		if c, ok = next(); !ok || shift > 56 {
			return header{}, fmt.Errorf("bad object header at %d", off)
		}
		h.size |= int64(c&0x7f) << shift
	}
	switch h.kind {
	case ofsDelta:
		c, ok := next()
		rel := int64(c & 0x7f)
		for ok && c&0x80 != 0 {
			if c, ok = next(); rel > 1<<55 {
				ok = false
			}
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		if !ok || rel <= 0 || rel > off-12 {
			return header{}, fmt.Errorf("bad delta base offset at %d", off)
		}
		h.baseOff = off - rel
	case refDelta:
		if i+20 > len(b) {
			return header{}, fmt.Errorf("truncated delta base at %d", off)
		}
		copy(h.baseHash[:], b[i:i+20])
		i += 20
	case int(Commit), int(Tree), int(Blob), int(Tag):
	default:
		return header{}, fmt.Errorf("bad object type %d at %d", h.kind, off)
	}
	h.dataOff = off + int64(i)
	h.crc = crc32.ChecksumIEEE(b[:i])
	// Deflate expands at most about 1032 to 1: a bigger claim is corrupt.
	if h.size > (p.size-h.dataOff)*1032+1024 {
		return header{}, fmt.Errorf("object at %d claims %d bytes", off, h.size)
	}
	return h, nil
}

// inflater inflates objects, reusing its buffers and tables across them.
type inflater struct {
	dec     decoder
	scratch []byte
	win     *pack // the pack scratch was read from (nil: none)
	at      int64 // pack offset of scratch[0]
	n       int   // bytes of scratch read from at
}

// holds reports whether scratch holds p's bytes [off, end).
func (in *inflater) holds(p *pack, off, end int64) bool {
	return in.win == p && off >= in.at && end <= in.at+int64(in.n)
}

// readAhead is read with each object header where the pack is not mapped:
// most objects (deltas, small files, trees) fit, and come in one read.
const readAhead = 4 << 10

// object reads the header of the object at off (and, where the pack is not
// mapped, its first bytes into in.scratch, which inflate uses when they
// hold the whole stream).
func (in *inflater) object(p *pack, off int64) (header, error) {
	if p.data != nil {
		if off < 0 || off >= p.size {
			return header{}, fmt.Errorf("no object at %d", off)
		}
		return p.header(p.data[off:min(off+64, p.size)], off)
	}
	if off < 0 || off >= p.size {
		return header{}, fmt.Errorf("no object at %d", off)
	}
	// The same object's header is read again (its size, then its bytes)
	// and the next one is often near: read the pack only when the header
	// is not in what the last read brought.
	if end := min(off+64, p.size); !in.holds(p, off, end) {
		if cap(in.scratch) < readAhead {
			in.scratch = make([]byte, readAhead)
		}
		n, err := p.r.ReadAt(in.scratch[:readAhead], off)
		if n == 0 || (err != nil && !errors.Is(err, io.EOF)) {
			in.win = nil
			return header{}, fmt.Errorf("read object at %d: %v", off, err)
		}
		in.win, in.at, in.n = p, off, n
	}
	return p.header(in.scratch[off-in.at:min(off+64-in.at, int64(in.n))], off)
}

// inflate decodes the zlib stream at pack offset at into exactly size
// bytes (with 0 < limit < size, into the first limit bytes).
func (in *inflater) inflate(p *pack, at, size int64, limit int) ([]byte, error) {
	out, _, err := in.inflateInto(p, at, size, limit, nil)
	return out, err
}

// inflateInto is inflate writing into buf where it is large enough. It
// also returns the stream's bytes, for the object's CRC-32 (nil for a
// prefix); they are valid until the inflater's next read.
func (in *inflater) inflateInto(p *pack, at, size int64, limit int, buf []byte) (out, stream []byte, err error) {
	if p.data != nil {
		out, used, err := in.dec.inflateZlibInto(p.data[at:], int(size), limit, buf)
		if err != nil {
			return nil, nil, fmt.Errorf("inflate at %d: %w", at, err)
		}
		return out, p.data[at : at+int64(used)], nil
	}
	// Read what the stream takes at most as zlib writes it (a few bytes a
	// block more than its data, 1/8 more in fixed-code blocks), for the
	// bytes asked for: a prefix read reads about its prefix, not the
	// object. Where that is not enough (an odd encoder, or a corrupt
	// stream), read four times more, up to the rest of the pack.
	want := size
	if limit > 0 && int64(limit) < size {
		want = int64(limit)
	}
	bound := min(want+want/8+1024, p.size-at)
	for {
		var src []byte
		if in.holds(p, at, at+bound) {
			src = in.scratch[at-in.at : at-in.at+bound] // read with the header
		} else {
			// At least readAhead: the next object is often just after.
			read := min(max(bound, readAhead), p.size-at)
			if int64(cap(in.scratch)) < read {
				in.scratch = make([]byte, read)
			}
			n, err := p.r.ReadAt(in.scratch[:read], at)
			if err != nil && !errors.Is(err, io.EOF) {
				in.win = nil
				return nil, nil, fmt.Errorf("read at %d: %w", at, err)
			}
			in.win, in.at, in.n = p, at, n
			src = in.scratch[:min(int64(n), bound)]
		}
		out, used, err := in.dec.inflateZlibInto(src, int(size), limit, buf)
		if err != nil && bound < p.size-at {
			bound = min(bound*4, p.size-at)
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("inflate at %d: %w", at, err)
		}
		return out, src[:used], nil
	}
}

// hop is a delta on the chain being resolved: only its header is read on
// the way down, and its body inflated on the way back up, so one delta
// body is held at a time.
type hop struct {
	at      key
	pos     int // its position in its pack's index; -1: reached by offset
	dataOff int64
	size    int64
	crc     uint32 // of its header
}

// readPacked resolves the object at at, position pos in its pack's index:
// it follows the delta chain (across packs, for ref-deltas whose base is
// elsewhere) down to a cached or whole object, reading headers only, then
// inflates and applies the deltas back up, caching each result for the
// versions read next. Depth, bytes and sizes are bounded by the DB's
// Limits, and a chain that comes back to where it has been is an error.
//
// Every object on the chain that was found by its id (this one, and a
// ref-delta's base) is checked against the CRC-32 its index gives its
// packed bytes, so an index that points an id at another object's bytes is
// an error. An ofs-delta's base is where the checked bytes of the delta
// say, and its stream is checked by its Adler-32. (The object's SHA-1 was
// checked here until issue 28: a tenth of a history's CPU, for the one
// case the CRC lets through, an index rewritten with the CRCs of the bytes
// it wrongly points at, where git itself would give those same bytes.)
func (r *Reader) readPacked(id plumbing.Hash, at key, pos int) (Type, []byte, error) {
	lim := r.db.limits
	chain, seen := r.chain[:0], append(r.seen[:0], at)
	defer func() { r.chain, r.seen = chain[:0], seen[:0] }()
	var typ Type
	var data []byte
	var work int64 // bytes inflated or rebuilt for this read
	spend := func(n int64) error {
		if n > lim.MaxObject {
			return &TooLargeError{ID: id, Size: n, Max: lim.MaxObject}
		}
		if work += n; work > lim.MaxResolve {
			return fmt.Errorf("delta chain needs more than %d bytes to resolve", lim.MaxResolve)
		}
		return nil
	}
	for {
		if e, ok := r.db.cache.get(at); ok {
			if err := r.checkCRC(at, pos, e.crc); err != nil {
				return 0, nil, err
			}
			typ, data = e.typ, e.data
			break
		}
		if len(chain) >= lim.MaxDepth {
			return 0, nil, fmt.Errorf("delta chain longer than %d objects", lim.MaxDepth)
		}
		p := r.db.packs[at.pack]
		h, err := r.inf.object(p, at.off)
		if err != nil {
			return 0, nil, err
		}
		if err := spend(h.size); err != nil {
			return 0, nil, err
		}
		if h.kind < ofsDelta {
			var stream []byte
			if data, stream, err = r.inf.inflateInto(p, h.dataOff, h.size, 0, nil); err != nil {
				return 0, nil, err
			}
			crc := packedCRC(h.crc, stream)
			if err := r.checkCRC(at, pos, crc); err != nil {
				return 0, nil, err
			}
			typ = Type(h.kind)
			r.db.cache.put(at, typ, data, crc)
			break
		}
		chain = append(chain, hop{at, pos, h.dataOff, h.size, h.crc})
		if h.kind == ofsDelta {
			// Always lower in the pack: no cycle without a ref-delta.
			at, pos = key{at.pack, h.baseOff}, -1
			continue
		}
		base, bpos, found, err := r.db.locate(h.baseHash, at.pack)
		if err != nil {
			return 0, nil, fmt.Errorf("delta base %s: %w", h.baseHash, err)
		}
		if !found {
			if typ, data, err = r.readOutside(h.baseHash); err != nil {
				return 0, nil, fmt.Errorf("delta base: %w", err)
			}
			if err := spend(int64(len(data))); err != nil {
				return 0, nil, err
			}
			break
		}
		if slices.Contains(seen, base) {
			return 0, nil, fmt.Errorf("delta chain is a cycle: it comes back to %s at %d in %s", h.baseHash, base.off, filepath.Base(r.db.packs[base.pack].path))
		}
		seen = append(seen, base)
		at, pos = base, bpos
	}
	for i := len(chain) - 1; i >= 0; i-- {
		l := chain[i]
		var delta []byte
		var crc uint32
		if r.sized.ok && r.sized.at == l.at {
			delta, crc = r.sized.delta, r.sized.crc // inflated by Size just before
		} else {
			var stream []byte
			var err error
			if delta, stream, err = r.inf.inflateInto(r.db.packs[l.at.pack], l.dataOff, l.size, 0, r.deltaBuf); err != nil {
				return 0, nil, err
			}
			crc = packedCRC(l.crc, stream)
			r.deltaBuf = reusable(delta)
		}
		if err := r.checkCRC(l.at, l.pos, crc); err != nil {
			return 0, nil, err
		}
		dst, err := deltaResult(delta)
		if err != nil {
			return 0, nil, fmt.Errorf("delta at %d: %w", l.at.off, err)
		}
		if err := spend(dst); err != nil {
			return 0, nil, err
		}
		if data, err = applyDelta(data, delta); err != nil {
			return 0, nil, fmt.Errorf("delta at %d: %w", l.at.off, err)
		}
		r.db.cache.put(l.at, typ, data, crc)
	}
	return typ, data, nil
}

// checkCRC checks crc, that of the packed bytes at at, against the one
// its index gives position pos (-1: none, it was not found by id).
func (r *Reader) checkCRC(at key, pos int, crc uint32) error {
	if pos < 0 {
		return nil
	}
	p := r.db.packs[at.pack]
	if want := p.crc(pos); crc != want {
		return fmt.Errorf("its packed bytes at %d have CRC-32 %08x where the index of %s gives %08x: the index points at another object's bytes, or the pack is damaged", at.off, crc, filepath.Base(p.path), want)
	}
	return nil
}
