package redact

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

func benchInput() []byte {
	r := rand.New(rand.NewPCG(5, 5))
	var b strings.Builder
	for i := 0; b.Len() < 4<<20; i++ {
		if i%500 == 0 {
			fmt.Fprintf(&b, "2026-11-25T10:00:00Z ERROR probe failed passphrase=%s\n", pass)
			continue
		}
		fmt.Fprintf(&b, "2026-11-25T10:00:00Z INFO bot=BOT1 order placed order_id=%d api_key=****%04x status=ok\n", r.Int64N(9e12), r.IntN(65536))
	}
	return []byte(b.String())
}

// BenchmarkRedactWriter streams 4 MB of log through the redactor in 32 KB
// writes (as `keygate redact` reads stdin); compare with BenchmarkCopy.
func BenchmarkRedactWriter(b *testing.B) {
	r := newRedactor(b)
	data := benchInput()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		w := r.Writer(io.Discard)
		if _, err := io.CopyBuffer(w, bytes.NewReader(data), make([]byte, 32<<10)); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCopy is the floor: the same bytes copied with no redaction.
func BenchmarkCopy(b *testing.B) {
	data := benchInput()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		_, _ = io.CopyBuffer(io.Discard, bytes.NewReader(data), make([]byte, 32<<10))
	}
}

// BenchmarkRedactString is one short exception text, as a service masks it
// before writing a report payload.
func BenchmarkRedactString(b *testing.B) {
	r := newRedactor(b)
	msg := "bitget request failed: 40037 apikey does not exist; passphrase " + pass + " rejected"
	b.ReportAllocs()
	for b.Loop() {
		_ = r.String(msg)
	}
}
