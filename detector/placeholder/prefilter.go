package placeholder

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/keygate/keygate/detector/literal"
)

// pattern is a placeholder regexp with a cheap test every value it matches
// passes. Go's matcher backtracks ~0.3 µs a byte over a value it rejects
// when the pattern is unanchored (`(?i)example`, the built-in shapes): half
// a millisecond for a private-key block, and almost every candidate is
// rejected. A value that fails the test is rejected without the matcher.
type pattern struct {
	re *regexp.Regexp
	// may: one condition per branch of the regexp; an ASCII value it
	// matches meets at least one. Nil where some branch has none.
	may []cond
}

// cond is what a value must be for one branch of a regexp to match it.
type cond struct {
	// need: lower-case literals, one of which the value holds (nil: no
	// literal is required). One with a rune outside ASCII is never held
	// by the ASCII values conditions are used on: that branch never
	// matches them.
	need []string
	// max: the longest ASCII value the branch matches, where it matches
	// whole values only (anchored at both ends) and is bounded; -1
	// otherwise.
	max int
}

func newPattern(re *regexp.Regexp) pattern {
	p := pattern{re: re}
	if parsed, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
		p.may = conds(parsed.Simplify())
	}
	return p
}

// candidate is a value under test, lower-cased once for all the patterns'
// conditions.
type candidate struct {
	v       string
	ascii   bool
	lower   string
	lowered bool
}

func newCandidate(v string) *candidate { return &candidate{v: v, ascii: isASCII(v)} }

func (c *candidate) lowerCase() string {
	if !c.lowered {
		c.lower, c.lowered = strings.ToLower(c.v), true
	}
	return c.lower
}

// match is re.MatchString(c.v). Values with a byte outside ASCII always
// go to the matcher: under (?i) "ſ" and the Kelvin sign K match s and k.
func (p pattern) match(c *candidate) bool {
	if p.may != nil && c.ascii && !p.mayMatch(c) {
		return false
	}
	return p.re.MatchString(c.v)
}

func (p pattern) mayMatch(c *candidate) bool {
	for _, cd := range p.may {
		if cd.max >= 0 && len(c.v) > cd.max {
			continue
		}
		if cd.need == nil {
			return true
		}
		lower := c.lowerCase()
		for _, lit := range cd.need {
			if strings.Contains(lower, lit) {
				return true
			}
		}
	}
	return false
}

// conds returns a condition per branch of re, or nil when a branch has
// none (it may match any value). Each errs only towards passing values.
func conds(re *syntax.Regexp) []cond {
	switch re.Op {
	case syntax.OpCapture:
		return conds(re.Sub[0])
	case syntax.OpAlternate:
		return literal.AnyBranch(re.Sub, conds)
	}
	c := cond{need: literal.Required(re), max: -1}
	if anchored(re) {
		_, c.max = literal.Lengths(re)
	}
	if c.need == nil && c.max < 0 {
		return nil
	}
	return []cond{c}
}

// anchored reports whether re matches only whole values: a concatenation
// from the beginning of the text to its end.
func anchored(re *syntax.Regexp) bool {
	return re.Op == syntax.OpConcat && len(re.Sub) >= 2 &&
		re.Sub[0].Op == syntax.OpBeginText && re.Sub[len(re.Sub)-1].Op == syntax.OpEndText
}

func isASCII(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
