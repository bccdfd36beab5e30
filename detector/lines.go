package detector

import "bytes"

// textLines finds line bounds in one scanned text (a chunk, a version,
// a decoded window) in bounded time. Matches come many to a line, and
// each asks for its line's bounds (the inline allow, the generic gates,
// a keyword's window): on a line of megabytes (a one-line JSON data
// file) walking to its ends for each match made a scan quadratic in the
// line's length. A look-up first searches its own block of lineBlock
// bytes, as lineBounds would, and only a line that leaves the block
// reads the block table, built once for the text on that first need:
// ordinary text never builds it, and the table is two offsets a block.
type textLines struct {
	buf   []byte
	block int
	// prev[k]: the last newline before offset k*block (-1: none);
	// next[k]: the first at or after it (len(buf): none). Built by
	// table on first need.
	prev, next []int
	// last is the last one-line span's line bounds ([0] > [1]: none):
	// a keyword-dense line is asked for once for each hit.
	last [2]int
}

// lineBlock is the block a look-up searches before it reads the table.
const lineBlock = 4 << 10

func newTextLines(buf []byte) *textLines {
	return &textLines{buf: buf, block: lineBlock, last: [2]int{1, 0}}
}

// bounds widens [start,end) to whole lines, as lineBounds does.
func (x *textLines) bounds(start, end int) (int, int) {
	if x.last[0] <= start && end <= x.last[1] {
		return x.last[0], x.last[1]
	}
	ls, le := x.lineStart(start), x.lineEnd(end)
	if bytes.IndexByte(x.buf[start:end], '\n') < 0 {
		x.last = [2]int{ls, le} // one line: any span inside it has these bounds
	}
	return ls, le
}

// lineStart is the start of the line holding the byte at at (or ending
// there): one past the last newline before at.
func (x *textLines) lineStart(at int) int {
	k := at / x.block
	lo := k * x.block
	if i := bytes.LastIndexByte(x.buf[lo:at], '\n'); i >= 0 {
		return lo + i + 1
	}
	if k == 0 {
		return 0
	}
	x.table()
	return x.prev[k] + 1
}

// lineEnd is the first newline at or after at, or len(buf).
func (x *textLines) lineEnd(at int) int {
	k := at / x.block
	hi := min(len(x.buf), (k+1)*x.block)
	if i := bytes.IndexByte(x.buf[at:hi], '\n'); i >= 0 {
		return at + i
	}
	if hi == len(x.buf) {
		return len(x.buf)
	}
	x.table()
	return x.next[k+1]
}

// table builds prev and next, once.
func (x *textLines) table() {
	if x.prev != nil {
		return
	}
	n := len(x.buf)/x.block + 2
	x.prev, x.next = make([]int, n), make([]int, n)
	x.prev[0] = -1
	for k := 1; k < n; k++ {
		lo, hi := min(len(x.buf), (k-1)*x.block), min(len(x.buf), k*x.block)
		x.prev[k] = x.prev[k-1]
		if i := bytes.LastIndexByte(x.buf[lo:hi], '\n'); i >= 0 {
			x.prev[k] = lo + i
		}
	}
	x.next[n-1] = len(x.buf)
	for k := n - 2; k >= 0; k-- {
		lo, hi := min(len(x.buf), k*x.block), min(len(x.buf), (k+1)*x.block)
		x.next[k] = x.next[k+1]
		if i := bytes.IndexByte(x.buf[lo:hi], '\n'); i >= 0 {
			x.next[k] = lo + i
		}
	}
}
