package literal

import "regexp/syntax"

// Class is a set of bytes. A pattern compiled in Latin-1 mode reads byte
// b as rune b. A class that holds any rune from 0x80 to 0xFF holds every
// byte outside ASCII, so that case folding there, which the regexp engines
// need not do alike, can only make a Class larger than the engine's; one
// that holds none holds no such byte in either engine (the only non-ASCII
// folds of ASCII letters, ſ and K, are outside Latin-1).
type Class [256]bool

// Run returns a class and the least number of consecutive bytes of it
// that every match of re holds (the longest such run it can find), or
// n == 0 when it cannot say. re is a tree as parsed, not simplified: a
// counted repeat is one node there.
func Run(re *syntax.Regexp) (c *Class, n int) {
	switch re.Op {
	case syntax.OpCapture:
		return Run(re.Sub[0])
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return classOf(re), 1
	case syntax.OpRepeat, syntax.OpPlus:
		least := 1
		if re.Op == syntax.OpRepeat {
			least = re.Min
		}
		if least < 1 {
			return nil, 0
		}
		if one := classOf(re.Sub[0]); one != nil {
			return one, least
		}
		return Run(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if sc, sn := Run(sub); sn > n {
				c, n = sc, sn
			}
		}
		return c, n
	case syntax.OpAlternate:
		// Every branch holds its run: the union of their classes, as
		// long as the shortest.
		union := &Class{}
		for i, b := range re.Sub {
			bc, bn := Run(b)
			if bn == 0 {
				return nil, 0
			}
			if i == 0 || bn < n {
				n = bn
			}
			for k := range union {
				union[k] = union[k] || bc[k]
			}
		}
		return union, n
	}
	return nil, 0
}

// classOf is the class of the bytes one-byte node re matches, or nil when
// re is not one.
func classOf(re *syntax.Regexp) *Class {
	c := &Class{}
	switch re.Op {
	case syntax.OpCharClass:
		latin1 := false
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := max(re.Rune[i], 0); r <= re.Rune[i+1] && r < 0x80; r++ {
				c[r] = true
			}
			if re.Rune[i] <= 0xFF && re.Rune[i+1] >= 0x80 {
				latin1 = true
			}
		}
		if !latin1 {
			return c
		}
	case syntax.OpAnyCharNotNL:
		for b := range c {
			c[b] = b != '\n'
		}
		return c
	case syntax.OpAnyChar:
		for b := range c {
			c[b] = true
		}
		return c
	default:
		return nil
	}
	for b := 0x80; b < 0x100; b++ {
		c[b] = true
	}
	return c
}

// Holds reports whether text holds a run of at least n bytes of c.
func (c *Class) Holds(text []byte, n int) bool {
	if n <= 0 {
		return true
	}
	return c.maximalRun(text, n, -1)
}

// maximalRun reports whether text holds a maximal run of c (one with no
// byte of c either side) of min to max bytes (max < 0: no bound), min >= 1.
//
// It probes one byte in min: every run of min bytes or more holds a probe
// (the probe min-1 bytes after the first byte a run can start at), and a
// probe outside c clears the min bytes up to it. A probe inside c
// measures its run, whose bytes are never read again. Lines of megabytes
// (one-line JSON data files) reach it for each token of each rule whose
// keyword they hold; most bytes are then skipped.
func (c *Class) maximalRun(text []byte, min, max int) bool {
	// q: no run of min bytes or more starts before q, and text[q-1], if
	// any, is outside c.
	for q := 0; q+min-1 < len(text); {
		p := q + min - 1
		if !c[text[p]] {
			q = p + 1
			continue
		}
		s, e := p, p+1
		for s > q && c[text[s-1]] {
			s--
		}
		for e < len(text) && c[text[e]] {
			e++
		}
		if n := e - s; n >= min && (max < 0 || n <= max) {
			return true
		}
		q = e + 1
	}
	return false
}
