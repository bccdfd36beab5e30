package odb

import (
	"encoding/binary"
	"errors"
	"hash/adler32"
	"sync"
)

// A whole-buffer zlib decoder. A pack object's compressed bytes are all in
// memory (the pack is mapped) and its inflated size is in its header, so
// the output is allocated once and back-references copy within it: no
// sliding window, no copy out of one, and bits come from 64-bit loads.
// This is what libdeflate does, and about twice as fast here as a
// streaming decoder on pack objects. Every step is bounds-checked: a
// corrupt stream is an error, never a panic or a short read.

var errCorrupt = errors.New("corrupt zlib stream")

// errFull: the output is full. In a prefix read that is the end; in a whole
// read the stream holds more than the object's size: corrupt.
var errFull = errors.New("output full")

// Huffman tables: a primary table indexed by the next tableBits bits of
// input (codes are stored bit-reversed, as deflate sends them); an entry
// holds the symbol and the code's length, or length 0 for codes longer
// than the table, decoded bit by bit from the canonical counts.
const (
	litTableBits  = 11
	distTableBits = 8
	clTableBits   = 7
	maxCodeLen    = 15
)

type huffman struct {
	bits uint
	// need is how many bits of input a symbol is decoded from at least:
	// the shortest code's length, and in a literal/length code that of
	// the end-of-block code, which every block ends with (compress/flate
	// reads so, and a stream whose last bits are too few for it is
	// truncated: a prefix read must not decode them as data).
	need   uint
	table  []uint16 // symbol<<4 | length
	count  [maxCodeLen + 1]uint16
	symbol []uint16 // symbols ordered by code
}

// build makes the tables for a canonical code given each symbol's code
// length (0: unused). It takes exactly the codes compress/flate (and
// zlib) take: complete ones; an empty one (legal for distances, and
// failing when a symbol is read from it); and, the one incomplete code
// allowed, a single code of one bit. Over-subscribed and other
// incomplete codes are errors.
func (h *huffman) build(lengths []uint8, bits uint) error {
	h.count = [maxCodeLen + 1]uint16{}
	for _, l := range lengths {
		h.count[l]++
	}
	h.count[0] = 0
	// A table no wider than the longest code: small objects have short
	// codes, and filling a wide table would cost more than decoding them.
	longest := uint(1)
	for l := uint(1); l <= maxCodeLen; l++ {
		if h.count[l] != 0 {
			longest = l
		}
	}
	bits = min(bits, longest)
	h.bits = bits
	h.need = longest
	for l := uint(maxCodeLen); l >= 1; l-- {
		if h.count[l] != 0 {
			h.need = l
		}
	}
	if cap(h.table) < 1<<bits {
		h.table = make([]uint16, 1<<bits)
	}
	h.table = h.table[:1<<bits]
	clear(h.table)
	left, codes := 1, 0
	for l := 1; l <= maxCodeLen; l++ {
		left = left<<1 - int(h.count[l])
		codes += int(h.count[l])
		if left < 0 {
			return errCorrupt
		}
	}
	if left > 0 && codes != 0 && (codes != 1 || h.count[1] != 1) {
		return errCorrupt
	}
	var offs [maxCodeLen + 2]uint16
	for l := 1; l <= maxCodeLen; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	if cap(h.symbol) < len(lengths) {
		h.symbol = make([]uint16, len(lengths))
	}
	h.symbol = h.symbol[:offs[maxCodeLen+1]]
	for s, l := range lengths {
		if l != 0 {
			h.symbol[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	// Canonical codes in order of (length, symbol), reversed into the table.
	code, k := 0, 0
	for l := uint(1); l <= maxCodeLen; l++ {
		for range h.count[l] {
			if l <= bits {
				rev := int(reverse16(uint16(code)) >> (16 - l))
				e := h.symbol[k]<<4 | uint16(l)
				for i := rev; i < len(h.table); i += 1 << l {
					h.table[i] = e
				}
			}
			code++
			k++
		}
		code <<= 1
	}
	return nil
}

func reverse16(v uint16) uint16 {
	v = v>>1&0x5555 | v&0x5555<<1
	v = v>>2&0x3333 | v&0x3333<<2
	v = v>>4&0x0f0f | v&0x0f0f<<4
	return v>>8 | v<<8
}

// bitReader reads deflate's LSB-first bit stream. The bits in buf above
// n are the next input bytes too (a 64-bit load may cover more than it
// counts), so loading them again is harmless.
type bitReader struct {
	in  []byte
	pos int // next byte of in to load
	buf uint64
	n   uint
}

func (b *bitReader) refill() {
	if b.pos+8 <= len(b.in) {
		b.buf |= binary.LittleEndian.Uint64(b.in[b.pos:]) << b.n
		b.pos += int(63-b.n) >> 3
		b.n |= 56
		return
	}
	for b.n <= 56 && b.pos < len(b.in) {
		b.buf |= uint64(b.in[b.pos]) << b.n
		b.pos++
		b.n += 8
	}
}

func (b *bitReader) bits(k uint) (uint32, error) {
	if b.n < k {
		b.refill()
		if b.n < k {
			return 0, errCorrupt
		}
	}
	v := uint32(b.buf & (1<<k - 1))
	b.buf >>= k
	b.n -= k
	return v, nil
}

// decode reads one symbol of h.
func (b *bitReader) decode(h *huffman) (int, error) {
	if b.n < maxCodeLen {
		b.refill()
		if b.n < h.need {
			return 0, errCorrupt
		}
	}
	e := h.table[b.buf&(1<<h.bits-1)]
	if l := uint(e & 15); l != 0 {
		if l > b.n {
			return 0, errCorrupt
		}
		b.buf >>= l
		b.n -= l
		return int(e >> 4), nil
	}
	// A code longer than the table: walk the canonical code bit by bit.
	code, first, index := 0, 0, 0
	for l := uint(1); l <= maxCodeLen && l <= b.n; l++ {
		code |= int(b.buf>>(l-1)) & 1
		count := int(h.count[l])
		if code-first < count {
			b.buf >>= l
			b.n -= l
			return int(h.symbol[index+code-first]), nil
		}
		index += count
		first = (first + count) << 1
		code <<= 1
	}
	return 0, errCorrupt
}

var (
	lenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// The order in which code-length code lengths are sent.
	clOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

var (
	fixedOnce           sync.Once
	fixedLit, fixedDist huffman
)

func fixedTables() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	_ = fixedLit.build(l[:], litTableBits)
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	_ = fixedDist.build(d[:], distTableBits)
}

// decoder holds the tables of dynamic blocks, reused across objects.
type decoder struct {
	lit, dist, cl huffman
	lengths       [286 + 30]uint8
}

// inflateZlib decodes the zlib stream at the start of in, which must
// inflate to exactly size bytes, checking its Adler-32. With 0 < limit <
// size it decodes only the first limit bytes (or a few less), unchecked.
func (d *decoder) inflateZlib(in []byte, size, limit int) ([]byte, error) {
	out, _, err := d.inflateZlibInto(in, size, limit, nil)
	return out, err
}

// inflateZlibInto is inflateZlib writing into buf where it is large
// enough (a delta's body, dropped once applied), else into a new slice.
// used is how many bytes of in the stream took, its Adler-32 included
// (0 for a prefix).
func (d *decoder) inflateZlibInto(in []byte, size, limit int, buf []byte) (out []byte, used int, err error) {
	if len(in) < 2 || in[0]&0x0f != 8 || in[0]>>4 > 7 || in[1]&0x20 != 0 || (uint(in[0])<<8|uint(in[1]))%31 != 0 {
		return nil, 0, errCorrupt
	}
	prefix := limit > 0 && limit < size
	n := size
	if prefix {
		n = limit
	}
	if cap(buf) >= n {
		out = buf[:n]
	} else {
		out = make([]byte, n)
	}
	b := bitReader{in: in, pos: 2}
	op := 0
	for final := false; !final; {
		h, err := b.bits(3)
		if err != nil {
			return nil, 0, err
		}
		final = h&1 == 1
		switch h >> 1 {
		case 0:
			op, err = d.stored(&b, out, op)
		case 1:
			fixedOnce.Do(fixedTables)
			op, err = d.codes(&b, out, op, &fixedLit, &fixedDist)
		case 2:
			if err = d.dynamic(&b); err == nil {
				op, err = d.codes(&b, out, op, &d.lit, &d.dist)
			}
		default:
			err = errCorrupt
		}
		if prefix && errors.Is(err, errFull) {
			return out[:op], 0, nil
		}
		if errors.Is(err, errFull) {
			err = errCorrupt
		}
		if err != nil {
			return nil, 0, err
		}
	}
	if op != size {
		return nil, 0, errCorrupt
	}
	// The Adler-32 follows, big-endian, from the next whole byte.
	at := b.pos - int(b.n>>3)
	if at+4 > len(in) || binary.BigEndian.Uint32(in[at:]) != adler32.Checksum(out) {
		return nil, 0, errCorrupt
	}
	return out, at + 4, nil
}

func (d *decoder) stored(b *bitReader, out []byte, op int) (int, error) {
	// Drop to a byte boundary, then read LEN and NLEN from the bytes.
	b.buf >>= b.n & 7
	b.n &^= 7
	at := b.pos - int(b.n>>3)
	b.buf, b.n = 0, 0
	if at+4 > len(b.in) {
		return op, errCorrupt
	}
	n := int(binary.LittleEndian.Uint16(b.in[at:]))
	if uint16(n) != ^binary.LittleEndian.Uint16(b.in[at+2:]) || at+4+n > len(b.in) {
		return op, errCorrupt
	}
	if op+n > len(out) {
		return op + copy(out[op:], b.in[at+4:at+4+n]), errFull
	}
	copy(out[op:], b.in[at+4:at+4+n])
	b.pos = at + 4 + n
	return op + n, nil
}

func (d *decoder) dynamic(b *bitReader) error {
	h, err := b.bits(14)
	if err != nil {
		return err
	}
	nlit, ndist, ncl := int(h&31)+257, int(h>>5&31)+1, int(h>>10)+4
	if nlit > 286 || ndist > 30 {
		return errCorrupt
	}
	var cl [19]uint8
	for i := range ncl {
		v, err := b.bits(3)
		if err != nil {
			return err
		}
		cl[clOrder[i]] = uint8(v)
	}
	if err := d.cl.build(cl[:], clTableBits); err != nil {
		return err
	}
	lengths := d.lengths[:nlit+ndist]
	for i := 0; i < len(lengths); {
		sym, err := b.decode(&d.cl)
		if err != nil {
			return err
		}
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		var v uint8
		var rep uint32
		switch sym {
		case 16:
			if i == 0 {
				return errCorrupt
			}
			v = lengths[i-1]
			rep, err = b.bits(2)
			rep += 3
		case 17:
			rep, err = b.bits(3)
			rep += 3
		default:
			rep, err = b.bits(7)
			rep += 11
		}
		if err != nil || i+int(rep) > len(lengths) {
			return errCorrupt
		}
		for range rep {
			lengths[i] = v
			i++
		}
	}
	if lengths[256] == 0 { // no end-of-block code
		return errCorrupt
	}
	if err := d.lit.build(lengths[:nlit], litTableBits); err != nil {
		return err
	}
	d.lit.need = max(d.lit.need, uint(lengths[256]))
	return d.dist.build(lengths[nlit:], distTableBits)
}

// codes decodes one Huffman-coded block into out from op. While at least
// 8 bytes of input are left, a refill gives 56 bits or more, enough for a
// length, its extra bits, a distance and its extra bits (48 at most), so
// the loop reads them without checking; near the end, and for codes longer
// than the tables, it goes the careful way.
func (d *decoder) codes(b *bitReader, out []byte, op int, lit, dist *huffman) (int, error) {
	in, buf, n, pos := b.in, b.buf, b.n, b.pos
	litBits := lit.bits
	litMask, distMask := uint64(1)<<litBits-1, uint64(1)<<dist.bits-1
	litTable, distTable := lit.table, dist.table
	for pos+8 <= len(in) {
		buf |= binary.LittleEndian.Uint64(in[pos:]) << n
		pos += int(63-n) >> 3
		n |= 56
		e := litTable[buf&litMask]
		l := uint(e & 15)
		if l == 0 { // a long code: one careful step
			var done bool
			var err error
			if buf, n, pos, op, done, err = d.stepFrom(b, buf, n, pos, out, op, lit, dist); err != nil || done {
				return op, err
			}
			continue
		}
		sym := int(e >> 4)
		if sym < 256 {
			if op >= len(out) {
				return op, errFull
			}
			out[op] = byte(sym)
			op++
			buf >>= l
			n -= l
			// More literals from the bits at hand, before the next refill.
			for n >= litBits {
				e = litTable[buf&litMask]
				l = uint(e & 15)
				if l == 0 || e>>4 >= 256 || op >= len(out) {
					break
				}
				out[op] = byte(e >> 4)
				op++
				buf >>= l
				n -= l
			}
			continue
		}
		if sym == 256 {
			b.buf, b.n, b.pos = buf>>l, n-l, pos
			return op, nil
		}
		sym -= 257
		if sym >= len(lenBase) {
			return op, errCorrupt
		}
		ed := distTable[(buf>>l>>lenExtra[sym])&distMask]
		dl := uint(ed & 15)
		if dl == 0 { // a long distance code: one careful step
			var done bool
			var err error
			if buf, n, pos, op, done, err = d.stepFrom(b, buf, n, pos, out, op, lit, dist); err != nil || done {
				return op, err
			}
			continue
		}
		buf >>= l
		n -= l
		k := uint(lenExtra[sym])
		length := int(lenBase[sym]) + int(buf&(1<<k-1))
		buf >>= k + dl
		n -= k + dl
		ds := int(ed >> 4)
		if ds >= len(distBase) {
			return op, errCorrupt
		}
		k = uint(distExtra[ds])
		back := int(distBase[ds]) + int(buf&(1<<k-1))
		buf >>= k
		n -= k
		if back > op {
			return op, errCorrupt
		}
		if op+length > len(out) {
			return op, errFull
		}
		switch {
		case back >= 8 && op+length+8 <= len(out):
			// Eight bytes at a time, a little past the end (later output
			// overwrites it): far cheaper than copy for short matches.
			for i := 0; i < length; i += 8 {
				binary.LittleEndian.PutUint64(out[op+i:], binary.LittleEndian.Uint64(out[op-back+i:]))
			}
		case back >= length:
			copy(out[op:op+length], out[op-back:])
		default:
			for i := range length {
				out[op+i] = out[op-back+i]
			}
		}
		op += length
	}
	b.buf, b.n, b.pos = buf, n, pos
	for {
		var done bool
		var err error
		if op, done, err = d.step(b, out, op, lit, dist); err != nil || done {
			return op, err
		}
	}
}

// stepFrom is step from the bit state codes keeps in its registers.
func (d *decoder) stepFrom(b *bitReader, buf uint64, n uint, pos int, out []byte, op int, lit, dist *huffman) (uint64, uint, int, int, bool, error) {
	b.buf, b.n, b.pos = buf, n, pos
	op, done, err := d.step(b, out, op, lit, dist)
	return b.buf, b.n, b.pos, op, done, err
}

// step decodes one literal, match or end of block, every read checked;
// done is true at the end of the block.
func (d *decoder) step(b *bitReader, out []byte, op int, lit, dist *huffman) (int, bool, error) {
	{
		sym, err := b.decode(lit)
		if err != nil {
			return op, false, err
		}
		if sym < 256 {
			if op >= len(out) {
				return op, false, errFull
			}
			out[op] = byte(sym)
			return op + 1, false, nil
		}
		if sym == 256 {
			return op, true, nil
		}
		sym -= 257
		if sym >= len(lenBase) {
			return op, false, errCorrupt
		}
		extra, err := b.bits(uint(lenExtra[sym]))
		if err != nil {
			return op, false, err
		}
		length := int(lenBase[sym]) + int(extra)
		ds, err := b.decode(dist)
		if err != nil {
			return op, false, err
		}
		if ds >= len(distBase) {
			return op, false, errCorrupt
		}
		if extra, err = b.bits(uint(distExtra[ds])); err != nil {
			return op, false, err
		}
		back := int(distBase[ds]) + int(extra)
		if back > op {
			return op, false, errCorrupt
		}
		if op+length > len(out) {
			return op, false, errFull
		}
		if back >= length {
			copy(out[op:op+length], out[op-back:])
		} else {
			// Overlapping: the copy repeats the last back bytes.
			for i := range length {
				out[op+i] = out[op-back+i]
			}
		}
		return op + length, false, nil
	}
}
