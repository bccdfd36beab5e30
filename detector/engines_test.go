package detector

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enginesAgree fails t where Go's program and RE2's find other matches of
// c's pattern (submatches included) in the ASCII text b.
func enginesAgree(t testing.TB, c *compiledRule, b []byte) {
	t.Helper()
	re, err := c.program()
	require.NoError(t, err, c.rule.ID)
	want := re.FindAllSubmatchIndex(b, -1)
	got := c.goRE.FindAllSubmatchIndex(b, -1)
	if !assert.Equal(t, want, got, "rule %s: Go's regexp and RE2 differ on %q", c.rule.ID, b) {
		t.FailNow()
	}
}

// The two engines of every rule in the default pack find the same matches,
// groups included, in ASCII text: the rules' examples (alone, in a line of
// code, twice on a line, cut short), every rule's examples together, and
// the precision and recall corpora's files whole and line by line. Every
// pattern compiles in both.
func TestEnginesAgree(t *testing.T) {
	d := defaultDetector(t)
	var all []string
	for _, c := range d.rules {
		all = append(all, c.rule.Examples...)
		all = append(all, c.rule.NegativeExamples...)
	}
	var texts []string
	for _, dir := range []string{"testdata/precision", "testdata/recall"} {
		files, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(dir, f.Name()))
			require.NoError(t, err)
			texts = append(texts, string(data))
			texts = append(texts, strings.Split(string(data), "\n")...)
		}
	}
	texts = append(texts, strings.Join(all, "\n"), strings.Join(all, " "))
	texts = asciiOnly(texts)
	require.Greater(t, len(texts), 500)

	compared := 0
	for _, c := range d.rules {
		require.NoError(t, c.compile())
		require.NotNil(t, c.goRE, "rule %s: Go's regexp does not compile its pattern", c.rule.ID)
		var own []string
		for _, ex := range append(append([]string{}, c.rule.Examples...), c.rule.NegativeExamples...) {
			own = append(own, ex, `api_key = "`+ex+`"`, ex+" "+ex, ex+ex, ex[:len(ex)/2], ex[len(ex)/3:])
		}
		for _, text := range append(asciiOnly(own), texts...) {
			enginesAgree(t, c, []byte(text))
			compared++
		}
	}
	t.Logf("%d rules, %d comparisons", len(d.rules), compared)
}

func asciiOnly(texts []string) []string {
	var out []string
	for _, s := range texts {
		if asciiText([]byte(s)) {
			out = append(out, s)
		}
	}
	return out
}

// FuzzEngines: for any ASCII text, every rule's two engines find the same
// matches. Seeded with the pack's examples.
func FuzzEngines(f *testing.F) {
	d := defaultDetector(f)
	for _, c := range d.rules {
		if err := c.compile(); err != nil {
			f.Fatal(err)
		}
		for i, ex := range c.rule.Examples {
			f.Add(uint16(c.index), ex)
			if i == 0 {
				f.Add(uint16(c.index), `password: "`+ex+`" # `+ex)
			}
		}
	}
	f.Fuzz(func(t *testing.T, rule uint16, text string) {
		b := []byte(text)
		for i := range b {
			b[i] &= 0x7f
		}
		c := d.rules[int(rule)%len(d.rules)]
		enginesAgree(t, c, b)
	})
}

// findAll runs Go's program on ASCII text until the rule's budget is
// spent, and RE2's on everything else: text with a byte from 0x80 up,
// where Latin-1 and UTF-8 read other characters, and whatever comes after
// the budget. Each engine is seen by where their answers differ: a
// pattern counting characters, on text with a two-byte one.
func TestEnginesChooseByTextAndBudget(t *testing.T) {
	newEngines := func() *engines {
		e := &engines{}
		require.NoError(t, e.prepare(`"([^"]{4})"`))
		return e
	}
	// Latin-1 reads "é" as two characters; Go's regexp as one.
	latin := []byte(`"a` + "\u00e9" + `b"`)
	require.Empty(t, regexp.MustCompile(`"([^"]{4})"`).FindAllSubmatchIndex(latin, -1), "Go's regexp reads é as one character")

	e := newEngines()
	got, err := e.findAll([]byte(`x "abcd" y`))
	require.NoError(t, err)
	assert.Equal(t, [][]int{{2, 8, 3, 7}}, got)
	assert.Nil(t, e.re2, "ASCII text within the budget: RE2's program is not compiled")

	got, err = e.findAll(latin)
	require.NoError(t, err)
	assert.Equal(t, [][]int{{0, 6, 1, 5}}, got, "non-ASCII text is RE2's, in Latin-1")
	assert.NotNil(t, e.re2)

	e = newEngines()
	long := []byte(strings.Repeat(`"abcd" `, goBudget/7+1))
	require.Greater(t, len(long), goBudget)
	got, err = e.findAll(long)
	require.NoError(t, err)
	assert.Len(t, got, goBudget/7+1)
	assert.NotNil(t, e.re2, "text longer than the budget is RE2's")

	e = newEngines()
	for spent := 0; spent+8 <= goBudget; spent += 8 {
		_, err = e.findAll([]byte(`"abcd"  `))
		require.NoError(t, err)
	}
	assert.Nil(t, e.re2)
	got, err = e.findAll([]byte(`"abcd"  `))
	require.NoError(t, err)
	assert.Equal(t, [][]int{{0, 6, 1, 5}}, got)
	assert.NotNil(t, e.re2, "once the budget is spent, RE2's program runs")
}

// A pattern whose program is larger than goMaxProgram runs on RE2 from
// the first text, ASCII or not: Go's regexp would read a text at a cost
// that grows with the program.
func TestEnginesLargeProgramIsRE2s(t *testing.T) {
	large := `token=([a-f0-9]{1000}[a-f0-9]{1000}[a-f0-9]{16})`
	require.False(t, smallProgram(large))
	require.True(t, smallProgram(`"([^"]{4})"`))
	e := &engines{}
	require.NoError(t, e.prepare(large))
	assert.Nil(t, e.goRE)
	got, err := e.findAll([]byte("token=" + strings.Repeat("0123456789abcdef", 126)))
	require.NoError(t, err)
	assert.Len(t, got, 1)
	assert.NotNil(t, e.re2, "RE2's program ran")
}

func TestASCIIText(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"", true},
		{"key", true},
		{"0123456789abcdef\x7f", true},
		{"\x80", false},
		{"0123456789abcde\xff", false},
		{"01234567\xc3\xa9", false},
		{"\xc3\xa901234567", false},
	} {
		assert.Equal(t, tc.want, asciiText([]byte(tc.text)), "%q", tc.text)
	}
}
