package baseline

// Merge is what `keygate baseline` writes over an existing file: every
// entry already there (an entry a user added for a history finding, say,
// which a working-tree scan does not see again) and every entry found now.
// With prune, the entries found now are all that is kept, and the dropped
// ones are returned so the user sees what stops being accepted. old may be
// nil (no file yet).
func Merge(old *File, found []Entry, prune bool) (merged *File, added, pruned []Entry) {
	now := map[string]bool{}
	for _, e := range found {
		now[e.Fingerprint] = true
	}
	var keep []Entry
	if old != nil {
		for _, e := range old.Entries {
			if prune && !now[e.Fingerprint] {
				pruned = append(pruned, e)
				continue
			}
			keep = append(keep, e)
		}
	}
	for _, e := range New(found).Entries {
		if !old.Has(e.Fingerprint) {
			added = append(added, e)
		}
	}
	return New(append(keep, found...)), added, New(pruned).Entries
}
