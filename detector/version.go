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

var lineSeed = maphash.MakeSeed()

// ScanVersion scans data, one version of the file at path. Given prev, the
// version before it, only the lines of data that prev does not hold run
// through the detector, and prev's findings on the lines it does hold are
// carried over, renumbered. The result is the same as a full scan: a finding of a
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
	bToA := matchLines(prev, v)
	// The new lines, each still a whole line, make one text to scan.
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
	if len(buf) > 0 {
		if _, err := d.scanChunks(bytes.NewReader(buf), path, -1, &nonLocal, func(f Finding) { fresh = append(fresh, f) }); err != nil {
			return nil, err
		}
	}
	if nonLocal {
		return v, d.scanWhole(v)
	}
	v.Scanned = int64(len(buf))
	// prev's findings on a line are contiguous (they are in order); each
	// goes to every line of data equal to theirs, in data's order.
	first := make(map[int]int, len(prev.Findings))
	for k := len(prev.Findings) - 1; k >= 0; k-- {
		first[prev.Findings[k].Line-1] = k
	}
	var carried []Finding
	for j, i := range bToA {
		k, ok := first[i]
		if i < 0 || !ok {
			continue
		}
		for ; k < len(prev.Findings) && prev.Findings[k].Line-1 == i; k++ {
			f := prev.Findings[k]
			f.Start, f.End = v.move(f.Start, f.End, int64(prev.starts[i]), j)
			f.Line = j + 1
			carried = append(carried, f)
		}
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

// Size is about the memory v holds.
func (v *Version) Size() int { return len(v.data) + 16*len(v.hashes) }

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

// matchLines maps each line of b to a line of a with the same bytes, or
// to -1 when a has none. Order does not matter: a finding on a line depends
// on that line alone, so any equal line has the same findings. The common
// prefix and suffix are paired directly; the rest goes through a hash
// table of a's lines. A pair is kept only when its bytes are equal, so a
// hash collision costs a rescan, never a finding.
func matchLines(a, b *Version) []int {
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
	if p+s >= nb || p+s >= na {
		return bToA
	}
	// Most lines follow their predecessor's match; the rest are looked up
	// in a table of a's middle lines, built on the first such line.
	var table []int32
	var mask uint64
	build := func() {
		size := 1
		for size < 2*(na-p-s) {
			size <<= 1
		}
		table, mask = make([]int32, size), uint64(size-1)
		for i := p; i < na-s; i++ {
			for k := a.hashes[i] & mask; ; k = (k + 1) & mask {
				if table[k] == 0 {
					table[k] = int32(i + 1)
					break
				}
				if a.hashes[table[k]-1] == a.hashes[i] {
					break // keep the first of equal lines
				}
			}
		}
	}
	next := p // the line of a after the last match
	for j := p; j < nb-s; j++ {
		h := b.hashes[j]
		if next < na-s && a.hashes[next] == h {
			pair(next, j)
			next++
			continue
		}
		if table == nil {
			build()
		}
		for k := h & mask; table[k] != 0; k = (k + 1) & mask {
			if i := int(table[k] - 1); a.hashes[i] == h {
				pair(i, j)
				next = i + 1
				break
			}
		}
	}
	return bToA
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
