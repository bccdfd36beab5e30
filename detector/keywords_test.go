package detector

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
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
		ks.scan(b, nil, func(id, end int) { got = append(got, hit{id, end}) })
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

// A long text is read in parts at once; the hits are those of one walk,
// in the same order, whatever the text's length: keywords across the
// parts' bounds, at the ends, many or none, and a keyword longer than a
// part.
func TestKeywordScanInPartsIsOneWalk(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	lists := [][]string{
		{"he", "she", "his", "hers", "bg_", "_bitget_", "api_key", "key", "a", "://"},
		defaultKeywords,
		{"k", strings.Repeat("ab", 3000)},
	}
	for _, kws := range lists {
		ks := newKeywordSet(kws)
		var hits keywordHits
		for range 40 {
			n := scanStreamsMin + r.IntN(3*scanStreamsMin)
			switch r.IntN(6) {
			case 0:
				n = scanStreamsMin - 1 + r.IntN(3)
			case 1:
				// Blocks: the last one long, short or of one byte.
				n = 2*scanBlock + []int{scanStreamsMin + 17, scanStreamsMin - 5, 1}[r.IntN(3)]
			}
			b := make([]byte, n)
			for i := range b {
				b[i] = "heSHirsbBgG_tT:/ aApPkKyY"[r.IntN(25)]
			}
			// Plant keywords across every part's and block's bound.
			var bounds []int
			for lo := 0; lo < len(b); lo += scanBlock {
				hi := min(len(b), lo+scanBlock)
				for k := range scanStreams {
					bounds = append(bounds, lo+(hi-lo)*k/scanStreams)
				}
			}
			for _, at := range bounds {
				kw := kws[r.IntN(len(kws))]
				at = max(0, min(len(b)-len(kw), at-r.IntN(len(kw)+1)))
				copy(b[at:], kw)
			}
			var got, want []hit
			ks.scan(b, &hits, func(id, end int) { got = append(got, hit{id, end}) })
			ks.walk(b, 0, len(b), 0, 0, func(id, end int) { want = append(want, hit{id, end}) })
			require.Equal(t, want, got, "%d bytes", len(b))
		}
	}
}

// compileKeywords and expand build the tables the former single-pass
// builder did (referenceKeywordSet), state numbers included: on the
// default pack's keywords, on random lists (duplicates, empty keywords,
// upper case, shared prefixes and suffixes) and on none.
func TestKeywordSetEqualsReference(t *testing.T) {
	lists := [][]string{nil, {""}, {"a"}, defaultKeywords, {"he", "she", "his", "hers", "HERS", "he", ""}}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		var kws []string
		for range r.IntN(40) {
			b := make([]byte, r.IntN(7))
			for i := range b {
				b[i] = "abcAB_-:/\n\xff"[r.IntN(11)]
			}
			kws = append(kws, string(b))
		}
		lists = append(lists, kws)
	}
	for _, kws := range lists {
		assert.Equal(t, referenceKeywordSet(kws), newKeywordSet(kws), "%q", kws)
	}
}

// The checked-in keywords_gen.go is what the generator writes for the
// default pack as it is now (run `go generate ./rules` after editing a
// rule's keywords), its automaton is what compileKeywords computes, and a
// detector of the default pack uses it; with an active value (another
// keyword list) the automaton is compiled at start-up instead.
func TestGeneratedKeywordsAreFresh(t *testing.T) {
	assertGeneratedFresh(t, KeywordsFile, KeywordsSource)
	assert.Equal(t, compileKeywords(defaultKeywords), &defaultAutomaton)

	p, err := rules.Default()
	require.NoError(t, err)
	d, err := New(p)
	require.NoError(t, err)
	assert.Same(t, defaultKeywordSet(), d.keywords)
	withValue, err := New(p, KnownValue{Name: "EXCHANGE_SECRET", Value: "synthetic-known-value-0123456789"})
	require.NoError(t, err)
	assert.NotSame(t, defaultKeywordSet(), withValue.keywords)
	assert.Equal(t, newKeywordSet(defaultKeywords).delta, defaultKeywordSet().delta)
}
