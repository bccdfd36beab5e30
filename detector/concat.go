package detector

import (
	"bytes"
	"encoding/binary"
	"sync"
)

// Implicit string concatenation. A credential split over lines into
// adjacent string literals (Python's `("5eed…"\n "…beef")`, C's `"abc"\n
// "def"`, `"…" +\n "…"` in Go, Java and JavaScript) is judged as the
// joined value: each run of such literals becomes one line (the first
// part's line up to its opening quote, the joined value, the last part's
// line after its closing quote) on which every rule runs. A match that
// crosses a joint is reported at the first part; as for decoded text, its
// offsets and Secret are those of the literals in the text (quotes and
// line breaks included), and Decoded says "joined". Only parts that are one token join: format strings, SQL and
// log messages hold spaces, format verbs or braces and are never joined.

// EncJoined names a finding in string literals joined across lines (see
// Finding.Decoded).
const EncJoined = "joined"

const (
	minJoinPart  = 4  // a part shorter than this is no piece of a key
	minJoined    = 16 // nor a joined value shorter than this
	maxJoinParts = 16
)

// joinToken holds the bytes a part may hold.
var joinToken = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "+/=_-.:~" {
		t[c] = true
	}
	return t
}()

// joinPart is one literal's content, buf[start:end].
type joinPart struct{ start, end int }

// literalBefore is the literal that ends the text before end (trailing
// space and a `+` skipped): its content and quote, or ok false.
func literalBefore(buf []byte, ls, end int) (p joinPart, q byte, ok bool) {
	k := end - 1
	for k >= ls && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\r') {
		k--
	}
	if k >= ls && buf[k] == '+' {
		k--
		for k >= ls && (buf[k] == ' ' || buf[k] == '\t') {
			k--
		}
	}
	if k <= ls || buf[k] != '"' && buf[k] != '\'' {
		return p, 0, false
	}
	q = buf[k]
	j := k - 1
	for j >= ls && joinToken[buf[j]] {
		j--
	}
	if j < ls || buf[j] != q || k-j-1 < minJoinPart {
		return p, 0, false
	}
	return joinPart{j + 1, k}, q, true
}

// literalAfter is the literal that opens the line at ls (leading space and
// a `+` skipped), quoted with q: its content, and whether the line
// continues to the next after it (nothing but space or `+` follows).
func literalAfter(buf []byte, ls, le int, q byte) (p joinPart, more, ok bool) {
	i := ls
	for i < le && (buf[i] == ' ' || buf[i] == '\t') {
		i++
	}
	if i < le && buf[i] == '+' {
		i++
		for i < le && (buf[i] == ' ' || buf[i] == '\t') {
			i++
		}
	}
	if i >= le || buf[i] != q {
		return p, false, false
	}
	j := i + 1
	for j < le && joinToken[buf[j]] {
		j++
	}
	if j >= le || buf[j] != q || j-i-1 < minJoinPart {
		return p, false, false
	}
	rest := bytes.TrimRight(buf[j+1:le], " \t\r")
	rest = bytes.TrimSpace(bytes.TrimSuffix(rest, []byte("+")))
	return joinPart{i + 1, j}, len(rest) == 0, true
}

// joinRuns calls fn with each run of two or more literals joined across
// lines in buf. starts, when not nil, are buf's line starts as lineIndex
// gives them: a history's version has them already, and finding each
// line's end again was most of this walk.
func joinRuns(buf []byte, starts []int, fn func(parts []joinPart)) {
	var parts []joinPart
	ends := lineEnds{buf: buf, starts: starts}
	ls := 0
	for ls < len(buf) {
		le := ends.at(ls)
		if le < 0 {
			return
		}
		first, q, ok := literalBefore(buf, ls, le)
		if !ok {
			ls = le + 1
			continue
		}
		parts = append(parts[:0], first)
		next := le + 1
		for len(parts) < maxJoinParts && next < len(buf) {
			ne := ends.at(next)
			if ne < 0 {
				ne = len(buf)
			}
			p, more, ok := literalAfter(buf, next, ne, q)
			if !ok {
				break
			}
			parts = append(parts, p)
			next = ne + 1
			if !more {
				break
			}
		}
		if len(parts) == 1 {
			ls = le + 1
			continue
		}
		fn(parts)
		ls = next // the run's lines are joined already
	}
}

// lineEnds finds the '\n' that ends a line, from the line starts when
// they are known, else by searching. Lines are asked for in order.
type lineEnds struct {
	buf    []byte
	starts []int
	k      int // starts[k] is the last line start asked for, or before it
}

// at is the offset of the '\n' ending the line that starts at ls, -1
// when it has none (the last line).
func (l *lineEnds) at(ls int) int {
	if l.starts == nil {
		if e := bytes.IndexByte(l.buf[ls:], '\n'); e >= 0 {
			return ls + e
		}
		return -1
	}
	for l.k < len(l.starts)-1 && l.starts[l.k] < ls {
		l.k++
	}
	if l.k >= len(l.starts)-1 {
		return -1
	}
	if e := l.starts[l.k+1] - 1; l.buf[e] == '\n' {
		return e
	}
	return -1
}

// findJoined runs the rules of active on each run of literals joined
// across lines (starts: buf's line starts, nil when not known) and
// appends the matches that cross a joint, placed on the parts in buf, to
// out. joined reports whether buf holds a run at all; where runs is not
// nil (and starts is known), each run's lines are appended to it.
func (d *Detector) findJoined(out []rawMatch, buf []byte, starts []int, active []bool, p purpose, memo *joinMemo, runs *[]lineRange) (_ []rawMatch, joined bool, _ error) {
	var ferr error
	var text, key []byte
	var joints []int
	var found []joinedMatch
	lines := newTextLines(buf)
	joinRuns(buf, starts, func(parts []joinPart) {
		joined = true
		if runs != nil && starts != nil {
			*runs = append(*runs, lineRange{lineOf(starts, parts[0].start), lineOf(starts, parts[len(parts)-1].start) + 1})
		}
		if ferr != nil {
			return
		}
		n := 0
		for _, pt := range parts {
			n += pt.end - pt.start
		}
		if n < minJoined {
			return
		}
		ls := lines.lineStart(parts[0].start)
		last := parts[len(parts)-1]
		le := lines.lineEnd(last.end)
		head, tail := buf[ls:parts[0].start], buf[last.end:le]
		// Python's grouping parentheses (`X = ("…"\n "…")`) go: the
		// joined value is then written as any assignment is.
		if g := bytes.TrimRight(head[:len(head)-1], " \t"); len(g) > 0 && g[len(g)-1] == '(' {
			if n := bytes.TrimRight(g[:len(g)-1], " \t"); len(n) > 0 && (n[len(n)-1] == '=' || n[len(n)-1] == ':') {
				if t := bytes.TrimLeft(tail[1:], " \t"); len(t) > 0 && t[0] == ')' {
					head = append(append([]byte(nil), n...), ' ', head[len(head)-1])
					tail = append([]byte{tail[0]}, t[1:]...)
				}
			}
		}
		text = append(text[:0], head...)
		pre := len(text)
		joints = joints[:0]
		for k, pt := range parts {
			if k > 0 {
				joints = append(joints, len(text))
			}
			text = append(text, buf[pt.start:pt.end]...)
		}
		post := len(text)
		text = append(text, tail...)
		text = append(text, '\n')
		var ok bool
		if memo != nil {
			key = memo.key(key[:0], text, pre, post, joints)
			found, ok = memo.get(key)
		}
		if !ok {
			ms, err := d.find(text, active, rulesOnly, nil)
			if err != nil {
				ferr = err
				return
			}
			found = found[:0:0]
			for _, m := range d.filter(ms, text, p) {
				if m.rule < 0 || m.start < pre || m.end > post || !crosses(joints, m.start, m.end) {
					continue
				}
				found = append(found, joinedMatch{start: m.start, end: m.end, rank: m.rank, rule: m.rule})
			}
			if memo != nil {
				memo.put(key, found, len(buf))
			}
		}
		for _, m := range found {
			// From the joined value back to the parts in buf.
			start, end := inParts(parts, m.start-pre), inParts(parts, m.end-pre-1)+1
			out = append(out, rawMatch{start: start, end: end, rank: m.rank, rule: m.rule,
				secret: string(buf[start:end]), decoded: EncJoined})
		}
	})
	return out, joined, ferr
}

// inParts is where in buf the joined value's byte i is: the parts are
// its bytes, in order.
func inParts(parts []joinPart, i int) int {
	for _, pt := range parts {
		if n := pt.end - pt.start; i >= n {
			i -= n
			continue
		}
		return pt.start + i
	}
	return parts[len(parts)-1].end // not reached: i is in the value
}

// joinedMatch is a match in a run's joined text (findJoined), before it
// is placed on the parts.
type joinedMatch struct{ start, end, rank, rule int }

// joinMemo remembers what the rules found in each run of joined literals,
// by the run's text, where its value starts and ends, and its joints:
// what findJoined keeps depends on those alone (for one set of rules, one
// purpose). A file's versions share it: they mostly hold the same runs (a
// Go test's long strings), and finding in each of them again, version
// after version, was half of the walk for runs in go-git's history.
// Versions of one file may be scanned at once (a branch's), so it locks.
type joinMemo struct {
	mu    sync.Mutex
	bytes int
	runs  map[string][]joinedMatch
}

func (m *joinMemo) key(b, text []byte, pre, post int, joints []int) []byte {
	b = binary.AppendUvarint(b, uint64(pre))
	b = binary.AppendUvarint(b, uint64(post))
	b = binary.AppendUvarint(b, uint64(len(joints)))
	for _, j := range joints {
		b = binary.AppendUvarint(b, uint64(j))
	}
	return append(b, text...)
}

func (m *joinMemo) get(key []byte) ([]joinedMatch, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	found, ok := m.runs[string(key)]
	return found, ok
}

// put remembers a run's matches. The memo's keys take at most twice the
// text being scanned (past that it starts over): a memo held with a
// version stays within a small multiple of what the version holds.
func (m *joinMemo) put(key []byte, found []joinedMatch, text int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.runs == nil || m.bytes+len(key) > 2*text {
		m.runs, m.bytes = map[string][]joinedMatch{}, 0
	}
	m.runs[string(key)] = found
	m.bytes += len(key)
}

// joinsNext reports whether line j of buf (by its line starts) and the
// line after it are a joint of a run: j ends with a literal and the next
// opens with one in the same quotes. A text holds a run exactly when it
// holds a joint: the first joint's line is walked from (no run before it
// skips it) and starts one.
func joinsNext(buf []byte, starts []int, j int) bool {
	if j+2 >= len(starts) {
		return false
	}
	ls, le := starts[j], starts[j+1]-1
	if buf[le] != '\n' {
		return false
	}
	_, q, ok := literalBefore(buf, ls, le)
	if !ok {
		return false
	}
	ne := starts[j+2]
	if buf[ne-1] == '\n' {
		ne--
	}
	_, _, ok = literalAfter(buf, starts[j+1], ne, q)
	return ok
}

// crosses reports whether [s,e) holds a joint.
func crosses(joints []int, s, e int) bool {
	for _, j := range joints {
		if s < j && j < e {
			return true
		}
	}
	return false
}
