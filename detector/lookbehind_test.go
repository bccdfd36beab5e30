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
