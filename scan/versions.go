package scan

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/source"
)

// maxKeptVersions bounds the memory of scanned versions kept for their
// next version (about the size of the newest tree); past it a next
// version is scanned whole, which gives the same findings.
const maxKeptVersions = 128 << 20

// versionScan scans the unique blobs of a history while the walk that
// finds them goes on. The versions of a file form chains (each blob's Prev
// is the version it replaced): a blob is scanned once the version before
// it is, on the lines it changes (detector.ScanVersion), so every blob's
// result is what a whole scan of it gives, for a fraction of the work.
type versionScan struct {
	ctx   context.Context
	det   *detector.Detector
	whole bool // every blob scanned whole (Options.wholeBlobs)
	mu    sync.Mutex
	cond  *sync.Cond

	queue    []versionTask
	walked   bool // the walk is over: no more blobs will come
	inflight int
	results  []streamResult
	scanned  []bool
	// kept holds scanned versions until their next version comes;
	// waiting holds blobs that came before the version they replace was
	// scanned.
	kept      map[int]*detector.Version
	keptBytes int64
	waiting   map[int][]versionTask
	done      int
	bytes     int64
	progress  func(done, total int, bytes int64)
}

type versionTask struct {
	blob source.NewBlob
	prev *detector.Version
}

func newVersionScan(ctx context.Context, d *detector.Detector, progress func(done, total int, bytes int64)) *versionScan {
	s := &versionScan{ctx: ctx, det: d, kept: map[int]*detector.Version{}, waiting: map[int][]versionTask{}, progress: progress}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// add takes a blob the walk found (called from the walk's goroutine).
func (s *versionScan) add(b source.NewBlob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results = append(s.results, streamResult{})
	s.scanned = append(s.scanned, false)
	t := versionTask{blob: b}
	switch p := b.Prev; {
	case p < 0 || s.whole:
	case s.kept[p] != nil:
		t.prev = s.kept[p]
		s.drop(p) // a second next version (branches) is scanned whole
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

func (s *versionScan) drop(i int) {
	s.keptBytes -= int64(s.kept[i].Size())
	delete(s.kept, i)
}

// work scans queued blobs until the walk is over and nothing is left. A
// worker goes on with the next version of the file it just scanned when
// that is already known, which keeps a file's delta chain in one place.
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
			next = &s.queue[0]
			s.queue = s.queue[1:]
		}
		t := *next
		next = nil
		s.inflight++
		s.mu.Unlock()
		res, v := scanVersion(rd, s.det, t.blob, t.prev)
		s.mu.Lock()
		s.inflight--
		i := t.blob.Index
		s.results[i], s.scanned[i] = res, true
		if kids := s.waiting[i]; len(kids) > 0 {
			delete(s.waiting, i)
			for k := range kids {
				kids[k].prev = v
			}
			next = &kids[0]
			if len(kids) > 1 {
				s.queue = append(s.queue, kids[1:]...)
				s.cond.Broadcast()
			}
		} else if v != nil && s.keptBytes+int64(v.Size()) <= maxKeptVersions {
			s.kept[i] = v
			s.keptBytes += int64(v.Size())
		}
		s.done++
		s.bytes += res.bytes
		if s.progress != nil {
			s.progress(s.done, len(s.results), s.bytes)
		}
		if s.walked && s.inflight == 0 && len(s.queue) == 0 && next == nil {
			s.cond.Broadcast()
		}
	}
}

// historyScan walks the history and scans its blobs on workers at the
// same time; results are in the order of h.Blobs.
func historyScan(ctx context.Context, repo *source.Repo, opts GitOptions) (*source.History, []streamResult, error) {
	// The number of blobs is not known before the walk: one worker a CPU.
	workers := workerCount(opts.Options, math.MaxInt)
	readers, err := repo.NewBlobReaders(workers)
	if err != nil {
		return nil, nil, err
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
	go func() { // wake the workers when the scan is cancelled
		<-ctx.Done()
		s.mu.Lock()
		s.cond.Broadcast()
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
	h, err := repo.History(ctx, opts.Range, watch)
	if err != nil {
		cancel()
	}
	if len(readers) > 1 {
		start(readers[len(readers)-1])
	}
	s.finish()
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return h, s.results, nil
}

// scanVersion scans one blob, given the scanned version it replaced (nil:
// none, or not text), and returns its result and its scanned version.
func scanVersion(rd *source.BlobReader, d *detector.Detector, b source.NewBlob, prev *detector.Version) (streamResult, *detector.Version) {
	data, binary, err := readBlob(rd, b.ID)
	if err != nil || binary {
		return streamResult{err: err, binary: binary}, nil
	}
	v, err := d.ScanVersion(data, b.Path, prev)
	if err != nil {
		return streamResult{err: err}, nil
	}
	return streamResult{findings: v.Findings, bytes: int64(len(data)), scanned: v.Scanned}, v
}
