package detector

// classRuns calls fn with each maximal run of bytes in class at least min
// long, in order. A run that long which starts in buf[i:j+1] (j = i+min-1)
// covers buf[j], so where buf[j] is outside the class the scan jumps past
// it: text without such runs is looked at once every min bytes. The
// base64 segments and the word-run prefilter both find their runs here.
func classRuns(buf []byte, class *[256]bool, min int, fn func(start, end int)) {
	// buf[i:known] is in the class, where known > i: the bytes a look
	// back has read already, which the next look back does not read again.
	known := 0
	for i := 0; i+min <= len(buf); {
		// buf[i-1], where i > 0, is outside the class: a run starts at i
		// at the earliest.
		j := i + min - 1
		if !class[buf[j]] {
			i = j + 1
			continue
		}
		// When buf[i:j+1] is not all in the class, a run may start after
		// the last byte that is not.
		lo := max(i, known)
		k := j - 1
		for k >= lo && class[buf[k]] {
			k--
		}
		if k >= lo {
			i, known = k+1, j+1
			continue
		}
		e := j + 1
		for e < len(buf) && class[buf[e]] {
			e++
		}
		fn(i, e)
		i = e + 1
	}
}
