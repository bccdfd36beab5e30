package gitleaksignore

import "bytes"

// Added calls fn with the number of each entry line of head (neither blank
// nor a comment) whose text, trimmed, no line of base holds: the entries a
// change adds, each of which a range scan reports. base's lines are held
// as 64-bit keys (index.go), each hit confirmed against base's own bytes,
// so a collision cannot pass an added entry as held.
func Added(base, head []byte, fn func(line int)) {
	nl := []byte{'\n'}
	var held index
	held.init(bytes.Count(base, nl) + 1)
	off := 0
	for l := range bytes.SplitSeq(base, nl) {
		held.add(bytes.TrimSpace(l), int64(off))
		off += len(l) + 1
	}
	held.sort()
	has := func(text []byte) bool {
		for off := range held.lookup(text) {
			l, _, _ := bytes.Cut(base[off:], nl)
			if bytes.Equal(bytes.TrimSpace(l), text) {
				return true
			}
		}
		return false
	}
	n := 0
	for l := range bytes.SplitSeq(head, nl) {
		n++
		text := bytes.TrimSpace(l)
		if len(text) == 0 || text[0] == '#' || has(text) {
			continue
		}
		fn(n)
	}
}
