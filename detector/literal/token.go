package literal

import "regexp/syntax"

// Token is a run of one class of bytes every match of a pattern holds:
// at least Min bytes of Class. When Bounded, the pattern also says that
// the bytes around the run are outside Class (an operator, a quote or a
// space before a key, a delimiter or the line's end after it), so the run
// is a whole run of the text: a line holds such a match only where a
// maximal run of Class is at least Min and, when Max >= 0, at most Max
// bytes long. A 40-digit checksum then holds no 32-digit key.
type Token struct {
	Class    *Class
	Min, Max int // Max -1: unbounded
	Bounded  bool
}

// Tokens returns the runs every match of re holds that the top-level
// concatenation of re (through captures) spells as one repeated class.
// re is a tree as parsed, not simplified.
func Tokens(re *syntax.Regexp) []Token {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat {
		if c, n := Run(re); n > 0 {
			return []Token{{Class: c, Min: n, Max: -1}}
		}
		return nil
	}
	parts := flatten(nil, re)
	var out []Token
	for i, sub := range parts {
		c, lo, hi, ok := repeated(sub)
		if !ok {
			if rc, n := Run(sub); n > 0 {
				out = append(out, Token{Class: rc, Min: n, Max: -1})
			}
			continue
		}
		before, okb := edge(parts[:i], true)
		after, oka := edge(parts[i+1:], false)
		t := Token{Class: c, Min: lo, Max: hi}
		t.Bounded = okb && oka && disjoint(before, c) && disjoint(after, c)
		out = append(out, t)
	}
	return out
}

// flatten appends the parts of a concatenation, with those of the
// concatenations inside it (captured or not) in their place.
func flatten(parts []*syntax.Regexp, re *syntax.Regexp) []*syntax.Regexp {
	for _, sub := range re.Sub {
		inner := sub
		for inner.Op == syntax.OpCapture {
			inner = inner.Sub[0]
		}
		if inner.Op == syntax.OpConcat {
			parts = flatten(parts, inner)
		} else {
			parts = append(parts, sub)
		}
	}
	return parts
}

// repeated reports whether re (through captures) is one class repeated
// at least once: its class and bounds.
func repeated(re *syntax.Regexp) (c *Class, lo, hi int, ok bool) {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	switch re.Op {
	case syntax.OpRepeat:
		if re.Min >= 1 {
			if c := classOf(re.Sub[0]); c != nil {
				return c, re.Min, re.Max, true
			}
		}
	case syntax.OpPlus:
		if c := classOf(re.Sub[0]); c != nil {
			return c, 1, -1, true
		}
	case syntax.OpCharClass:
		return classOf(re), 1, 1, true
	}
	return nil, 0, 0, false
}

// edge is the set of bytes that can stand next to a run from the side of
// parts (the elements before it when left, after it otherwise): the last
// (first) bytes of the nearest parts, up to the first that cannot match
// empty. ok is false when every part can match empty, so that the byte
// beside the run may come from outside the match.
func edge(parts []*syntax.Regexp, left bool) (*Class, bool) {
	set := &Class{}
	for k := range parts {
		p := parts[k]
		if left {
			p = parts[len(parts)-1-k]
		}
		s, nullable := ends(p, left)
		if s == nil {
			return nil, false
		}
		union(set, s)
		if !nullable {
			return set, true
		}
	}
	return nil, false
}

// ends returns the bytes a match of re can end with (left) or start with,
// and whether re can match empty. An assertion that the text ends there
// ($, \z) or starts there (^, \A) is a byte outside every run: a newline.
// nil: unknown.
func ends(re *syntax.Regexp, left bool) (*Class, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return &Class{}, true
		}
		r := re.Rune[0]
		if left {
			r = re.Rune[len(re.Rune)-1]
		}
		return runeClass(r, re.Flags&syntax.FoldCase != 0), false
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return classOf(re), false
	case syntax.OpCapture:
		return ends(re.Sub[0], left)
	case syntax.OpQuest, syntax.OpStar:
		s, _ := ends(re.Sub[0], left)
		return s, true
	case syntax.OpPlus:
		return ends(re.Sub[0], left)
	case syntax.OpRepeat:
		s, nullable := ends(re.Sub[0], left)
		return s, nullable || re.Min == 0
	case syntax.OpEmptyMatch:
		return &Class{}, true
	case syntax.OpBeginLine, syntax.OpBeginText:
		if left {
			c := &Class{}
			c['\n'] = true
			return c, false
		}
		return &Class{}, true
	case syntax.OpEndLine, syntax.OpEndText:
		if !left {
			c := &Class{}
			c['\n'] = true
			return c, false
		}
		return &Class{}, true
	case syntax.OpAlternate:
		set, nullable := &Class{}, false
		for _, b := range re.Sub {
			s, n := ends(b, left)
			if s == nil {
				return nil, false
			}
			union(set, s)
			nullable = nullable || n
		}
		return set, nullable
	case syntax.OpConcat:
		set := &Class{}
		for k := range re.Sub {
			p := re.Sub[k]
			if left {
				p = re.Sub[len(re.Sub)-1-k]
			}
			s, n := ends(p, left)
			if s == nil {
				return nil, false
			}
			union(set, s)
			if !n {
				return set, false
			}
		}
		return set, true
	}
	// \b, \B and anything else: unknown.
	return nil, false
}

// runeClass is the class of the byte r is, with its ASCII case pair under
// folding; a rune outside ASCII stands for every such byte.
func runeClass(r rune, fold bool) *Class {
	c := &Class{}
	if r >= 0x80 {
		for b := 0x80; b < 0x100; b++ {
			c[b] = true
		}
		return c
	}
	c[r] = true
	if fold {
		switch {
		case 'a' <= r && r <= 'z':
			c[r-'a'+'A'] = true
		case 'A' <= r && r <= 'Z':
			c[r-'A'+'a'] = true
		}
	}
	return c
}

func union(dst, src *Class) {
	for b := range dst {
		dst[b] = dst[b] || src[b]
	}
}

func disjoint(a, b *Class) bool {
	for k := range a {
		if a[k] && b[k] {
			return false
		}
	}
	return true
}

// HoldsToken reports whether text holds a run of t's class that a match
// can use: with Bounded, a maximal run of Min to Max bytes; otherwise any
// run of Min bytes.
func (t Token) HoldsToken(text []byte) bool {
	if !t.Bounded {
		return t.Class.Holds(text, t.Min)
	}
	if t.Min >= 1 {
		return t.Class.maximalRun(text, t.Min, t.Max)
	}
	run := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && t.Class[text[i]] {
			run++
			continue
		}
		if run >= t.Min && (t.Max < 0 || run <= t.Max) {
			return true
		}
		run = 0
	}
	return false
}
