// Package redact masks credentials in text before it is written: active
// values (and their base64, URL, JSON, shell and hex forms) and every
// pattern-rule secret become "****" plus at most the last four characters.
//
// A Go service wraps its log output:
//
//	values := []detector.KnownValue{{Name: "BOT1_BITGET_API_SECRET", Value: os.Getenv("BOT1_BITGET_API_SECRET")}}
//	r, err := redact.New(values, nil) // nil: the embedded default rule pack
//	if err != nil { ... }
//	w := r.Writer(os.Stderr)
//	defer w.Close()
//	log.SetOutput(w)
//	msg := r.String(err.Error()) // one string, e.g. exception text for a report
//
// Other programs pipe through `keygate redact`, which reads the values from
// env/.env (see README).
package redact

import (
	"fmt"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/rules"
)

// Redactor masks secrets. It is safe for concurrent use; each Writer is not.
type Redactor struct {
	d *detector.Detector
}

// New returns a redactor for the active values and the pattern rules of
// pack (nil: the embedded default pack). Values shorter than
// detector.MinKnownValueLen are not masked; Warnings names them.
func New(values []detector.KnownValue, pack *rules.Pack) (*Redactor, error) {
	if pack == nil {
		var err error
		if pack, err = rules.Default(); err != nil {
			return nil, fmt.Errorf("redact: load default rules: %w", err)
		}
	}
	d, err := detector.New(pack, values...)
	if err != nil {
		return nil, fmt.Errorf("redact: %w", err)
	}
	return &Redactor{d: d}, nil
}

// Warnings name values that cannot be masked (too short), never the values.
func (r *Redactor) Warnings() []string { return r.d.Warnings() }

// Bytes returns b with every secret masked.
func (r *Redactor) Bytes(b []byte) ([]byte, error) {
	spans, err := r.d.Spans(b)
	if err != nil {
		return nil, err
	}
	return apply(nil, b, spans, 0, len(b)), nil
}

// String returns s with every secret masked. On an internal error it
// returns a fully masked string rather than risk the original.
func (r *Redactor) String(s string) string {
	out, err := r.Bytes([]byte(s))
	if err != nil {
		return "****"
	}
	return string(out)
}

// apply appends b[from:to] to dst with the spans that start in that range
// replaced by their masks.
func apply(dst, b []byte, spans []detector.Span, from, to int) []byte {
	at := from
	for _, s := range spans {
		if s.Start < from || s.Start >= to {
			continue
		}
		dst = append(dst, b[at:s.Start]...)
		dst = append(dst, s.Replacement...)
		at = s.End
	}
	if at < to {
		dst = append(dst, b[at:to]...)
	}
	return dst
}

// FromDetector returns a redactor using an already built detector (its
// rules and known values), as the CLI does after reading configuration.
func FromDetector(d *detector.Detector) *Redactor { return &Redactor{d: d} }
