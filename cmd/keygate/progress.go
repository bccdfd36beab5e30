package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// redrawEvery bounds how often the progress line is redrawn (~10 a second):
// a history scan reports every blob, thousands a second.
const redrawEvery = 100 * time.Millisecond

// progress draws one status line on a terminal: commits and blobs done,
// MB/s and ETA. It is only used when stderr is a terminal that understands
// the erase-line escape (not TERM=dumb), and stopped (the line cleared)
// before anything else is printed.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	now     func() time.Time
	start   time.Time
	last    time.Time
	drawn   bool
	stopped bool
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, now: time.Now, start: time.Now()}
}

func (p *progress) update(stage string, done, total int, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.stopped || (p.drawn && now.Sub(p.last) < redrawEvery) {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start).Seconds()
	line := fmt.Sprintf("%s: %d", stage, done)
	if total > 0 {
		line += fmt.Sprintf("/%d", total)
	}
	if bytes > 0 && elapsed > 0 {
		line += fmt.Sprintf("  %.1f MB/s", float64(bytes)/(1<<20)/elapsed)
	}
	if total > 0 && done > 0 && done < total {
		eta := time.Duration(float64(now.Sub(p.start)) / float64(done) * float64(total-done))
		line += fmt.Sprintf("  ETA %s", eta.Round(time.Second))
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.drawn = true
}

// stop clears the line and draws no more; safe to call twice, and on a nil
// progress (none shown).
func (p *progress) stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn && !p.stopped {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	p.stopped = true
}
