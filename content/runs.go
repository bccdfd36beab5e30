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

func (r *runs) scan(b []byte) {
	for _, c := range b {
		switch {
		case !printable[c]:
			if r.long {
				r.out = append(r.out, '\n')
				r.long = false
			}
			r.pend = r.pend[:0]
		case r.long:
			r.out = append(r.out, c)
		default:
			r.pend = append(r.pend, c)
			if len(r.pend) == MinRun {
				r.out = append(r.out, r.pend...)
				r.pend = r.pend[:0]
				r.long = true
			}
		}
	}
}
