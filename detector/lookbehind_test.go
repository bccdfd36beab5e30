package detector

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// randomFrom joins n random pieces.
func randomFrom(r *rand.Rand, pieces []string, n int) []byte {
	var b []byte
	for range r.IntN(n + 1) {
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	return b
}

// The bounded look-behinds give what their regexp gives over the whole
// text before the value.
func TestKeyAttrBeforeAgreesWithTheWholePrefix(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"key", "KEY", "monkey", "=", " ", "\t", `"`, "'", "ApiSecret", "\r", "x", `<add key="a" `, "value="}
	for range 20000 {
		p := randomFrom(r, pieces, 12)
		require.Equal(t, keyAttr.FindSubmatch(p), keyAttrBefore(p), "%q", p)
	}
}

func TestBadgeTokenAgreesWithTheWholePrefix(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"https://", "http://", "ci.example/x", "badge", ".svg", ".png", "?", "token=", " ", "\t", "\f", "\v", `"`, "'", "(", ")", "<", ">", "a", "/", "\r"}
	for range 20000 {
		p := randomFrom(r, pieces, 12)
		require.Equal(t, imageURL.Match(p), badgeToken(p), "%q", p)
	}
}

// indexFoldPlain reads every byte: the straightforward search indexFold
// must agree with.
func indexFoldPlain(b []byte, lit string) int {
	for i := 0; i+len(lit) <= len(b); i++ {
		j := 0
		for j < len(lit) && foldByte(b[i+j]) == lit[j] {
			j++
		}
		if j == len(lit) {
			return i
		}
	}
	return -1
}

func TestIndexFoldAgreesWithReadingEveryByte(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 7))
	pieces := []string{"k", "K", "e", "E", "y", "://", ":", "/", "_", "a", "key", "KEY", "x"}
	lits := []string{"", "k", "key", "ke", "://", "_key", "k_", "y:", "x", "yk"}
	for range 30000 {
		b := randomFrom(r, pieces, 16)
		lit := lits[r.IntN(len(lits))]
		require.Equal(t, indexFoldPlain(b, lit), indexFold(b, lit), "%q in %q", lit, b)
	}
}
