package scan

import (
	"bytes"
	"errors"
	"io"

	"github.com/keygate/keygate/content"
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/source"
)

// scanContent is the one content step of every mode: content.Walk says
// what the file or blob holds (text, UTF-16, a binary's printable runs,
// compressed streams and archives, opened within lim) and each text it
// holds is streamed through the detector. lines, when not nil, keeps
// only findings on those lines of a plain text (the lines a commit adds);
// decoded and container texts have lines of their own, so all of their
// findings count. ra and size give random access to the same bytes (nil
// for a stream).
func scanContent(d *detector.Detector, lim content.Limits, r io.Reader, ra io.ReaderAt, size int64, path string, lines map[int]bool) streamResult {
	var res streamResult
	full := func() bool { return res.dropped > 0 }
	res.err = content.Walk(r, ra, size, lim, func(l content.Leaf) error {
		if full() {
			return errFull
		}
		at := memberPath(path, l.Member)
		n, err := d.ScanReader(stopReader{l.Text, full}, at, func(f detector.Finding) {
			if l.Plain && lines != nil && !lines[f.Line] {
				return
			}
			res.addFinding(f, l.Member, !ownLines(l))
		})
		res.bytes += n
		return err
	})
	res.scanned = res.bytes
	if errors.Is(res.err, errFull) {
		res.err = nil // the error is the findings dropped (tally)
	}
	// A limit is the reason, wherever the read stopped.
	if le := (*content.LimitError)(nil); errors.As(res.err, &le) {
		res.err = le
	}
	return res
}

// errFull stops a file's scan once it has reported maxFileFindings: the
// rest is not read (the scan ends in error, see droppedError).
var errFull = errors.New("too many findings")

// stopReader reads r until full says the file's findings are full.
type stopReader struct {
	r    io.Reader
	full func() bool
}

func (s stopReader) Read(p []byte) (int, error) {
	if s.full() {
		return 0, errFull
	}
	return s.r.Read(p)
}

// scanBlob is scanContent on a blob's bytes.
func scanBlob(d *detector.Detector, lim content.Limits, data []byte, path string, lines map[int]bool) streamResult {
	return scanContent(d, lim, bytes.NewReader(data), bytes.NewReader(data), int64(len(data)), path, lines)
}

// readBlob reads a blob whole: whatever it holds is scanned (a binary's
// printable runs too), within the repository's object size limit.
func readBlob(r *source.BlobReader, id source.ObjectID) ([]byte, error) {
	return r.Read(id)
}

// memberPath is where findings in an archive member are reported:
// outer!inner (gitleaks' convention). A compressed stream adds no name:
// findings in bot1.log.1.gz are reported at bot1.log.1.gz, on the lines
// of its decompressed text.
func memberPath(path, member string) string {
	if member == "" {
		return path
	}
	return path + "!" + member
}

// ownLines reports whether a leaf's lines are the file's own lines, where
// an allow comment can be written: the file's text, or its transcoding
// from UTF-16. A decompressed stream, an archive member or a binary's
// printable runs have lines no editor shows.
func ownLines(l content.Leaf) bool {
	return l.Plain || l.Member == "" && (l.Kind == content.UTF16LE || l.Kind == content.UTF16BE)
}

// addFinding files f, found in member ("" for the file itself); derived
// is true when its text is not the file's own lines (see ownLines).
func (r *streamResult) addFinding(f detector.Finding, member string, derived bool) {
	if len(r.findings) >= maxFileFindings {
		r.dropped++
		return
	}
	if member != "" && r.members == nil {
		r.members = make([]string, len(r.findings), len(r.findings)+1)
	}
	if derived && r.derived == nil {
		r.derived = make([]bool, len(r.findings), len(r.findings)+1)
	}
	r.findings = append(r.findings, f)
	if r.members != nil {
		r.members = append(r.members, member)
	}
	if r.derived != nil {
		r.derived = append(r.derived, derived)
	}
}

// isDerived reports whether finding i was found in text derived from the
// file's bytes (see ownLines).
func (r *streamResult) isDerived(i int) bool {
	return r.derived != nil && r.derived[i]
}

// member is the archive member finding i was found in ("" for the file).
func (r *streamResult) member(i int) string {
	if r.members == nil {
		return ""
	}
	return r.members[i]
}
