package main

import (
	"os"
	"runtime/debug"
)

// The garbage collector's settings for history scans. Their live heap is
// bounded (object and tree caches, kept versions, the walk's record of
// changes) but they allocate gigabytes, each object rebuilt from its
// deltas: at Go's default (GOGC=100, no limit) the heap grows to twice
// the live one between collections, and a 27k-commit repository peaked at
// 900 MB of resident memory. A collection at one and a half times the live
// heap, and a soft limit under issue 16's 300 MB (the rest of the process,
// RE2's WebAssembly memory and the runtime, takes about 30 MB), cost about
// 1% more CPU there (bench/RESULTS.md). Past the limit, on a history whose
// walk alone holds more, the runtime caps the collector at half the CPU
// rather than fail. GOGC and GOMEMLIMIT, when set, win.
const (
	historyGCPercent   = 50
	historyMemoryLimit = 240 << 20
)

func tuneHistoryGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(historyGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(historyMemoryLimit)
	}
}
