package scan

import (
	"context"
	"runtime"
	"sync"

	"github.com/keygate/keygate/detector"
)

// workerCount is the number of workers for n jobs: opts.Workers, else one
// per CPU, never more than the jobs.
func workerCount(opts Options, n int) int {
	w := opts.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(1, min(w, n))
}

// parallel runs work(worker, i) for every i in [0, n) on workers
// goroutines and stops handing out jobs when ctx is done. Each job writes
// its own result slot, so results come out in job order whatever the
// scheduling.
func parallel(ctx context.Context, n, workers int, work func(worker, i int)) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				work(w, i)
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}

// streamResult is what scanning one file or blob gave.
type streamResult struct {
	findings []detector.Finding
	// members, when not nil, names the archive member of each finding
	// ("" for the file itself); see addFinding.
	members []string
	// derived, when not nil, says of each finding whether its text was
	// derived from the file's bytes (see addFinding).
	derived []bool
	bytes   int64
	scanned int64 // bytes run through the detector (a version's changed lines)
	err     error
	// dropped counts the findings past maxFileFindings: counted, not kept.
	dropped int
}
