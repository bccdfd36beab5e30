package detector

import (
	"bytes"
	"hash/maphash"
	"slices"
	"sort"
	"sync"

	"github.com/keygate/keygate/internal/affix"
)

// Version is one scanned version of a file: its findings, and what
// scanning the file's next version needs to carry them over.
type Version struct {
	// Findings are the version's findings, in order, as Scan gives them.
	Findings []Finding
	// Scanned is how many bytes ran through the detector for this version:
	// all of them after a full scan; after a carry-over, the new lines, and
	// all of them again when a non-local rule's keyword is there, unless
	// the edits are away from every window those rules ran over in the
	// version before (keepNonLocal).
	Scanned int64

	path   string
	data   []byte
	starts []int // line i is data[starts[i]:starts[i+1]], with its '\n'
	hashes []uint64
	// local are the filtered matches of line-local rules and known values,
	// before overlaps are resolved, in order of start, each with its line.
	local []rawMatch
	lines []int
	// nonLocal: a keyword of a non-local rule occurs in data.
	nonLocal bool
	// joined: data holds literals joined across lines (joinRuns). When
	// it does not, the next version holds a run only if one of its new
	// pairs of adjacent lines is a joint, and the walk over the whole
	// version is skipped where none is.
	joined bool
	// runs are the lines of each run of joined literals, and joins the
	// filtered matches found in them, for the next version to keep where
	// its edits are away from every run (keepJoins).
	runs  []lineRange
	joins []rawMatch
	// joinsKept: this version's runs and their matches are the version
	// before's, kept.
	joinsKept bool
	// nlWindows are the windows the non-local rules ran over in data, and
	// nlRaw their matches before filtering, for the next version to keep
	// where its edits are away from every window (keepNonLocal); valid
	// when nlDone. nlKept: they are the version before's, kept.
	nlWindows []window
	nlRaw     []rawMatch
	nlDone    bool
	nlKept    bool
	rules     *versionRules
}

// versionRules are the rule sets a path's versions are scanned with. They
// depend on the path alone, so a file's versions share them: with 300
// rules, building them for each version of each file was a measurable part
// of a history's scan.
type versionRules struct {
	active, local, nonLocal []bool
	// nonLocalByKeyword: every non-local rule of active opens its windows
	// at its keywords (none has a prefilter of its own), as keepNonLocal
	// needs.
	nonLocalByKeyword bool
	// joins: what these rules found in the runs of joined literals the
	// path's versions held.
	joins joinMemo
}

// rulesFor gives the rule sets for path: prev's when prev is a version of
// the same path.
func (d *Detector) rulesFor(path string, prev *Version) *versionRules {
	if prev != nil && prev.path == path && prev.rules != nil {
		return prev.rules
	}
	active := d.activeRules(path, everything)
	r := &versionRules{active: active, local: d.localOnly(active), nonLocal: d.nonLocalOnly(active), nonLocalByKeyword: true}
	for i, on := range r.nonLocal {
		if on && d.rules[i].rule.Prefilter != "" {
			r.nonLocalByKeyword = false
		}
	}
	return r
}

var lineSeed = maphash.MakeSeed()

// ScanVersion scans data, one version of the file at path. Given prev, the
// version before it, only the lines of data that prev does not hold run
// through the line-local rules and the known values, and prev's matches on
// the lines it does hold are carried over, moved; the rules that see past
// a line (private keys) run over the whole of data only when their keyword
// occurs in it, and not even then where the edits are away from every
// window they ran over in prev and add none of their keywords (their
// matches are then prev's, moved, and filtered again: keepNonLocal);
// literals joined across lines are looked for over the whole
// of data where prev held some or a new pair of lines joins, unless the
// edits are away from every run (its runs and their matches are prev's,
// moved: keepJoins). Overlaps are then resolved over all of it, as a scan
// does.
// The result is the same as a full scan: a match of a line-local rule or a
// known value lies within one line and depends on that line alone (keyword
// windows are lines, matches cannot cross a newline, and the inline allow
// is read from the line); so does a match in decoded text, of any rule (an
// encoded segment holds no newline), and the generic value gate reads the
// match's line only. When a known value spans lines, or either
// version is bigger than one scan chunk, data is scanned whole, as Scan
// does. data must not change while the returned Version is in use.
func (d *Detector) ScanVersion(data []byte, path string, prev *Version) (_ *Version, err error) {
	defer guard(&err)
	enterInput(path)
	v := &Version{path: path, data: data}
	if len(data) > chunkSize || !d.lineLocal {
		// Scanned as a stream, in chunks; the next version is scanned
		// whole too.
		_, err := d.scanChunks(bytes.NewReader(data), path, everything, nil, func(f Finding) { v.Findings = append(v.Findings, f) })
		v.Scanned = int64(len(data))
		return v, err
	}
	v.rules = d.rulesFor(path, prev)
	active := v.rules.active
	if prev == nil || prev.path != path || prev.hashes == nil {
		v.starts, v.hashes = lineIndex(data)
		return v, d.scanWhole(v, active)
	}
	sc := lineScratches.Get().(*lineScratch)
	defer sc.put()
	var bToA []int
	var mid lineRange
	v.starts, v.hashes, bToA, mid = lineIndexAfter(prev, data, sc)
	e := newEdit(prev, v, mid)
	// The new lines, each still a whole line, make one text to scan.
	var buf []byte
	var changed, at []int
	for j := mid.from; j < mid.to; j++ {
		if bToA[j] >= 0 {
			continue
		}
		changed = append(changed, j)
		at = append(at, len(buf))
		buf = append(buf, v.line(j)...)
		if buf[len(buf)-1] != '\n' {
			buf = append(buf, '\n')
		}
	}
	var fresh []rawMatch
	nonLocal := prev.nonLocal
	if len(buf) > 0 {
		ms, err := d.find(buf, v.rules.local, everything, &nonLocal)
		if err == nil {
			// Decoded text runs every rule: its matches lie within the
			// segment, on one line, whatever the rule.
			ms, err = d.findDecoded(ms, buf, active, 0, forScan)
		}
		if err != nil {
			return nil, err
		}
		fresh = d.filter(ms, buf, forScan)
		sortByStart(fresh)
	}
	v.Scanned = int64(len(buf))
	// prev's matches on a line are contiguous (they are in order); each
	// goes to every line of data equal to theirs, in data's order. Most
	// versions carry none: their lines are not looked at again.
	var carried []rawMatch
	var carriedLines []int
	if len(prev.local) > 0 {
		first := make(map[int]int, len(prev.local))
		for k := len(prev.local) - 1; k >= 0; k-- {
			first[prev.lines[k]] = k
		}
		for j, i := range bToA {
			if i < 0 {
				continue
			}
			k, ok := first[i]
			for ; ok && k < len(prev.local) && prev.lines[k] == i; k++ {
				m := prev.local[k]
				shift := v.starts[j] - prev.starts[i]
				m.start, m.end = m.start+shift, m.end+shift
				carried = append(carried, m)
				carriedLines = append(carriedLines, j)
			}
		}
	}
	// The new lines' matches, moved from buf to data.
	freshLines := make([]int, len(fresh))
	for k := range fresh {
		m := &fresh[k]
		n := lineOf(at, m.start)
		shift := v.starts[changed[n]] - at[n]
		m.start, m.end = m.start+shift, m.end+shift
		freshLines[k] = changed[n]
	}
	v.local, v.lines = mergeMatches(carried, carriedLines, fresh, freshLines)
	all := v.local
	if nonLocal {
		// A rule that sees past its line runs over the whole version,
		// unless the edits are away from every window it ran over in
		// the version before (keepNonLocal). Either way its matches are
		// filtered on this version's text.
		if !(prev.nlDone && v.keepNonLocal(d, prev, e)) {
			v.nlWindows, v.nlRaw = nil, nil
			ms, err := d.findNonLocal(data, v.rules.nonLocal, &v.nonLocal, &v.nlWindows)
			if err != nil {
				return nil, err
			}
			v.nlRaw, v.nlDone = ms, true
			v.Scanned += int64(len(data))
		}
		if nl := d.filter(slices.Clone(v.nlRaw), data, forScan); len(nl) > 0 {
			all = append(append([]rawMatch(nil), v.local...), nl...)
		}
	}
	// Literals joined across lines: a run may join a new line to an
	// unchanged one, so they are looked for over the whole version, unless
	// the edits are away from every run (keepJoins).
	if prev.joined && v.keepJoins(prev, e) {
		if len(v.joins) > 0 {
			all = append(append([]rawMatch(nil), all...), v.joins...)
		}
	} else if prev.joined || newJoint(data, v.starts, bToA, mid) {
		var js []rawMatch
		var err error
		if js, v.joined, err = d.findJoined(nil, data, v.starts, active, forScan, &v.rules.joins, &v.runs); err != nil {
			return nil, err
		}
		if js = d.filter(js, data, forScan); len(js) > 0 {
			v.joins = js
			all = append(append([]rawMatch(nil), all...), js...)
		}
	}
	v.Findings = d.findings(d.judgeGroups(all, data), data)
	return v, nil
}

// newJoint reports whether two adjacent lines of data, by its line starts,
// are a joint (joinsNext) where the version before, which held none, had
// not the same two lines adjacent (bToA, as lineIndexAfter maps them): a pair
// it had adjacent was no joint there, and a joint depends on its two
// lines alone.
func newJoint(data []byte, starts, bToA []int, mid lineRange) bool {
	// Two lines both before the middle, or both after it, are a's two
	// adjacent lines: only pairs with a line of the middle can be new.
	for j := max(mid.from-1, 0); j < mid.to && j+1 < len(bToA); j++ {
		if a := bToA[j]; a >= 0 && bToA[j+1] == a+1 {
			continue
		}
		if joinsNext(data, starts, j) {
			return true
		}
	}
	return false
}

// keepJoins takes prev's runs of joined literals and their matches, moved
// with the lines they are on, where v's changed middle (e) is away from
// every one of them: no run of prev on the line before the middle, in it,
// or on the line after it (prev's), and no two adjacent lines of v with a
// line of the middle between them a joint. A run depends on its lines and
// the joints between them alone, and a match in it on the run's text and
// the lines it is on: every run of v is then one of prev's, on the same
// lines, and so are the matches. It reports false, changing nothing,
// where a run may have changed.
func (v *Version) keepJoins(prev *Version, e edit) bool {
	for _, r := range prev.runs {
		if r.from <= e.endLine && r.to >= e.mid.from {
			return false
		}
	}
	for j := max(e.mid.from-1, 0); j < e.mid.to && j+1 < len(v.hashes); j++ {
		if joinsNext(v.data, v.starts, j) {
			return false
		}
	}
	v.runs = make([]lineRange, len(prev.runs))
	for k, r := range prev.runs {
		if r.from > e.endLine {
			r.from, r.to = r.from+e.lines, r.to+e.lines
		}
		v.runs[k] = r
	}
	v.joins = e.moved(prev.joins)
	v.joined, v.joinsKept = len(v.runs) > 0, true
	return true
}

// keepNonLocal takes prev's non-local windows and their unfiltered
// matches, moved with the text after the middle, where v's changed middle
// (e) is away from every window: each of prev's windows ends more than
// mergeGap bytes before prev's middle or starts more than mergeGap after
// it, and no keyword of a non-local rule occurs in v's middle. A window is
// opened at a keyword and reaches to line ends found from it, and windows
// closer than mergeGap are matched as one span: away from the middle, each
// window of v is then one of prev's over the same bytes, none opens in the
// middle, and none joins a window across it, so the non-local rules match
// what they matched in prev. It reports false, changing nothing, where a
// window may have changed.
func (v *Version) keepNonLocal(d *Detector, prev *Version, e edit) bool {
	if !v.rules.nonLocalByKeyword {
		return false
	}
	for _, w := range prev.nlWindows {
		if w.end+mergeGap >= e.from && w.start <= e.endA+mergeGap {
			return false
		}
	}
	// The middle is whole lines, and no keyword holds a newline here (a
	// detector with one scans every version whole): a keyword in v that
	// is in no line of the middle is one of prev's.
	hit := false
	var hits keywordHits
	d.nonLocalKW().set.scan(v.data[e.from:e.endB], &hits, func(int, int) { hit = true })
	if hit {
		return false
	}
	v.nlWindows = make([]window, len(prev.nlWindows))
	for k, w := range prev.nlWindows {
		if w.start >= e.endA {
			w.start, w.end, w.opAfter = w.start+e.shift, w.end+e.shift, w.opAfter+e.shift
		}
		v.nlWindows[k] = w
	}
	v.nlRaw = e.moved(prev.nlRaw)
	// Its keywords are prev's outside the middle, and none is in it.
	v.nonLocal = prev.nonLocal
	v.nlDone, v.nlKept = true, true
	return true
}

// edit is where a version differs from the one before it (prev): prev's
// lines [mid.from, endLine) became its lines mid, and the lines after
// them moved by lines, their bytes by shift. In bytes the middle is
// prev's [from, endA) and the version's [from, endB).
type edit struct {
	mid              lineRange
	endLine          int
	from, endA, endB int
	lines, shift     int
}

func newEdit(prev, v *Version, mid lineRange) edit {
	end := len(prev.hashes) - (len(v.hashes) - mid.to)
	return edit{mid: mid, endLine: end, from: prev.starts[mid.from], endA: prev.starts[end], endB: v.starts[mid.to],
		lines: mid.to - end, shift: len(v.data) - len(prev.data)}
}

// moved is ms, matches in prev outside its middle, in the version after
// it: those after the middle moved by shift.
func (e edit) moved(ms []rawMatch) []rawMatch {
	out := make([]rawMatch, len(ms))
	for k, m := range ms {
		if m.start >= e.endA {
			m.start, m.end = m.start+e.shift, m.end+e.shift
		}
		out[k] = m
	}
	return out
}

// HeldBytes is about the memory v holds.
func (v *Version) HeldBytes() int {
	return len(v.data) + 16*len(v.hashes) + 64*(len(v.local)+len(v.joins)+len(v.nlRaw)) + 16*len(v.runs) + 24*len(v.nlWindows)
}

// scanWhole scans all of v's data, as Scan does, keeping the line-local
// matches for the next version.
func (d *Detector) scanWhole(v *Version, active []bool) error {
	ms, err := d.find(v.data, active, everything, &v.nonLocal)
	if err == nil {
		ms, err = d.findDecoded(ms, v.data, active, 0, forScan)
	}
	if err == nil {
		ms, v.joined, err = d.findJoined(ms, v.data, v.starts, active, forScan, &v.rules.joins, &v.runs)
	}
	if err != nil {
		return err
	}
	ms = d.filter(ms, v.data, forScan)
	for _, m := range ms {
		if m.decoded == EncJoined {
			v.joins = append(v.joins, m)
		} else if m.rule < 0 || m.decoded != "" || !d.rules[m.rule].nonLocal {
			v.local = append(v.local, m)
		}
	}
	sortByStart(v.local)
	v.lines = make([]int, len(v.local))
	for k, m := range v.local {
		v.lines[k] = lineOf(v.starts, m.start)
	}
	v.Findings = d.findings(d.judgeGroups(ms, v.data), v.data)
	v.Scanned = int64(len(v.data))
	return nil
}

// findings resolves filtered matches over one buffer and positions them,
// as a single-chunk scan does.
func (d *Detector) findings(ms []rawMatch, buf []byte) []Finding {
	if len(ms) == 0 {
		return nil
	}
	var out []Finding
	d.emit(choose(append([]rawMatch(nil), ms...)), buf, 0, len(buf), true, &position{line: 1}, func(f Finding) { out = append(out, f) })
	return out
}

// localOnly and nonLocalOnly split a set of active rules (nil: all).
func (d *Detector) localOnly(active []bool) []bool    { return d.ruleSubset(active, false) }
func (d *Detector) nonLocalOnly(active []bool) []bool { return d.ruleSubset(active, true) }

func (d *Detector) ruleSubset(active []bool, nonLocal bool) []bool {
	out := make([]bool, len(d.rules))
	for i, c := range d.rules {
		out[i] = (active == nil || active[i]) && c.nonLocal == nonLocal
	}
	return out
}

// lineOf is the index of the line (by its start offset) holding offset.
func lineOf(starts []int, offset int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > offset }) - 1
}

func sortByStart(ms []rawMatch) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
}

func (v *Version) line(i int) []byte { return v.data[v.starts[i]:v.starts[i+1]] }

// lineIndex splits data into lines (each with its '\n'; the last may have
// none) and hashes them.
func lineIndex(data []byte) (starts []int, hashes []uint64) {
	n := bytes.Count(data, []byte{'\n'}) + 1
	starts, hashes = appendLines(make([]int, 0, n+1), make([]uint64, 0, n), data, 0, len(data))
	return append(starts, len(data)), hashes
}

// appendLines appends the start (in data) and hash of each line of
// data[lo:hi], which starts at a line's start and ends at a line's end.
func appendLines(starts []int, hashes []uint64, data []byte, lo, hi int) ([]int, []uint64) {
	for at := lo; at < hi; {
		end := hi
		if e := bytes.IndexByte(data[at:hi], '\n'); e >= 0 {
			end = at + e + 1
		}
		starts = append(starts, at)
		hashes = append(hashes, maphash.Bytes(lineSeed, data[at:end]))
		at = end
	}
	return starts, hashes
}

// lineIndexAfter is lineIndex of data, the version after a, with each
// of its lines mapped to a line of a with the same bytes (bToA; -1 where a
// has none). Order does not matter: a finding on a line depends on that
// line alone, so any equal line has the same findings; and a line left
// unmapped is scanned again, which costs time, never a finding.
//
// The lines both share at their start and end, byte for byte, are a's:
// their offsets (shifted, at the end) and hashes are a's. The lines
// between are split and matched against a's, in order: a line equal to
// the one after the last match (compared byte for byte) takes that line's
// hash; only the others are hashed, and looked for a few lines further
// on (a few of a's lines dropped or changed). A run of lines found nowhere
// near (a block dropped, or the middle's last lines) is looked up again in
// a table of a's lines after the last match, and so is every line after
// it: a line edited without moving is found wherever it is, and a line
// moved back before the last match is scanned again. A history's next
// version mostly differs in a few lines: splitting and hashing every line
// of every version was an eighth of a history scan; hashing every line of
// a lock file's scattered edits, and a table of every line of the version
// before for the first line changed, a twentieth of vite's.
//
// middle is the lines between those shared at the start and at the end,
// each of which is mapped to its own line in a. bToA and the table are
// sc's, until sc is put back.
func lineIndexAfter(a *Version, data []byte, sc *lineScratch) (starts []int, hashes []uint64, bToA []int, middle lineRange) {
	na := len(a.hashes)
	// The bytes both share at the start, then at the end, not overlapping.
	pre := affix.Prefix(a.data, data)
	suf := affix.Suffix(a.data[pre:], data[pre:])
	// Whole lines of a inside them: a line in the prefix ends with its
	// '\n' there; a line in the suffix starts after a '\n' there.
	head, tail := 0, 0
	for head < na && a.starts[head+1] <= pre && a.data[a.starts[head+1]-1] == '\n' {
		head++
	}
	for tail < na-head && a.starts[na-1-tail] > len(a.data)-suf {
		tail++
	}
	lo, hiA := a.starts[head], a.starts[na-tail]
	hi := len(data) - (len(a.data) - hiA) // the shared tail's start in data
	// data[lo:hi] starts and ends at a line's bounds: the '\n's before
	// lo and hi are shared bytes. Its lines go straight in between.
	mid := 0
	if lo < hi {
		mid = bytes.Count(data[lo:hi], []byte{'\n'})
		if data[hi-1] != '\n' {
			mid++ // the last line, with no '\n' (hi is then len(data))
		}
	}
	nb := head + mid + tail
	starts = append(make([]int, 0, nb+1), a.starts[:head]...)
	hashes = append(make([]uint64, 0, nb), a.hashes[:head]...)
	bToA = sc.lineMap(nb) // every entry is set below
	for k := range head {
		bToA[k] = k
	}
	m := lineMatcher{a: a, next: head, end: na - tail, sc: sc}
	lineAt := func(k, end int) []byte {
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		return data[starts[k]:end]
	}
	for at := lo; at < hi; {
		if i := m.next; i < m.end {
			if k := m.equalRun(data, at, hi); k > i {
				// Lines i to k of a, byte for byte: a's starts
				// (shifted), hashes and lines, taken whole.
				j, shift := len(starts), at-a.starts[i]
				for _, s := range a.starts[i:k] {
					starts = append(starts, s+shift)
				}
				hashes = append(hashes, a.hashes[i:k]...)
				for x := range k - i {
					bToA[j+x] = i + x
				}
				m.next, m.misses = k, 0
				at += a.starts[k] - a.starts[i]
				continue
			}
		}
		end := hi
		if e := bytes.IndexByte(data[at:hi], '\n'); e >= 0 {
			end = at + e + 1
		}
		j := len(starts)
		starts = append(starts, at)
		var h uint64
		bToA[j], h = m.match(data[at:end])
		hashes = append(hashes, h)
		if m.misses == maxMisses && m.table == nil {
			m.lookUpRun(bToA, hashes, func(k int) []byte { return lineAt(k, end) }, j+1)
		}
		at = end
	}
	if m.misses > 0 && m.table == nil && m.next < m.end {
		m.lookUpRun(bToA, hashes, func(k int) []byte { return lineAt(k, hi) }, len(starts))
	}
	for k, at := range a.starts[na-tail : na] {
		starts = append(starts, at-hiA+hi)
		bToA[head+mid+k] = na - tail + k
	}
	starts = append(starts, len(data))
	hashes = append(hashes, a.hashes[na-tail:]...)
	return starts, hashes, bToA, lineRange{head, head + mid}
}

// lineRange is the lines from, up to to.
type lineRange struct{ from, to int }

// lookAhead is how far past the line after the last match a line is
// looked for before the table; maxMisses, how many lines in a row may be
// found nowhere near before the table is built.
const (
	lookAhead = 8
	maxMisses = 8
)

// lineMatcher matches the lines of a version's changed middle to those of
// a, the version before, in order (see lineIndexAfter).
type lineMatcher struct {
	a         *Version
	from, end int // a's lines in the table (from), the middle's end
	next      int // the line of a after the last match
	misses    int // lines found nowhere near since the last match
	table     []int32
	mask      uint64
	sc        *lineScratch
}

// lineScratch holds lineIndexAfter's line map and table for reuse: a
// history builds them for each version of each file, and fresh ones were
// memory the kernel zeroed and the collector freed, each time.
type lineScratch struct {
	bToA  []int
	table []int32
}

var lineScratches = sync.Pool{New: func() any { return new(lineScratch) }}

// maxScratchLines bounds what a lineScratch keeps between uses.
const maxScratchLines = 1 << 20

func (sc *lineScratch) lineMap(n int) []int {
	if cap(sc.bToA) < n {
		sc.bToA = make([]int, n)
	}
	return sc.bToA[:n]
}

func (sc *lineScratch) put() {
	if cap(sc.bToA) > maxScratchLines {
		sc.bToA = nil
	}
	if cap(sc.table) > maxScratchLines {
		sc.table = nil
	}
	lineScratches.Put(sc)
}

// equalRun gives k where a's lines from the next one up to k are the
// lines of data from at on, byte for byte (k == m.next: not even the
// first). The bytes are compared in bulk: between two edits a version
// holds long runs of its version before's lines, a lock file's hundreds.
func (m *lineMatcher) equalRun(data []byte, at, hi int) int {
	a, i := m.a, m.next
	n := affix.Prefix(a.data[a.starts[i]:a.starts[m.end]], data[at:hi])
	// The lines of a that end within the n equal bytes.
	k := i + sort.Search(m.end-i, func(x int) bool { return a.starts[i+x+1]-a.starts[i] > n })
	if k > i && a.data[a.starts[k]-1] != '\n' && at+a.starts[k]-a.starts[i] != hi {
		// a's last line, with no '\n', where data's line goes on.
		k--
	}
	return k
}

// match gives the line of a that line is, or -1, and line's hash, where
// line is not a's next line (equalRun).
func (m *lineMatcher) match(line []byte) (int, uint64) {
	a := m.a
	h := maphash.Bytes(lineSeed, line)
	for k := m.next + 1; k < min(m.next+1+lookAhead, m.end); k++ {
		if a.hashes[k] == h && bytes.Equal(a.line(k), line) {
			m.next = k + 1
			m.misses = 0
			return k, h
		}
	}
	if m.table != nil {
		if i := m.lookUp(h, line); i >= 0 {
			return i, h
		}
	}
	m.misses++
	return -1, h
}

// lookUpRun builds the table of a's lines after the last match and looks
// up in it the run of lines before line end found nowhere near.
func (m *lineMatcher) lookUpRun(bToA []int, hashes []uint64, line func(k int) []byte, end int) {
	m.from = m.next
	m.build()
	for k := end - m.misses; k < end; k++ {
		bToA[k] = m.lookUp(hashes[k], line(k))
	}
}

// build makes the table of a's lines from m.from to the middle's end, by
// hash: the first of equal lines is kept.
func (m *lineMatcher) build() {
	size := 1
	for size < 2*(m.end-m.from) {
		size <<= 1
	}
	if cap(m.sc.table) < size {
		m.sc.table = make([]int32, size)
	}
	m.table, m.mask = m.sc.table[:size], uint64(size-1)
	clear(m.table)
	for i := m.from; i < m.end; i++ {
		for k := m.a.hashes[i] & m.mask; ; k = (k + 1) & m.mask {
			if m.table[k] == 0 {
				m.table[k] = int32(i + 1)
				break
			}
			if m.a.hashes[m.table[k]-1] == m.a.hashes[i] {
				break
			}
		}
	}
}

// lookUp finds line, of hash h, in the table: a line of a with equal
// bytes (a hash collision costs a rescan, never a finding), or -1.
func (m *lineMatcher) lookUp(h uint64, line []byte) int {
	for k := h & m.mask; m.table[k] != 0; k = (k + 1) & m.mask {
		if i := int(m.table[k] - 1); m.a.hashes[i] == h {
			if !bytes.Equal(m.a.line(i), line) {
				return -1
			}
			m.next, m.misses = i+1, 0
			return i
		}
	}
	return -1
}

// mergeMatches merges two lists of matches sorted by start, with their
// lines.
func mergeMatches(a []rawMatch, al []int, b []rawMatch, bl []int) ([]rawMatch, []int) {
	if len(b) == 0 {
		return a, al
	}
	out := make([]rawMatch, 0, len(a)+len(b))
	lines := make([]int, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || (len(a) > 0 && a[0].start <= b[0].start) {
			out, lines = append(out, a[0]), append(lines, al[0])
			a, al = a[1:], al[1:]
		} else {
			out, lines = append(out, b[0]), append(lines, bl[0])
			b, bl = b[1:], bl[1:]
		}
	}
	return out, lines
}
