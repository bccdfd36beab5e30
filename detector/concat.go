package detector

import "bytes"

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
// lines in buf.
func joinRuns(buf []byte, fn func(parts []joinPart)) {
	var parts []joinPart
	ls := 0
	for ls < len(buf) {
		nl := bytes.IndexByte(buf[ls:], '\n')
		if nl < 0 {
			return
		}
		le := ls + nl
		first, q, ok := literalBefore(buf, ls, le)
		if !ok {
			ls = le + 1
			continue
		}
		parts = append(parts[:0], first)
		next := le + 1
		for len(parts) < maxJoinParts && next < len(buf) {
			e := bytes.IndexByte(buf[next:], '\n')
			ne := len(buf)
			if e >= 0 {
				ne = next + e
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

// findJoined runs the rules of active on each run of literals joined
// across lines and appends the matches that cross a joint, placed on the
// parts in buf, to out.
func (d *Detector) findJoined(out []rawMatch, buf []byte, active []bool, p purpose) ([]rawMatch, error) {
	var ferr error
	var text []byte
	var orig []int
	lines := newTextLines(buf)
	joinRuns(buf, func(parts []joinPart) {
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
		orig = orig[:0]
		var joints []int
		for k, pt := range parts {
			if k > 0 {
				joints = append(joints, len(text))
			}
			for i := pt.start; i < pt.end; i++ {
				orig = append(orig, i)
			}
			text = append(text, buf[pt.start:pt.end]...)
		}
		post := len(text)
		text = append(text, tail...)
		text = append(text, '\n')
		ms, err := d.find(text, active, rulesOnly, nil)
		if err != nil {
			ferr = err
			return
		}
		for _, m := range d.filter(ms, text, p) {
			if m.rule < 0 || m.start < pre || m.end > post || !crosses(joints, m.start, m.end) {
				continue
			}
			out = append(out, rawMatch{start: orig[m.start-pre], end: orig[m.end-pre-1] + 1, rank: m.rank, rule: m.rule,
				secret: string(buf[orig[m.start-pre] : orig[m.end-pre-1]+1]), decoded: EncJoined})
		}
	})
	return out, ferr
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
