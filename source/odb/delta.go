package odb

import "errors"

var errBadDelta = errors.New("corrupt delta")

// applyDelta rebuilds an object from its base and a git delta: the two
// sizes, then copy (from the base) and insert (literal) instructions.
// Every offset is checked: a corrupt pack gives an error, never a panic.
func applyDelta(base, delta []byte) ([]byte, error) {
	src, delta, ok := deltaSize(delta)
	if !ok || src != uint64(len(base)) {
		return nil, errBadDelta
	}
	dst, delta, ok := deltaSize(delta)
	if !ok || dst > maxObject {
		return nil, errBadDelta
	}
	// The declared size is only trusted up to a point: a corrupt delta
	// claiming gigabytes fails on its instructions before that is
	// allocated.
	out := make([]byte, 0, min(dst, 64<<20))
	for len(delta) > 0 {
		c := delta[0]
		delta = delta[1:]
		switch {
		case c&0x80 != 0:
			var off, n uint64
			for i := range 4 {
				if c&(1<<i) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					off |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			for i := range 3 {
				if c&(0x10<<i) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					n |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > uint64(len(base)) || uint64(len(out))+n > dst {
				return nil, errBadDelta
			}
			out = append(out, base[off:off+n]...)
		case c != 0:
			n := int(c)
			if n > len(delta) || uint64(len(out)+n) > dst {
				return nil, errBadDelta
			}
			out = append(out, delta[:n]...)
			delta = delta[n:]
		default:
			return nil, errBadDelta
		}
	}
	if uint64(len(out)) != dst {
		return nil, errBadDelta
	}
	return out, nil
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
