package literal

import (
	"regexp"
	"regexp/syntax"
	"strings"
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
	// The parser factors the branches' common `s`: the names are `key`,
	// not `skey` (`secret_key` does not end with that).
	factored := `(?i)(?:secret[a-z_-]*key|signer[a-z_-]*key|pk)[ \t]*=[ \t]*(\S+)`
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
		{factored,
			[]string{`secret_key = 0xab`, `SIGNER-KEY=x`, `pk = y`},
			[]string{`secret_key = `, `the key is here`}},
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

// An assignment's names are whole where the pattern spells them whole
// (`ACCESS-` with its branch), and what the pattern spells before them is
// its Lead; each match spells one name right before its operator and one
// lead before that name, read off the match itself.
func TestAssignmentsSpellNamesAndLeads(t *testing.T) {
	for _, tc := range []struct {
		pattern     string
		names, lead []string
		matches     []string
	}{
		{`(?im)(?:^|[^A-Za-z0-9\n-])ACCESS-(?:KEY|SIGN|PASSPHRASE)["']?[ \t]*[:=][ \t]*["']?([^\s"'*]+)`,
			[]string{"access-key", "access-sign", "access-passphrase"}, nil,
			[]string{`"ACCESS-KEY": "bg_1`, `access-sign=x`}},
		{`(?i)binance[^\r\n]*?(?:api[_-]?key|password)\b[ \t]*[:=][ \t]*["']?([^\s"'*]+)`,
			[]string{"apikey", "api_key", "api-key", "password"}, []string{"binance"},
			[]string{`binance bot api_key = x`, `BINANCE_PASSWORD=y`}},
		{`(?im)(?:alibaba|aliyun)[a-z0-9_.-]{0,24}?secret[ \t]*[:=][ \t]*([A-Za-z0-9]{30})`,
			[]string{"secret"}, []string{"alibaba", "aliyun"},
			[]string{`ALIYUN_SECRET=abcdefghijabcdefghijabcdefghij`}},
		{`(?i)pass(?:phrase|word)[ \t]*[:=][ \t]*(\S+)`,
			[]string{"passphrase", "password"}, nil,
			[]string{`Passphrase: x`}},
		{`(?i)(?:key|token)_?(?:[a-z]+_)?id[ \t]*=[ \t]*(\S+)`, // a part of any length between
			[]string{"id"}, []string{"key", "key_", "token", "token_"},
			[]string{`token_bot_id = 1`}},
	} {
		re, err := syntax.Parse(tc.pattern, syntax.Perl)
		require.NoError(t, err)
		as := Assignments(re)
		require.NotEmpty(t, as, tc.pattern)
		for _, a := range as {
			assert.ElementsMatch(t, tc.names, a.Names, tc.pattern)
			assert.ElementsMatch(t, tc.lead, a.Lead, tc.pattern)
		}
		for _, m := range tc.matches {
			loc := regexp.MustCompile(tc.pattern).FindStringSubmatchIndex(m)
			require.NotNil(t, loc, "%s must match %q", tc.pattern, m)
			before := strings.ToLower(m[:loc[2]])
			named := false
			for _, n := range as[0].Names {
				if i := strings.LastIndex(before, n); i >= 0 {
					named = true
					if as[0].Lead != nil {
						held := false
						for _, l := range as[0].Lead {
							held = held || strings.Contains(before[:i], l)
						}
						assert.True(t, held, "%q: no lead %q before its name", m, as[0].Lead)
					}
				}
			}
			assert.True(t, named, "%q spells none of %q", m, as[0].Names)
		}
	}
}
