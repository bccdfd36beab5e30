package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress draws one status line on a terminal: commits and blobs done,
// MB/s and ETA. It is only used when stderr is a terminal.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer) *progress { return &progress{w: w, start: time.Now()} }

func (p *progress) update(stage string, done, total int, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && (total == 0 || done < total) {
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

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
