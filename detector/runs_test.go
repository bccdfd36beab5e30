package detector

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// classRuns finds what a byte-by-byte search for maximal runs finds.
func TestClassRunsMatchBruteForce(t *testing.T) {
	t.Parallel()
	var class [256]bool
	class['a'], class['b'] = true, true
	rng := rand.New(rand.NewPCG(5, 8))
	for range 5000 {
		buf := make([]byte, rng.IntN(80))
		for i := range buf {
			buf[i] = "aab."[rng.IntN(4)]
		}
		min := 1 + rng.IntN(8)
		var want, got [][2]int
		for i := 0; i < len(buf); {
			if !class[buf[i]] {
				i++
				continue
			}
			e := i
			for e < len(buf) && class[buf[e]] {
				e++
			}
			if e-i >= min {
				want = append(want, [2]int{i, e})
			}
			i = e
		}
		classRuns(buf, &class, min, func(s, e int) { got = append(got, [2]int{s, e}) })
		require.Equal(t, want, got, "%q, min %d", buf, min)
	}
}
