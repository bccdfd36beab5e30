package source

import (
	"crypto/sha256"
	"hash"
	"io"
	"os"
	"sync"
)

// ContentSums are the SHA-256 sums of files' contents taken while a scan
// read them, by absolute path, so that the inputs digest (DigestFiles)
// does not read every file a second time: on a working tree that second
// read was a fifth of the scan's CPU. It is safe for concurrent use.
type ContentSums struct {
	mu sync.Mutex
	m  map[string][sha256.Size]byte
}

// NewContentSums returns an empty set.
func NewContentSums() *ContentSums {
	return &ContentSums{m: map[string][sha256.Size]byte{}}
}

func (s *ContentSums) put(abs string, sum [sha256.Size]byte) {
	s.mu.Lock()
	s.m[abs] = sum
	s.mu.Unlock()
}

// get is abs's sum, if a read took it; a nil set has none.
func (s *ContentSums) get(abs string) ([sha256.Size]byte, bool) {
	if s == nil {
		return [sha256.Size]byte{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sum, ok := s.m[abs]
	return sum, ok
}

// SumReader reads a file for a scan and hashes what the scan reads in
// order; ReadAt (an archive's directory, read out of order) passes
// through unhashed. Close reads whatever the scan left unread, so the sum
// is always of the whole file, and files it under the file's path.
type SumReader struct {
	f    *os.File
	abs  string
	h    hash.Hash
	sums *ContentSums
	eof  bool // a Read met the end: Finish has nothing left to read
}

// finishBufs are Finish's read buffers.
var finishBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// NewSumReader reads f, the file at abs, filing its sum in sums.
func NewSumReader(f *os.File, abs string, sums *ContentSums) *SumReader {
	return &SumReader{f: f, abs: abs, h: sha256.New(), sums: sums}
}

// Read reads from the file's offset and hashes what it returns.
func (r *SumReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	r.h.Write(p[:n])
	r.eof = r.eof || err == io.EOF
	return n, err
}

// ReadAt reads at off without moving the file's offset or hashing.
func (r *SumReader) ReadAt(p []byte, off int64) (int, error) {
	return r.f.ReadAt(p, off)
}

// Finish hashes the rest of the file, from where the sequential reads
// stopped, and files the whole file's sum. A read error files nothing:
// the digest then reads the file itself, and reports the error.
func (r *SumReader) Finish() {
	if !r.eof {
		// io.Copy would take os.File's WriteTo, which allocates 32 KB per
		// file: 7% of a working tree's CPU, most of it clearing them.
		buf := finishBufs.Get().(*[]byte)
		_, err := io.CopyBuffer(r.h, struct{ io.Reader }{r.f}, *buf)
		finishBufs.Put(buf)
		if err != nil {
			return
		}
	}
	var sum [sha256.Size]byte
	r.h.Sum(sum[:0])
	r.sums.put(r.abs, sum)
}
