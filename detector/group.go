package detector

import (
	"bytes"
	"strings"

	"github.com/keygate/keygate/detector/placeholder"
	"github.com/keygate/keygate/internal/lazyre"
	"github.com/keygate/keygate/rules"
)

// Credential groups (rules.GateGroup). An exchange key comes as key,
// secret and passphrase (or password) written together: a freqtrade
// `"exchange": {…}` object, a `ccxt.bitget({…})` call, a YAML bot block.
// The group's members are judged together: a passphrase a person chose
// (wordWord84, Word-Word-1234) reads as words and passes no value gate
// alone, but beside a key and a secret that are key material it is the
// third part of a live credential. A rule with this gate reports such a
// value when the object, call or block around it holds a key-named and a
// secret-named member whose values look like key material; alone, or
// beside placeholders and references, it is quiet.
//
// The rule's match is line-local (its pattern and the other gates read
// its line), so a version scan carries its candidates over with their
// lines like any other; the group is judged afterwards, on every scan
// and version, over the whole text (judgeGroups), so a key added to an
// unchanged passphrase's block is seen.

// groupReach bounds how far the gate looks for the group's bounds, each
// way: a bot's credentials sit within a few lines of each other.
const groupReach = 2 << 10

// member is one `name: value` (or `"name": "value"`, `name=value`) in a
// group's text.
var member = lazyre.New(`(?m)(?:^|[\s{(,;])["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(?:=>|:=|[:=])[ \t]*["']?([^\s"',;{}()\[\]]+)`)

// groupValue reports whether the value at buf[start:end] sits in a group
// with a key and a secret of key material.
func (d *Detector) groupValue(x *textLines, start, end int) bool {
	buf := x.buf
	if codeValue(x, start, end) {
		return false
	}
	bs, be := groupBounds(x, start)
	var key, secret bool
	for _, m := range member.FindAllSubmatchIndex(buf[bs:be], -1) {
		if bs+m[4] == start {
			continue // the value itself
		}
		name := strings.ToLower(string(buf[bs+m[2] : bs+m[3]]))
		kind := memberKind(name)
		if kind == "" || !d.keyMaterial(buf, bs+m[4], bs+m[5]) {
			continue
		}
		if kind == "secret" {
			secret = true
		} else {
			key = true
		}
	}
	return key && secret
}

// memberKind classifies a member's name: "secret" (secret, api_secret,
// secretKey, apiSecret), "key" (key, apiKey, api_key, access_key), or "".
func memberKind(name string) string {
	last := lastWord(name)
	switch {
	case strings.Contains(name, "secret") && !strings.Contains(name, "passphrase"):
		return "secret"
	case last == "key" || last == "apikey" || strings.HasSuffix(name, "apikey") || strings.HasSuffix(name, "api_key"):
		if notSecretBefore[lastWord(strings.TrimSuffix(strings.TrimSuffix(name, last), "_"))] {
			return ""
		}
		return "key"
	}
	return ""
}

// keyMaterial reports whether buf[start:end], a group member's value,
// looks like a key or secret: 16 characters or more, random-looking, no
// placeholder, reference, words, identifier, symbol (a test's
// `dsl-integration-api-key`), path or member access.
func (d *Detector) keyMaterial(buf []byte, start, end int) bool {
	v := string(buf[start:end])
	if len(v) < minGenericLen*2 || reference(v) || d.IsPlaceholder(v) || placeholder.Words(v) || placeholder.Identifier(v) || symbolic(v) {
		return false
	}
	return randomLooking(v) && classes(v) >= 2 && !pathOrURL(v) && !memberAccess(v)
}

// groupBounds is the extent of the object, call or block around pos: the
// innermost bracket ({ or ( or [) open before it, to its close; outside
// brackets, the run of lines around pos indented as far as its line or
// further, up to a blank line.
func groupBounds(x *textLines, pos int) (int, int) {
	buf := x.buf
	lo := max(0, pos-groupReach)
	depth := 0
	for i := pos - 1; i >= lo; i-- {
		switch buf[i] {
		case '}', ')', ']':
			depth++
		case '{', '(', '[':
			if depth == 0 {
				return i, closeOf(buf, i)
			}
			depth--
		}
	}
	return indentBlock(x, pos)
}

// closeOf is the offset just past the bracket closing the one at open,
// or groupReach past it.
func closeOf(buf []byte, open int) int {
	hi := min(len(buf), open+groupReach)
	depth := 0
	for i := open; i < hi; i++ {
		switch buf[i] {
		case '{', '(', '[':
			depth++
		case '}', ')', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return hi
}

// indentBlock is the run of non-blank lines around pos indented at least
// as far as pos's line.
func indentBlock(x *textLines, pos int) (int, int) {
	buf := x.buf
	ls, le := x.bounds(pos, pos)
	ind := indent(buf[ls:le])
	start, end := ls, le
	for start > 0 && ls-start < groupReach {
		ps := x.lineStart(start - 1)
		line := buf[ps : start-1]
		if len(bytes.TrimSpace(line)) == 0 || indent(line) < ind {
			break
		}
		start = ps
	}
	for end < len(buf) && end-le < groupReach {
		ne := x.lineEnd(end + 1)
		line := buf[end+1 : ne]
		if len(bytes.TrimSpace(line)) == 0 || indent(line) < ind {
			break
		}
		end = ne
	}
	return start, end
}

func indent(line []byte) int {
	return len(line) - len(bytes.TrimLeft(line, " \t"))
}

// judgeGroups applies the gates that read the structure around a match
// (GateGroup, GateStructured, GateSensitive): it drops the matches whose group or
// structure does not hold, and those in decoded text, whose structure is
// not the text around them. ms is not modified.
func (d *Detector) judgeGroups(ms []rawMatch, buf []byte) []rawMatch {
	var out []rawMatch
	x := newTextLines(buf)
	for i, m := range ms {
		keep := true
		if m.rule >= 0 {
			switch d.rules[m.rule].rule.Gate {
			case rules.GateGroup:
				keep = m.decoded == "" && d.groupValue(x, m.start, m.end)
			case rules.GateStructured:
				keep = m.decoded == "" && structuredValue(x, m.start, m.end)
			case rules.GateSensitive:
				keep = m.decoded == "" && sensitiveValue(x, m.start, m.end)
			}
		}
		if !keep && out == nil {
			out = append(make([]rawMatch, 0, len(ms)), ms[:i]...)
		}
		if keep && out != nil {
			out = append(out, m)
		}
	}
	if out == nil {
		return ms
	}
	return out
}
