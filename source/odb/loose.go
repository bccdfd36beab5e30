package odb

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// readLoose reads objects/xx/yyyy… from the first objects directory that
// has it: zlib over "type size\0content". An absent file is
// os.ErrNotExist. With skip, a large object's first n bytes are read first
// and the rest only when skip reports false of them.
func (r *Reader) readLoose(h plumbing.Hash, n int, skip func([]byte) bool) (Type, []byte, bool, error) {
	hex := h.String()
	var f *os.File
	var err error
	for _, dir := range r.db.dirs {
		if f, err = os.Open(filepath.Join(dir, hex[:2], hex[2:])); !errors.Is(err, os.ErrNotExist) {
			break
		}
	}
	if err != nil {
		return 0, nil, false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, nil, false, err
	}
	zr, err := zlib.NewReader(f)
	if err != nil {
		return 0, nil, false, fmt.Errorf("inflate: %w", err)
	}
	defer zr.Close()
	var head []byte
	for {
		var b [1]byte
		if _, err := io.ReadFull(zr, b[:]); err != nil {
			return 0, nil, false, fmt.Errorf("read header: %w", err)
		}
		if b[0] == 0 {
			break
		}
		if head = append(head, b[0]); len(head) > 32 {
			return 0, nil, false, fmt.Errorf("bad header")
		}
	}
	name, sz, ok := bytes.Cut(head, []byte{' '})
	size, err := strconv.ParseInt(string(sz), 10, 64)
	// Deflate expands at most about 1032 to 1: a bigger claim is corrupt.
	if !ok || err != nil || size < 0 || size > st.Size()*1032+1024 {
		return 0, nil, false, fmt.Errorf("bad header %q", head)
	}
	var t Type
	switch string(name) {
	case "commit":
		t = Commit
	case "tree":
		t = Tree
	case "blob":
		t = Blob
	case "tag":
		t = Tag
	default:
		return 0, nil, false, fmt.Errorf("bad type %q", name)
	}
	var data []byte
	if skip != nil && size > LargeObject && int64(n) < size {
		// The sniff reads its n bytes into a buffer of its own: the claimed
		// size is allocated only for an object read whole.
		head := make([]byte, n)
		if _, err := io.ReadFull(zr, head); err != nil {
			return 0, nil, false, fmt.Errorf("read content: %w", err)
		}
		if skip(head) {
			return t, head, true, nil
		}
		if size > r.db.limits.MaxObject {
			return 0, nil, false, &TooLargeError{ID: h, Size: size, Max: r.db.limits.MaxObject}
		}
		data = make([]byte, size)
		copy(data, head)
		if _, err := io.ReadFull(zr, data[n:]); err != nil {
			return 0, nil, false, fmt.Errorf("read content: %w", err)
		}
	} else {
		if size > r.db.limits.MaxObject {
			return 0, nil, false, &TooLargeError{ID: h, Size: size, Max: r.db.limits.MaxObject}
		}
		data = make([]byte, size)
		if _, err := io.ReadFull(zr, data); err != nil {
			return 0, nil, false, fmt.Errorf("read content: %w", err)
		}
	}
	var one [1]byte
	if n, err := zr.Read(one[:]); n != 0 || !errors.Is(err, io.EOF) {
		return 0, nil, false, fmt.Errorf("content longer than its %d bytes or corrupt: %v", size, err)
	}
	if got := hashObject(t, data); got != h {
		return 0, nil, false, fmt.Errorf("its content hashes to %s", got)
	}
	return t, data, false, nil
}

// readOutside reads a delta base that is in no pack: loose, or from the
// fallback. Neither follows a delta chain, so this never recurses.
func (r *Reader) readOutside(h plumbing.Hash) (Type, []byte, error) {
	t, data, _, err := r.readLoose(h, 0, nil)
	if !errors.Is(err, os.ErrNotExist) {
		if err != nil {
			return 0, nil, objectError(h, "a loose file", err)
		}
		return t, data, nil
	}
	if r.db.fallback != nil {
		return r.db.fallback(h)
	}
	return 0, nil, fmt.Errorf("object %s: %w", h, ErrNotFound)
}
