package placeholder

import (
	"math/rand/v2"
	"os"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/internal/testmode"
)

// prefilterPatterns are the default pack's placeholders, the built-in
// shapes, and patterns for each case of required: folded and plain
// literals, concatenations, alternations with and without a literal in
// every branch, repeats, classes, anchors, and non-ASCII literals with and
// without an ASCII case fold.
func prefilterPatterns(t testing.TB) []*regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile("../../rules/default.yaml")
	require.NoError(t, err)
	var pack struct {
		Allow struct {
			Placeholders []string `yaml:"placeholders"`
		} `yaml:"allow"`
	}
	require.NoError(t, yaml.Unmarshal(data, &pack))
	require.NotEmpty(t, pack.Allow.Placeholders)
	exprs := append(pack.Allow.Placeholders,
		`(?i)secret`, `SECRET`, `ab(?i:cd)ef`, `x{2,}y`, `(?:xy){0,2}z`, `a|b|cd`, `(?:ab|cd)+ef`,
		`(?i)(?:test|testing)_`, `^(?:pw|)$`, `[a-c]xyz`, `(?i)\x{212a}ey`, `(?i)ſecret`, `…|\.\.\.`,
		`(?i)k`, `(?s)xxx.*xxx`, `xxx.*xxx`, `\Qa.b\E`)
	var res []*regexp.Regexp
	for _, e := range exprs {
		res = append(res, regexp.MustCompile(e))
	}
	return append(res, builtin.Regexp())
}

// prefilterPieces are what the random values are made of: the patterns'
// literals in both cases, separators, the non-ASCII letters (?i) folds to
// ASCII, and filler.
var prefilterPieces = []string{
	"test", "TESTING", "fake", "Dummy", "mock", "SAMPLE", "demo", "your", "YOURk", "here", "Goes_Here",
	"placeholder", "example", "changeme", "change-me", "redacted", "xxx", "XxX", "xxxx", "...", "…",
	"secret", "s3cr3t", "p@ssw0rd", "qwerty123", "123456789", "hunter2", "api_key", "pw", "replace_me",
	"vault://", "arn:aws:ssm:", "${", "}", "{{", "<", ">", "$", "%(", ")s", "****", "•", ".", "ab", "CD",
	"ef", "xy", "z", "KEY", "\u212aey", "ſecret", "a.b", "_", "-", "\n", " ", "a", "Z", "9", "q8Zr2LmX",
	"bg_0f1e", "=", "\x00", "\xff",
}

// A pattern's prefilter never changes its answer: for every pattern and
// random values made of the patterns' pieces, match is MatchString.
func TestPrefilterIsTheMatcher(t *testing.T) {
	t.Parallel()
	patterns := prefilterPatterns(t)
	rng := rand.New(rand.NewPCG(17, 29))
	n := testmode.Scale(3_000, 30_000)
	for _, re := range patterns {
		p := newPattern(re)
		matched := 0
		for range n {
			var b strings.Builder
			for range 1 + rng.IntN(6) {
				b.WriteString(prefilterPieces[rng.IntN(len(prefilterPieces))])
			}
			v := b.String()
			want := re.MatchString(v)
			if want {
				matched++
			}
			require.Equal(t, want, p.match(newCandidate(v)), "pattern %q, value %q", re, v)
		}
		t.Logf("%q: %+v, %d of %d values matched", re, p.may, matched, n)
	}
}

// What the conditions are: a literal each match holds and, for a regexp
// matching whole values, their longest; nil where a branch may match any
// value.
func TestConditions(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		expr string
		may  []cond
	}{
		{`(?i)example`, []cond{{[]string{"example"}, -1}}},
		{`SECRET`, []cond{{[]string{"secret"}, -1}}},
		{`(?i)[_-]here$`, []cond{{[]string{"here"}, -1}}},
		{`x{2,}y`, []cond{{[]string{"x"}, -1}}},
		{`(?:xy){0,2}z`, []cond{{[]string{"z"}, -1}}},
		{`(?s)xxx.*xxx`, []cond{{[]string{"xxx"}, -1}}},
		{`…|\.\.\.`, []cond{{[]string{"…"}, -1}, {[]string{"..."}, -1}}},
		{`^.{1,3}$`, []cond{{nil, 3}}},
		{`^<[^>]*>$`, []cond{{[]string{"<"}, -1}}},
		{`(?i)^(?:no|ok|none)$`, []cond{{[]string{"no", "ok", "none"}, 4}}},
		{`a|b|cd`, nil}, // a|b parses as the class [ab]
		{`^(?:pw|)$|abc`, []cond{{nil, 2}, {[]string{"abc"}, -1}}},
		{`.*`, nil},
		{`(?i)\x{212a}ey`, []cond{{[]string{"key"}, -1}}}, // the parser folds K to k
		{`(?i)k`, []cond{{[]string{"k"}, -1}}},
	} {
		t.Run(tt.expr, func(t *testing.T) {
			parsed, err := syntax.Parse(tt.expr, syntax.Perl)
			require.NoError(t, err)
			assert.Equal(t, tt.may, conds(parsed.Simplify()))
		})
	}
	// A regexp anchored at the start is prefiltered too: a (?i)
	// alternation costs the matcher ~0.7 µs even where it fails at the
	// first byte.
	assert.Equal(t, []cond{{[]string{"no", "ok", "none"}, 4}}, newPattern(regexp.MustCompile(`(?i)^(?:no|ok|none)$`)).may)
	require.NotNil(t, builtinPattern().may, "the built-in shapes have a prefilter")
	key := "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("MIIEowIBAAKCAQEAz8Qm4Lp2Rt7Xw9Vd3Tq1Nh6Rb0Yk5Jc8Gf2Sa4Ue7Io0Pl3Mn9Bv\n", 26) + "-----END RSA PRIVATE KEY-----"
	assert.False(t, builtinPattern().mayMatch(newCandidate(key)), "a private key never reaches the built-in matcher")
	assert.False(t, builtinPattern().mayMatch(newCandidate("bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0")), "nor a token")
}

func FuzzPrefilter(f *testing.F) {
	for _, p := range prefilterPieces {
		f.Add(p + "Zq8Lm2Wx9")
	}
	f.Add("4hQmZXXX_PLW7XXXRTNB")
	f.Add("ſecret_value_long")
	var patterns []pattern
	for _, re := range prefilterPatterns(f) {
		patterns = append(patterns, newPattern(re))
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, p := range patterns {
			if got, want := p.match(newCandidate(v)), p.re.MatchString(v); got != want {
				t.Fatalf("pattern %q, value %q: prefiltered %v, the matcher %v", p.re, v, got, want)
			}
		}
	})
}
