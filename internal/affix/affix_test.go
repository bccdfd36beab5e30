package affix

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// Prefix and Suffix agree with a byte-at-a-time reading on strings that
// share long runs (across several blocks), short ones and none.
func TestAffixesAgreeWithPlainReading(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 9))
	plainPrefix := func(a, b []byte) int {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		return i
	}
	plainSuffix := func(a, b []byte) int {
		i := 0
		for i < len(a) && i < len(b) && a[len(a)-1-i] == b[len(b)-1-i] {
			i++
		}
		return i
	}
	for range 5000 {
		a := make([]byte, r.IntN(3*block))
		for i := range a {
			a[i] = "ab\n"[r.IntN(3)]
		}
		b := append([]byte(nil), a...)
		if len(b) > 0 && r.IntN(4) > 0 {
			b[r.IntN(len(b))] ^= 1
		}
		b = append(b, "ab"[:r.IntN(3)]...)
		if r.IntN(3) == 0 {
			b = append([]byte("a"), b...)
		}
		require.Equal(t, plainPrefix(a, b), Prefix(a, b), "%q %q", a, b)
		require.Equal(t, plainSuffix(a, b), Suffix(a, b), "%q %q", a, b)
	}
}
