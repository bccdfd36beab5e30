package placeholder

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/keygate/keygate/internal/testmode"
)

// builtinPieces are what the random values below are made of: each
// alternative's literals in both cases, the exact words, separators, the
// non-ASCII letters (?i) folds to ASCII, and filler.
var builtinPieces = []string{
	"test", "TESTING", "fake", "Dummy", "mock", "SAMPLE", "demo", "your", "YOURk",
	"here", "goes", "Goes_Here", "placeholder", "example", "changeme", "change-me", "Change_Me",
	"redacted", "xxx", "XxX", "xxxx", "...", "…", "secret", "s3cr3t", "p@ssw0rd", "qwerty123",
	"123456789", "hunter2", "api_key", "api-key", "_", "-", "\n", " ", "ſ", "\u212a", "ſecret",
	"moc\u212a", "a", "Z", "9", "q8Zr2LmX", "bg_0f1e", "=", "\x00", "\xff",
}

// builtinMatch answers as the matcher does, for every value: random
// values made of the alternatives' pieces, and the fuzz target's.
func TestBuiltinMatchIsTheMatcher(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 29))
	n, matched := testmode.Scale(20_000, 200_000), 0
	for range n {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(builtinPieces[rng.IntN(len(builtinPieces))])
		}
		v := b.String()
		want := builtin.MatchString(v)
		if want {
			matched++
		}
		if got := builtinMatch(v); got != want {
			t.Fatalf("builtinMatch(%q) = %v, the matcher says %v", v, got, want)
		}
	}
	assert.Greater(t, matched, n/20, "the values exercise matches too")
	for _, w := range strings.Split("test|fake|dummy|mock|sample|secret|s3cr3t|password|passw0rd|p@ssw0rd|pass|passwd|pwd|pw|token|apikey|api_key|api-key|user|username|login|qwerty|qwerty123|foobar|hunter2|letmein|123456|12345678|123456789", "|") {
		assert.LessOrEqual(t, len(w), builtinExactMax, "exact word %q", w)
		assert.True(t, builtinMatch(w), w)
	}
}

func FuzzBuiltinMatch(f *testing.F) {
	for _, p := range builtinPieces {
		f.Add(p + "Zq8Lm2Wx9")
	}
	f.Add("4hQmZXXX_PLW7XXXRTNB")
	f.Add("ſecret_value_long")
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := builtinMatch(v), builtin.MatchString(v); got != want {
			t.Fatalf("builtinMatch(%q) = %v, the matcher says %v", v, got, want)
		}
	})
}
