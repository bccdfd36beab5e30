package baseline

// Merge is what `keygate baseline` writes over an existing file: every
// entry already there (an entry a user added for a history finding, say,
// which a working-tree scan does not see again) and every entry found now.
// With prune, the entries found now are all that is kept, and the dropped
// ones are returned so the user sees what stops being accepted. old may be
// nil (no file yet). An error is one reading old again.
func Merge(old *File, found []Entry, prune bool) (merged *File, added, pruned []Entry, err error) {
	now := map[string]bool{}
	for _, e := range found {
		now[e.Fingerprint] = true
	}
	var keep []Entry
	err = old.Each(func(e Entry) {
		if prune && !now[e.Fingerprint] {
			pruned = append(pruned, e)
			return
		}
		keep = append(keep, e)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	for _, e := range New(found).Entries {
		if !old.Has(e.Fingerprint) {
			added = append(added, e)
		}
	}
	return New(append(keep, found...)), added, New(pruned).Entries, nil
}
