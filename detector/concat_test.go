package detector

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A key split over string literals is found as the joined value, at its
// first part, in a scan and in a version scan that changed only a later
// part (the run joins a new line to an unchanged one).
func TestJoinedLiterals(t *testing.T) {
	d := defaultDetector(t)
	data := []byte("package bot\n\nfunc init() {\n\tsecret := \"Zq8Ws7k\" +\n\t\t\"Q2xSyn\" +\n\t\t\"th9Vd4Tp\"\n\t_ = secret\n}\n")
	fs, err := d.Scan(data, "bot.go")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	f := fs[0]
	assert.Equal(t, []any{4, "generic-secret-assignment", EncJoined}, []any{f.Line, f.RuleID, f.Decoded})
	assert.Equal(t, string(data[f.Start:f.End]), f.Secret, "offsets and secret are the literals' text")
	assert.Equal(t, "Zq8Ws7k\" +\n\t\t\"Q2xSyn\" +\n\t\t\"th9Vd4Tp", f.Secret)

	prev, err := d.ScanVersion([]byte("package bot\n\nfunc init() {\n\tsecret := \"Zq8Ws7k\" +\n\t\tos.Getenv(\"X\")\n\t_ = secret\n}\n"), "bot.go", nil)
	require.NoError(t, err)
	assert.Empty(t, prev.Findings)
	v, err := d.ScanVersion(data, "bot.go", prev)
	require.NoError(t, err)
	assert.Equal(t, fs, v.Findings)
	next, err := d.ScanVersion(append([]byte("// header\n"), data...), "bot.go", v)
	require.NoError(t, err)
	require.Len(t, next.Findings, 1, "not carried, found again")
	assert.Equal(t, 5, next.Findings[0].Line)
}

// Two unchanged lines that a deletion puts next to each other can be a
// joint the version before did not hold: the version scan finds the key
// though no line of it is new.
func TestJoinedLiteralsMeetByDeletion(t *testing.T) {
	d := defaultDetector(t)
	before := []byte("func init() {\n\tsecret := \"Zq8Ws7k\" +\n\t// split here\n\t\t\"Q2xSynth9Vd4Tp\"\n}\n")
	after := []byte("func init() {\n\tsecret := \"Zq8Ws7k\" +\n\t\t\"Q2xSynth9Vd4Tp\"\n}\n")
	prev, err := d.ScanVersion(before, "bot.go", nil)
	require.NoError(t, err)
	require.Empty(t, prev.Findings)
	require.False(t, prev.joined)
	want, err := d.Scan(after, "bot.go")
	require.NoError(t, err)
	require.Len(t, want, 1)
	v, err := d.ScanVersion(after, "bot.go", prev)
	require.NoError(t, err)
	assert.Equal(t, want, v.Findings)
	assert.Equal(t, int64(0), v.Scanned, "no line is new")
}

// A value complete on its line is not extended by a literal on the next
// (a list of strings, one a line): the plain match is the finding.
func TestJoinedNotExtended(t *testing.T) {
	d := defaultDetector(t)
	data := []byte("API_SECRET = \"Wq9Zr4Synth2Lm7Xk8\"\n\"plaid_secret\"\n")
	fs, err := d.Scan(data, "x.py")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, "Wq9Zr4Synth2Lm7Xk8", fs[0].Secret)
	assert.Empty(t, fs[0].Decoded)
}

// Walking the runs by known line starts finds the runs a search for each
// line's end finds, on texts built of the pieces runs are made of (quotes,
// `+`, spaces, CRs, short and long literals, a last line without its
// newline, runs longer than maxJoinParts).
func TestJoinRunsByLineStarts(t *testing.T) {
	pieces := []string{"\"Zq8Ws7k\"", "'Q2xSyn'", "\"th9Vd4Tp\"", "\"ab\"", " + ", " +", "\t", " ", "\r", "\n", "\n", "\n", "x = ", "(", ")", "foo(\"a b\")", "\"\"", "'", "\""}
	rng := rand.New(rand.NewPCG(7, 28))
	runs := func(buf []byte, starts []int) (got [][]joinPart) {
		joinRuns(buf, starts, func(parts []joinPart) { got = append(got, append([]joinPart(nil), parts...)) })
		return got
	}
	for n := range 5000 {
		var b []byte
		for range rng.IntN(60) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		if n%7 == 0 {
			for range 20 {
				b = append(b, "\t\"Zq8Ws7kQ\"\n"...)
			}
		}
		starts, _ := lineIndex(b)
		require.Equal(t, runs(b, nil), runs(b, starts), "%q", b)
	}
}
