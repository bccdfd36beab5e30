package detector

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
}

func foldByte(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// newKeywordSet builds the automaton for keywords (matched ASCII
// case-insensitively). Empty keywords are ignored.
func newKeywordSet(keywords []string) *keywordSet {
	ks := &keywordSet{}
	// Byte classes: each distinct folded byte used by a keyword gets one.
	var used [256]bool
	for _, k := range keywords {
		for i := 0; i < len(k); i++ {
			used[foldByte(k[i])] = true
		}
	}
	ks.nclass = 1
	for b := 0; b < 256; b++ {
		if used[b] {
			ks.class[b] = uint8(ks.nclass)
			ks.nclass++
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		ks.class[b] = ks.class[b+('a'-'A')]
	}

	// Trie first, with -1 for missing edges.
	type node struct {
		next []int32
		fail int32
		out  []int
	}
	newNode := func() node {
		n := node{next: make([]int32, ks.nclass)}
		for i := range n.next {
			n.next[i] = -1
		}
		return n
	}
	nodes := []node{newNode()}
	ks.lens = make([]int, len(keywords))
	for id, k := range keywords {
		ks.lens[id] = len(k)
		if k == "" {
			continue
		}
		s := int32(0)
		for i := 0; i < len(k); i++ {
			c := ks.class[k[i]]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, id)
	}
	// Breadth-first: fail links, inherited outputs, and full transitions.
	queue := []int32{}
	for c := 0; c < ks.nclass; c++ {
		if n := nodes[0].next[c]; n >= 0 {
			nodes[n].fail = 0
			queue = append(queue, n)
		} else {
			nodes[0].next[c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := 0; c < ks.nclass; c++ {
			if n := nodes[s].next[c]; n >= 0 {
				nodes[n].fail = nodes[f].next[c]
				queue = append(queue, n)
			} else {
				nodes[s].next[c] = nodes[f].next[c]
			}
		}
	}
	// Renumber: the root stays 0, states without outputs next, then the
	// states with outputs.
	order := make([]int, 0, len(nodes))
	for i, n := range nodes {
		if len(n.out) == 0 {
			order = append(order, i)
		}
	}
	firstOut := len(order)
	for i, n := range nodes {
		if len(n.out) > 0 {
			order = append(order, i)
		}
	}
	newID := make([]int32, len(nodes))
	for id, old := range order {
		newID[old] = int32(id)
	}
	nc := int32(ks.nclass)
	ks.delta = make([]int32, len(nodes)*ks.nclass)
	ks.outputs = make([][]int, len(nodes))
	for id, old := range order {
		for c, next := range nodes[old].next {
			ks.delta[id*ks.nclass+c] = newID[next] * nc
		}
		ks.outputs[id] = nodes[old].out
	}
	ks.outStart = int32(firstOut) * nc
	return ks
}

// scan calls fn for every keyword occurrence in data, in order of the
// position just past its last byte.
func (ks *keywordSet) scan(data []byte, fn func(id, end int)) {
	if len(ks.delta) == 0 {
		return
	}
	delta, class, nclass, outStart := ks.delta, &ks.class, int32(ks.nclass), ks.outStart
	s := int32(0)
	for i, b := range data {
		s = delta[s+int32(class[b])]
		if s >= outStart {
			for _, id := range ks.outputs[s/nclass] {
				fn(id, i+1)
			}
		}
	}
}
