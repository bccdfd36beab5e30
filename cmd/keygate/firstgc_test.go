package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// gcPercent reads GOGC's current value.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The first collection comes at firstGCPercent; once it has run, GOGC is
// what it was. A GOGC from the environment is left alone.
func TestDelayFirstGC(t *testing.T) {
	before := gcPercent()
	defer debug.SetGCPercent(before)
	t.Setenv("GOGC", "")
	delayFirstGC()
	assert.Equal(t, firstGCPercent, gcPercent())
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() != before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	assert.Equal(t, before, gcPercent(), "GOGC restored after the first collection")

	t.Setenv("GOGC", "50")
	delayFirstGC()
	assert.Equal(t, before, gcPercent(), "the user's GOGC stands")
}
