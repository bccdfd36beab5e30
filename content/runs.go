package content

import "io"

// MinRun is the shortest printable run of a binary that is scanned (as
// `strings -n 8`): shorter runs are noise, and every credential is longer.
const MinRun = 8

// runs streams the printable runs of a binary, each on a line of its own:
// what `strings -n 8` prints. Line N of a finding in a binary is the Nth
// run.
type runs struct {
	r    io.Reader
	in   []byte
	out  []byte
	pend []byte // the current run while shorter than MinRun
	long bool   // the current run reached MinRun: it goes out as it comes
	eof  bool
}

func newRuns(r io.Reader) *runs {
	return &runs{r: r, in: make([]byte, 32<<10), pend: make([]byte, 0, MinRun)}
}

// printable: ASCII text characters and tab, as strings(1) counts them.
var printable = func() (t [256]bool) {
	for b := 0x20; b < 0x7f; b++ {
		t[b] = true
	}
	t['\t'] = true
	return t
}()

func (r *runs) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.eof {
			return 0, io.EOF
		}
		n, err := r.r.Read(r.in)
		r.out = r.out[:0]
		r.scan(r.in[:n])
		if err == io.EOF {
			r.eof = true
			if r.long {
				r.out = append(r.out, '\n')
				r.long = false
			}
		} else if err != nil {
			if len(r.out) == 0 {
				return 0, err
			}
			n := copy(p, r.out)
			r.out = r.out[n:]
			return n, err
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// scan appends b's runs to out. Runs are copied once they end (or b
// does), not a byte at a time, and a binary's bytes are mostly skipped: a
// byte that is not printable MinRun-1 bytes ahead rules out a run starting
// before it. Reading every byte, appending each, was a seventh of a tree
// scan's CPU where the tree holds wheels (freqtrade's), whose compiled
// members are mostly binary with runs of a byte or two.
func (r *runs) scan(b []byte) {
	i := 0
	if r.long || len(r.pend) > 0 {
		// The last read ended inside a run.
		for i < len(b) && printable[b[i]] {
			i++
		}
		if i == len(b) {
			r.carry(b)
			return
		}
		r.end(b[:i])
		i++
	}
	// No run is open at i: b[i-1], if any, is not printable.
	for p := i + MinRun - 1; p < len(b); p = i + MinRun - 1 {
		if !printable[b[p]] {
			i = p + 1
			continue
		}
		s := p
		for s > i && printable[b[s-1]] {
			s--
		}
		e := p + 1
		for e < len(b) && printable[b[e]] {
			e++
		}
		if e == len(b) {
			r.carry(b[s:])
			return
		}
		if e-s >= MinRun {
			r.out = append(append(r.out, b[s:e]...), '\n')
		}
		i = e + 1
	}
	// Fewer than MinRun bytes are left: only a run reaching the end can
	// still grow long enough.
	s := len(b)
	for s > i && printable[b[s-1]] {
		s--
	}
	r.carry(b[s:])
}

// end closes the current run, whose last bytes are run.
func (r *runs) end(run []byte) {
	switch {
	case r.long:
		r.out = append(append(r.out, run...), '\n')
		r.long = false
	case len(r.pend)+len(run) >= MinRun:
		r.out = append(append(append(r.out, r.pend...), run...), '\n')
	}
	r.pend = r.pend[:0]
}

// carry keeps run, the current run's bytes at the end of a read, for the
// next: once it is long enough it goes out as it comes.
func (r *runs) carry(run []byte) {
	switch {
	case r.long:
		r.out = append(r.out, run...)
	case len(r.pend)+len(run) >= MinRun:
		r.out = append(append(r.out, r.pend...), run...)
		r.pend = r.pend[:0]
		r.long = true
	default:
		r.pend = append(r.pend, run...)
	}
}
