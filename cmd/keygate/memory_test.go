package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The history scan's memory limit bounds garbage: it is the fixed limit
// while the live heap is small, and half the live heap above it past two
// thirds of the limit, so that a large walk never makes the collector run
// without end.
func TestHistoryLimitFollowsTheLiveHeap(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int64
	}{
		{0, historyMemoryLimit},
		{100 << 20, historyMemoryLimit},
		{160 << 20, historyMemoryLimit},
		{200 << 20, 300 << 20},
		{1 << 30, 3 << 29},
	} {
		assert.Equal(t, tt.want, historyLimit(tt.live), "live %d MB", tt.live>>20)
	}
}
