package detector

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

type hit struct{ id, end int }

// The automaton reports exactly what a brute-force search does: every
// occurrence of every keyword, ASCII case-insensitively, overlaps included.
func TestKeywordSetMatchesBruteForce(t *testing.T) {
	kws := []string{"he", "she", "his", "hers", "bg_", "_bitget_", "api_key", "key", "a", "://"}
	ks := newKeywordSet(kws)
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "heSHirsbBgG_tT:/ aApPkKyY"
	for n := 0; n < 500; n++ {
		b := make([]byte, r.IntN(60))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		text := string(b)
		var got, want []hit
		ks.scan(b, func(id, end int) { got = append(got, hit{id, end}) })
		lower := strings.ToLower(text)
		for end := 1; end <= len(text); end++ {
			for id, k := range kws {
				if end >= len(k) && lower[end-len(k):end] == k {
					want = append(want, hit{id, end})
				}
			}
		}
		assert.ElementsMatch(t, want, got, "%q", text)
	}
}
