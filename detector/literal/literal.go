// Package literal derives from a regular expression's syntax what every
// match of it must hold: one of a set of literals (Required), or a run of
// bytes of one class (Run). The detector's prefilters are built from it:
// the placeholder patterns' cheap tests, and the rules' window filters. One
// place derives them, so a pattern and its prefilter cannot drift apart.
//
// Invariant: each derivation errs only towards passing text. A value or
// line that holds none of Required's literals, or no run of Run's class as
// long as its minimum, is matched by no match of the pattern, for the ASCII
// text (Required) and the Latin-1 bytes (Run) each is used on.
package literal

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Required returns literals, lower-cased, one of which every match of re
// holds, or nil when it cannot say (a match may hold no literal).
func Required(re *syntax.Regexp) []string {
	lits := RequiredLits(re)
	if lits == nil {
		return nil
	}
	out := make([]string, len(lits))
	for i, l := range lits {
		out[i] = strings.ToLower(l.S)
	}
	return out
}

// Lit is a literal a match holds: S lower-cased and compared ASCII case
// folded when Fold, else as written (a case-sensitive part of a pattern,
// `(?-i:AUTH)`).
type Lit struct {
	S    string
	Fold bool
}

// RequiredLits is Required with each literal's case: one of them, folded
// or exact as each says, is in every match of re; nil when it cannot say.
func RequiredLits(re *syntax.Regexp) []Lit {
	switch re.Op {
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		for _, r := range re.Rune {
			if fold && foldsToASCII(r) {
				// The parser writes K (Kelvin) under (?i) as k; should
				// it not, an ASCII value could match without holding
				// the literal as written.
				return nil
			}
		}
		// A literal with another non-ASCII rune is required as it is:
		// an ASCII value never holds it, and never matches.
		if fold {
			return []Lit{{S: strings.ToLower(string(re.Rune)), Fold: true}}
		}
		return []Lit{{S: string(re.Rune)}}
	case syntax.OpCapture, syntax.OpPlus:
		return RequiredLits(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return RequiredLits(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		// Every part matches, so any part's literals are required: take
		// the part whose shortest literal is longest (the rarest).
		var best []Lit
		for _, sub := range re.Sub {
			if need := RequiredLits(sub); need != nil && (best == nil || shortestLit(need) > shortestLit(best)) {
				best = need
			}
		}
		return best
	case syntax.OpAlternate:
		return AnyBranch(re.Sub, RequiredLits)
	}
	return nil
}

func shortestLit(lits []Lit) int {
	n := -1
	for _, l := range lits {
		if n < 0 || len(l.S) < n {
			n = len(l.S)
		}
	}
	return n
}

// AnyBranch joins what of says of each branch of an alternation, as
// alternatives: nil if one branch says nothing (that branch may match
// anything, so the alternation may too).
func AnyBranch[T any](branches []*syntax.Regexp, of func(*syntax.Regexp) []T) []T {
	var all []T
	for _, b := range branches {
		got := of(b)
		if got == nil {
			return nil
		}
		all = append(all, got...)
	}
	return all
}

// foldsToASCII reports whether r, outside ASCII, is case-equivalent to an
// ASCII rune (K, the Kelvin sign, to k; ſ to s).
func foldsToASCII(r rune) bool {
	if r < utf8.RuneSelf {
		return false
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Shortest is the length of the shortest of lits, -1 for none.
func Shortest(lits []string) int {
	n := -1
	for _, l := range lits {
		if n < 0 || len(l) < n {
			n = len(l)
		}
	}
	return n
}
