package scan

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/keygate/keygate/content"
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/source"
)

// Memory of scanned versions (detector.Version.HeldBytes: the data and
// its line index). A version is held from its scan until its next version
// is scanned: kept, waiting for the walk to meet its next version, or
// pending, handed to a queued task. Kept versions are dropped oldest first
// past their bound (their next version is then scanned whole, which gives
// the same findings); pending ones cannot be dropped, so past theirs the
// walk stops adding work and helps scan instead (or waits): the walk is
// faster than the scan, and a queue of thousands of tasks each holding a
// version is what held most of a large history scan's memory.
var defaultVersionMemory = versionMemory{kept: 24 << 20, pending: 12 << 20}

// versionMemory bounds the memory of kept and of pending versions.
type versionMemory struct{ kept, pending int64 }

// versionScan scans the unique blobs of a history while the walk that
// finds them goes on. The versions of a file form chains (each blob's Prev
// is the version it replaced): a blob is scanned once the version before
// it is, on the lines it changes (detector.ScanVersion), so every blob's
// result is what a whole scan of it gives, for a fraction of the work.
type versionScan struct {
	ctx    context.Context
	det    *detector.Detector
	whole  bool // every blob scanned whole (Options.wholeBlobs)
	limits content.Limits
	limit  versionMemory
	budget *blobBudget // bytes of blobs being scanned at once
	mu     sync.Mutex
	cond   *sync.Cond // work was queued, or the walk is over
	room   *sync.Cond // a task was done: pending memory went down

	queue    []versionTask
	walked   bool // the walk is over: no more blobs will come
	inflight int
	results  []streamResult
	scanned  []bool
	// kept holds scanned versions until their next version comes, in
	// keptOrder (oldest first; an index no longer in kept was taken);
	// waiting holds blobs that came before the version they replace was
	// scanned.
	kept         map[int]*detector.Version
	keptOrder    []int
	keptBytes    int64
	pendingBytes int64
	waiting      map[int][]versionTask
	// spare scans for the walk while pending memory is over its bound
	// (nil: every reader has a worker); helped counts what it scanned.
	spare    *source.BlobReader
	helped   int
	dropped  int
	done     int
	bytes    int64
	progress func(done, total int, bytes int64)
}

type versionTask struct {
	blob source.NewBlob
	prev *detector.Version
}

func newVersionScan(ctx context.Context, d *detector.Detector, progress func(done, total int, bytes int64)) *versionScan {
	s := &versionScan{ctx: ctx, det: d, limit: defaultVersionMemory, budget: newBlobBudget(defaultBlobBudget), kept: map[int]*detector.Version{}, waiting: map[int][]versionTask{}, progress: progress}
	s.cond = sync.NewCond(&s.mu)
	s.room = sync.NewCond(&s.mu)
	return s
}

// add takes a blob the walk found (called from the walk's goroutine).
func (s *versionScan) add(b source.NewBlob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.pendingBytes > s.limit.pending && (len(s.queue) > 0 || s.inflight > 0) && s.ctx.Err() == nil {
		if s.spare != nil && len(s.queue) > 0 {
			s.helped++
			t := s.pop()
			if next := s.run(s.spare, t); next != nil {
				// A worker follows the file's chain; the walk goes on.
				s.queue = append(s.queue, *next)
				s.cond.Signal()
			}
			continue
		}
		s.room.Wait()
	}
	s.results = append(s.results, streamResult{})
	s.scanned = append(s.scanned, false)
	t := versionTask{blob: b}
	switch p := b.Prev; {
	case p < 0 || s.whole:
	case s.kept[p] != nil:
		t.prev = s.take(p) // a second next version (branches) is scanned whole
	case !s.scanned[p]:
		s.waiting[p] = append(s.waiting[p], t)
		return
	}
	s.queue = append(s.queue, t)
	s.cond.Signal()
}

// finish marks the end of the walk.
func (s *versionScan) finish() {
	s.mu.Lock()
	s.walked = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

// take moves kept version i to a task: it is pending from now on.
func (s *versionScan) take(i int) *detector.Version {
	v := s.kept[i]
	delete(s.kept, i)
	n := int64(v.HeldBytes())
	s.keptBytes -= n
	s.pendingBytes += n
	return v
}

// keep holds version i for its next version, dropping the oldest kept
// ones past the bound.
func (s *versionScan) keep(i int, v *detector.Version) {
	n := int64(v.HeldBytes())
	if n > s.limit.kept/4 {
		s.dropped++
		return // one huge file does not flush every other
	}
	s.kept[i] = v
	s.keptBytes += n
	s.keptOrder = append(s.keptOrder, i)
	for s.keptBytes > s.limit.kept && len(s.keptOrder) > 0 {
		j := s.keptOrder[0]
		s.keptOrder = s.keptOrder[1:]
		if old, ok := s.kept[j]; ok {
			s.dropped++
			s.keptBytes -= int64(old.HeldBytes())
			delete(s.kept, j)
		}
	}
	if len(s.keptOrder) > 1024 && len(s.kept) < len(s.keptOrder)/4 {
		live := s.keptOrder[:0:0]
		for _, j := range s.keptOrder {
			if _, ok := s.kept[j]; ok {
				live = append(live, j)
			}
		}
		s.keptOrder = live
	}
}

func (s *versionScan) pop() versionTask {
	t := s.queue[0]
	s.queue[0] = versionTask{}
	s.queue = s.queue[1:]
	return t
}

// run scans task t with rd, the lock held except during the scan itself,
// and returns the next version of the same file when it was waiting for
// this one (the caller scans it next, which keeps a file's delta chain in
// one place).
func (s *versionScan) run(rd *source.BlobReader, t versionTask) *versionTask {
	s.inflight++
	s.mu.Unlock()
	res, v := s.scanGuarded(rd, t)
	s.mu.Lock()
	s.inflight--
	if t.prev != nil {
		s.pendingBytes -= int64(t.prev.HeldBytes())
	}
	i := t.blob.Index
	s.results[i], s.scanned[i] = res, true
	var next *versionTask
	if kids := s.waiting[i]; len(kids) > 0 {
		delete(s.waiting, i)
		if v != nil {
			for k := range kids {
				kids[k].prev = v
				s.pendingBytes += int64(v.HeldBytes())
			}
		}
		next = &kids[0]
		if len(kids) > 1 {
			s.queue = append(s.queue, kids[1:]...)
			s.cond.Broadcast()
		}
	} else if v != nil {
		s.keep(i, v)
	}
	s.done++
	s.bytes += res.bytes
	if s.progress != nil {
		s.progress(s.done, len(s.results), s.bytes)
	}
	if s.walked && s.inflight == 0 && len(s.queue) == 0 && next == nil {
		s.cond.Broadcast()
	}
	s.room.Signal()
	return next
}

// scanGuarded is scanBudgeted with a panic (a bug met on some blob: the
// pack reader's, the content step's) turned into that blob's error, exit
// 2 naming it. Without it the panic would unwind through work's deferred
// Unlock of a mutex run has released: a fatal error no caller can
// recover, and one that hides the panic's own trace.
func (s *versionScan) scanGuarded(rd *source.BlobReader, t versionTask) (res streamResult, v *detector.Version) {
	defer func() {
		if p := recover(); p != nil {
			res, v = streamResult{err: &detector.InternalError{Panic: p}}, nil
		}
	}()
	if testHookScan != nil {
		testHookScan(t.blob.Path)
	}
	return s.scanBudgeted(rd, t)
}

// scanBudgeted is scanVersion once the blob's bytes fit in the budget;
// they are given back when its scan is over (a version kept for the next
// one is bounded by the kept and pending memory).
func (s *versionScan) scanBudgeted(rd *source.BlobReader, t versionTask) (streamResult, *detector.Version) {
	size, err := rd.Size(t.blob.ID)
	if err != nil {
		return streamResult{err: err}, nil
	}
	n := s.budget.charge(size)
	if err := s.budget.acquire(s.ctx, n); err != nil {
		return streamResult{err: err}, nil
	}
	defer s.budget.release(n)
	res, v := scanVersion(rd, s.det, s.limits, t.blob, t.prev)
	if size >= largeBlob {
		// Not kept for its next version: a blob past the detector's
		// chunk size was streamed, and so will its next version be.
		v = nil
		afterLarge(size)
	}
	return res, v
}

// work scans queued blobs until the walk is over and nothing is left.
// A worker goes on with the next version of the file it just scanned when
// run hands it one, which keeps a file's delta chain in one place.
func (s *versionScan) work(rd *source.BlobReader) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next *versionTask
	for {
		if next == nil {
			for len(s.queue) == 0 && !(s.walked && s.inflight == 0) && s.ctx.Err() == nil {
				s.cond.Wait()
			}
			if len(s.queue) == 0 || s.ctx.Err() != nil {
				s.cond.Broadcast() // the others are done too
				return
			}
			t := s.pop()
			next = &t
		}
		next = s.run(rd, *next)
	}
}

// historyScan walks the history and scans its blobs on workers at the
// same time; results are in the order of h.Blobs.
func historyScan(ctx context.Context, repo *source.Repo, opts GitOptions) (*source.History, []streamResult, versionStats, error) {
	// The number of blobs is not known before the walk: one worker a CPU.
	workers := workerCount(opts.Options, math.MaxInt)
	readers, err := repo.NewBlobReaders(workers)
	if err != nil {
		return nil, nil, versionStats{}, err
	}
	var progress func(done, total int, bytes int64)
	watch := source.HistoryWatch{}
	if opts.Progress != nil {
		commits, total := 0, 0
		var mu sync.Mutex
		watch.Commit = func(done, n int) {
			mu.Lock()
			commits, total = done, n
			mu.Unlock()
		}
		progress = func(blobs, _ int, bytes int64) {
			mu.Lock()
			c, t := commits, total
			mu.Unlock()
			opts.Progress(fmt.Sprintf("blobs %d, commits", blobs), c, t, bytes)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := newVersionScan(ctx, opts.Detector, progress)
	s.whole = opts.wholeBlobs
	s.limits = opts.Containers
	s.budget = opts.newBlobBudget()
	if opts.versionMemory != (versionMemory{}) {
		s.limit = opts.versionMemory
	}
	go func() { // wake the workers when the scan is cancelled
		<-ctx.Done()
		s.mu.Lock()
		s.cond.Broadcast()
		s.room.Broadcast() // and the walk, if it waits for pending memory
		s.mu.Unlock()
	}()
	watch.Blob = s.add
	var wg sync.WaitGroup
	start := func(rd *source.BlobReader) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(rd)
		}()
	}
	// The walk is the one sequential part: it keeps a core to itself, and
	// the last worker starts when it is done.
	for _, rd := range readers[:max(1, len(readers)-1)] {
		start(rd)
	}
	if len(readers) > 1 {
		s.spare = readers[len(readers)-1]
	}
	h, err := repo.History(ctx, opts.Revs, watch)
	if err != nil {
		cancel()
	}
	s.mu.Lock()
	s.spare = nil // the walk is over: it goes to the last worker
	s.mu.Unlock()
	if len(readers) > 1 {
		start(readers[len(readers)-1])
	}
	s.finish()
	wg.Wait()
	if err != nil {
		return nil, nil, versionStats{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, versionStats{}, err
	}
	return h, s.results, versionStats{helped: s.helped, dropped: s.dropped}, nil
}

// versionStats tell how a history scan used its memory bounds: tasks the
// walk scanned itself while pending versions were over theirs, and
// versions dropped (or never kept) past the bound of kept ones.
type versionStats struct{ helped, dropped int }

// scanVersion scans one blob, given the scanned version it replaced (nil:
// none, or not plain text), and returns its result and its scanned
// version. Plain text is scanned as a version of the one before it;
// anything else (UTF-16, a binary, a compressed file or an archive) goes
// through the content step whole and has no version to carry over.
func scanVersion(rd *source.BlobReader, d *detector.Detector, lim content.Limits, b source.NewBlob, prev *detector.Version) (streamResult, *detector.Version) {
	data, err := readBlob(rd, b.ID)
	if err != nil {
		return streamResult{err: err}, nil
	}
	k := content.Sniff(data[:min(len(data), content.SniffLen)])
	if !k.Plain() || len(data) > detector.ChunkSize {
		// Past a chunk, ScanVersion streams the text in chunks too and
		// keeps nothing for the next version; read as a stream here, the
		// scan also stops at the file's findings bound (a blob of a million
		// made-up keys took 42 s and 570 MB).
		return scanBlob(d, lim, data, b.Path, nil), nil
	}
	v, err := d.ScanVersion(data[k.BOMLen():], b.Path, prev)
	if err != nil {
		return streamResult{err: err}, nil
	}
	res := streamResult{findings: v.Findings, bytes: int64(len(data)), scanned: v.Scanned}
	if n := len(res.findings); n > maxFileFindings {
		res.findings, res.dropped = res.findings[:maxFileFindings:maxFileFindings], n-maxFileFindings
	}
	return res, v
}
