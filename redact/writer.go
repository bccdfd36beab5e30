package redact

import (
	"bytes"
	"io"
)

const (
	// maxPending bounds a line held while waiting for its end: past it, the
	// line is flushed in pieces (keeping an overlap so a secret across the
	// cut is still masked).
	maxPending = 1 << 20
	overlap    = 64 << 10
	// contextLines of already-written text are kept so that a multi-line
	// secret (a PEM body under its header) is recognised when its second
	// line arrives.
	contextLines = 4
	contextMax   = 4 << 10
)

// Writer masks secrets in everything written to it before passing it on.
// Complete lines are flushed as soon as they are written, so a piped log
// stays live; Close flushes the rest. Memory stays bounded whatever the
// line length.
type Writer struct {
	r      *Redactor
	w      io.Writer
	buf    []byte // context (already written) followed by pending input
	ctxLen int
	out    []byte
	err    error
}

// Writer wraps w.
func (r *Redactor) Writer(w io.Writer) *Writer {
	return &Writer{r: r, w: w}
}

// Write buffers p and writes out every complete line, masked.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	w.buf = append(w.buf, p...)
	pending := w.buf[w.ctxLen:]
	if i := bytes.LastIndexByte(pending, '\n'); i >= 0 {
		w.flush(w.ctxLen+i+1, false)
	}
	for w.err == nil && len(w.buf)-w.ctxLen > maxPending {
		w.flush(len(w.buf)-overlap, false)
	}
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

// Close writes what is left. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) > w.ctxLen {
		w.flush(len(w.buf), true)
	}
	return w.err
}

// flush writes buf[ctxLen:cut] masked, moving cut past a secret that
// straddles it, or before one that may continue beyond the buffer.
func (w *Writer) flush(cut int, final bool) {
	spans, err := w.r.d.Spans(w.buf)
	if err != nil {
		w.err = err
		return
	}
	for _, s := range spans {
		if s.Start < w.ctxLen || s.Start >= cut || s.End <= cut {
			continue
		}
		if final || s.End < len(w.buf) {
			cut = s.End
		} else {
			cut = s.Start
		}
	}
	if cut <= w.ctxLen {
		return
	}
	w.out = apply(w.out[:0], w.buf, spans, w.ctxLen, cut)
	if _, err := w.w.Write(w.out); err != nil {
		w.err = err
		return
	}
	w.keepContext(cut)
}

// keepContext drops written bytes except the last few lines before cut.
func (w *Writer) keepContext(cut int) {
	start := cut
	for n := 0; n < contextLines && start > 0; n++ {
		// buf[start-1] may end the previous line: search before it.
		start = bytes.LastIndexByte(w.buf[:start-1], '\n') + 1
	}
	if cut-start > contextMax {
		start = cut - contextMax
	}
	w.buf = w.buf[:copy(w.buf, w.buf[start:])]
	w.ctxLen = cut - start
}

var _ io.WriteCloser = (*Writer)(nil)
