package detector

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// lineBounds widens [start,end) to whole lines of buf, walking to them:
// the straightforward reading textLines must agree with.
func lineBounds(buf []byte, start, end int) (int, int) {
	ls := bytes.LastIndexByte(buf[:start], '\n') + 1
	le := len(buf)
	if i := bytes.IndexByte(buf[end:], '\n'); i >= 0 {
		le = end + i
	}
	return ls, le
}

// The line index answers as lineBounds (walking to the line's ends) does,
// for every span of random texts: short and long lines, none, blocks of a
// few bytes so that lines cross many, spans across lines, at either end,
// and spans inside the span asked for before (the last line is
// remembered).
func TestTextLinesAgreeWithWalkingTheLine(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	pieces := []string{"a", "bcdefgh", "\n", "\n\n", "ijklmnopqrstuvwxyz0123456789"}
	for round := 0; round < 2000; round++ {
		var buf []byte
		for range r.IntN(60) {
			buf = append(buf, pieces[r.IntN(len(pieces))]...)
		}
		x := newTextLines(buf)
		x.block = 1 + r.IntN(12)
		prev := [2]int{0, len(buf)}
		for range 40 {
			start := r.IntN(len(buf) + 1)
			end := start + r.IntN(len(buf)-start+1)
			if r.IntN(2) == 0 {
				start = prev[0] + r.IntN(prev[1]-prev[0]+1)
				end = start + r.IntN(prev[1]-start+1)
			}
			prev = [2]int{start, end}
			ls, le := lineBounds(buf, start, end)
			gs, ge := x.bounds(start, end)
			require.Equal(t, [2]int{ls, le}, [2]int{gs, ge}, "%q [%d:%d] block %d", buf, start, end, x.block)
		}
	}
}
