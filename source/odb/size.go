package odb

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// Size returns the size of object h's content without reading it whole:
// a packed object's header, or for a delta the size its first bytes say
// it rebuilds; a loose object's header. It is -1 where that is not known
// cheaply (an object only the fallback reader has). A caller bounds the
// memory of reads by it before it reads (scan's blob budget); the read
// still checks every size against its limits.
func (r *Reader) Size(h plumbing.Hash) (int64, error) {
	at, _, found, err := r.db.locate(h, -1)
	if err != nil {
		return 0, err
	}
	if found {
		// Resolved already (a version read on the way to an older one):
		// its size is known, and the read will take it from the cache.
		if e, ok := r.db.cache.get(at); ok {
			return int64(len(e.data)), nil
		}
		p := r.db.packs[at.pack]
		hd, err := r.inf.object(p, at.off)
		if err != nil {
			return 0, objectError(h, filepath.Base(p.path), err)
		}
		if hd.kind < ofsDelta {
			return hd.size, nil
		}
		// A small delta is inflated whole, for the read that usually
		// follows; where that fails, its first bytes are read as before
		// and the read reports what is wrong.
		if hd.size <= maxReused {
			r.sized.ok = false
			if d, stream, err := r.inf.inflateInto(p, hd.dataOff, hd.size, 0, r.sized.delta); err == nil {
				if n, err := deltaResult(d); err == nil {
					r.sized.ok, r.sized.at, r.sized.delta, r.sized.crc = true, at, d, packedCRC(hd.crc, stream)
					return n, nil
				}
			}
		}
		// Two varints of at most ten bytes each open a delta.
		head, err := r.inf.inflate(p, hd.dataOff, hd.size, min(int(hd.size), 20))
		if err != nil {
			return 0, objectError(h, filepath.Base(p.path), err)
		}
		n, err := deltaResult(head)
		if err != nil {
			return 0, objectError(h, filepath.Base(p.path), err)
		}
		return n, nil
	}
	n, err := r.looseSize(h)
	if errors.Is(err, os.ErrNotExist) {
		return -1, nil
	}
	return n, err
}

// looseSize reads a loose object's header.
func (r *Reader) looseSize(h plumbing.Hash) (int64, error) {
	hex := h.String()
	var f *os.File
	var err error
	for _, dir := range r.db.dirs {
		if f, err = os.Open(filepath.Join(dir, hex[:2], hex[2:])); !errors.Is(err, os.ErrNotExist) {
			break
		}
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(f)
	if err != nil {
		return 0, objectError(h, "a loose file", err)
	}
	defer zr.Close()
	var head [40]byte
	n, err := io.ReadFull(zr, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, objectError(h, "a loose file", err)
	}
	hdr, _, ok := bytes.Cut(head[:n], []byte{0})
	_, sz, ok2 := bytes.Cut(hdr, []byte{' '})
	size, perr := strconv.ParseInt(string(sz), 10, 64)
	if !ok || !ok2 || perr != nil || size < 0 {
		return 0, objectError(h, "a loose file", errors.New("bad header"))
	}
	return size, nil
}
