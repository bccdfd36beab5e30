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
	for n := range 10000 {
		// Short runs and mins, and long ones (the base64 scan's 16, the
		// word-run scan's 47) in text mostly of the class, as code is.
		alphabet, size, min := "aab.", rng.IntN(80), 1+rng.IntN(8)
		if n%2 == 1 {
			alphabet, size, min = "aaaaaaab.", rng.IntN(400), 10+rng.IntN(40)
		}
		buf := make([]byte, size)
		for i := range buf {
			buf[i] = alphabet[rng.IntN(len(alphabet))]
		}
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
