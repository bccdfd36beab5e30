package detector

import "slices"

// referenceKeywordSet is the automaton builder as it was before the
// automaton could be generated ahead of time (compileKeywords, expand):
// both must build the same tables.
func referenceKeywordSet(keywords []string) *keywordSet {
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

	// Trie first, with -1 for missing edges. Each state's edges are a
	// row of one flat table: a pack's thousands of states cost a few
	// allocations, not one each (building the automaton is part of every
	// start-up).
	nc := ks.nclass
	next := make([]int32, 0, referenceTrieStates(keywords)*nc)
	addState := func() int32 {
		for range nc {
			next = append(next, -1)
		}
		return int32(len(next)/nc - 1)
	}
	addState()
	out := map[int32][]int{} // keyword ids ending in a state
	ks.lens = make([]int, len(keywords))
	ks.maxLen = 1
	for id, k := range keywords {
		ks.lens[id] = len(k)
		ks.maxLen = max(ks.maxLen, len(k))
		if k == "" {
			continue
		}
		s := int32(0)
		for i := 0; i < len(k); i++ {
			c := int32(ks.class[k[i]])
			if next[s*int32(nc)+c] < 0 {
				n := addState()
				next[s*int32(nc)+c] = n
			}
			s = next[s*int32(nc)+c]
		}
		out[s] = append(out[s], id)
	}
	states := len(next) / nc
	// Breadth-first: fail links, inherited outputs, and full transitions.
	fail := make([]int32, states)
	queue := make([]int32, 0, states)
	for c := range nc {
		if n := next[c]; n >= 0 {
			fail[n] = 0
			queue = append(queue, n)
		} else {
			next[c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := fail[s]
		if inherited := out[f]; len(inherited) > 0 {
			out[s] = append(out[s], inherited...)
		}
		row, frow := next[int(s)*nc:int(s+1)*nc], next[int(f)*nc:int(f+1)*nc]
		for c, n := range row {
			if n >= 0 {
				fail[n] = frow[c]
				queue = append(queue, n)
			} else {
				row[c] = frow[c]
			}
		}
	}
	// Renumber: the root stays 0, states without outputs next, then the
	// states with outputs.
	order := make([]int32, 0, states)
	for i := range int32(states) {
		if len(out[i]) == 0 {
			order = append(order, i)
		}
	}
	firstOut := len(order)
	for i := range int32(states) {
		if len(out[i]) > 0 {
			order = append(order, i)
		}
	}
	newID := make([]int32, states)
	for id, old := range order {
		newID[old] = int32(id)
	}
	ks.delta = make([]int32, states*nc)
	ks.outputs = make([][]int, states)
	for id, old := range order {
		for c, n := range next[int(old)*nc : int(old+1)*nc] {
			ks.delta[id*nc+c] = newID[n] * int32(nc)
		}
		ks.outputs[id] = out[old]
	}
	ks.outStart = int32(firstOut) * int32(nc)
	return ks
}

// trieStates is the number of states of keywords' trie: its root and one
// per distinct non-empty prefix, ASCII case folded. The table is sized
// once: growing it by appends was half of building the automaton.
func referenceTrieStates(keywords []string) int {
	folded := make([]string, 0, len(keywords))
	for _, k := range keywords {
		b := []byte(k)
		for i := range b {
			b[i] = foldByte(b[i])
		}
		folded = append(folded, string(b))
	}
	slices.Sort(folded)
	n, prev := 1, ""
	for _, k := range folded {
		common := 0
		for common < len(k) && common < len(prev) && k[common] == prev[common] {
			common++
		}
		n += len(k) - common
		prev = k
	}
	return n
}
