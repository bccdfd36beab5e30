package detector

import (
	"bytes"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/keygate/keygate/detector/literal"
	"github.com/keygate/keygate/rules"
)

// A rule's keywords open its windows, but a keyword says little about
// whether the pattern can match: `cio` opens crates.io's rule on every
// line saying "precision", `binance` the Binance rules on every line of
// a connector. So before its RE2 runs, a line-local rule's windows are
// filtered by what every match of its pattern must hold, derived from the
// pattern's syntax (package literal): a run of its value's class at least
// as long as the value's shortest form (32 hex digits, 64 letters and
// digits), a whole run where the pattern puts delimiters around it (a
// 40-digit checksum holds no 32-digit key), a name, an operator and a
// value's first byte in that order where the pattern spells an assignment
// (`api_key=****` and `def api_key(self):` hold none), and, where its
// keywords do not already imply them, one of its required literals. A line without them holds no match, so dropping its
// window changes no finding: a line-local rule's matches on a line depend
// on that line alone (see ScanVersion). Where a rule's gate reads the
// match's line alone (gateOK), a line whose every value the gate drops is
// dropped too: its matches would all be.

// minFilterRun is the shortest run worth checking: shorter ones are in
// nearly every line of code.
const minFilterRun = 8

// lineFilter is what a window's line must hold for c's pattern to match
// in it.
type lineFilter struct {
	tokens []literal.Token // runs every match holds (each one)
	// need and exact: one of need (lower-case, compared case-folded)
	// or of exact (as written) must occur; both nil: none.
	need  []string
	exact []string
	// assign: a name, an operator and a value's first byte every match
	// spells (one of them); nil: none.
	assign *literal.AssignmentSet
	// keyed: every assignment of assign spells one of the rule's
	// keywords before its operator (namesKeyed), so its operator stands
	// after the end of the first keyword found on the line
	// (window.opAfter), and the walk for it starts there.
	keyed bool
	// nameLit, when not "", is a literal (lower case) every name of
	// every assignment holds, for a filter that is not keyed: its
	// operator stands after the literal's first occurrence on the line
	// (exchange-credential-group's names, passphrase, password and
	// pass_phrase, which its keywords do not all spell, hold "pass").
	nameLit string
	// viable, when not nil, reads an assignment's value: its shape as
	// the pattern spells it (literal.Assignment.ValueViable) and the
	// rule's gate, where it has one a line filter can apply (gateOK): a
	// line whose assignments' values all fail holds no finding of the
	// rule.
	viable literal.Viable
}

// newLineFilter derives c's filter, or nil when the rule is not
// line-local, its windows come from another prefilter, or nothing useful
// is required. What the pattern alone decides comes from patternFilterOf
// (ahead of time for the default pack: deriving it was a quarter of a
// one-file commit hook); a required literal is kept only where the rule's
// keywords do not imply it.
func newLineFilter(c *compiledRule) *lineFilter {
	if c.nonLocal || c.multiline || c.prefiltered {
		return nil
	}
	p := defaultPatternFilter(c.rule.Pattern)
	if p == nil {
		p = patternFilterOf(c.rule.Pattern)
	}
	f := &lineFilter{tokens: p.tokens, assign: literal.NewAssignmentSet(p.assign), keyed: namesKeyed(p.assign, c.rule.Keywords)}
	if f.assign != nil && !f.keyed {
		f.nameLit = commonName(p.assign)
	}
	if f.assign != nil {
		// A value's shape (where it starts, how long a run it is) is
		// the pattern's, whatever the gate. The gate judges only an
		// assignment whose value is the secret group (not .NET's
		// `key="…"`, whose "value" is the quoted name).
		ok, secret := gateOK(c.rule), c.rule.SecretGroup
		f.viable = func(line []byte, op int, a *literal.Assignment) bool {
			if ok == nil || a.Cap != secret {
				return a.ValueViable(line, op, nil)
			}
			return a.ValueViable(line, op, func(q int) bool {
				p := valueEnd(line, q)
				return p > q && ok(line, q, p)
			})
		}
	}
	if (p.need != nil || p.exact != nil) && !impliedBy(p.need, c.rule.Keywords) {
		f.need, f.exact = p.need, p.exact
	}
	if f.tokens == nil && f.need == nil && f.exact == nil && f.assign == nil {
		return nil
	}
	return f
}

// patternFilter is what a pattern requires of a line, as far as the
// pattern alone decides: a lineFilter before its rule's keywords are
// weighed.
type patternFilter struct {
	tokens []literal.Token
	// need are the required literals compared case-folded, exact those
	// of case-sensitive parts (`(?-i:AUTH)` in a (?i) pattern), as written:
	// a keyword, matched in any case, does not imply those.
	need   []string
	exact  []string
	assign []literal.Assignment
}

// patternFilterOf derives pattern's filter; an empty one when it requires
// nothing useful or does not parse.
func patternFilterOf(pattern string) *patternFilter {
	f := &patternFilter{}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return f
	}
	for _, t := range literal.Tokens(re) {
		if t.Min >= minFilterRun {
			f.tokens = append(f.tokens, t)
		}
	}
	if lits := literal.RequiredLits(re.Simplify()); lits != nil && asciiLits(lits) {
		for _, l := range lits {
			if l.Fold {
				f.need = append(f.need, l.S)
			} else {
				f.exact = append(f.exact, l.S)
			}
		}
	}
	f.assign = literal.Assignments(re)
	return f
}

// defaultPatternFilter is the generated filter of pattern when it is a
// default pack's pattern (filters_gen.go), else nil.
func defaultPatternFilter(pattern string) *patternFilter {
	i, ok := slices.BinarySearchFunc(defaultFilters[:], pattern, func(e patternEntry, p string) int {
		return strings.Compare(e.pattern, p)
	})
	if !ok {
		return nil
	}
	return &defaultFilters[i].filter
}

// patternEntry is one pattern's generated filter.
type patternEntry struct {
	pattern string
	filter  patternFilter
}

// holdsExact reports whether line holds one of lits as written.
func holdsExact(line []byte, lits []string) bool {
	for _, l := range lits {
		if bytes.Contains(line, []byte(l)) {
			return true
		}
	}
	return false
}

// impliedBy reports whether every keyword holds one of need: then every
// window, opened by a keyword, holds one too. Keywords are matched in any
// case, so a case-sensitive literal is never implied by one.
func impliedBy(need, keywords []string) bool {
	if len(keywords) == 0 {
		return false
	}
	for _, k := range keywords {
		k = strings.ToLower(k)
		if !containsAny(k, need) {
			return false
		}
	}
	return true
}

func containsAny(s string, lits []string) bool {
	for _, l := range lits {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}

// asciiLits: in Latin-1 mode a pattern's non-ASCII literal is matched as
// Latin-1 bytes, not the UTF-8 a Go string holds; such rules are not
// filtered on literals.
func asciiLits(lits []literal.Lit) bool {
	for _, l := range lits {
		if !ascii(l.S) {
			return false
		}
	}
	return true
}

// keep filters ws, line windows of buf, in place to those whose line holds
// what the pattern needs.
func (f *lineFilter) keep(buf []byte, ws []window) []window {
	kept := ws[:0]
	for _, w := range ws {
		line := buf[w.start:w.end]
		if !f.holdsTokens(line) {
			continue
		}
		if (f.need != nil || f.exact != nil) && !holdsFold(line, f.need) && !holdsExact(line, f.exact) {
			continue
		}
		if f.assign != nil {
			from := f.opFrom(w)
			if f.nameLit != "" {
				k := indexFold(line, f.nameLit)
				if k < 0 {
					continue // no name on the line
				}
				from = max(from, k+len(f.nameLit))
			}
			if !f.assign.Holds(line, from, f.viable) {
				continue
			}
		}
		kept = append(kept, w)
	}
	return kept
}

func (f *lineFilter) holdsTokens(line []byte) bool {
	for _, t := range f.tokens {
		if !t.HoldsToken(line) {
			return false
		}
	}
	return true
}

// commonName is the longest literal of at least minNameLit bytes that
// every name of as holds (lower case), or "".
func commonName(as []literal.Assignment) string {
	var names []string
	for _, a := range as {
		names = append(names, a.Names...)
	}
	if len(names) == 0 {
		return ""
	}
	short := slices.MinFunc(names, func(a, b string) int { return len(a) - len(b) })
	for n := len(short); n >= minNameLit; n-- {
		for i := 0; i+n <= len(short); i++ {
			sub := short[i : i+n]
			if !slices.ContainsFunc(names, func(name string) bool { return !strings.Contains(name, sub) }) {
				return sub
			}
		}
	}
	return ""
}

// minNameLit is the shortest literal commonName gives: shorter ones are in
// most lines.
const minNameLit = 3

// opFrom is where in w's line an operator of f's assignments may stand.
func (f *lineFilter) opFrom(w window) int {
	if f.keyed && w.opAfter > w.start {
		return w.opAfter - w.start
	}
	return 0
}

// gateOK is r's gate as a line filter applies it (valueOK), or nil: for
// the generic, value and code gates and the group gate's line, where r's
// secret is the generic value group, last in its pattern, so that the
// value the filter reads is the one the gate judges.
func gateOK(r *rules.Rule) valueOK {
	var ok valueOK
	switch r.Gate {
	case rules.GateGeneric:
		ok = genericOK
	case rules.GateValue:
		ok = judgedOK
	case rules.GateCode, rules.GateGroup:
		ok = codeOK
	default:
		return nil
	}
	if !strings.HasSuffix(r.Pattern, genericValueGroup) {
		return nil
	}
	re, err := syntax.Parse(r.Pattern, syntax.Perl)
	if err != nil || r.SecretGroup != re.MaxCap() {
		return nil
	}
	return ok
}

// namesKeyed reports whether every assignment of as spells one of
// keywords before its operator, in each of its names or in each of the
// literals it spells before its name (Lead): an operator then follows
// one of the keywords' occurrences, each of which the keyword automaton
// reports, the first one ending earliest.
func namesKeyed(as []literal.Assignment, keywords []string) bool {
	if len(as) == 0 || len(keywords) == 0 {
		return false
	}
	for _, a := range as {
		if !allKeyed(a.Lead, keywords) && !allKeyed(a.Names, keywords) {
			return false
		}
	}
	return true
}

// allKeyed reports whether each of lits (lower case) holds one of
// keywords; false for none.
func allKeyed(lits, keywords []string) bool {
	if len(lits) == 0 {
		return false
	}
	lower := make([]string, 0, len(keywords))
	for _, k := range keywords {
		if k != "" {
			lower = append(lower, strings.ToLower(k))
		}
	}
	for _, n := range lits {
		if !containsAny(n, lower) {
			return false
		}
	}
	return true
}

// holdsFold reports whether line holds one of lits (lower-case ASCII),
// ASCII case folded.
func holdsFold(line []byte, lits []string) bool {
	for _, l := range lits {
		if indexFold(line, l) >= 0 {
			return true
		}
	}
	return false
}

// indexFold is the first index of lit (lower-case ASCII) in b, ASCII case
// folded, or -1. Candidates are found with memchr: by a byte of lit that
// is no letter (it has one case), else by its first letter in either
// case; each is then compared whole. A window's line is searched for
// each rule that requires a literal, and a one-line data file's line is
// megabytes: reading it a byte at a time cost a quarter of freqtrade's
// tree scan.
func indexFold(b []byte, lit string) int {
	if lit == "" {
		return 0
	}
	if len(lit) > len(b) {
		return -1
	}
	last := len(b) - len(lit) // the last start a match can have
	for p := 0; p < len(lit); p++ {
		c := lit[p]
		if 'a' <= c && c <= 'z' {
			continue
		}
		for i := p; i <= last+p; {
			j := bytes.IndexByte(b[i:last+p+1], c)
			if j < 0 {
				return -1
			}
			if s := i + j - p; equalFoldLower(b[s:s+len(lit)], lit) {
				return s
			}
			i += j + 1
		}
		return -1
	}
	lo, up := lit[0], lit[0]-'a'+'A'
	nl, nu := -2, -2 // the next start with lit[0] in each case (-1: none; -2: not looked for)
	for i := 0; i <= last; {
		if nl != -1 && nl < i {
			nl = nextByte(b[:last+1], i, lo)
		}
		if nu != -1 && nu < i {
			nu = nextByte(b[:last+1], i, up)
		}
		s := nl
		if s < 0 || nu >= 0 && nu < s {
			s = nu
		}
		if s < 0 {
			return -1
		}
		if equalFoldLower(b[s:s+len(lit)], lit) {
			return s
		}
		i = s + 1
	}
	return -1
}

// nextByte is the index of the first c in b at or after i, or -1.
func nextByte(b []byte, i int, c byte) int {
	if j := bytes.IndexByte(b[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

// equalFoldLower reports whether b, ASCII case folded, is lower.
func equalFoldLower(b []byte, lower string) bool {
	for k := range b {
		if foldByte(b[k]) != lower[k] {
			return false
		}
	}
	return true
}
