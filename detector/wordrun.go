package detector

import (
	"bytes"
	"sort"

	"github.com/keygate/keygate/detector/mnemonic"
)

// The word-run prefilter (rules.PrefilterWordRun). A bare BIP-39 mnemonic
// holds no literal a keyword could find, so its rule's windows come from
// a scan of its own: a run of lowercase letters and spaces at least as
// long as twelve three-letter words, holding at least eleven spaces, that
// is the whole of a quoted string or of an assigned value (it follows a
// quote, = or :, and ends at a quote or the end of the line), every word
// of it on the English list, twelve words or more (prose in a quoted
// string passes the rest: a Markdown runbook's sentences ran the rule's
// RE2 over an eighth of a 50 MB tree). Like the base64 scan of decode.go
// it looks at one byte in minWordRun where text has no such run, which is
// nearly everywhere outside prose.

// minWordRun is the shortest run the prefilter reports: twelve words of
// three letters (BIP-39's shortest) and the spaces between them.
const minWordRun = 12*3 + 11

var wordRunClass = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	t[' '] = true
	return
}()

// wordRuns calls fn with each candidate run of buf, in order.
func wordRuns(buf []byte, fn func(start, end int)) {
	classRuns(buf, &wordRunClass, minWordRun, func(s, e int) {
		if wordRunBounded(buf, s, e) && bytes.Count(buf[s:e], []byte{' '}) >= 11 && listWords(buf[s:e]) >= 12 {
			fn(s, e)
		}
	})
}

// wordRunBounded: the run buf[s:e] opens after a quote or an assignment
// and closes at a quote or the line's end. Tabs beside it are skipped (the
// rule's pattern allows them after = or : and before the line's end), so
// that the prefilter's windows hold every line the pattern can match: the
// rule's keywords open none (see find).
func wordRunBounded(buf []byte, s, e int) bool {
	for s > 0 && buf[s-1] == '\t' {
		s--
	}
	if s == 0 {
		return false
	}
	switch buf[s-1] {
	case '"', '\'', '`', '=', ':':
	default:
		return false
	}
	for e < len(buf) && buf[e] == '\t' {
		e++
	}
	if e == len(buf) {
		return true
	}
	switch buf[e] {
	case '"', '\'', '`', '\n', '\r':
		return true
	}
	return false
}

// listWords counts the words of run (lowercase letters and spaces), or is
// 0 when one of them is not on the English list.
func listWords(run []byte) int {
	n := 0
	for i := 0; i < len(run); {
		if run[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(run) && run[j] != ' ' {
			j++
		}
		if !mnemonic.Word(string(run[i:j])) {
			return 0
		}
		n++
		i = j
	}
	return n
}

// addWordRunWindows adds the lines of buf's candidate word runs to the
// windows of the active word-run rules, keeping each rule's windows in
// order.
func (d *Detector) addWordRunWindows(text *textLines, active []bool, windows [][]window) {
	var lines []window
	wordRuns(text.buf, func(s, e int) {
		ls, le := text.bounds(s, e)
		lines = append(lines, window{start: ls, end: le})
	})
	if len(lines) == 0 {
		return
	}
	for _, ri := range d.wordRunRules {
		if active != nil && !active[ri] {
			continue
		}
		had := len(windows[ri]) > 0
		windows[ri] = append(windows[ri], lines...)
		if had {
			ws := windows[ri]
			sort.Slice(ws, func(a, b int) bool { return ws[a].start < ws[b].start })
		}
	}
}
