package scan

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// However many workers, the bytes held never exceed the budget, except by
// a blob larger than it, which is then held alone.
func TestBlobBudgetBoundsBytesInFlight(t *testing.T) {
	const limit = 100
	b := newBlobBudget(limit)
	sizes := []int64{10, 60, 250, 40, 100, -1, 1, 99, 30, 70, 500, 5}
	var held, peak, alone atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 50 {
				size := sizes[(w+k)%len(sizes)]
				n := b.charge(size)
				require.NoError(t, b.acquire(context.Background(), n))
				now := held.Add(n)
				if now > peak.Load() {
					peak.Store(now)
				}
				if size < 0 || size > limit {
					assert.Equal(t, int64(limit), now, "a blob over the budget is held alone")
					alone.Add(1)
				}
				time.Sleep(10 * time.Microsecond)
				held.Add(-n)
				b.release(n)
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int64(limit))
	assert.Positive(t, alone.Load())
	assert.Zero(t, b.used)
}

// A waiter is served before later, smaller requests (no starvation), and
// one that gives up on cancellation leaves the budget as it was.
func TestBlobBudgetOrderAndCancel(t *testing.T) {
	b := newBlobBudget(100)
	require.NoError(t, b.acquire(context.Background(), 60))
	big := make(chan struct{})
	go func() {
		assert.NoError(t, b.acquire(context.Background(), 100))
		close(big)
	}()
	for {
		b.mu.Lock()
		n := len(b.waiters)
		b.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	// 10 bytes would fit, but the big request came first.
	assert.ErrorIs(t, b.acquire(ctx, 10), context.DeadlineExceeded)
	b.release(60)
	<-big
	assert.Equal(t, int64(100), b.used)
	b.release(100)
	assert.Zero(t, b.used)
	assert.Empty(t, b.waiters)
}
