package main

import (
	"os"
	"runtime/debug"
)

// historyMemoryLimit is the Go runtime's soft memory limit for history
// scans. Their live heap is bounded (object and tree caches, kept and
// pending versions, the walk's record of changes: about 150 MB on a
// 27k-commit repository) but they allocate gigabytes, each object rebuilt
// from its deltas, and at Go's default the heap grows to twice the live
// one between collections: that repository peaked at 900 MB of resident
// memory. Under this limit it peaks at about 270 MB (the rest of the
// process, RE2's WebAssembly memory and the runtime, takes about 30 MB),
// for about 4% more CPU in the collector (bench/RESULTS.md). A history
// whose walk alone holds more runs the collector more often, which the
// runtime caps at half the CPU rather than fail. GOMEMLIMIT, when set,
// wins.
const historyMemoryLimit = 240 << 20

func limitHistoryMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(historyMemoryLimit)
	}
}
