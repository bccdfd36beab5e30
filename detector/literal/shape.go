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

// minLen is the fewest bytes a match of re holds: a rune is one byte in
// Latin-1 mode (and at least one in UTF-8).
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, p := range re.Sub {
			n += minLen(p)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, b := range re.Sub {
			if m := minLen(b); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0
}

// MaxLen is the most runes a match of re spans, or -1 if unbounded (in
// ASCII text, bytes): minLen's counterpart, for the placeholder
// prefilter's anchored patterns.
func MaxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpQuest:
		return MaxLen(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return -1
		}
		if n := MaxLen(re.Sub[0]); n >= 0 {
			return re.Max * n
		}
		return -1
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, sub := range re.Sub {
			n := MaxLen(sub)
			if n < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				total += n
			} else {
				total = max(total, n)
			}
		}
		return total
	}
	return -1 // star, plus, and anything unknown
}
