package literal

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The line checks skip and reuse work (lines of megabytes reach them once
// for each rule); these tests hold them to the straightforward reading on
// random classes, names and lines over a small alphabet, where runs,
// operators and names crowd together.

const alphabet = "ab:= _\"kyKY"

func randomClass(r *rand.Rand) *Class {
	c := &Class{}
	for i := 0; i < len(alphabet); i++ {
		if r.IntN(3) == 0 {
			c[alphabet[i]] = true
		}
	}
	return c
}

func randomText(r *rand.Rand, n int) []byte {
	b := make([]byte, r.IntN(n+1))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return b
}

// holdsPlain is an assignment's Holds as first written: every operator byte (from from
// on), its whole look ahead and its whole walk back.
func holdsPlain(a *Assignment, line []byte, from int) bool {
	return holdsPlainWhere(a, line, from, nil)
}

func holdsPlainWhere(a *Assignment, line []byte, from int, viable Viable) bool {
	for i, b := range line {
		if i < from || !a.Op[b] || a.Word != "" && !(len(line)-i >= len(a.Word) && equalFold(line[i:i+len(a.Word)], a.Word)) {
			continue
		}
		if a.WordGap != nil {
			// The word, gap bytes, then the end byte.
			k := i + len(a.Word)
			for k < len(line) && a.WordGap[line[k]] {
				k++
			}
			if k >= len(line) || line[k] != a.WordEnd {
				continue
			}
		}
		value := false
		for j := i + 1; j < len(line); j++ {
			if a.Value[line[j]] {
				value = true
				break
			}
			if !a.After[line[j]] {
				break
			}
		}
		if !value {
			continue
		}
		for k := i; ; k-- {
			named := false
			for _, n := range a.Names {
				if k >= len(n) && equalFold(line[k-len(n):k], n) {
					named = true
				}
			}
			if named && (viable == nil || viable(line, i, a)) {
				return true
			}
			if named {
				break
			}
			if k == 0 || !a.Before[line[k-1]] {
				break
			}
		}
	}
	return false
}

// A set walks a line once for all its assignments (one to ten): it holds
// where one of them holds as first written, from any offset and with a
// viability test.
func TestAssignmentSetHoldsWhereOneHolds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	names := []string{"k", "ky", "key", "a", "y", "b k", "ya"}
	for round := 0; round < 20000; round++ {
		as := make([]Assignment, 1+r.IntN(10))
		for i := range as {
			as[i] = Assignment{Before: randomClass(r), Op: randomClass(r), After: randomClass(r), Value: randomClass(r)}
			for range 1 + r.IntN(3) {
				as[i].Names = append(as[i].Names, names[r.IntN(len(names))])
			}
			if r.IntN(2) == 0 {
				as[i].Last = lastBytes(as[i].Names)
			}
			if r.IntN(3) == 0 {
				as[i].Word = []string{"ky", "kyk", "yy"}[r.IntN(3)]
				if r.IntN(2) == 0 {
					// A worded operator found by its end byte.
					as[i].WordEnd = alphabet[r.IntN(len(alphabet))]
					as[i].WordGap = randomClass(r)
					as[i].WordGap[as[i].WordEnd] = false
					for _, c := range "kyKY" { // as Assignments derives it
						as[i].WordGap[c] = false
					}
				}
			}
		}
		line := randomText(r, 60)
		from := r.IntN(len(line) + 1)
		want, wantFrom := false, false
		for i := range as {
			want = want || holdsPlain(&as[i], line, 0)
			wantFrom = wantFrom || holdsPlain(&as[i], line, from)
		}
		require.Equal(t, want, NewAssignmentSet(as).Holds(line, 0, nil), "%+v %q", as, line)
		require.Equal(t, wantFrom, NewAssignmentSet(as).Holds(line, from, nil), "%+v %q from %d", as, line, from)
		// A value viable at some operators only: every third one.
		viable := func(line []byte, op int, a *Assignment) bool { return op%3 == 0 }
		wantWhere := false
		for i := range as {
			wantWhere = wantWhere || holdsPlainWhere(&as[i], line, from, viable)
		}
		require.Equal(t, wantWhere, NewAssignmentSet(as).Holds(line, from, viable), "%+v %q from %d where", as, line, from)
	}
	require.Nil(t, NewAssignmentSet(nil))
}

func TestAssignmentsKnowTheirNamesLastBytes(t *testing.T) {
	for _, a := range Assignments(mustParse(t, `(?i)(?:api[_-]?key|secret)[ \t]*=[ \t]*"([a-z0-9]{32})"`)) {
		require.NotNil(t, a.Last)
		require.True(t, a.Last['y'] && a.Last['Y'] && a.Last['t'] && a.Last['T'])
		require.False(t, a.Last['k'])
	}
}

// runsPlain reads every byte: a maximal run of c of min to max bytes.
func runsPlain(c *Class, text []byte, min, max int) bool {
	run := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && c[text[i]] {
			run++
			continue
		}
		if run >= min && (max < 0 || run <= max) {
			return true
		}
		run = 0
	}
	return false
}

func TestRunChecksAgreeWithPlainReading(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 4))
	for round := 0; round < 50000; round++ {
		c := randomClass(r)
		text := randomText(r, 80)
		min := 1 + r.IntN(12)
		max := -1
		if r.IntN(2) == 0 {
			max = min + r.IntN(6)
		}
		bounded := Token{Class: c, Min: min, Max: max, Bounded: true}
		require.Equal(t, runsPlain(c, text, min, max), bounded.HoldsToken(text), "%v %q %d-%d", c, text, min, max)
		require.Equal(t, runsPlain(c, text, min, -1), c.Holds(text, min), "%v %q %d", c, text, min)
		open := Token{Class: c, Min: min, Max: max}
		require.Equal(t, runsPlain(c, text, min, -1), open.HoldsToken(text), "%v %q %d", c, text, min)
	}
}

func mustParse(t *testing.T, pattern string) *syntax.Regexp {
	re, err := syntax.Parse(pattern, syntax.Perl)
	require.NoError(t, err)
	return re
}

// Operators longer than a byte or two (Makefile `::=`, Go's `string =`,
// a setter call's `"NAME", `) are read as operators when they end with an
// assignment byte, so the generic rule's lines are checked too; a name
// spelled where an operator could be (ACCESS-(?:KEY|SIGN)) is not.
func TestAssignmentsOfLongerOperators(t *testing.T) {
	generic := `(?i)(?:credentials?|passphrase|password|passwd|apikey|secret|token|auth|pass|pwd|key)["'\x60]?\]?["'\x60]?[ \t]*(?:=>|:{1,3}=|[?.]=|[:=]|string[ \t]*=|["'][ \t]*,)[ \t]*["'\x60]?((?:<[^>\r\n]*>|\$\{[^}\r\n]*\}|\{\{[^}\r\n]*\}\}|[^\s"'\x60,;<>{}()\[\]\\*])(?:<[^>\r\n]*>|\$\{[^}\r\n]*\}|\{\{[^}\r\n]*\}\}|[^\s"'\x60,;<>{}()\[\]\\])*)`
	as := Assignments(mustParse(t, generic))
	require.NotNil(t, as)
	assert.Contains(t, as[0].Names, "passphrase", "a factored prefix (pass(?:phrase|...)) stays part of the name")
	holds := func(line string) bool { return NewAssignmentSet(as).Holds([]byte(line), 0, nil) }
	for _, l := range []string{`API_TOKEN ::= Zq8Ws7kQ2x`, `var apiSecret string = "Zq8"`, `System.setProperty("X_TOKEN", "Zq8")`, `TOKEN :::= a`, `$key .= "a"`} {
		assert.True(t, holds(l), "%q", l)
		assert.True(t, regexp.MustCompile(generic).MatchString(l), "%q", l)
	}
	for _, l := range []string{`api_key=****ab12`, `token: ****`, `def token(self):`, `secret_key: ****`, `tokens = []`, `keys_list`} {
		assert.False(t, holds(l), "%q", l)
		assert.False(t, regexp.MustCompile(generic).MatchString(l), "%q", l)
	}
	header := `(?im)(?:^|[^A-Za-z0-9\n-])ACCESS-(?:KEY|SIGN|PASSPHRASE)["']?[ \t]*[:=][ \t]*["']?([^\s"'*]+)`
	for _, a := range Assignments(mustParse(t, header)) {
		assert.NotContains(t, a.Names, "access-", "KEY|SIGN|PASSPHRASE is the name's end, not an operator")
	}
}

// An assignment knows the capture group its value opens, through the
// concatenation flatten takes apart; a value that opens none has 0.
func TestAssignmentsKnowTheirValuesGroup(t *testing.T) {
	as := Assignments(mustParse(t, `(?i)(?:token|key)[ \t]*=[ \t]*"?((?:<[^>]*>|[a-z0-9])(?:<[^>]*>|[a-z0-9])*)`))
	require.NotEmpty(t, as)
	for _, a := range as {
		assert.Equal(t, 1, a.Cap, "%v", a.Names)
	}
	as = Assignments(mustParse(t, `(?i)\bkey[ \t]*=[ \t]*"[^"]*token"[ \t]+value[ \t]*=[ \t]*"([a-z0-9]{8,})`))
	require.NotEmpty(t, as)
	assert.Equal(t, 0, as[0].Cap, "the value read after key= is the quoted name")
	as = Assignments(mustParse(t, `(x)?(?i)token[ \t]*[:=][ \t]*([a-z0-9]{8,})`))
	require.NotEmpty(t, as)
	assert.Equal(t, 2, as[0].Cap)
}
