package main

import "github.com/keygate/keygate/source"

// resolveRevs says, once, which commits a history scan reads: a hook's
// ref updates, the --range, else every ref.
func resolveRevs(root string, f scanFlags) (source.Revs, error) {
	repo, err := source.OpenRepo(root)
	if err != nil {
		return source.Revs{}, err
	}
	switch {
	case f.revs != nil:
		return f.revs(repo)
	case f.rangeSpec != "":
		return repo.RangeRevs(f.rangeSpec)
	}
	return repo.AllRefs()
}
