package rules

import (
	"regexp/syntax"
	"slices"
)

// Scope says how much text around a match a rule's pattern can depend on,
// which decides how the detector runs it.
type Scope struct {
	// SpansLines: the pattern can match a newline, so it runs on a window
	// of several lines around its keyword instead of one line.
	SpansLines bool
	// AnchorsText: the pattern holds \A, \z, or ^ or $ outside multi-line
	// mode, which match at the edges of the text a regex runs on, so a
	// match depends on where that text starts and ends.
	AnchorsText bool
}

// PatternScope parses pattern and returns its Scope.
func PatternScope(pattern string) (Scope, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return Scope{}, err
	}
	return scopeOf(re), nil
}

// LineScope returns the rule's Scope: the one found when its pack was
// parsed, else its pattern's.
func (r *Rule) LineScope() (Scope, error) {
	if r.Scope != nil {
		return *r.Scope, nil
	}
	return PatternScope(r.Pattern)
}

// scopeOf walks the syntax tree as parsed, not simplified: simplifying
// copies each counted repetition ({150,300}) out node by node, and the
// operators looked for are the same in both trees.
func scopeOf(re *syntax.Regexp) Scope {
	return Scope{SpansLines: has(re, matchesNewline), AnchorsText: has(re, func(r *syntax.Regexp) bool {
		return r.Op == syntax.OpBeginText || r.Op == syntax.OpEndText
	})}
}

func matchesNewline(r *syntax.Regexp) bool {
	switch r.Op {
	case syntax.OpAnyChar:
		return true
	case syntax.OpLiteral:
		return slices.Contains(r.Rune, '\n')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(r.Rune); i += 2 {
			if r.Rune[i] <= '\n' && '\n' <= r.Rune[i+1] {
				return true
			}
		}
	}
	return false
}

// has reports whether any node of re satisfies is.
func has(re *syntax.Regexp, is func(*syntax.Regexp) bool) bool {
	return is(re) || slices.ContainsFunc(re.Sub, func(s *syntax.Regexp) bool { return has(s, is) })
}
