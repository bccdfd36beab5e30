package detector

import (
	"slices"
	"strings"
	"sync"

	"github.com/keygate/keygate/rules"
)

// keywordSet is a case-insensitive Aho-Corasick automaton compiled to a
// dense DFA over byte classes. Bytes that occur in no keyword share class 0,
// so the transition table stays small enough to live in cache and the inner
// loop is one table load per input byte.
type keywordSet struct {
	class  [256]uint8
	nclass int
	// delta[s+class] is the next state, premultiplied by nclass (so the
	// loop needs no multiply). States are numbered so that every state
	// with an output comes last: one compare says whether to look.
	delta    []int32
	outStart int32   // premultiplied number of the first output state
	outputs  [][]int // keyword ids that end in each state, by state index
	lens     []int   // keyword lengths, by id
	maxLen   int     // the longest keyword's length
}

func foldByte(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// ruleKeywords returns pack's keywords, lowercased and each once, in order
// of first use, and for each the rules that use it: the automaton's ids.
func ruleKeywords(pack *rules.Pack) (kws []string, keywordRules [][]int) {
	return keywordsOf(pack, func(int) bool { return true })
}

// keywordsOf is ruleKeywords of the rules keep keeps (by index).
func keywordsOf(pack *rules.Pack, keep func(i int) bool) (kws []string, keywordRules [][]int) {
	kwIndex := map[string]int{}
	for i := range pack.Rules {
		if !keep(i) {
			continue
		}
		for _, k := range pack.Rules[i].Keywords {
			if k == "" {
				continue
			}
			k = strings.ToLower(k)
			id, ok := kwIndex[k]
			if !ok {
				id = len(kws)
				kwIndex[k] = id
				kws = append(kws, k)
				keywordRules = append(keywordRules, nil)
			}
			keywordRules[id] = append(keywordRules[id], i)
		}
	}
	return kws, keywordRules
}

// keywordSetFor returns the automaton of kws: the default pack's
// generated one (expanded once a process) when kws are its keywords, else
// one compiled now (an extra pack, active values, a stale generated file).
func keywordSetFor(kws []string) *keywordSet {
	if slices.Equal(kws, defaultKeywords) {
		return defaultKeywordSet()
	}
	return newKeywordSet(kws)
}

// defaultKeywordSet is the generated automaton's table; a keywordSet is
// never written after it is built, so detectors share it.
var defaultKeywordSet = sync.OnceValue(defaultAutomaton.expand)

// automaton is a keyword set's Aho-Corasick automaton before its dense
// table is laid out: byte classes, the trie's edges, fail links and
// outputs, in the final state numbering. The default pack's automaton is
// computed by `go generate` (keywords_gen.go) and only expanded at start-up;
// any other keyword list (an extra pack, active values) is compiled then.
type automaton struct {
	class  [256]uint8
	nclass int
	// order lists the states breadth-first (the root first); a state's
	// children are consecutive in it.
	order []int32
	// parent and edge: by state, the state its trie edge leaves and that
	// edge's byte class (the root's are 0).
	parent []int32
	edge   []uint8
	fail   []int32
	// firstOut is the first state with an output: states are numbered
	// so that every state with an output comes last.
	firstOut int32
	outputs  [][]int // keyword ids that end in each state, by state
	lens     []int   // keyword lengths, by id
}

// newKeywordSet builds the automaton for keywords (matched ASCII
// case-insensitively). Empty keywords are ignored.
func newKeywordSet(keywords []string) *keywordSet {
	return compileKeywords(keywords).expand()
}

// compileKeywords computes keywords' automaton.
func compileKeywords(keywords []string) *automaton {
	a := &automaton{}
	// Byte classes: each distinct folded byte used by a keyword gets one.
	var used [256]bool
	for _, k := range keywords {
		for i := 0; i < len(k); i++ {
			used[foldByte(k[i])] = true
		}
	}
	a.nclass = 1
	for b := 0; b < 256; b++ {
		if used[b] {
			a.class[b] = uint8(a.nclass)
			a.nclass++
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		a.class[b] = a.class[b+('a'-'A')]
	}

	// The trie, states numbered as created, each state's children a list
	// (firstChild, then sibling) of (class, state).
	type node struct {
		parent, firstChild, sibling, fail int32
		edge                              uint8
		out                               []int
	}
	nodes := make([]node, 1, 1+len(keywords)*8)
	nodes[0].firstChild = -1
	child := func(s int32, c uint8) int32 {
		for n := nodes[s].firstChild; n >= 0; n = nodes[n].sibling {
			if nodes[n].edge == c {
				return n
			}
		}
		return -1
	}
	a.lens = make([]int, len(keywords))
	for id, k := range keywords {
		a.lens[id] = len(k)
		if k == "" {
			continue
		}
		s := int32(0)
		for i := 0; i < len(k); i++ {
			c := a.class[k[i]]
			n := child(s, c)
			if n < 0 {
				n = int32(len(nodes))
				// Children stay in the order of their classes, as
				// the dense trie's rows had them.
				nodes = append(nodes, node{parent: s, firstChild: -1, sibling: -1, edge: c})
				prev := int32(-1)
				for m := nodes[s].firstChild; m >= 0 && nodes[m].edge < c; m = nodes[m].sibling {
					prev = m
				}
				if prev < 0 {
					nodes[n].sibling, nodes[s].firstChild = nodes[s].firstChild, n
				} else {
					nodes[n].sibling, nodes[prev].sibling = nodes[prev].sibling, n
				}
			}
			s = n
		}
		nodes[s].out = append(nodes[s].out, id)
	}
	// Breadth-first: fail links and inherited outputs.
	queue := make([]int32, 1, len(nodes))
	for i := 0; i < len(queue); i++ {
		s := queue[i]
		if s != 0 {
			if f := nodes[s].fail; len(nodes[f].out) > 0 {
				nodes[s].out = append(nodes[s].out, nodes[f].out...)
			}
		}
		for n := nodes[s].firstChild; n >= 0; n = nodes[n].sibling {
			queue = append(queue, n)
			if s == 0 {
				continue
			}
			f := nodes[s].fail
			for {
				if m := child(f, nodes[n].edge); m >= 0 {
					nodes[n].fail = m
					break
				}
				if f == 0 {
					break
				}
				f = nodes[f].fail
			}
		}
	}
	// Renumber: the root stays 0, states without outputs next, then the
	// states with outputs, each group in creation order.
	states := len(nodes)
	newID := make([]int32, states)
	next := int32(0)
	for i := range states {
		if len(nodes[i].out) == 0 {
			newID[i] = next
			next++
		}
	}
	a.firstOut = next
	for i := range states {
		if len(nodes[i].out) > 0 {
			newID[i] = next
			next++
		}
	}
	a.order = make([]int32, states)
	for i, s := range queue {
		a.order[i] = newID[s]
	}
	a.parent = make([]int32, states)
	a.edge = make([]uint8, states)
	a.fail = make([]int32, states)
	a.outputs = make([][]int, states)
	for i := range nodes {
		id := newID[i]
		a.parent[id] = newID[nodes[i].parent]
		a.edge[id] = nodes[i].edge
		a.fail[id] = newID[nodes[i].fail]
		a.outputs[id] = nodes[i].out
	}
	return a
}

// expand lays out a's dense transition table: breadth-first, each state's
// row is its fail state's with its own trie edges written over it.
func (a *automaton) expand() *keywordSet {
	nc := a.nclass
	states := len(a.order)
	ks := &keywordSet{class: a.class, nclass: nc, outStart: a.firstOut * int32(nc), outputs: a.outputs, lens: a.lens, maxLen: max(1, slices.Max(append([]int{0}, a.lens...)))}
	ks.delta = make([]int32, states*nc)
	j := 1 // the next state in order whose trie edge is to be written
	for _, s := range a.order {
		row := ks.delta[int(s)*nc : int(s+1)*nc]
		if s != 0 {
			f := a.fail[s]
			copy(row, ks.delta[int(f)*nc:int(f+1)*nc])
		}
		for ; j < states && a.parent[a.order[j]] == s; j++ {
			n := a.order[j]
			row[a.edge[n]] = n * int32(nc)
		}
	}
	return ks
}

// scanStreams is how many parts a block is read as at once, and
// scanStreamsMin the shortest block split: below it, splitting costs more
// than the overlap of loads gains. scanBlock bounds a block, and so the
// hits held back while a block is read (8 bytes each).
const (
	scanStreams    = 4
	scanStreamsMin = 4 << 10
	scanBlock      = 256 << 10
)

// scanBlock names its walks d0-d3 and s0-s3: scanStreams is 4, and these
// fail to compile if it is changed without them.
var (
	_ [scanStreams - 4]struct{}
	_ [4 - scanStreams]struct{}
)

// keywordHits is scan's scratch space: parts' hits held until the parts
// before them are done, as (state, end) pairs.
type keywordHits [scanStreams][]int32

// scan calls fn for every keyword occurrence in data, in order of the
// position just past its last byte. hits is scratch space it may grow and
// keep (nil: it allocates).
//
// Text is read in blocks of scanBlock, each as scanStreams parts in one
// loop, one automaton each: a table walk waits for each load before the
// next, so one walk runs at the table's latency, while independent walks
// interleaved overlap their loads (a keyword-dense bot log: 389 -> 776
// MB/s). A part or block starts maxLen-1 bytes early, in the root state,
// and reports only the keywords that end inside it: one ending there
// starts no earlier than that. Parts after a block's first keep their hits
// until the parts before are done, so fn sees them in order; a block
// bounds what is kept (a text of keywords end to end holds a hit a byte).
func (ks *keywordSet) scan(data []byte, hits *keywordHits, fn func(id, end int)) {
	if len(ks.delta) == 0 {
		return
	}
	if hits == nil {
		hits = &keywordHits{}
	}
	for lo := 0; lo < len(data); lo += scanBlock {
		ks.scanBlock(data, lo, min(len(data), lo+scanBlock), hits, fn)
	}
}

// scanBlock calls fn for the keywords of data ending in (lo, hi].
func (ks *keywordSet) scanBlock(data []byte, lo, hi int, hits *keywordHits, fn func(id, end int)) {
	if hi-lo < scanStreamsMin {
		ks.walk(data, max(0, lo-(ks.maxLen-1)), hi, lo, 0, fn)
		return
	}
	delta, class, outStart := ks.delta, &ks.class, ks.outStart
	// Part k is data[bound[k]:bound[k+1]], read from from[k].
	var bound [scanStreams + 1]int
	var from [scanStreams]int
	for k := range bound {
		bound[k] = lo + (hi-lo)*k/scanStreams
	}
	for k := range from {
		from[k] = max(0, bound[k]-(ks.maxLen-1))
	}
	// The parts are read together for n bytes, then each alone.
	n := bound[1] - from[0]
	for k := 1; k < scanStreams; k++ {
		n = min(n, bound[k+1]-from[k])
	}
	for k := range hits {
		hits[k] = hits[k][:0]
	}
	d0, d1, d2, d3 := data[from[0]:from[0]+n], data[from[1]:from[1]+n], data[from[2]:from[2]+n], data[from[3]:from[3]+n]
	s0, s1, s2, s3 := int32(0), int32(0), int32(0), int32(0)
	for j := range n {
		s0 = delta[s0+int32(class[d0[j]])]
		s1 = delta[s1+int32(class[d1[j]])]
		s2 = delta[s2+int32(class[d2[j]])]
		s3 = delta[s3+int32(class[d3[j]])]
		if s0 >= outStart || s1 >= outStart || s2 >= outStart || s3 >= outStart {
			if end := from[0] + j + 1; s0 >= outStart && end > lo {
				ks.emit(s0, end, fn)
			}
			if s1 >= outStart {
				hits[1] = append(hits[1], s1, int32(from[1]+j+1))
			}
			if s2 >= outStart {
				hits[2] = append(hits[2], s2, int32(from[2]+j+1))
			}
			if s3 >= outStart {
				hits[3] = append(hits[3], s3, int32(from[3]+j+1))
			}
		}
	}
	ks.walk(data, from[0]+n, bound[1], lo, s0, fn)
	for k, s := range [scanStreams]int32{s0, s1, s2, s3} {
		if k == 0 {
			continue
		}
		for i := from[k] + n; i < bound[k+1]; i++ {
			if s = delta[s+int32(class[data[i]])]; s >= outStart {
				hits[k] = append(hits[k], s, int32(i+1))
			}
		}
		for h := 0; h < len(hits[k]); h += 2 {
			if end := int(hits[k][h+1]); end > bound[k] {
				ks.emit(hits[k][h], end, fn)
			}
		}
	}
}

// walk walks data[i:end] from state s, calling fn for each keyword that
// ends past after.
func (ks *keywordSet) walk(data []byte, i, end, after int, s int32, fn func(id, end int)) {
	delta, class, outStart := ks.delta, &ks.class, ks.outStart
	for ; i < end; i++ {
		if s = delta[s+int32(class[data[i]])]; s >= outStart && i+1 > after {
			ks.emit(s, i+1, fn)
		}
	}
}

// emit calls fn for each keyword ending at end in state s (premultiplied).
func (ks *keywordSet) emit(s int32, end int, fn func(id, end int)) {
	for _, id := range ks.outputs[s/int32(ks.nclass)] {
		fn(id, end)
	}
}
