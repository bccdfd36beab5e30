package odb

import (
	"errors"
	"fmt"
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
	return in.inflateInto(p, at, size, limit, nil)
}

// inflateInto is inflate writing into buf where it is large enough.
func (in *inflater) inflateInto(p *pack, at, size int64, limit int, buf []byte) ([]byte, error) {
	if p.data != nil {
		out, err := in.dec.inflateZlibInto(p.data[at:], int(size), limit, buf)
		if err != nil {
			return nil, fmt.Errorf("inflate at %d: %w", at, err)
		}
		return out, nil
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
				return nil, fmt.Errorf("read at %d: %w", at, err)
			}
			in.win, in.at, in.n = p, at, n
			src = in.scratch[:min(int64(n), bound)]
		}
		out, err := in.dec.inflateZlibInto(src, int(size), limit, buf)
		if err != nil && bound < p.size-at {
			bound = min(bound*4, p.size-at)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("inflate at %d: %w", at, err)
		}
		return out, nil
	}
}

// hop is a delta on the chain being resolved: only its header is read on
// the way down, and its body inflated on the way back up, so one delta
// body is held at a time.
type hop struct {
	pack    int
	off     int64
	dataOff int64
	size    int64
}

// readPacked resolves object id, at off in pack pi: it follows the delta
// chain (across packs, for ref-deltas whose base is elsewhere) down to a
// cached or whole object, reading headers only, then inflates and applies
// the deltas back up, caching each result for the versions read next.
// Depth, bytes and sizes are bounded by the DB's Limits, and a chain that
// comes back to where it has been is an error. The result is checked
// against id.
func (r *Reader) readPacked(id plumbing.Hash, pi int, off int64) (Type, []byte, error) {
	lim := r.db.limits
	top := key{pi, off}
	chain, seen := r.chain[:0], append(r.seen[:0], top)
	defer func() { r.chain, r.seen = chain[:0], seen[:0] }()
	var typ Type
	var data []byte
	var verified bool
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
		if e, ok := r.db.cache.get(key{pi, off}); ok {
			typ, data, verified = e.typ, e.data, len(chain) == 0 && e.id == id
			break
		}
		if len(chain) >= lim.MaxDepth {
			return 0, nil, fmt.Errorf("delta chain longer than %d objects", lim.MaxDepth)
		}
		p := r.db.packs[pi]
		h, err := r.inf.object(p, off)
		if err != nil {
			return 0, nil, err
		}
		if err := spend(h.size); err != nil {
			return 0, nil, err
		}
		if h.kind < ofsDelta {
			if data, err = r.inf.inflate(p, h.dataOff, h.size, 0); err != nil {
				return 0, nil, err
			}
			typ = Type(h.kind)
			if len(chain) > 0 {
				r.db.cache.put(key{pi, off}, typ, data, plumbing.ZeroHash)
			}
			break
		}
		chain = append(chain, hop{pi, off, h.dataOff, h.size})
		if h.kind == ofsDelta {
			off = h.baseOff // always lower in the pack: no cycle without a ref-delta
			continue
		}
		bi, bo, found, err := r.db.locate(h.baseHash, pi)
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
		if slices.Contains(seen, key{bi, bo}) {
			return 0, nil, fmt.Errorf("delta chain is a cycle: it comes back to %s at %d in %s", h.baseHash, bo, filepath.Base(r.db.packs[bi].path))
		}
		seen = append(seen, key{bi, bo})
		pi, off = bi, bo
	}
	for i := len(chain) - 1; i >= 0; i-- {
		l := chain[i]
		var delta []byte
		var err error
		if r.sized.ok && r.sized.at == (key{l.pack, l.off}) {
			delta = r.sized.delta // inflated by Size just before
		} else {
			if delta, err = r.inf.inflateInto(r.db.packs[l.pack], l.dataOff, l.size, 0, r.deltaBuf); err != nil {
				return 0, nil, err
			}
			r.deltaBuf = reusable(delta)
		}
		dst, err := deltaResult(delta)
		if err != nil {
			return 0, nil, fmt.Errorf("delta at %d: %w", l.off, err)
		}
		if err := spend(dst); err != nil {
			return 0, nil, err
		}
		if data, err = applyDelta(data, delta); err != nil {
			return 0, nil, fmt.Errorf("delta at %d: %w", l.off, err)
		}
		if i > 0 {
			r.db.cache.put(key{l.pack, l.off}, typ, data, plumbing.ZeroHash)
		}
	}
	if !verified {
		if got := hashObject(typ, data); got != id {
			return 0, nil, fmt.Errorf("its content hashes to %s: the pack index points at another object's bytes", got)
		}
		r.db.cache.put(top, typ, data, id)
	}
	return typ, data, nil
}
