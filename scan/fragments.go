package scan

import (
	"context"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/source"
)

// testHookScan, when a test sets it, is called with each file's or
// version's path before it is scanned (a test makes it panic).
var testHookScan func(path string)

// fragmentResult is a scanned fragment, its findings already converted
// (in the worker, so fingerprints are computed in parallel).
type fragmentResult struct {
	streamResult
	converted []Finding
}

// scanSource reads every fragment the source yields and scans them on
// all cores: files are streamed from disk, blobs read through a reader of
// the worker's own. Results are in the source's order whatever the
// scheduling. repo may be nil when the source yields files only.
func (o *Options) scanSource(ctx context.Context, repo *source.Repo, src source.Source) ([]source.Fragment, []fragmentResult, error) {
	var frags []source.Fragment
	if err := src.Fragments(ctx, func(f source.Fragment) error {
		frags = append(frags, f)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	workers := workerCount(*o, len(frags))
	readers := make([]*source.BlobReader, workers)
	if repo != nil {
		var err error
		if readers, err = repo.NewBlobReaders(workers); err != nil {
			return nil, nil, err
		}
	}
	results := make([]fragmentResult, len(frags))
	budget := o.newBlobBudget()
	err := parallel(ctx, len(frags), workers, func(w, i int) {
		results[i] = o.scanFragmentGuarded(ctx, budget, readers[w], frags[i])
	})
	return frags, results, err
}

// scanFragmentGuarded is scanFragment with a panic (a bug met on some
// input) turned into the fragment's error: exit 2 naming its path, the
// other files still judged, instead of the process dying mid-scan.
func (o *Options) scanFragmentGuarded(ctx context.Context, budget *blobBudget, rd *source.BlobReader, f source.Fragment) (res fragmentResult) {
	defer func() {
		if p := recover(); p != nil {
			res = fragmentResult{streamResult: streamResult{err: &detector.InternalError{Panic: p}}}
		}
	}()
	if testHookScan != nil {
		testHookScan(f.Path)
	}
	return o.scanFragment(ctx, budget, rd, f)
}

func (o *Options) scanFragment(ctx context.Context, budget *blobBudget, rd *source.BlobReader, f source.Fragment) fragmentResult {
	var res fragmentResult
	if f.File != "" {
		fh, size, err := source.OpenRegular(f.File)
		if err != nil {
			return fragmentResult{streamResult: streamResult{err: err}}
		}
		defer fh.Close()
		if o.sums == nil {
			res.streamResult = scanContent(o.Detector, o.Containers, fh, fh, size, f.Path, f.Lines)
		} else {
			sr := source.NewSumReader(fh, f.File, o.sums)
			res.streamResult = scanContent(o.Detector, o.Containers, sr, sr, size, f.Path, f.Lines)
			sr.Finish()
		}
	} else {
		// A blob is read whole: its bytes count against the budget until
		// its scan is over.
		size, err := rd.Size(f.Blob)
		if err != nil {
			return fragmentResult{streamResult: streamResult{err: err}}
		}
		n := budget.charge(size)
		if err := budget.acquire(ctx, n); err != nil {
			return fragmentResult{streamResult: streamResult{err: err}}
		}
		res.streamResult = func() streamResult {
			// Given back however the scan ends (a panic too: the other
			// workers must not wait for it forever).
			defer budget.release(n)
			data, err := readBlob(rd, f.Blob)
			if err != nil {
				return streamResult{err: err}
			}
			defer afterLarge(size)
			return scanBlob(o.Detector, o.Containers, data, f.Path, f.Lines)
		}()
	}
	for i, df := range res.findings {
		nf := o.newFinding(df, memberPath(f.Path, res.member(i)))
		nf.Derived = res.isDerived(i)
		res.converted = append(res.converted, nf)
	}
	return res
}

// collect files each fragment's outcome and findings in r, in order.
func (o *Options) collect(r *Result, frags []source.Fragment, results []fragmentResult) {
	for i, fr := range results {
		if !r.tally(frags[i].Path, "", fr.streamResult) {
			continue
		}
		for _, f := range fr.converted {
			o.add(r, f)
		}
	}
}
