package literal

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oneByteMatch and Lengths answer as the regexp engine does: every byte
// the engine matches alone is in the class (for these patterns, with no
// assertion, exactly those), and no text shorter or longer than the
// bounds matches.
func TestOneByteMatchAndMinLenAgreeWithTheEngine(t *testing.T) {
	const alphabet = "ab:=>.?\"' ,sk-"
	for _, pattern := range []string{
		`=`, `[:=]`, `=>|:{1,3}=|[?.]=|[:=]|string[ \t]*=|["'][ \t]*,`,
		`a?b?`, `(?:ab)*`, `a{2,3}`, `(?:a?){2}`, `(?:a|b?){3}`, `(?i)k`, `(a|b)+c?`,
		`[a-b]{4}-[a-b]{4}`, `(?:ab|a)(?:b|)`, `x{0}`, `(?:=|:)?`, `a[^\n]{0,3}?b`,
	} {
		re := mustParse(t, pattern)
		engine := regexp.MustCompile(`^(?:` + pattern + `)$`)
		one, empty, ok := oneByteMatch(re)
		require.True(t, ok, pattern)
		assert.Equal(t, engine.MatchString(""), empty, "%s: the empty text", pattern)
		for b := 0; b < 0x80; b++ {
			assert.Equal(t, engine.MatchString(string(rune(b))), one[b], "%s: %q", pattern, rune(b))
		}
		// The shortest text over the alphabet that matches, up to 5 bytes.
		shortest := -1
		for n := 0; n <= 5 && shortest < 0; n++ {
			for _, s := range texts(alphabet, n) {
				if engine.MatchString(s) {
					shortest = n
					break
				}
			}
		}
		n, most := Lengths(re)
		if shortest >= 0 {
			assert.Equal(t, shortest, n, pattern)
		} else {
			assert.Greater(t, n, 5, pattern)
		}
		// The longest text that matches, up to 4 bytes, is as
		// long (-1: longer ones match too).
		longest := -1
		for n := 0; n <= 4; n++ {
			for _, s := range texts(alphabet, n) {
				if engine.MatchString(s) {
					longest = n
					break
				}
			}
		}
		switch m := most; {
		case m < 0:
			assert.GreaterOrEqual(t, longest, 3, "%s: unbounded, and nothing of 3 or 4 bytes matches", pattern)
		case m <= 4:
			assert.Equal(t, longest, m, pattern)
		}
	}
}

func texts(alphabet string, n int) []string {
	out := []string{""}
	for range n {
		var next []string
		for _, s := range out {
			for i := 0; i < len(alphabet); i++ {
				next = append(next, s+alphabet[i:i+1])
			}
		}
		out = next
	}
	return out
}

// An assignment reads its operator's and its value's shape from the
// pattern: `=` and `:` may end an operator, `"` (of `", `) and `.` (of
// `.=`) may not; an exchange key's value is a run of 16 or more.
func TestAssignmentsKnowTheirValuesShape(t *testing.T) {
	key := `(?i)(?:binance)[^\r\n]{0,80}?(?:api[_-]?)?key[a-z0-9_]{0,12}["']?[ \t]*(?:=>|:{1,3}=|[?.]=|[:=]|string[ \t]*=|["'][ \t]*,)[ \t]*["']?(?-i:([A-Za-z0-9]{16}|[a-f0-9]{32}))`
	as := Assignments(mustParse(t, key))
	require.NotEmpty(t, as)
	for _, a := range as {
		if a.Word != "" {
			assert.False(t, a.Ends['s'], "string = goes on past its s")
			continue
		}
		require.NotNil(t, a.Ends)
		assert.True(t, a.Ends['='] && a.Ends[':'])
		assert.False(t, a.Ends['"'] || a.Ends['.'] || a.Ends['?'] || a.Ends['\''])
		assert.Equal(t, 1, a.Cap)
		assert.Equal(t, 16, a.CapMin)
		require.NotNil(t, a.CapBytes)
		assert.True(t, a.CapBytes['Z'] && a.CapBytes['0'])
		assert.False(t, a.CapBytes['-'] || a.CapBytes['*'])
	}
	holds := func(line string) bool {
		re := regexp.MustCompile(key)
		got := NewAssignmentSet(as).Holds([]byte(line), 0, func(line []byte, op int, a *Assignment) bool {
			return a.ValueViable(line, op, nil)
		})
		if !got {
			assert.False(t, re.MatchString(line), "dropped, and the pattern matches: %q", line)
		}
		return got
	}
	for _, l := range []string{
		`binance_api_key = "Zq8Ws7kQ2xSynth9"`,
		`{"exchange": "binance", "apiKey": "8771f51428e61597e4571a453ee56bd4"}`,
		`binance: key .= Zq8Ws7kQ2xSynth9V`,
	} {
		assert.True(t, holds(l), l)
	}
	for _, l := range []string{
		`2026-11-04T09:27:38.394Z INFO bot=BOT3 binance order filled id=6087445716717 key_id=81 checksum=c2a1`,
		`binance_api_key = "Zq8Ws7kQ2x"`,
		`binance_api_key = ****Zq8W`,
		`binance key"Zq8Ws7kQ2xSynth9V`, // a quote that opens no ", `
		`binance key.Zq8Ws7kQ2xSynth9V`,
	} {
		assert.False(t, holds(l), l)
	}
}

// Go's `string =` is found by its '=': the gap between is spaces and tabs.
func TestWordedOperatorsKnowTheirEnd(t *testing.T) {
	generic := `(?i)(?:secret|token|key)["'\x60]?\]?["'\x60]?[ \t]*(?:=>|:{1,3}=|[?.]=|[:=]|string[ \t]*=|["'][ \t]*,)[ \t]*["'\x60]?([a-z0-9]{8,})`
	worded := 0
	for _, a := range Assignments(mustParse(t, generic)) {
		if a.Word == "" {
			assert.Nil(t, a.WordGap)
			continue
		}
		worded++
		require.NotNil(t, a.WordGap)
		assert.Equal(t, byte('='), a.WordEnd)
		assert.True(t, a.WordGap[' '] && a.WordGap['\t'])
		assert.False(t, a.WordGap['='] || a.WordGap['s'])
	}
	assert.Equal(t, 1, worded)
	as := Assignments(mustParse(t, generic))
	re := regexp.MustCompile(generic)
	for line, want := range map[string]bool{
		`var apiSecret string = "Zq8Ws7kQ2x"`:           true,
		`var apiSecret string   =   Zq8Ws7kQ2x`:         true,
		`var apiSecret String	= Zq8Ws7kQ2x`:             true,
		`var apiSecret string "Zq8Ws7kQ2x"`:             false,
		`func token() string { return s }`:              false,
		`secrets strings string s = Zq8Ws7kQ2x`:         false,
		`x := 1; var token string = os.Getenv("TOKEN")`: false,
	} {
		got := NewAssignmentSet(as).Holds([]byte(line), 0, func(line []byte, op int, a *Assignment) bool {
			return a.ValueViable(line, op, nil)
		})
		assert.Equal(t, want, got, line)
		assert.Equal(t, want, re.MatchString(line), "the pattern: %s", line)
	}
}
