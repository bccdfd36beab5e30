package detector

import (
	"github.com/keygate/keygate/detector/literal"
	"github.com/keygate/keygate/rules"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/testmode"
)

// mutations are text and random edits of it: bytes replaced, dropped and
// duplicated, runs cut short, case flipped, so that lines near a match
// (one byte short of a run, a literal broken) are tried as well.
func mutations(r *rand.Rand, text string, n int) []string {
	out := []string{text}
	const alphabet = "aAfF09zZ_-=:\"' \t.\\/+x"
	for range n {
		b := []byte(text)
		for range 1 + r.IntN(3) {
			if len(b) == 0 {
				break
			}
			i := r.IntN(len(b))
			switch r.IntN(5) {
			case 0:
				b[i] = alphabet[r.IntN(len(alphabet))]
			case 1:
				b = append(b[:i:i], b[i+1:]...)
			case 2:
				b = append(b[:i+1:i+1], b[i:]...)
			case 3:
				b = b[:i]
			case 4:
				b[i] ^= 0x20
			}
		}
		out = append(out, string(b))
	}
	return out
}

// Every line a rule's pattern matches in passes the rule's line filter
// (where the rule's gate judges values, every line with a match the gate
// passes): the filter drops only windows that hold no finding, so
// findings cannot change. Tried on every example and negative example of the default
// pack and mutations of each, with the rule's own RE2 program.
func TestLineFilterKeepsEveryMatch(t *testing.T) {
	d := defaultDetector(t)
	r := rand.New(rand.NewPCG(28, 28))
	filtered, tried, matched := 0, 0, 0
	edits := 40
	if testmode.Full() {
		edits = 400
	}
	for _, c := range d.rules {
		require.NoError(t, c.compile())
		if c.lineFilter() == nil {
			continue
		}
		filtered++
		texts := append(append([]string(nil), c.rule.Examples...), c.rule.NegativeExamples...)
		for _, ex := range texts {
			for _, text := range mutations(r, ex, edits) {
				tried++
				buf := []byte(text)
				ms := gatedMatches(c, buf)
				if len(ms) == 0 {
					continue
				}
				matched++
				for _, m := range ms {
					ls, le := lineBounds(buf, m[0], m[0])
					kept := c.lines.keep(buf, []window{{start: ls, end: le}})
					assert.Len(t, kept, 1, "rule %s: the filter drops a line its pattern matches: %q", c.rule.ID, buf[ls:le])
					// As find opens it: from its first keyword.
					if e := firstKeywordEnd(buf[ls:le], c.rule.Keywords); e >= 0 {
						kept := c.lines.keep(buf, []window{{start: ls, end: le, opAfter: ls + e}})
						assert.Len(t, kept, 1, "rule %s: the filter drops a line its pattern matches, from its keyword: %q", c.rule.ID, buf[ls:le])
					}
				}
			}
		}
	}
	assert.Greater(t, filtered, 100, "most rules are filtered")
	assert.Greater(t, matched, 500)
	t.Logf("%d rules filtered; %d texts, %d matched", filtered, tried, matched)
}

// The filter drops the windows that hold a keyword and nothing else:
// crates.io's `cio` in a word, a Binance connector's code, a Redis AUTH's
// keyword in lower case, a bot log's short ids, a connector's headers.
func TestLineFilterDrops(t *testing.T) {
	d := defaultDetector(t)
	for _, tc := range []struct{ rule, line string }{
		{"crates-io-token", "the precision of this specific price"},
		{"binance-api-secret", "binance_secret = self._config.binance_api_secret"},
		{"airtable-pat", "compat = pattern.match(text)"},
		// Its AUTH forms are upper case as typed: a log's "auth token"
		// holds the keyword, not the command.
		{"redis-password", "2026-11-07T19:53:20.592Z WARN bot=BOT3 kraken auth token refresh in 450s"},
		// A value shorter than the pattern's (a key is 16 or more).
		{"coinbase-api-key", "2026-11-04T09:27:38.394Z INFO bot=BOT3 coinbase order filled id=6087445716717 key_id=81 checksum=c2a1d787f852861f5758ac5e43ad7b592928a913"},
		{"htx-api-key", "2026-11-04T09:27:38.394Z INFO bot=BOT3 htx order filled id=6087445716717 key_id=81 checksum=c2a1d787f852861f5758ac5e43ad7b592928a913"},
		// The quote after PASSPHRASE opens no `", `: the value is the
		// one after the colon, code.
		{"exchange-credential-group", `        headers = {"ACCESS-KEY": self.api_key, "ACCESS-SIGN": sign(self.secret_key, payload), "ACCESS-PASSPHRASE": self.passphrase}`},
	} {
		c := d.rules[d.byID[tc.rule]]
		require.NotNil(t, c.lineFilter(), tc.rule)
		buf := []byte(tc.line)
		assert.Empty(t, c.lines.keep(buf, []window{{start: 0, end: len(buf)}}), "%s: %q", tc.rule, tc.line)
	}
}

// FuzzLineFilter: for any line, every rule whose pattern matches in it has
// a line filter that keeps it (the filters drop only lines no match can be
// in). Seeded with the pack's examples; the fuzzer mutates them across the
// runs, quotes, operators and delimiters the filters read.
func FuzzLineFilter(f *testing.F) {
	d := defaultDetector(f)
	var filtered []*compiledRule
	for _, c := range d.rules {
		if c.lineFilter() == nil {
			continue
		}
		if err := c.compile(); err != nil {
			f.Fatal(err)
		}
		filtered = append(filtered, c)
		for _, ex := range c.rule.Examples {
			f.Add(ex)
		}
	}
	f.Add("htx key = 0123456789abcdef0123456789abcdef")
	f.Add(`api_key = "0123456789abcdefABCDEF"`)
	f.Fuzz(func(t *testing.T, line string) {
		buf := []byte(strings.ReplaceAll(line, "\n", " "))
		for _, c := range filtered {
			if len(gatedMatches(c, buf)) == 0 {
				continue
			}
			if len(c.lineFilter().keep(buf, []window{{start: 0, end: len(buf)}})) != 1 {
				t.Fatalf("rule %s: the filter drops a line its pattern matches: %q", c.rule.ID, buf)
			}
			if e := firstKeywordEnd(buf, c.rule.Keywords); e >= 0 && len(c.lineFilter().keep(buf, []window{{start: 0, end: len(buf), opAfter: e}})) != 1 {
				t.Fatalf("rule %s: the filter drops a line its pattern matches, from its keyword: %q", c.rule.ID, buf)
			}
		}
	})
}

// firstKeywordEnd is where the first of keywords to end in line ends
// (ASCII case folded), as the keyword automaton reports it first; -1 when
// none occurs.
func firstKeywordEnd(line []byte, keywords []string) int {
	// ASCII folding only, as the automaton's: strings.ToLower would turn
	// an invalid byte into three and move every offset after it.
	folded := make([]byte, len(line))
	for i, b := range line {
		folded[i] = foldByte(b)
	}
	lower := string(folded)
	first := -1
	for _, k := range keywords {
		if k == "" {
			continue
		}
		if i := strings.Index(lower, strings.ToLower(k)); i >= 0 && (first < 0 || i+len(k) < first) {
			first = i + len(k)
		}
	}
	return first
}

// A filter whose names all hold a keyword, or whose pattern spells a
// keyword before every name (Lead), walks from the end of the first
// keyword on the line: it keeps every line it keeps walking from the
// line's start (an operator of such a name follows a keyword), and drops
// more only where the pattern does not match. The generic
// rule's filter is one, Binance's key rule (`binance…api_key=`) another; a
// rule whose names may hold no keyword is not (the credential group's
// `password=`, whose keywords are `"password"` and `password:`).
func TestLineFilterWalksFromTheKeyword(t *testing.T) {
	d := defaultDetector(t)
	require.True(t, d.rules[d.byID["generic-secret-assignment"]].lineFilter().keyed)
	require.True(t, d.rules[d.byID["binance-api-key"]].lineFilter().keyed, "binance is spelled before its names")
	require.True(t, d.rules[d.byID["bitget-auth-header"]].lineFilter().keyed, "its names are its keywords (access-key)")
	require.False(t, d.rules[d.byID["exchange-credential-group"]].lineFilter().keyed, "password= holds none of its keywords")
	r := rand.New(rand.NewPCG(5, 5))
	keyed, tried := 0, 0
	for _, c := range d.rules {
		f := c.lineFilter()
		if f == nil || !f.keyed {
			continue
		}
		keyed++
		texts := append(append([]string(nil), c.rule.Examples...), c.rule.NegativeExamples...)
		texts = append(texts, "2026-11-07T19:53:20.592Z WARN bot=BOT3 kraken auth token refresh in 450s (token=****7b6d)")
		for _, ex := range texts {
			for _, text := range mutations(r, ex, 40) {
				line := []byte(text)
				e := firstKeywordEnd(line, c.rule.Keywords)
				if e < 0 {
					continue
				}
				tried++
				whole := f.keep(line, []window{{start: 0, end: len(line)}})
				from := f.keep(line, []window{{start: 0, end: len(line), opAfter: e}})
				require.LessOrEqual(t, len(from), len(whole), "rule %s: %q", c.rule.ID, line)
				if len(from) < len(whole) {
					// Sharper than the whole walk only where the
					// keyword spelled before the name is missing.
					require.NoError(t, c.compile())
					require.Empty(t, gatedMatches(c, line), "rule %s drops a line it matches: %q", c.rule.ID, line)
				}
			}
		}
	}
	assert.Positive(t, keyed)
	t.Logf("%d keyed rules, %d lines", keyed, tried)
}

// gatedMatches are the matches of c's pattern in buf, as FindAllIndex gives
// them, less those c's gate drops where c's filter reads values
// (lineFilter.viable): the gate itself judges each, on its secret group as
// matchWindows places it. For the group gate, what it reads of the match's
// own line: groupValue drops whatever codeValue says is code.
func gatedMatches(c *compiledRule, buf []byte) [][]int {
	re, err := c.program()
	if err != nil {
		panic(err) // the pack's patterns compile (TestEnginesAgree)
	}
	f := c.lineFilter()
	if f == nil || f.viable == nil || gateOK(c.rule) == nil {
		// The filter reads the value's shape alone: every match counts.
		return re.FindAllIndex(buf, -1)
	}
	var out [][]int
	g := c.rule.SecretGroup
	lines := newTextLines(buf)
	for _, m := range re.FindAllSubmatchIndex(buf, -1) {
		ss, se := m[2*g], m[2*g+1]
		if ss < 0 || se <= ss {
			continue
		}
		var pass bool
		switch c.rule.Gate {
		case rules.GateGeneric:
			pass = genericValue(lines, ss, queryEnd(buf, ss, se))
		case rules.GateValue:
			pass = judgedValue(lines, ss, se)
		case rules.GateCode, rules.GateGroup:
			pass = !codeValue(lines, ss, se)
		default:
			panic("a line filter reads values for gate " + c.rule.Gate)
		}
		if pass {
			out = append(out, m[:2])
		}
	}
	return out
}

// The generic rules' filters read values as the gate would: a line whose
// only assignment's value is short or a member access is dropped before
// RE2 runs; one with a value the gate passes is kept.
func TestLineFilterReadsGenericValues(t *testing.T) {
	d := defaultDetector(t)
	c := d.rules[d.byID["generic-secret-assignment"]]
	require.NotNil(t, c.lineFilter().viable)
	for _, line := range []string{
		`    headers = {"ACCESS-KEY": self.api_key, "ACCESS-PASSPHRASE": self.passphrase}`,
		`    token = await self._get_token()`,
		`    api_key: str = ""`,
		`    secret = os.environ`,
		// What the gate drops by the value's text alone: a reference, a
		// template, an identifier, words.
		`  api_key: ${BINANCE_API_KEY}`,
		`          API_SECRET: ${{ secrets.BINANCE_API_SECRET }}`,
		`    password: {{ .Values.bot.password }}`,
		`        self._api_secret = api_secret`,
		`    okx_secret_key: str = Field(default=..., json_schema_extra={"prompt": "Enter your okx secret key", "is_secure": True})`,
		`    passphrase = "correct-horse-battery"`,
	} {
		b := []byte(line)
		assert.Empty(t, c.lines.keep(b, []window{{start: 0, end: len(b)}}), line)
	}
	for _, line := range []string{
		`    api_key = "Zq8Ws7kQ2xSynth9Vd4"`,
		`    api_key = self.api_key; token = "Zq8Ws7kQ2xSynth9Vd4"`,
		`GET /v1/ws?token=Zq8Ws7kQ2xSynth9Vd4&lang=en`,
		`    password: <b>Zq8Ws7kQ2x</b>`,
		`    bitget_secret = 'Zq8Ws7kQ2xSynth9Vd4'`,
	} {
		b := []byte(line)
		assert.Len(t, c.lines.keep(b, []window{{start: 0, end: len(b)}}), 1, line)
		fs, err := d.Scan(append(b, '\n'), "notes.md")
		require.NoError(t, err)
		assert.NotEmpty(t, fs, "a finding: %s", line)
	}
	for _, id := range []string{"binance-credential", "kucoin-credential"} {
		assert.NotNil(t, d.rules[d.byID[id]].lineFilter().viable, id)
	}
}

// The code and group gates' filters drop a line whose values are code
// or references (a connector's signing headers, a config loader) before
// RE2 runs, and keep one with a literal value.
func TestLineFilterReadsCodeValues(t *testing.T) {
	d := defaultDetector(t)
	tests := []struct {
		rule       string
		drop, keep string
	}{
		{"bitget-auth-header",
			`        headers = {"ACCESS-KEY": self.api_key, "ACCESS-SIGN": sign(self.secret_key, msg), "ACCESS-TIMESTAMP": ts}`,
			`ACCESS-KEY: bg_5f3e0c9a8b7d6e5f4a3b2c1d0e9f8a7b`},
		{"bitget-passphrase",
			`    passphrase = config.bitget.passphrase`,
			`    passphrase = "Harbor7Tide5"`},
		{"exchange-credential-group",
			`  passphrase: ${BITGET_PASSPHRASE}`,
			`  passphrase: Harbor7Tide5`},
	}
	for _, tt := range tests {
		c := d.rules[d.byID[tt.rule]]
		require.NotNil(t, c.lineFilter().viable, tt.rule)
		b := []byte(tt.drop)
		assert.Empty(t, c.lines.keep(b, []window{{start: 0, end: len(b)}}), "%s: %s", tt.rule, tt.drop)
		b = []byte(tt.keep)
		assert.Len(t, c.lines.keep(b, []window{{start: 0, end: len(b)}}), 1, "%s: %s", tt.rule, tt.keep)
	}
}

// A filter whose names its keywords do not all spell reads a line from the
// first occurrence of what every name holds: exchange-credential-group's
// passphrase, password and pass_phrase hold "pass". What stands before it
// is no assignment of the rule, and the line's own is still read.
func TestLineFilterReadsFromTheNamesLiteral(t *testing.T) {
	assert.Equal(t, "pass", commonName([]literal.Assignment{{Names: []string{"passphrase", "password"}}, {Names: []string{"pass_phrase"}}}))
	assert.Equal(t, "", commonName([]literal.Assignment{{Names: []string{"key", "secret"}}}))
	d := defaultDetector(t)
	c := d.rules[d.byID["exchange-credential-group"]]
	f := c.lineFilter()
	require.False(t, f.keyed)
	require.Equal(t, "pass", f.nameLit)
	for line, kept := range map[string]bool{
		`2026-11-01T12:30:03Z INFO bot=BOT2 mexc ws login ok passphrase: Harbor7Tide5Xq`: true,
		`  - {name: bot2, Password: "Harbor7Tide5Xq"}`:                                   true,
		`2026-11-01T12:30:03Z INFO bot=BOT2 login ok passphrase refreshed`:               false,
		// The literal's first occurrence is no name: the walk starts there,
		// before the name.
		`bypass_cache=1 password: Harbor7Tide5Xq`: true,
	} {
		b := []byte(line)
		assert.Equal(t, kept, len(f.keep(b, []window{{start: 0, end: len(b)}})) == 1, line)
	}
}
