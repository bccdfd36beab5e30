package odb

import "errors"

var errBadDelta = errors.New("corrupt delta")

// deltaResult is the size a delta says it rebuilds.
func deltaResult(delta []byte) (int64, error) {
	_, rest, ok := deltaSize(delta)
	if !ok {
		return 0, errBadDelta
	}
	dst, _, ok := deltaSize(rest)
	if !ok || dst > 1<<62 {
		return 0, errBadDelta
	}
	return int64(dst), nil
}

// applyDelta rebuilds an object from its base and a git delta: the two
// sizes, then copy (from the base) and insert (literal) instructions. The
// result is allocated once (no growing and copying), at a size the bytes
// in hand justify: no bigger than the base and the delta together (a
// version's usual size), or else what a first pass over every instruction
// adds up. A corrupt delta gives an error, never a panic. The caller
// checks the declared size against its limits first (deltaResult).
func applyDelta(base, delta []byte) ([]byte, error) {
	src, delta, ok := deltaSize(delta)
	if !ok || src != uint64(len(base)) {
		return nil, errBadDelta
	}
	dst, delta, ok := deltaSize(delta)
	if !ok || dst > 1<<62 {
		return nil, errBadDelta
	}
	if dst > uint64(len(base))+uint64(len(delta)) {
		// Copies can repeat the base, so the claim may be true; its
		// instructions must say so before it is allocated.
		if n, err := runDelta(base, delta, nil, dst); err != nil || n != dst {
			return nil, errBadDelta
		}
	}
	out := make([]byte, dst)
	if n, err := runDelta(base, delta, out, dst); err != nil || n != dst {
		return nil, errBadDelta
	}
	return out, nil
}

// runDelta runs a delta's instructions, writing into out (nil: only
// checking them), and returns how many bytes they write; more than dst is
// an error.
func runDelta(base, delta, out []byte, dst uint64) (uint64, error) {
	var at uint64
	for len(delta) > 0 {
		c := delta[0]
		delta = delta[1:]
		switch {
		case c&0x80 != 0:
			var off, n uint64
			for i := range 4 {
				if c&(1<<i) != 0 {
					if len(delta) == 0 {
						return 0, errBadDelta
					}
					off |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			for i := range 3 {
				if c&(0x10<<i) != 0 {
					if len(delta) == 0 {
						return 0, errBadDelta
					}
					n |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > uint64(len(base)) || at+n > dst {
				return 0, errBadDelta
			}
			if out != nil {
				copy(out[at:at+n], base[off:off+n])
			}
			at += n
		case c != 0:
			n := uint64(c)
			if n > uint64(len(delta)) || at+n > dst {
				return 0, errBadDelta
			}
			if out != nil {
				copy(out[at:at+n], delta[:n])
			}
			at += n
			delta = delta[n:]
		default:
			return 0, errBadDelta
		}
	}
	return at, nil
}

func deltaSize(b []byte) (uint64, []byte, bool) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		if len(b) == 0 {
			return 0, nil, false
		}
		c := b[0]
		b = b[1:]
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, b, true
		}
	}
	return 0, nil, false
}
