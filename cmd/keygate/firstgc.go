package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

// firstGCPercent moves the runtime's first collection from 4 MB of heap
// to 16 MB (the first goal is 4 MB times GOGC/100). A one-file commit hook
// reached 4 MB in start-up alone (the rule pack, the keyword table, RE2's
// WebAssembly memory, the pack index) and spent 3 ms of its 16 ms of CPU
// in one or two collections that freed next to nothing. After that first
// collection GOGC applies as usual, so a long scan's memory is what it was
// but for those 12 MB.
const firstGCPercent = 400

// delayFirstGC raises GOGC until the first collection ends; a GOGC the
// user set wins.
func delayFirstGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	prev := debug.SetGCPercent(firstGCPercent)
	// A finalizer runs once a collection has found its object unreachable:
	// the first collection. The object holds a pointer so that it is not
	// combined with others by the tiny allocator (whose finalizers may
	// never run).
	sentinel := &struct{ p *int }{}
	runtime.SetFinalizer(sentinel, func(*struct{ p *int }) { debug.SetGCPercent(prev) })
}
