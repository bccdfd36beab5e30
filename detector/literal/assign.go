package literal

import (
	"bytes"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Assignment is a name, an operator and a value's first byte, in that
// order, that every match of a pattern spells: `api_key = "…`,
// `ACCESS-KEY: …`. It lets a line be judged before the pattern runs: a
// line where no operator byte has one of the names before it (past bytes
// of Before) and a possible first byte of the value after it (past bytes
// of After) holds no match. A masked value (`api_key=****`) or a name
// with no value (`def api_key(self):`) fails it.
type Assignment struct {
	Names  []string // lower-case ASCII; the text before Before ends with one
	Before *Class   // bytes that may stand between the name and the operator
	Op     *Class   // the operator's first byte
	After  *Class   // bytes that may stand between the operator's first byte and the value
	Value  *Class   // the value's first byte
	// Last holds the names' last bytes, in both cases: most bytes
	// before an operator end no name (nil: not known).
	Last *Class
	// Word, when not "", is what the operator spells from its first
	// byte on (lower case, compared case-folded): Go's `string`.
	Word string
	// WordGap, when not nil, says how the operator goes on past its Word:
	// bytes of WordGap, then WordEnd (`string[ \t]*=`: spaces, then '=').
	// Its operators are found by their end byte, far rarer in a line than
	// the word's first letter.
	WordGap *Class
	WordEnd byte
	// Ends holds the operator's first bytes after which it may end
	// (`=`, `:`): a value may stand right after those. After any other
	// (the `"` of `", `, the `.` of `.=`) one more byte of After comes
	// first. nil: any byte may end it.
	Ends *Class
	// Cap is the capture group the value opens (its index), 0 when the
	// value opens none (.NET's `key="…" value=` spells an assignment
	// whose value is the quoted name).
	Cap int
	// CapMin is the fewest bytes a match of capture Cap holds, each a
	// byte of CapBytes (nil: not known): `[A-Za-z0-9]{16}` is a run of
	// 16. A value shorter than that (`key_id=81`) is no match.
	CapMin   int
	CapBytes *Class
	// Lead, when not nil, are lower-case ASCII literals one of which
	// every match spells before its name (`binance` of
	// `binance[^\r\n]*?api[_-]?key…`): where each holds one of a rule's
	// keywords, the operator stands after the first keyword on the line.
	Lead []string
}

// maxNames bounds the names an assignment keeps: more, and the pattern is
// not one name and an operator.
const maxNames = 64

// Assignments returns assignments one of which every match of re spells,
// or nil. re is a tree as parsed, not simplified.
func Assignments(re *syntax.Regexp) []Assignment {
	opens := map[*syntax.Regexp]*syntax.Regexp{}
	capOpens(re, opens)
	return assignmentsIn(flatten(nil, &syntax.Regexp{Op: syntax.OpConcat, Sub: []*syntax.Regexp{re}}), opens)
}

// capOpens records, for each part flatten makes of a capture's
// concatenation, the outermost capture that opens at that part: flatten
// drops the capture itself, and an assignment's Cap is read from here.
func capOpens(re *syntax.Regexp, opens map[*syntax.Regexp]*syntax.Regexp) {
	for _, sub := range re.Sub {
		if sub.Op == syntax.OpCapture {
			inner := sub
			for inner.Op == syntax.OpCapture {
				inner = inner.Sub[0]
			}
			if inner.Op == syntax.OpConcat {
				if parts := flatten(nil, inner); len(parts) > 0 {
					if _, ok := opens[parts[0]]; !ok {
						opens[parts[0]] = sub
					}
				}
			}
		}
		capOpens(sub, opens)
	}
}

// assignmentsIn reads assignments from parts, a concatenation: one spelled
// by consecutive parts, or, for a part with branches, one in each branch
// followed by the parts after it.
func assignmentsIn(parts []*syntax.Regexp, opens map[*syntax.Regexp]*syntax.Regexp) []Assignment {
	for i := range parts {
		if as, ok := assignmentsAt(parts, i, opens); ok {
			return as
		}
	}
	for i, p := range parts {
		for p.Op == syntax.OpCapture {
			p = p.Sub[0]
		}
		if p.Op != syntax.OpAlternate {
			continue
		}
		var all []Assignment
		for _, b := range p.Sub {
			sub := flatten(nil, &syntax.Regexp{Op: syntax.OpConcat, Sub: []*syntax.Regexp{b}})
			got := assignmentsIn(append(sub, parts[i+1:]...), opens)
			if got == nil {
				all = nil
				break
			}
			all = append(all, got...)
		}
		if all != nil {
			return all
		}
	}
	return nil
}

// assignmentsAt reads the assignments whose name ends parts[i]: one, or,
// where an operator branch starts with a word (Go's `string =`), one for
// that branch (its operator must spell the word) and one for the others:
// an operator class holding the word's first letter let every `s` of a
// line through.
func assignmentsAt(parts []*syntax.Regexp, i int, opens map[*syntax.Regexp]*syntax.Regexp) ([]Assignment, bool) {
	j := i + 1
	for ; j < len(parts); j++ {
		if zeroWidth(parts[j]) {
			continue
		}
		if _, nullable := ends(parts[j], false); !nullable {
			break
		}
	}
	op := parts[j%len(parts)]
	for op.Op == syntax.OpCapture {
		op = op.Sub[0]
	}
	if j < len(parts) && op.Op == syntax.OpAlternate {
		var plain, worded []*syntax.Regexp
		for _, b := range op.Sub {
			if leadWord(b) != "" {
				worded = append(worded, b)
			} else {
				plain = append(plain, b)
			}
		}
		if len(worded) > 0 {
			var out []Assignment
			try := func(b *syntax.Regexp) bool {
				alt := append([]*syntax.Regexp(nil), parts...)
				alt[j] = b
				a, ok := assignmentAt(alt, i, opens)
				out = append(out, a)
				return ok
			}
			if len(plain) > 0 && !try(&syntax.Regexp{Op: syntax.OpAlternate, Sub: plain, Flags: op.Flags}) {
				return nil, false
			}
			for _, b := range worded {
				if !try(b) {
					return nil, false
				}
				a := &out[len(out)-1]
				a.Word = leadWord(b)
				if gap, end := wordTail(b); gap != nil && !wordIn(gap, a.Word) {
					a.WordGap, a.WordEnd = gap, end
				}
			}
			return out, true
		}
	}
	a, ok := assignmentAt(parts, i, opens)
	if !ok {
		return nil, false
	}
	return []Assignment{a}, true
}

// wordTail reads a worded operator branch that goes on from its word
// with optional bytes of one class and then one byte (`string[ \t]*=`):
// that class and that byte, or a nil class when b is not such a branch.
// The byte is outside the class, so each of its occurrences ends at most
// one operator.
func wordTail(b *syntax.Regexp) (*Class, byte) {
	for b.Op == syntax.OpCapture {
		b = b.Sub[0]
	}
	if b.Op != syntax.OpConcat || len(b.Sub) < 2 {
		return nil, 0
	}
	end := b.Sub[len(b.Sub)-1]
	if end.Op != syntax.OpLiteral || len(end.Rune) != 1 || end.Rune[0] >= utf8.RuneSelf || end.Flags&syntax.FoldCase != 0 && unicode.ToUpper(end.Rune[0]) != unicode.ToLower(end.Rune[0]) {
		return nil, 0
	}
	gap := &Class{}
	for _, p := range b.Sub[1 : len(b.Sub)-1] {
		if _, nullable := ends(p, false); !nullable {
			return nil, 0
		}
		c, ok := anyByteOf(p)
		if !ok {
			return nil, 0
		}
		union(gap, c)
	}
	e := byte(end.Rune[0])
	if gap[e] {
		return nil, 0
	}
	return gap, e
}

// wordIn reports whether c holds a letter of word in either case: a gap
// that could hold the word's last letters would hide where it ends.
func wordIn(c *Class, word string) bool {
	for i := 0; i < len(word); i++ {
		if c[word[i]] || c[word[i]&^0x20] {
			return true
		}
	}
	return false
}

// leadWord is the word (lower case, more than three ASCII letters) an
// operator branch starts with: `string` of `string[ \t]*=`; "" when none.
func leadWord(b *syntax.Regexp) string {
	for b.Op == syntax.OpCapture {
		b = b.Sub[0]
	}
	if b.Op == syntax.OpConcat && len(b.Sub) > 0 {
		b = b.Sub[0]
	}
	if b.Op != syntax.OpLiteral || len(b.Rune) <= 3 {
		return ""
	}
	w := strings.ToLower(string(b.Rune))
	for k := 0; k < len(w); k++ {
		if w[k] < 'a' || w[k] > 'z' {
			return ""
		}
	}
	return w
}

// assignmentAt reads an assignment whose name ends parts[i].
func assignmentAt(parts []*syntax.Regexp, i int, opens map[*syntax.Regexp]*syntax.Regexp) (Assignment, bool) {
	names := suffixes(parts[i])
	from := i
	if spelled, k := spelledBefore(parts, i); spelled != nil {
		// The whole name, with the literals before it: `access-key`
		// of `ACCESS-(?:KEY|SIGN)`, not `key`.
		names, from = spelled, k
	}
	if names == nil {
		return Assignment{}, false
	}
	a := Assignment{Names: names, Before: &Class{}, Lead: leadBefore(parts, from)}
	j := i + 1
	// Optional one-byte parts, then the operator.
	for ; j < len(parts); j++ {
		if zeroWidth(parts[j]) {
			continue
		}
		s, nullable := ends(parts[j], false)
		if s == nil {
			return Assignment{}, false
		}
		if !nullable {
			break
		}
		if !oneByte(parts[j]) {
			return Assignment{}, false
		}
		union(a.Before, s)
	}
	if j == len(parts) {
		return Assignment{}, false
	}
	op, _ := ends(parts[j], false)
	inner, ok := tail(parts[j])
	if !ok {
		return Assignment{}, false
	}
	a.Op, a.After = op, inner
	if lone, _, ok := oneByteMatch(parts[j]); ok {
		a.Ends = lone
	}
	// Optional one-byte parts, then the value's first byte.
	for j++; j < len(parts); j++ {
		if zeroWidth(parts[j]) {
			continue
		}
		s, nullable := ends(parts[j], false)
		if s == nil {
			return Assignment{}, false
		}
		if !nullable {
			a.Value = s
			a.Last = lastBytes(a.Names)
			capture := opens[parts[j]]
			if parts[j].Op == syntax.OpCapture {
				capture = parts[j]
			}
			if capture != nil {
				a.Cap = capture.Cap
				if c, ok := anyByteOf(capture); ok {
					a.CapBytes = c
					a.CapMin, _ = Lengths(capture)
				}
			}
			return a, true
		}
		if !oneByte(parts[j]) {
			return Assignment{}, false
		}
		union(a.After, s)
	}
	return Assignment{}, false
}

// spelledBefore is what parts[k:i+1] spell, for the smallest k the
// parts from k on spell one of a few strings whole, when parts[i] does:
// every match of them is one of these (lower case, none empty); nil
// when parts[i] is not such a part.
func spelledBefore(parts []*syntax.Regexp, i int) ([]string, int) {
	names := spelled(parts[i])
	if names == nil || slices.Contains(names, "") {
		return nil, i
	}
	k := i
	for k > 0 {
		before := spelled(parts[k-1])
		if before == nil || len(before)*len(names) > maxNames {
			break
		}
		names = cross(before, names)
		k--
	}
	return names, k
}

// leadBefore is what the first run of parts before parts[end] that
// spells one of a few non-empty strings spells, nil when none does.
func leadBefore(parts []*syntax.Regexp, end int) []string {
	for j := 0; j < end; j++ {
		lead := spelled(parts[j])
		if lead == nil {
			continue
		}
		k := j + 1
		for ; k < end; k++ {
			next := spelled(parts[k])
			if next == nil || len(lead)*len(next) > maxNames {
				break
			}
			lead = cross(lead, next)
		}
		if !slices.Contains(lead, "") {
			return lead
		}
		j = k
	}
	return nil
}

// spelled is every string a match of re can be, lower-cased, when they
// are few and ASCII (`ACCESS-`, `(?:KEY|SIGN)`, `[_-]?`); nil otherwise.
// Matches are compared ASCII case folded, as RE2's Latin-1 mode folds
// them.
func spelled(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpCapture:
		return spelled(re.Sub[0])
	case syntax.OpEmptyMatch:
		return []string{""}
	case syntax.OpLiteral:
		s := string(re.Rune)
		if !isASCII(s) {
			return nil
		}
		return []string{strings.ToLower(s)}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1] >= utf8.RuneSelf || re.Rune[i+1]-re.Rune[i] >= maxNames {
				return nil
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if s := strings.ToLower(string(r)); !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
		if len(out) == 0 || len(out) > 4 {
			return nil
		}
		return out
	case syntax.OpQuest:
		sub := spelled(re.Sub[0])
		if sub == nil || slices.Contains(sub, "") {
			return sub
		}
		return append([]string{""}, sub...)
	case syntax.OpAlternate:
		var out []string
		for _, b := range re.Sub {
			sub := spelled(b)
			if sub == nil {
				return nil
			}
			for _, s := range sub {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
		if len(out) > maxNames {
			return nil
		}
		return out
	case syntax.OpConcat:
		out := []string{""}
		for _, p := range re.Sub {
			sub := spelled(p)
			if sub == nil || len(out)*len(sub) > maxNames {
				return nil
			}
			out = cross(out, sub)
		}
		return out
	}
	return nil
}

// cross is every a followed by every b, each once.
func cross(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if s := x + y; !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// zeroWidth: \b and \B match no byte; skipping them only passes more
// lines.
func zeroWidth(re *syntax.Regexp) bool {
	return re.Op == syntax.OpWordBoundary || re.Op == syntax.OpNoWordBoundary
}

// oneByte reports whether every match of re, an optional part, is
// made of bytes of its first-byte set: x?, [ \t]*, an assertion.
func oneByte(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpQuest, syntax.OpStar, syntax.OpPlus, syntax.OpRepeat, syntax.OpCapture:
		return oneByte(re.Sub[0])
	case syntax.OpCharClass, syntax.OpEmptyMatch:
		return true
	case syntax.OpLiteral:
		return len(re.Rune) <= 1
	}
	return false
}

// tail is the set of bytes a match of the operator part re can hold after
// its first byte (the second byte of `=>`, `:=`, the rest of `::=` or of
// Go's `string =`), ok false when unknown. The look ahead past the
// operator skips any of them, so a longer operator only weakens the
// check, never makes it drop a line a match is in.
func tail(re *syntax.Regexp) (*Class, bool) {
	c := &Class{}
	switch re.Op {
	case syntax.OpCapture:
		return tail(re.Sub[0])
	case syntax.OpCharClass:
		return c, true
	case syntax.OpLiteral:
		if len(re.Rune) > 3 {
			return nil, false
		}
		for _, r := range re.Rune[1:] {
			union(c, runeClass(r, re.Flags&syntax.FoldCase != 0))
		}
		return c, true
	case syntax.OpAlternate:
		for _, b := range re.Sub {
			s, ok := tail(b)
			if !ok {
				return nil, false
			}
			union(c, s)
		}
		return c, true
	case syntax.OpConcat:
		// A longer operator (`:{1,3}=`, `string =`, the `"NAME", `
		// of a setter call) ends with an assignment byte; a name
		// (KEY, api[_-]?key) does not, and is not taken for one.
		if len(re.Sub) == 0 || !assignsLast(re.Sub[len(re.Sub)-1]) {
			return nil, false
		}
		first := re.Sub[0]
		if _, nullable := ends(first, false); nullable {
			return anyByteOf(re) // the first byte may be a later part's
		}
		var t *Class
		ok := true
		switch first.Op {
		case syntax.OpLiteral, syntax.OpRepeat, syntax.OpPlus:
			// Its bytes after the first (any length: the last
			// part says it is an operator).
			t, ok = anyByteOf(first)
		default:
			t, ok = tail(first)
		}
		if !ok {
			return nil, false
		}
		union(c, t)
		for _, p := range re.Sub[1:] {
			s, ok := anyByteOf(p)
			if !ok {
				return nil, false
			}
			union(c, s)
		}
		return c, true
	}
	return nil, false
}

// assignsLast reports whether re, an operator's last part, is made of
// assignment bytes only: = : , >.
func assignsLast(re *syntax.Regexp) bool {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	c, ok := anyByteOf(re)
	if !ok || re.Op != syntax.OpLiteral && re.Op != syntax.OpCharClass {
		return false
	}
	any := false
	for b := range c {
		if c[b] && strings.IndexByte("=:,>", byte(b)) < 0 {
			return false
		}
		any = any || c[b]
	}
	return any
}

// anyByteOf is the set of bytes a match of re can hold, ok false when
// unknown.
func anyByteOf(re *syntax.Regexp) (*Class, bool) {
	c := &Class{}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			union(c, runeClass(r, re.Flags&syntax.FoldCase != 0))
		}
		return c, true
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		if k := classOf(re); k != nil {
			return k, true
		}
		return nil, false
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return c, true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat, syntax.OpConcat, syntax.OpAlternate:
		for _, p := range re.Sub {
			s, ok := anyByteOf(p)
			if !ok {
				return nil, false
			}
			union(c, s)
		}
		return c, true
	}
	return nil, false
}

// suffixes returns lower-case literals one of which every match of re
// ends with, or nil: `key`, `api[_-]?key`, `secret(?:[_-]?key)?`,
// `credentials?`.
func suffixes(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpCapture:
		return suffixes(re.Sub[0])
	case syntax.OpLiteral:
		// Compared case-folded whatever the pattern's flags: a
		// case-sensitive name is found too.
		s := string(re.Rune)
		if !isASCII(s) || len(s) == 0 {
			return nil
		}
		return []string{strings.ToLower(s)}
	case syntax.OpAlternate:
		return AnyBranch(re.Sub, suffixes)
	case syntax.OpConcat:
		if len(re.Sub) == 0 {
			return nil
		}
		last := re.Sub[len(re.Sub)-1]
		if last.Op == syntax.OpQuest {
			// x(?:y)?: ends with y's suffixes or x's (xy's, when y is
			// a literal: credentials?).
			with := suffixes(last.Sub[0])
			without := suffixes(&syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[:len(re.Sub)-1]})
			if with == nil || without == nil || len(with)+len(without) > maxNames {
				return nil
			}
			if last.Sub[0].Op == syntax.OpLiteral {
				joined := make([]string, 0, len(without)+1)
				for _, w := range without {
					joined = append(joined, w+with[0])
				}
				with = joined
			}
			return append(with, without...)
		}
		return suffixes(last)
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// holdState is what Holds' walk reuses from one operator to the next.
type holdState struct {
	prevOp   int  // the last operator walked back from (-1: none)
	prevName bool // its answer
	valueEnd int  // the look ahead's stop
	valueOK  bool // its answer
}

func newHoldState() holdState { return holdState{prevOp: -1, valueEnd: -1} }

// at reports whether the operator byte at line[i] spells the assignment.
func (a *Assignment) at(line []byte, i int, st *holdState, viable Viable) bool {
	if a.Word != "" && !a.wordAt(line, i) {
		return false
	}
	if i >= st.valueEnd {
		st.valueEnd, st.valueOK = a.valueStop(line, i)
	}
	if !st.valueOK {
		return false
	}
	if a.nameBefore(line, i, st.prevOp, st.prevName) {
		// Not remembered when the value is not viable: a later
		// operator's walk back then reads past this one, as a plain
		// reading would.
		return viable == nil || viable(line, i, a)
	}
	st.prevOp, st.prevName = i, false
	return false
}

// wordAt reports whether line spells a.Word (case folded) from line[i].
func (a *Assignment) wordAt(line []byte, i int) bool {
	return len(line)-i >= len(a.Word) && equalFold(line[i:i+len(a.Word)], a.Word)
}

// Viable reports whether the value after the operator byte at line[op]
// of assignment a (past bytes of a.After) can make a finding; a filter's
// caller gives it where its rule's gate drops values the pattern matches.
type Viable func(line []byte, op int, a *Assignment) bool

// AssignmentSet is a rule's assignments, one of which every match spells
// (a pattern's branches give several: `string =`, `key="…" value=`, the
// rest). Its Holds walks a line once for all of them: one walk per
// assignment read the generic rule's lines three times, an exchange
// rule's four.
type AssignmentSet struct {
	list []Assignment
	ops  Class // the operator bytes the walk stops at
	// byEnd are the assignments whose worded operator is found by the
	// byte that ends it (WordGap), not by the word's first letter at
	// every byte of the walk (Go's `string`: an 's' is in most lines,
	// many times).
	byEnd []int
}

// NewAssignmentSet joins as, nil when there is none.
func NewAssignmentSet(as []Assignment) *AssignmentSet {
	if len(as) == 0 {
		return nil
	}
	s := &AssignmentSet{list: as}
	for i := range as {
		if as[i].WordGap != nil {
			s.byEnd = append(s.byEnd, i)
			continue
		}
		union(&s.ops, as[i].Op)
	}
	return s
}

// Holds reports whether line spells one of the set's assignments with an
// operator at line[from:] (a name before it may start before from): an
// operator byte with a name before it and a value's first byte after it,
// the value viable where viable is given (nil: every value is).
//
// It reads each byte a bounded number of times, whatever the line: lines
// of megabytes (one-line JSON data files) reach it once for each rule
// whose keyword they hold. The walk back from an operator stops at the
// operator before it, whose answer it reuses (the bytes between are of
// Before, so the rest of the walk would be the same), and the look ahead
// for a value is reused for the operators it passed over (their look
// ahead would stop at the same byte).
func (s *AssignmentSet) Holds(line []byte, from int, viable Viable) bool {
	var fixed [8]holdState
	states := fixed[:0]
	if len(s.list) > len(fixed) {
		states = make([]holdState, 0, len(s.list))
	}
	for range s.list {
		states = append(states, newHoldState())
	}
	for i := from; i < len(line); i++ {
		b := line[i]
		if !s.ops[b] {
			continue
		}
		for k := range s.list {
			// A worded operator whose end is not known is spelled out
			// here before at is called.
			a := &s.list[k]
			if a.WordGap != nil || !a.Op[b] || a.Word != "" && !a.wordAt(line, i) {
				continue
			}
			if a.at(line, i, &states[k], viable) {
				return true
			}
		}
	}
	// Each assignment's walk is its own (its state, its operators in
	// order): these walk their operators by their end byte.
	for _, k := range s.byEnd {
		if s.list[k].wordOps(line, from, &states[k], viable) {
			return true
		}
	}
	return false
}

// wordOps walks the operators a.Word opens, from from on, by their end
// byte: each WordEnd with bytes of WordGap and the word before it. These
// are the word's occurrences a match can use, in order: WordEnd is not a
// byte of WordGap, and no letter of the word is, so each ends one.
func (a *Assignment) wordOps(line []byte, from int, st *holdState, viable Viable) bool {
	for e := from + len(a.Word); e < len(line); e++ {
		j := bytes.IndexByte(line[e:], a.WordEnd)
		if j < 0 {
			return false
		}
		e += j
		k := e
		for k > from && a.WordGap[line[k-1]] {
			k--
		}
		i := k - len(a.Word)
		if i >= from && equalFold(line[i:k], a.Word) && a.Op[line[i]] && a.at(line, i, st, viable) {
			return true
		}
	}
	return false
}

// valueStop looks ahead from the operator byte at i, past bytes of After,
// for a value's first byte: it returns where the look ahead stopped and
// whether a value starts there. The look ahead from any operator before
// that stop, past i, stops there too, with the same answer.
func (a *Assignment) valueStop(line []byte, i int) (int, bool) {
	for j := i + 1; j < len(line); j++ {
		if a.Value[line[j]] {
			return j, true
		}
		if !a.After[line[j]] {
			return j, false
		}
	}
	return len(line), false
}

// nameBefore reports whether one of the names ends at i or before it,
// past bytes of Before only. prevOp (-1: none) is an earlier operator
// whose answer was prevName: the walk back stops there.
func (a *Assignment) nameBefore(line []byte, i, prevOp int, prevName bool) bool {
	for k := i; ; k-- {
		if k == prevOp {
			return prevName
		}
		if k > 0 && (a.Last == nil || a.Last[line[k-1]]) {
			for _, n := range a.Names {
				if k >= len(n) && equalFold(line[k-len(n):k], n) {
					return true
				}
			}
		}
		if k == 0 || !a.Before[line[k-1]] {
			return false
		}
	}
}

// lastBytes is the class of the names' last bytes, in both cases.
func lastBytes(names []string) *Class {
	c := &Class{}
	for _, n := range names {
		if n != "" {
			union(c, runeClass(rune(n[len(n)-1]), true))
		}
	}
	return c
}

// equalFold compares b with lower, a lower-case ASCII string, ASCII
// case folded.
func equalFold(b []byte, lower string) bool {
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
