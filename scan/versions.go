package scan

import (
	"context"
	"sort"
	"sync/atomic"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/source"
)

// wholeBlobs turns off carrying findings over from a file's previous
// version: tests set it to check that both ways give the same report.
var wholeBlobs = false

// scanVersions scans the unique blobs of a history. The versions of a
// file form chains (each blob's Pred is the version it replaced); a worker
// takes a whole chain and scans each version on the lines it changes from
// the one before (detector.ScanVersion), reading them in order, so delta
// chains in the pack resolve once. A blob's result is the same as a whole
// scan of it gives.
func scanVersions(ctx context.Context, repo *source.Repo, opts Options, blobs []source.HistoryBlob, progress func(done int, bytes int64)) ([]streamResult, error) {
	results := make([]streamResult, len(blobs))
	children := make([][]int, len(blobs))
	var roots []int
	for i, b := range blobs {
		if b.Pred >= 0 && !wholeBlobs {
			children[b.Pred] = append(children[b.Pred], i)
		} else {
			roots = append(roots, i)
		}
	}
	// Longest chains first, so no worker is left with one at the end.
	size := make([]int, len(blobs))
	for i := len(blobs) - 1; i >= 0; i-- {
		size[i]++
		if p := blobs[i].Pred; p >= 0 && !wholeBlobs {
			size[p] += size[i]
		}
	}
	sort.SliceStable(roots, func(a, b int) bool { return size[roots[a]] > size[roots[b]] })

	workers := workerCount(opts, len(roots))
	readers := make([]*source.BlobReader, workers)
	for i := range readers {
		r, err := repo.NewBlobReader()
		if err != nil {
			return nil, err
		}
		readers[i] = r
	}
	var done, total atomic.Int64
	var walk func(rd *source.BlobReader, i int, prev *detector.Version)
	walk = func(rd *source.BlobReader, i int, prev *detector.Version) {
		for {
			var v *detector.Version
			results[i], v = scanVersion(rd, opts.Detector, blobs[i], prev)
			d, b := done.Add(1), total.Add(results[i].bytes)
			if progress != nil {
				progress(int(d), b)
			}
			kids := children[i]
			if len(kids) == 0 || ctx.Err() != nil {
				return
			}
			for _, k := range kids[:len(kids)-1] {
				walk(rd, k, v)
			}
			i, prev = kids[len(kids)-1], v
		}
	}
	err := parallel(ctx, len(roots), workers, func(w, i int) { walk(readers[w], roots[i], nil) })
	return results, err
}

// scanVersion scans one blob, given the scanned version it replaced (nil:
// none, or not text), and returns its result and its scanned version.
func scanVersion(rd *source.BlobReader, d *detector.Detector, b source.HistoryBlob, prev *detector.Version) (streamResult, *detector.Version) {
	data, err := rd.Read(b.ID)
	if err != nil {
		return streamResult{err: err}, nil
	}
	if isBinary(data[:min(len(data), binarySniff)]) {
		return streamResult{binary: true}, nil
	}
	v, err := d.ScanVersion(data, b.Intros[0].Path, prev)
	if err != nil {
		return streamResult{err: err}, nil
	}
	return streamResult{findings: v.Findings, bytes: int64(len(data)), scanned: v.Scanned}, v
}
