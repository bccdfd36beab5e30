package scan

import (
	"context"
	"runtime/debug"
	"sync"
)

// defaultBlobBudget bounds the bytes of git blobs being scanned at once,
// across all workers. A blob is read whole (inflated, rebuilt from its
// deltas) before it is scanned, so memory grew with workers times blob
// size: eight blobs of 1 GiB peaked at 2.9 GB with two workers and 7.7 GB
// with eight. Under one budget it stays the same whatever GOMAXPROCS is;
// ordinary blobs are far smaller than it and never wait.
const defaultBlobBudget = 128 << 20

// blobBudget is a semaphore counted in bytes, first come first served (a
// large blob is not starved by small ones behind it). A blob larger than
// the whole budget takes all of it: it is scanned alone.
type blobBudget struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	waiters []*budgetWaiter
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

func newBlobBudget(limit int64) *blobBudget { return &blobBudget{limit: limit} }

// charge is what a blob of size bytes takes of the budget; an unknown
// size (-1) takes all of it.
func (b *blobBudget) charge(size int64) int64 {
	if size < 0 || size > b.limit {
		return b.limit
	}
	return size
}

// acquire waits until n bytes (from charge) fit, or ctx is done.
func (b *blobBudget) acquire(ctx context.Context, n int64) error {
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.limit {
		b.used += n
		b.mu.Unlock()
		return nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case <-w.ready:
			// Granted meanwhile: give it back.
			b.used -= n
			b.grant()
		default:
			for i, o := range b.waiters {
				if o == w {
					b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
					break
				}
			}
			b.grant() // the first waiter may fit now that this one is gone
		}
		b.mu.Unlock()
		return ctx.Err()
	}
}

// release gives back n bytes taken by acquire.
func (b *blobBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.grant()
	b.mu.Unlock()
}

// grant wakes waiters in order while they fit; b.mu is held.
func (b *blobBudget) grant() {
	for len(b.waiters) > 0 && b.used+b.waiters[0].n <= b.limit {
		w := b.waiters[0]
		b.waiters = b.waiters[1:]
		b.used += w.n
		close(w.ready)
	}
}

// largeBlob is the size past which a blob's memory is handed back to the
// system as soon as its scan is over: the next large blob's allocation
// would otherwise come before the collector frees this one, and the peak
// hold two.
const largeBlob = 64 << 20

// afterLarge frees a large blob's memory once its scan is over (its bytes
// no longer referenced), before its budget is released.
func afterLarge(size int64) {
	if size >= largeBlob {
		debug.FreeOSMemory()
	}
}
