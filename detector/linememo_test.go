package detector

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// lineMemo answers as reading each match's lines afresh does, whatever
// the order of the matches, on lines with and without an allow comment
// and for matches that span lines.
func TestLineMemoAgreesWithReadingTheLine(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	pieces := []string{"key=abc", " ", "\n", "# keygate:allow", "x", "pragma: allowlist secret", "\n\n", "gitleaks:allow"}
	for round := 0; round < 300; round++ {
		var buf []byte
		for range 1 + r.IntN(40) {
			buf = append(buf, pieces[r.IntN(len(pieces))]...)
		}
		memo := newLineMemo(buf)
		for range 50 {
			start := r.IntN(len(buf))
			end := start + r.IntN(min(len(buf)-start, 30)+1)
			ls, le := lineBounds(buf, start, end)
			require.Equal(t, inlineAllowed(buf[ls:le]), memo.allowed(start, end), "%q [%d:%d]", buf, start, end)
		}
	}
}
