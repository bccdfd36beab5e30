package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The history scan's memory limit bounds garbage: it is the fixed limit
// while the live heap is small, and half the live heap above it past two
// thirds of the limit, so that a large walk never makes the collector run
// without end, up to a bound on garbage that a large blob's heap reaches.
func TestHistoryLimitFollowsTheLiveHeap(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int64
	}{
		{0, historyMemoryLimit},
		{100 << 20, historyMemoryLimit},
		{160 << 20, historyMemoryLimit},
		{200 << 20, 300 << 20},
		{400 << 20, 600 << 20},
		{1 << 30, 1<<30 + historyMaxGarbage}, // a large blob: garbage bounded
		{4 << 30, 4<<30 + historyMaxGarbage},
	} {
		assert.Equal(t, tt.want, historyLimit(tt.live), "live %d MB", tt.live>>20)
	}
}
