package odb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keygate/keygate/internal/mmapfile"
	"github.com/keygate/keygate/source/odb/ahead"
)

// errUnsupported marks a pack index this package does not read (version
// 1, another hash size): the fallback reads those objects.
var errUnsupported = errors.New("unsupported pack index")

// pack is one packfile and its version-2 index, held in memory.
type pack struct {
	path   string
	f      *os.File    // nil for a pack made in memory (the pack fuzz target)
	r      io.ReaderAt // the pack's bytes: f, or the memory
	size   int64
	data   []byte // the mapped pack, or nil: read with ReadAt
	n      int
	fanout []byte // 256 big-endian counts
	names  []byte // n sorted 20-byte hashes
	crcs   []byte // n big-endian CRC-32s of the objects' packed bytes
	off32  []byte // n big-endian offsets; the top bit points into off64
	off64  []byte
	idx    []byte // the whole index, to check its checksum
	// idxMapped: idx is mapped (readIndex, or ahead's), to be unmapped on
	// Close.
	idxMapped bool
	// aheadSumOK, when not nil, is the answer of the check of idx that
	// started with the process (package ahead): checkSum waits for it
	// instead of hashing idx again.
	aheadSumOK func() bool

	sumOnce  sync.Once // checkSum
	sumErr   error
	packOnce sync.Once // checkPack
	packErr  error
	// used: an object was looked up in the index; DB.Verify checks it.
	used atomic.Bool
}

// openPack opens a pack and its index, mapping the pack when its size fits
// in *mapLeft (and taking it from there).
func openPack(idxPath, packPath string, mapLeft *int64) (*pack, error) {
	p := &pack{path: packPath}
	idx, sumOK, taken := ahead.Take(idxPath)
	if taken {
		p.idxMapped, p.aheadSumOK = true, sumOK
	} else {
		var err error
		if idx, p.idxMapped, err = readIndex(idxPath); err != nil {
			return nil, fmt.Errorf("read pack index: %w", err)
		}
	}
	if err := p.parseIndex(idx); err != nil {
		p.unmapIndex(idx)
		return nil, fmt.Errorf("pack index %s: %w", idxPath, err)
	}
	f, err := os.Open(packPath)
	if err != nil {
		p.unmapIndex(idx)
		return nil, fmt.Errorf("open pack: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		p.unmapIndex(idx)
		return nil, fmt.Errorf("stat pack: %w", err)
	}
	p.f, p.r, p.size = f, f, st.Size()
	if p.size <= *mapLeft {
		if p.data, err = mmapfile.Map(f, p.size); err != nil {
			p.data = nil // reading with ReadAt works as well, a little slower
		} else {
			*mapLeft -= p.size
		}
	}
	return p, nil
}

// readIndex maps a pack index read-only, or reads it where mapping is not
// possible. It is hashed once (checkSum) and searched in place: reading it
// whole cost a one-file staged scan of vite (an 8.2 MB index) a quarter of
// its CPU in the copy, its page faults and the collection it triggered.
// Git never rewrites an index in place (it writes a new one and renames).
func readIndex(path string) (data []byte, mapped bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close() // a mapping outlives its descriptor
	st, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if m, err := mmapfile.Map(f, st.Size()); err == nil && m != nil {
		return m, true, nil
	}
	data, err = io.ReadAll(f)
	return data, false, err
}

// unmapIndex releases idx when it is mapped. A check started with the
// process (aheadSumOK) reads the mapping until it ends: it is waited for,
// or unmapping would fault it.
func (p *pack) unmapIndex(idx []byte) error {
	if !p.idxMapped {
		return nil
	}
	if p.aheadSumOK != nil {
		p.aheadSumOK()
	}
	p.idxMapped = false
	return mmapfile.Unmap(idx)
}

func (p *pack) parseIndex(idx []byte) error {
	const head = 8 + 256*4
	if len(idx) < head+40 || !bytes.Equal(idx[:4], []byte("\xfftOc")) || binary.BigEndian.Uint32(idx[4:8]) != 2 {
		return errUnsupported
	}
	p.fanout = idx[8:head]
	p.n = int(binary.BigEndian.Uint32(p.fanout[255*4:]))
	rest := len(idx) - head - 40 - p.n*28
	if p.n < 0 || rest < 0 || rest%8 != 0 {
		return errUnsupported // not SHA-1, or truncated
	}
	at := head
	p.names = idx[at : at+p.n*20]
	at += p.n * 20
	p.crcs = idx[at : at+p.n*4]
	at += p.n * 4
	p.off32 = idx[at : at+p.n*4]
	at += p.n * 4
	p.off64 = idx[at : at+rest]
	p.idx = idx
	return nil
}

// checkPack checks, once, that the pack the index describes is this one
// (the pack's trailing checksum, which the index repeats): an index from
// another pack is an error before any offset in it is trusted.
func (p *pack) checkPack() error {
	p.packOnce.Do(func() {
		var trailer [20]byte
		if p.size < 32 {
			p.packErr = fmt.Errorf("pack %s: too short (%d bytes)", filepath.Base(p.path), p.size)
			return
		}
		if _, err := p.r.ReadAt(trailer[:], p.size-20); err != nil {
			p.packErr = fmt.Errorf("pack %s: read its checksum: %w", filepath.Base(p.path), err)
			return
		}
		n := len(p.idx)
		if !bytes.Equal(trailer[:], p.idx[n-40:n-20]) {
			p.packErr = fmt.Errorf("pack %s: its checksum is not the one its index names (another pack's index?)", filepath.Base(p.path))
		}
	})
	return p.packErr
}

// checkSum checks, once, the index's own SHA-1 (its last 20 bytes). Reads
// do not wait for it (DB.Verify does): a damaged index fails them closed
// on its own, every lookup bounded by the index's size and every object
// checked against its CRC-32, and vite's 8 MB index takes 4-5 ms to hash,
// a third of a one-file commit hook, which no longer waits on it.
func (p *pack) checkSum() error {
	p.sumOnce.Do(func() {
		sumOK := p.aheadSumOK // checked from the process's start, or now
		if sumOK == nil {
			sumOK = func() bool { return ahead.SumOK(p.idx) }
		}
		if !sumOK() {
			p.sumErr = fmt.Errorf("pack index of %s: checksum mismatch (the index is damaged)", filepath.Base(p.path))
		}
	})
	return p.sumErr
}

// find returns the pack offset of h, and its position in the index.
func (p *pack) find(h plumbing.Hash) (off int64, pos int, ok bool) {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.fanout[int(h[0]-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(p.fanout[int(h[0])*4:]))
	if hi > p.n || lo > hi {
		return 0, 0, false
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(p.names[m*20:m*20+20], h[:]); {
		case c == 0:
			off, ok := p.offset(m)
			return off, m, ok
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, 0, false
}

// crc is the CRC-32 the index gives the packed bytes of the object at pos:
// git computes it over the object's header and zlib stream as it writes
// the index.
func (p *pack) crc(pos int) uint32 {
	return binary.BigEndian.Uint32(p.crcs[pos*4:])
}

func (p *pack) offset(i int) (int64, bool) {
	o := binary.BigEndian.Uint32(p.off32[i*4:])
	if o&0x80000000 == 0 {
		return int64(o), true
	}
	j := int(o&0x7fffffff) * 8
	if j+8 > len(p.off64) {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(p.off64[j:])), true
}
