package main

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// historyMemoryLimit is the Go runtime's soft memory limit for history
// scans. Their live heap is bounded (object and tree caches, kept and
// pending versions, the walk's record of changes: about 150 MB on a
// 27k-commit repository) but they allocate gigabytes, each object rebuilt
// from its deltas, and at Go's default the heap grows to twice the live
// one between collections: that repository peaked at 900 MB of resident
// memory. Under this limit it peaks at about 270 MB (the rest of the
// process, RE2's WebAssembly memory and the runtime, takes about 30 MB),
// for about 4% more CPU in the collector (bench/RESULTS.md).
const historyMemoryLimit = 240 << 20

// historyLimit is the limit for a live heap of live bytes: the limit bounds
// the garbage, not what the scan holds. A history whose walk alone holds
// more than two thirds of historyMemoryLimit (tens of thousands of refs)
// gets room for half its live heap again, so that the collector does not
// run without end, but never more than historyMaxGarbage: past that the
// live heap is a large blob being scanned (one at a time under the scan's
// blob budget), a byte slice the collector does not scan, and half a 1 GiB
// blob again in garbage put its scan over 1.5 GB.
func historyLimit(live uint64) int64 {
	return max(historyMemoryLimit, int64(live+min(live/2, historyMaxGarbage)))
}

// historyMaxGarbage bounds the garbage historyLimit allows over the live
// heap.
const historyMaxGarbage = 256 << 20

// limitHistoryMemory sets the limit and follows the live heap until stop
// is called. GOMEMLIMIT, when set, wins.
func limitHistoryMemory() (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	set := historyLimit(0)
	debug.SetMemoryLimit(set)
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			if want := historyLimit(sample[0].Value.Uint64()); want != set {
				set = want
				debug.SetMemoryLimit(set)
			}
		}
	}()
	return func() {
		close(done)
		debug.SetMemoryLimit(math.MaxInt64) // no limit, as before
	}
}
