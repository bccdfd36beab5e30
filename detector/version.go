package detector

import (
	"bytes"
	"hash/maphash"
)

// Version is one scanned version of a file: its findings, and what
// scanning the file's next version needs to carry them over.
type Version struct {
	// Findings are the version's findings, in order, as Scan gives them.
	Findings []Finding
	// Scanned is how many bytes ran through the detector for this version:
	// all of them after a full scan, the changed lines after a carry-over.
	Scanned int64

	path     string
	data     []byte
	starts   []int // line i is data[starts[i]:starts[i+1]], with its '\n'
	hashes   []uint64
	nonLocal bool // a keyword of a non-local rule occurs in data
}

// maxDiffEdits bounds the line diff: a version that differs from the
// previous one in more lines than this is scanned whole, which costs
// about what a longer diff would save.
const maxDiffEdits = 512

var lineSeed = maphash.MakeSeed()

// ScanVersion scans data, one version of the file at path. Given prev, the
// version before it, only the lines data adds or changes run through the
// detector, and prev's findings on the lines data keeps are carried over,
// renumbered. The result is the same as a full scan: a finding of a
// line-local rule or a known value lies within one line and depends on that
// line alone (keyword windows are lines, matches cannot cross a newline, and
// the inline allow is read from the line). When a rule that can see past
// its line (multi-line patterns, text anchors) has a keyword in either
// version, or a known value spans lines, or the file is bigger than one
// scan chunk, data is scanned whole. data must not change while the
// returned Version is in use.
func (d *Detector) ScanVersion(data []byte, path string, prev *Version) (*Version, error) {
	v := &Version{path: path, data: data}
	v.starts, v.hashes = lineIndex(data)
	if prev == nil || prev.nonLocal || prev.path != path || !d.lineLocal ||
		len(data) > chunkSize || len(prev.data) > chunkSize {
		return v, d.scanWhole(v)
	}
	bToA, ok := matchLines(prev, v)
	if !ok {
		return v, d.scanWhole(v)
	}
	// The changed lines, each still a whole line, make one text to scan.
	var buf []byte
	var changed, at []int
	for j, i := range bToA {
		if i >= 0 {
			continue
		}
		changed = append(changed, j)
		at = append(at, len(buf))
		buf = append(buf, v.line(j)...)
		if buf[len(buf)-1] != '\n' {
			buf = append(buf, '\n')
		}
	}
	var fresh []Finding
	var nonLocal bool
	if _, err := d.scanChunks(bytes.NewReader(buf), path, -1, &nonLocal, func(f Finding) { fresh = append(fresh, f) }); err != nil {
		return nil, err
	}
	if nonLocal {
		return v, d.scanWhole(v)
	}
	v.Scanned = int64(len(buf))
	aToB := make([]int, len(prev.hashes))
	for i := range aToB {
		aToB[i] = -1
	}
	for j, i := range bToA {
		if i >= 0 {
			aToB[i] = j
		}
	}
	var carried []Finding
	for _, f := range prev.Findings {
		j := aToB[f.Line-1]
		if j < 0 {
			continue // its line changed or went: scanned afresh, or gone
		}
		f.Start, f.End = v.move(f.Start, f.End, int64(prev.starts[f.Line-1]), j)
		f.Line = j + 1
		carried = append(carried, f)
	}
	for k := range fresh {
		f := &fresh[k]
		n := f.Line - 1
		f.Start, f.End = v.move(f.Start, f.End, int64(at[n]), changed[n])
		f.Line = changed[n] + 1
	}
	v.Findings = mergeByStart(carried, fresh)
	return v, nil
}

func (d *Detector) scanWhole(v *Version) error {
	v.Findings = nil
	v.nonLocal = false
	_, err := d.scanChunks(bytes.NewReader(v.data), v.path, -1, &v.nonLocal, func(f Finding) { v.Findings = append(v.Findings, f) })
	v.Scanned = int64(len(v.data))
	return err
}

// move places a span that started lineStart bytes into some text at the
// same column of line j of v.
func (v *Version) move(start, end, lineStart int64, j int) (int64, int64) {
	s := int64(v.starts[j]) + start - lineStart
	return s, s + end - start
}

func (v *Version) line(i int) []byte { return v.data[v.starts[i]:v.starts[i+1]] }

// lineIndex splits data into lines (each with its '\n'; the last may have
// none) and hashes them.
func lineIndex(data []byte) (starts []int, hashes []uint64) {
	n := bytes.Count(data, []byte{'\n'}) + 1
	starts = make([]int, 0, n+1)
	hashes = make([]uint64, 0, n)
	for at := 0; at < len(data); {
		end := len(data)
		if e := bytes.IndexByte(data[at:], '\n'); e >= 0 {
			end = at + e + 1
		}
		starts = append(starts, at)
		hashes = append(hashes, maphash.Bytes(lineSeed, data[at:end]))
		at = end
	}
	return append(starts, len(data)), hashes
}

// matchLines maps each line of b to an equal line of a, order preserved, or
// to -1 when it is new: the common prefix and suffix, then a Myers diff of
// what lies between, on line hashes. A pair is kept only when its bytes
// are equal, so a hash collision costs a rescan, never a finding.
func matchLines(a, b *Version) ([]int, bool) {
	na, nb := len(a.hashes), len(b.hashes)
	bToA := make([]int, nb)
	for j := range bToA {
		bToA[j] = -1
	}
	pair := func(i, j int) {
		if bytes.Equal(a.line(i), b.line(j)) {
			bToA[j] = i
		}
	}
	p := 0
	for p < na && p < nb && a.hashes[p] == b.hashes[p] {
		pair(p, p)
		p++
	}
	s := 0
	for s < na-p && s < nb-p && a.hashes[na-1-s] == b.hashes[nb-1-s] {
		pair(na-1-s, nb-1-s)
		s++
	}
	ah, bh := a.hashes[p:na-s], b.hashes[p:nb-s]
	ok := myers(len(ah), len(bh), maxDiffEdits,
		func(i, j int) bool { return ah[i] == bh[j] },
		func(i, j int) { pair(p+i, p+j) })
	return bToA, ok
}

// myers finds a longest common subsequence of sequences of lengths n and m
// (Myers' O(ND) algorithm) and calls match for each of its pairs. It gives
// up, reporting false, when the sequences differ by more than maxD edits.
func myers(n, m, maxD int, eq func(i, j int) bool, match func(i, j int)) bool {
	maxD = min(maxD, n+m)
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	// trace[d] is v after step d, for k in [-d-1, d+1], at index k+d+1.
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && eq(x, y) {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				myersBack(trace, n, m, d, match)
				return true
			}
		}
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
	}
	return false
}

// myersBack walks the trace back from (n, m), reporting the diagonal moves.
func myersBack(trace [][]int, x, y, d int, match func(i, j int)) {
	for ; d > 0; d-- {
		prev := trace[d-1] // index k+d for k in [-d, d]
		k := x - y
		var pk int
		if k == -d || (k != d && prev[k-1+d] < prev[k+1+d]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := prev[pk+d]
		sx := px // the snake of step d starts after the move from pk
		if pk == k-1 {
			sx = px + 1
		}
		for x > sx {
			x--
			y--
			match(x, y)
		}
		x, y = px, px-pk
	}
	for x > 0 && y > 0 {
		x--
		y--
		match(x, y)
	}
}

// mergeByStart merges two lists sorted by Start.
func mergeByStart(a, b []Finding) []Finding {
	if len(b) == 0 {
		return a
	}
	out := make([]Finding, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].Start < a[0].Start {
			out = append(out, b[0])
			b = b[1:]
		} else {
			out = append(out, a[0])
			a = a[1:]
		}
	}
	return append(append(out, a...), b...)
}
