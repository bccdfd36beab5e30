package content

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Leaf is one text to scan: the file itself, its decompressed stream, an
// archive member or a binary's printable runs.
type Leaf struct {
	// Member names the archive member ("" for the file itself and for a
	// compressed stream, which adds no name); members of nested archives
	// are joined by "!" (gitleaks' convention: outer!inner).
	Member string
	// Kind is what the text was before decoding: Text, UTF8BOM, UTF16LE,
	// UTF16BE or Binary.
	Kind Kind
	// Text is UTF-8 (or, for Binary, its printable runs, one a line).
	Text io.Reader
	// Plain is true when Text is the file's own bytes (less a UTF-8 BOM):
	// its lines are the file's lines.
	Plain bool
}

// Walk reads one file or blob: r streams it from the start; ra, when not
// nil, reads the same bytes at random (a file, a blob's bytes), which a
// zip at the top needs (size is then its length). fn is called for each
// text it holds, in order, and must read Text to its end before it
// returns. Walk returns fn's first error, a *LimitError, or an error
// naming the container or member that could not be read.
func Walk(r io.Reader, ra io.ReaderAt, size int64, lim Limits, fn func(Leaf) error) error {
	w := &walker{lim: lim.withDefaults(), fn: fn}
	r = &countReader{r: r, n: &w.read}
	if ra != nil {
		ra = &countReaderAt{r: ra, n: &w.read}
	}
	return w.open("", 0, false, r, ra, size)
}

type walker struct {
	lim     Limits
	fn      func(Leaf) error
	read    int64 // bytes of the file read so far (for the ratio)
	out     int64 // bytes decompressed so far, every layer counted
	entries int
}

var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// open reads a stream at the given depth: inside is true under a
// container.
func (w *walker) open(member string, depth int, inside bool, r io.Reader, ra io.ReaderAt, size int64) error {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	defer func() {
		br.Reset(nil)
		readers.Put(br)
	}()
	head, err := br.Peek(SniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	k := Sniff(head)
	switch k {
	case Gzip, Bzip2, Xz, Zstd, Zip, Tar:
		if depth >= w.lim.MaxDepth {
			return &LimitError{Limit: LimitDepth, Max: int64(w.lim.MaxDepth), Member: member}
		}
	}
	switch k {
	case Gzip, Bzip2, Xz, Zstd:
		dr, done, err := w.decompress(k, member, head, br)
		if err != nil {
			return err
		}
		defer done()
		return w.open(member, depth+1, true, dr, nil, -1)
	case Zip:
		return w.zip(member, depth, br, ra, size)
	case Tar:
		return w.tar(member, depth, br)
	case UTF16LE, UTF16BE:
		order := unicode.LittleEndian
		if k == UTF16BE {
			order = unicode.BigEndian
		}
		// UseBOM: a BOM, when there is one, says the order and is dropped.
		dec := unicode.UTF16(order, unicode.UseBOM).NewDecoder()
		return w.fn(Leaf{Member: member, Kind: k, Text: transform.NewReader(br, dec)})
	case Binary:
		return w.fn(Leaf{Member: member, Kind: k, Text: newRuns(br)})
	}
	if _, err := br.Discard(k.BOMLen()); err != nil {
		return err
	}
	return w.fn(Leaf{Member: member, Kind: k, Text: br, Plain: !inside})
}

// decompress opens a compressed stream; done releases its decoder.
func (w *walker) decompress(k Kind, member string, head []byte, br *bufio.Reader) (io.Reader, func(), error) {
	var dr io.Reader
	done := func() {}
	var err error
	switch k {
	case Gzip:
		var z *gzip.Reader
		if z, err = gzip.NewReader(br); err == nil {
			dr, done = z, func() { z.Close() }
		}
	case Bzip2:
		dr = bzip2.NewReader(br)
	case Xz:
		if dict, ok := xzDict(head); ok && dict > maxWindow {
			return nil, nil, &LimitError{Limit: LimitWindow, Max: maxWindow, Member: member}
		}
		dr, err = xz.NewReader(br)
	case Zstd:
		var z *zstd.Decoder
		z, err = zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(maxWindow))
		if err == nil {
			dr, done = z, z.Close
		}
	}
	if err != nil {
		return nil, nil, streamError(member, k, err)
	}
	return &meter{r: &kindReader{r: dr, k: k, member: member}, w: w, member: member}, done, nil
}

// streamError names the container a read failed in. A truncated stream
// must not read as a clean end: io.ErrUnexpectedEOF is not wrapped (a
// reader's caller may take it for the end of its data).
func streamError(member string, k Kind, err error) error {
	var le *LimitError
	if errors.As(err, &le) {
		return err
	}
	if errors.Is(err, zstd.ErrWindowSizeExceeded) {
		return &LimitError{Limit: LimitWindow, Max: maxWindow, Member: member}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%s%s data is truncated", at(member), k)
	}
	return fmt.Errorf("%s%s data is damaged: %v", at(member), k, err)
}

// kindReader names the container in its read errors.
type kindReader struct {
	r      io.Reader
	k      Kind
	member string
}

func (r *kindReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = streamError(r.member, r.k, err)
	}
	return n, err
}

// meter counts decompressed bytes against MaxBytes and MaxRatio.
type meter struct {
	r      io.Reader
	w      *walker
	member string
}

func (m *meter) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	w := m.w
	w.out += int64(n)
	if w.out > w.lim.MaxBytes {
		return n, &LimitError{Limit: LimitBytes, Max: w.lim.MaxBytes, Member: m.member}
	}
	if w.out > ratioFloor && w.out > w.lim.MaxRatio*max(w.read, 1) {
		return n, &LimitError{Limit: LimitRatio, Max: w.lim.MaxRatio, Member: m.member}
	}
	return n, err
}

func (w *walker) entry() error {
	w.entries++
	if w.entries > w.lim.MaxEntries {
		return &LimitError{Limit: LimitEntries, Max: int64(w.lim.MaxEntries)}
	}
	return nil
}

func join(outer, inner string) string {
	if outer == "" {
		return inner
	}
	return outer + "!" + inner
}

// zip opens a zip archive; without random access to it (a zip inside
// another container) it is first copied aside.
func (w *walker) zip(member string, depth int, br *bufio.Reader, ra io.ReaderAt, size int64) error {
	if ra == nil {
		sp, err := spill(br)
		if err != nil {
			return err
		}
		defer sp.close()
		ra, size = sp.ra, sp.size
	}
	// archive/zip reads the whole central directory before the first
	// member: check the count it claims first.
	if n, ok := zipEntries(ra, size); ok && n > uint64(w.lim.MaxEntries-w.entries) {
		return &LimitError{Limit: LimitEntries, Max: int64(w.lim.MaxEntries), Member: member}
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return streamError(member, Zip, err)
	}
	zr.RegisterDecompressor(12, func(r io.Reader) io.ReadCloser { return io.NopCloser(bzip2.NewReader(r)) })
	zr.RegisterDecompressor(93, func(r io.Reader) io.ReadCloser {
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(maxWindow))
		if err != nil {
			return io.NopCloser(&errorReader{err})
		}
		return z.IOReadCloser()
	})
	for _, f := range zr.File {
		if err := w.entry(); err != nil {
			return err
		}
		if f.Mode().IsDir() {
			continue
		}
		name := join(member, f.Name)
		if f.Flags&1 != 0 {
			return fmt.Errorf("%sencrypted: it cannot be read, so it was not scanned", at(name))
		}
		rc, err := f.Open()
		if err != nil {
			return streamError(name, Zip, err)
		}
		err = w.open(name, depth+1, true, &meter{r: &kindReader{r: rc, k: Zip, member: name}, w: w, member: name}, nil, -1)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// zipEntries is the member count a zip's end of central directory record
// claims (zip64's when the classic field is saturated).
func zipEntries(ra io.ReaderAt, size int64) (uint64, bool) {
	const eocdLen, maxComment = 22, 1<<16 - 1
	n := min(size, eocdLen+maxComment)
	if n < eocdLen {
		return 0, false
	}
	tail := make([]byte, n)
	if _, err := ra.ReadAt(tail, size-n); err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	at := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if at < 0 || at+eocdLen > len(tail) {
		return 0, false
	}
	count := uint64(binary.LittleEndian.Uint16(tail[at+10:]))
	if count != 0xffff || at < 20 || string(tail[at-20:at-16]) != "PK\x06\x07" {
		return count, true
	}
	off := int64(binary.LittleEndian.Uint64(tail[at-20+8:]))
	rec := make([]byte, 56)
	if off < 0 || off > size-56 {
		return 0, false
	}
	if _, err := ra.ReadAt(rec, off); err != nil || string(rec[:4]) != "PK\x06\x06" {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}

type errorReader struct{ err error }

func (e *errorReader) Read([]byte) (int, error) { return 0, e.err }

// tar reads a tar archive's regular files; a symbolic link's target is
// scanned as its text (as git stores one).
func (w *walker) tar(member string, depth int, br *bufio.Reader) error {
	tr := tar.NewReader(br)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return streamError(member, Tar, err)
		}
		if err := w.entry(); err != nil {
			return err
		}
		name := join(member, h.Name)
		switch h.Typeflag {
		case tar.TypeReg, 0, tar.TypeGNUSparse:
			err = w.open(name, depth+1, true, &kindReader{r: tr, k: Tar, member: name}, nil, -1)
		case tar.TypeSymlink, tar.TypeLink:
			err = w.fn(Leaf{Member: name, Kind: Text, Text: strings.NewReader(h.Linkname)})
		}
		if err != nil {
			return err
		}
	}
}

// spillInMemory is the largest nested zip kept in memory; a larger one
// goes to a temporary file (removed at once: only its handle remains).
const spillInMemory = 8 << 20

type spilled struct {
	ra    io.ReaderAt
	size  int64
	close func()
}

func spill(r io.Reader) (*spilled, error) {
	buf, err := io.ReadAll(io.LimitReader(r, spillInMemory+1))
	if err != nil {
		return nil, err
	}
	n := len(buf)
	if n <= spillInMemory {
		return &spilled{ra: bytes.NewReader(buf[:n]), size: int64(n), close: func() {}}, nil
	}
	f, err := os.CreateTemp("", "keygate-zip-*")
	if err != nil {
		return nil, fmt.Errorf("copy a nested zip aside: %w", err)
	}
	os.Remove(f.Name())
	m, err := io.Copy(f, io.MultiReader(bytes.NewReader(buf[:n]), r))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("copy a nested zip aside: %w", err)
	}
	return &spilled{ra: f, size: m, close: func() { f.Close() }}, nil
}

// xzDict is the LZMA2 dictionary size the first block of an xz stream
// declares (the decoder allocates it whole before reading a byte).
func xzDict(head []byte) (int64, bool) {
	const streamHeader = 12
	if len(head) < streamHeader+2 || head[streamHeader] == 0 {
		return 0, false
	}
	h := head[streamHeader:]
	end := (int(h[0]) + 1) * 4
	if end > len(h) {
		return 0, false
	}
	h = h[:end]
	flags := h[1]
	p := 2
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && p < len(h); i++ {
			b := h[p]
			p++
			v |= uint64(b&0x7f) << (7 * i)
			if b&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	for _, present := range []bool{flags&0x40 != 0, flags&0x80 != 0} {
		if present {
			if _, ok := varint(); !ok {
				return 0, false
			}
		}
	}
	for range int(flags&3) + 1 {
		id, ok1 := varint()
		n, ok2 := varint()
		if !ok1 || !ok2 || p+int(n) > len(h) {
			return 0, false
		}
		if id == 0x21 && n == 1 {
			bits := h[p] & 0x3f
			if bits >= 40 {
				return 1<<32 - 1, true
			}
			return int64(2|bits&1) << (bits/2 + 11), true
		}
		p += int(n)
	}
	return 0, false
}

// countReader counts what the file gives, and keeps its end: once the
// file said io.EOF, it is not read again. The sniff's buffer meets the end
// of a small file and returns it once; the text's reader then asked the
// file again, a third read syscall for a file that one read had given
// whole.
type countReader struct {
	r   io.Reader
	n   *int64
	eof bool
}

func (c *countReader) Read(p []byte) (int, error) {
	if c.eof {
		return 0, io.EOF
	}
	n, err := c.r.Read(p)
	*c.n += int64(n)
	c.eof = err == io.EOF
	return n, err
}

type countReaderAt struct {
	r io.ReaderAt
	n *int64
}

func (c *countReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	*c.n += int64(n)
	return n, err
}
