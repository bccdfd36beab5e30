package literal

import (
	"regexp"
	"regexp/syntax"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		n       int
		in, out string // a byte in the class, one not in it
	}{
		{`\b(cio[A-Za-z0-9]{32})(?:[^A-Za-z0-9_\n-]|$)`, 32, "Z", "_"},
		{`(?i)key=(?-i:([a-f0-9]{32}))`, 32, "f", "F"},
		{`(?i)key=([a-f0-9]{32})`, 32, "F", "g"},
		{`pat[A-Za-z0-9]{14}\.[a-f0-9]{64}`, 64, "a", "g"},
		{`x(?:[a-z]{10}|[0-9]{12})`, 10, "7", "A"},
		{`x(?:[a-z]{10}|y)`, 0, "", ""},
		{`[a-z]*`, 0, "", ""},
		{`(?:ab[0-9]{5}){2,}`, 5, "5", "a"},
		{`.{20}`, 20, "é", "\n"},
	} {
		re, err := syntax.Parse(tc.pattern, syntax.Perl)
		require.NoError(t, err)
		c, n := Run(re)
		assert.Equal(t, tc.n, n, tc.pattern)
		if n == 0 {
			continue
		}
		assert.True(t, c[tc.in[len(tc.in)-1]], "%s: %q in the class", tc.pattern, tc.in)
		assert.False(t, c[tc.out[0]], "%s: %q not in the class", tc.pattern, tc.out)
		assert.Equal(t, tc.pattern == `.{20}`, c[0xE9], "%s: bytes outside ASCII only in a class with Latin-1 runes", tc.pattern)
	}
}

func TestHolds(t *testing.T) {
	re, err := syntax.Parse(`[a-f0-9]{4}`, syntax.Perl)
	require.NoError(t, err)
	c, n := Run(re)
	assert.True(t, c.Holds([]byte("zz0a1fzz"), n))
	assert.False(t, c.Holds([]byte("zz0a1zf01"), n))
	assert.True(t, c.Holds(nil, 0))
}

// Every match of a pattern holds its run and one of its literals.
func TestDerivedHeldByMatches(t *testing.T) {
	for _, tc := range []struct{ pattern, text string }{
		{`(?i)bitget[_-]?key\s*=\s*([A-Za-z0-9]{32})`, "BITGET_KEY = abcdefABCDEF0123456789abcdefABCD"},
		{`(?i)(?:token|secret)=([a-z0-9]{16,})`, "Secret=0123456789ABCDEF"},
		{`ghp_[A-Za-z0-9]{36}`, "ghp_0123456789abcdefghijABCDEFGHIJ012345"},
	} {
		re := regexp.MustCompile(tc.pattern)
		m := re.FindString(tc.text)
		require.NotEmpty(t, m, tc.pattern)
		parsed, err := syntax.Parse(tc.pattern, syntax.Perl)
		require.NoError(t, err)
		c, n := Run(parsed)
		assert.True(t, c.Holds([]byte(m), n), tc.pattern)
		need := Required(parsed.Simplify())
		require.NotNil(t, need, tc.pattern)
		held := false
		for _, l := range need {
			held = held || regexp.MustCompile(`(?i)`+regexp.QuoteMeta(l)).MatchString(m)
		}
		assert.True(t, held, "%s: one of %q in %q", tc.pattern, need, m)
	}
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		pattern         string
		min, max        int
		bounded         bool
		holds, holdsNot string
	}{
		{`(?im)htx[^\r\n]{0,80}?key[ \t]*(?:=>|:=|[:=])[ \t]*["']?(?-i:([a-f0-9]{32}))(?:[^A-Za-z0-9_\n-]|$)`, 32, 32, true,
			"htx key = 0123456789abcdef0123456789abcdef", "htx key checksum=0123456789abcdef0123456789abcdef01234567"},
		{`\b(cio[A-Za-z0-9]{32})(?:[^A-Za-z0-9_\n-]|$)`, 32, 32, false, "", ""}, // o before the run is in its class
		{`key=([a-f0-9]{32})x`, 32, 32, true, "key=0123456789abcdef0123456789abcdefx", "key=0123456789abcdef0123456789abcdef0x"},
		{`key=?([a-f0-9]{32})`, 32, 32, false, "", ""}, // nothing after the run
		{`(?i)key=([a-f0-9]{32,})(?:\s|$)`, 32, -1, true,
			"key=0123456789ABCDEF0123456789abcdef0123", "key=0123456789abcdef0123456789abcdeg"},
		{`^([a-z]{10})$`, 10, 10, true, "abcdefghij", "abcdefghijk"},
		{`[ \t]*([a-z]{10})$`, 10, 10, false, "", ""},
	} {
		re, err := syntax.Parse(tc.pattern, syntax.Perl)
		require.NoError(t, err)
		var tok *Token
		for _, k := range Tokens(re) {
			if k.Min == tc.min {
				tok = &k
			}
		}
		require.NotNil(t, tok, tc.pattern)
		assert.Equal(t, tc.max, tok.Max, tc.pattern)
		assert.Equal(t, tc.bounded, tok.Bounded, tc.pattern)
		if tc.holds != "" {
			assert.True(t, tok.HoldsToken([]byte(tc.holds)), "%s: %q", tc.pattern, tc.holds)
			assert.False(t, tok.HoldsToken([]byte(tc.holdsNot)), "%s: %q", tc.pattern, tc.holdsNot)
			assert.True(t, regexp.MustCompile(tc.pattern).MatchString(tc.holds), tc.pattern)
		}
	}
}

func TestAssignments(t *testing.T) {
	generic := `(?i)(?:\bkey[ \t]*=[ \t]*(?:"[^"\r\n]*(?:credentials?|secret|key)"|'[^'\r\n]*(?:secret|key)')[ \t]+value[ \t]*=|(?:credentials?|passphrase|secret|token|key)["'\x60]?\]?["'\x60]?[ \t]*(?:=>|:=|[:=]))[ \t]*["'\x60]?((?:<[^>\r\n]*>|\$\{[^}\r\n]*\}|[^\s"'\x60,;<>{}()\[\]\\*])(?:<[^>\r\n]*>|\$\{[^}\r\n]*\}|[^\s"'\x60,;<>{}()\[\]\\])*)`
	header := `(?im)(?:^|[^A-Za-z0-9\n-])ACCESS-(?:KEY|SIGN|PASSPHRASE)["']?[ \t]*[:=][ \t]*["']?([^\s"'*]+)`
	exchange := `(?i)binance[^\r\n]*?(?:api[_-]?key|secret(?:[_-]?key)?|password)\b["']?\]?["']?[ \t]*(?:=>|:=|[:=])[ \t]*["']?([^\s"'*]+)`
	for _, tc := range []struct {
		pattern      string
		holds, fails []string
	}{
		{generic,
			[]string{`api_key = "abcdefgh`, `"Credentials": "x`, `SECRET => y`, `token:=z`, `<add key="ApiSecret" value="abc"/>`},
			[]string{`api_key=****ab12`, `def api_key(self):`, `secret ****`, `token = *`, `the key is here`}},
		{header,
			[]string{`ACCESS-KEY: bg_1234`, `"access-sign": "x`},
			[]string{`ACCESS-KEY: ****`, `ACCESS-TIMESTAMP: 1`}},
		{exchange,
			[]string{`binance_api_key = "x`, `BINANCE SECRET: y`, `binance secret_key=z`},
			[]string{`binance api_key=****`, `binance_api_key_id(x)`}},
	} {
		re, err := syntax.Parse(tc.pattern, syntax.Perl)
		require.NoError(t, err)
		as := Assignments(re)
		require.NotNil(t, as, tc.pattern)
		holds := func(line string) bool { return NewAssignmentSet(as).Holds([]byte(line), 0, nil) }
		for _, l := range tc.holds {
			assert.True(t, holds(l), "%q", l)
		}
		for _, l := range tc.fails {
			assert.False(t, holds(l), "%q", l)
			assert.False(t, regexp.MustCompile(tc.pattern).MatchString(l), "%q matches the pattern", l)
		}
	}
}
