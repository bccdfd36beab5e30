package literal

import "regexp/syntax"

// The shape of an assignment's operator and value, as far as a line
// filter can read it before RE2 runs: where after the operator a value
// may start, and how long a run of which bytes it must be. Each answer
// errs towards a match: a line these drop holds no match of the pattern.

// ValueViable reports whether a value of a may start after the operator
// byte at line[op]: at a place past bytes of After only (and past one
// byte more where the operator does not end at its first byte), with a
// run of CapMin bytes of CapBytes from there, and where ok says so. A
// line filter's Viable passes its rule's gate as ok (nil: none).
func (a *Assignment) ValueViable(line []byte, op int, ok func(q int) bool) bool {
	q := op + 1
	if a.Ends != nil && !a.Ends[line[op]] {
		// The operator goes on: its next byte is no value's.
		if q >= len(line) || !a.After[line[q]] {
			return false
		}
		q++
	}
	for ; q < len(line); q++ {
		if a.runAt(line, q) && (ok == nil || ok(q)) {
			return true
		}
		if !a.After[line[q]] {
			break
		}
	}
	return false
}

// runAt reports whether line holds CapMin bytes of CapBytes from q.
func (a *Assignment) runAt(line []byte, q int) bool {
	if a.CapBytes == nil || a.CapMin <= 0 {
		return true
	}
	if len(line)-q < a.CapMin {
		return false
	}
	for _, b := range line[q : q+a.CapMin] {
		if !a.CapBytes[b] {
			return false
		}
	}
	return true
}

// oneByteMatch is the set of bytes b such that re matches the one-byte
// text b, and whether re matches the empty text; ok is false when it
// cannot say. Assertions are taken to hold, which only adds bytes.
func oneByteMatch(re *syntax.Regexp) (c *Class, empty, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		switch len(re.Rune) {
		case 0:
			return &Class{}, true, true
		case 1:
			return runeClass(re.Rune[0], re.Flags&syntax.FoldCase != 0), false, true
		}
		return &Class{}, false, true
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		if k := classOf(re); k != nil {
			return k, false, true
		}
		return nil, false, false
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return &Class{}, true, true
	case syntax.OpNoMatch:
		return &Class{}, false, true
	case syntax.OpCapture:
		return oneByteMatch(re.Sub[0])
	case syntax.OpQuest, syntax.OpStar:
		c, _, ok := oneByteMatch(re.Sub[0])
		return c, true, ok
	case syntax.OpPlus:
		return oneByteMatch(re.Sub[0])
	case syntax.OpRepeat:
		c, e, ok := oneByteMatch(re.Sub[0])
		if !ok {
			return nil, false, false
		}
		if re.Max == 0 {
			return &Class{}, true, true
		}
		if re.Min > 1 && !e {
			c = &Class{} // two or more copies, none of them empty
		}
		return c, e || re.Min == 0, true
	case syntax.OpAlternate:
		c, empty = &Class{}, false
		for _, b := range re.Sub {
			bc, be, ok := oneByteMatch(b)
			if !ok {
				return nil, false, false
			}
			union(c, bc)
			empty = empty || be
		}
		return c, empty, true
	case syntax.OpConcat:
		// One part matches one byte, every other the empty text.
		cs := make([]*Class, len(re.Sub))
		es := make([]bool, len(re.Sub))
		for i, p := range re.Sub {
			if cs[i], es[i], ok = oneByteMatch(p); !ok {
				return nil, false, false
			}
		}
		c, empty = &Class{}, true
		for i := range re.Sub {
			others := true
			for k := range re.Sub {
				others = others && (k == i || es[k])
			}
			if others {
				union(c, cs[i])
			}
			empty = empty && es[i]
		}
		return c, empty, true
	}
	return nil, false, false
}

// Lengths bounds the length of a match of re: at least least bytes, at
// most most (-1: no bound, or one it cannot tell). A rune is one byte in
// Latin-1 mode, and at least one in UTF-8; in the ASCII values the
// placeholder prefilter bounds, a byte either way.
func Lengths(re *syntax.Regexp) (least, most int) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0, 0
	case syntax.OpLiteral:
		return len(re.Rune), len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1, 1
	case syntax.OpCapture:
		return Lengths(re.Sub[0])
	case syntax.OpQuest:
		_, most = Lengths(re.Sub[0])
		return 0, most
	case syntax.OpPlus:
		least, _ = Lengths(re.Sub[0])
		return least, -1
	case syntax.OpRepeat:
		least, most = Lengths(re.Sub[0])
		if re.Max < 0 || most < 0 {
			return re.Min * least, -1
		}
		return re.Min * least, re.Max * most
	case syntax.OpConcat:
		for _, p := range re.Sub {
			l, m := Lengths(p)
			least += l
			if most >= 0 {
				most += m
			}
			if m < 0 {
				most = -1
			}
		}
		return least, most
	case syntax.OpAlternate:
		least = -1
		for _, b := range re.Sub {
			l, m := Lengths(b)
			if least < 0 || l < least {
				least = l
			}
			if most >= 0 && (m < 0 || m > most) {
				most = m
			}
		}
		return max(least, 0), most
	}
	return 0, -1 // star, and anything unknown
}
