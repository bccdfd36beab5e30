package odb

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func deflate(t testing.TB, data []byte, level int) []byte {
	var b bytes.Buffer
	w, err := zlib.NewWriterLevel(&b, level)
	require.NoError(t, err)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func inputs() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 1))
	random := make([]byte, 300_000)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	var text strings.Builder
	for i := 0; text.Len() < 500_000; i++ {
		fmt.Fprintf(&text, "    value_%d = compute(order_id=%d, symbol=%q)  # %x\n", i, r.Int64N(9e12), "BTCUSDT", r.Uint64())
	}
	return map[string][]byte{
		"empty":      {},
		"one byte":   {'x'},
		"random":     random,
		"text":       []byte(text.String()),
		"repetitive": bytes.Repeat([]byte("abcabcabd"), 100_000),
		"zeros":      make([]byte, 1<<20),
		"short runs": []byte("aaaaaaaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbcabcabcabcabcab"),
	}
}

// Every level zlib writes (stored, Huffman only, fixed and dynamic codes,
// every match length and distance) decodes to the original bytes.
func TestInflateMatchesZlib(t *testing.T) {
	var d decoder
	for name, data := range inputs() {
		for _, level := range []int{zlib.NoCompression, zlib.HuffmanOnly, zlib.BestSpeed, 4, zlib.DefaultCompression, zlib.BestCompression} {
			t.Run(fmt.Sprintf("%s/level %d", name, level), func(t *testing.T) {
				z := deflate(t, data, level)
				out, err := d.inflateZlib(append(z, "trailing bytes of the next object"...), len(data), 0)
				require.NoError(t, err)
				require.True(t, bytes.Equal(data, out))
			})
		}
	}
}

func TestInflateRejectsBadStreams(t *testing.T) {
	var d decoder
	data := inputs()["text"][:50_000]
	z := deflate(t, data, zlib.DefaultCompression)
	_, err := d.inflateZlib(z, len(data)-1, 0)
	assert.ErrorIs(t, err, errCorrupt, "more data than the object's size")
	_, err = d.inflateZlib(z, len(data)+1, 0)
	assert.ErrorIs(t, err, errCorrupt, "less data than the object's size")
	_, err = d.inflateZlib(z[:len(z)-10], len(data), 0)
	assert.ErrorIs(t, err, errCorrupt, "truncated")
	bad := bytes.Clone(z)
	bad[len(bad)-1] ^= 1
	_, err = d.inflateZlib(bad, len(data), 0)
	assert.ErrorIs(t, err, errCorrupt, "wrong checksum")
	_, err = d.inflateZlib([]byte{0x78, 0x9c ^ 1}, 0, 0)
	assert.ErrorIs(t, err, errCorrupt, "bad header")
	// Damage anywhere is caught, or decodes to what zlib itself decodes.
	r := rand.New(rand.NewPCG(2, 2))
	for range 2000 {
		bad := bytes.Clone(z)
		bad[2+r.IntN(len(bad)-2)] ^= byte(1 + r.IntN(255))
		out, err := d.inflateZlib(bad, len(data), 0)
		if err == nil {
			zr, zerr := zlib.NewReader(bytes.NewReader(bad))
			require.NoError(t, zerr)
			want, zerr := io.ReadAll(zr)
			require.NoError(t, zerr, "zlib rejects what the decoder accepted")
			require.True(t, bytes.Equal(want, out))
		}
	}
}

// incompleteCode is a zlib stream whose dynamic block has an incomplete
// literal/length code: compress/zlib rejects it ("corrupt input"); a
// decoder that builds incomplete codes reads "aaa" from it.
var incompleteCode = []byte{0x78, 0x9c, 0x05, 0xc0, 0x01, 0x09, 0x00, 0x00, 0x00, 0x80, 0xa0, 0xad, 0xfd, 0x3f, 0x91, 0x80, 0x02, 0x49, 0x01, 0x24}

// zlibDecode is what compress/zlib reads from z, up to max bytes (more is
// errTooBig: the fuzz target skips zlib bombs).
func zlibDecode(z []byte, max int) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(out) > max {
		return nil, errTooBig
	}
	return out, nil
}

var errTooBig = fmt.Errorf("more than the fuzz target decodes")

// The decoder takes exactly the Huffman codes compress/flate takes: the
// complete ones, an empty one, and a single one-bit code; never an
// over-subscribed or other incomplete one.
func TestInflateTakesTheCodesZlibTakes(t *testing.T) {
	tests := []struct {
		name    string
		lengths []uint8
		ok      bool
	}{
		{"complete", []uint8{1, 2, 3, 3}, true},
		{"complete, with unused symbols", []uint8{0, 2, 0, 2, 2, 2}, true},
		{"empty", []uint8{0, 0, 0}, true},
		{"a single one-bit code", []uint8{0, 1, 0}, true},
		{"a single two-bit code", []uint8{0, 2}, false},
		{"incomplete", []uint8{1, 2}, false},
		{"incomplete, long codes", []uint8{2, 2, 2, 3}, false},
		{"over-subscribed", []uint8{1, 1, 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h huffman
			err := h.build(tt.lengths, litTableBits)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, errCorrupt)
			}
		})
	}
	var d decoder
	_, err := d.inflateZlib(incompleteCode, 3, 0)
	assert.ErrorIs(t, err, errCorrupt, "an incomplete literal code")
	_, err = d.inflateZlib(incompleteCode, 3, 2)
	assert.ErrorIs(t, err, errCorrupt, "an incomplete literal code, in a prefix read")
	_, err = zlibDecode(incompleteCode, 100)
	assert.Error(t, err, "compress/zlib rejects it too")
}

// FuzzInflate holds the decoder to compress/zlib both ways, whole and in
// prefix reads: what zlib reads whole, the decoder reads whole to the same
// bytes, and what the decoder reads zlib reads identically; any other size
// is an error; and a prefix read is a prefix of what zlib reads, and at
// most one match short of the limit on a stream zlib reads whole.
func FuzzInflate(f *testing.F) {
	for _, data := range inputs() {
		if len(data) < 5000 {
			f.Add(deflate(f, data, zlib.DefaultCompression), len(data), len(data)/2)
			f.Add(deflate(f, data, zlib.HuffmanOnly), len(data), 1)
		}
	}
	f.Add(deflate(f, []byte(strings.Repeat("abc", 500)), zlib.BestSpeed), 1500, 700)
	f.Add(deflate(f, []byte(strings.Repeat("abc", 500)), zlib.NoCompression), 1500, 20)
	f.Add(incompleteCode, 3, 0)
	f.Add(incompleteCode, 3, 2)
	const max = 1 << 20
	f.Fuzz(func(t *testing.T, z []byte, size, limit int) {
		if size < 0 || size > max {
			return
		}
		want, zerr := zlibDecode(z, max)
		if errors.Is(zerr, errTooBig) {
			return
		}
		var d decoder
		if zerr == nil {
			out, err := d.inflateZlib(z, len(want), 0)
			if err != nil {
				t.Fatalf("zlib reads %d bytes, the decoder rejects them: %v", len(want), err)
			}
			if !bytes.Equal(want, out) {
				t.Fatalf("zlib reads %d bytes, the decoder others", len(want))
			}
		}
		out, err := d.inflateZlib(z, size, 0)
		switch {
		case err == nil && zerr != nil:
			t.Fatalf("zlib rejects a stream the decoder reads: %v", zerr)
		case err == nil && !bytes.Equal(want, out):
			t.Fatalf("decoded %d bytes, zlib %d", len(out), len(want))
		case err == nil && size != len(want):
			t.Fatalf("read as %d bytes, zlib reads %d", size, len(want))
		}
		if limit <= 0 || limit >= size {
			return
		}
		head, err := d.inflateZlib(z, size, limit)
		if err != nil {
			if zerr == nil && size == len(want) {
				t.Fatalf("the first %d of %d bytes zlib reads: %v", limit, size, err)
			}
			return
		}
		if len(head) > limit {
			t.Fatalf("a prefix read of %d bytes gave %d", limit, len(head))
		}
		if zerr == nil && size == len(want) && len(head) <= limit-259 {
			t.Fatalf("a prefix read of %d bytes stopped at %d", limit, len(head))
		}
		zr, err := zlib.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatalf("zlib rejects the header of a stream the decoder reads a prefix of: %v", err)
		}
		got := make([]byte, len(head))
		if _, err := io.ReadFull(zr, got); err != nil {
			t.Fatalf("zlib cannot read the %d bytes the decoder read: %v", len(head), err)
		}
		if !bytes.Equal(got, head) {
			t.Fatalf("a prefix read differs from zlib's first %d bytes", len(head))
		}
	})
}

func BenchmarkInflate(b *testing.B) {
	data := inputs()["text"]
	z := deflate(b, data, zlib.DefaultCompression)
	b.Run("decoder", func(b *testing.B) {
		var d decoder
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := d.inflateZlib(z, len(data), 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("compress/zlib", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		out := make([]byte, len(data))
		for b.Loop() {
			zr, err := zlib.NewReader(bytes.NewReader(z))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(zr, out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A prefix read decodes the first bytes only: at most limit of them, and at
// most one match (258 bytes) short of it.
func TestInflatePrefix(t *testing.T) {
	var d decoder
	for name, data := range inputs() {
		if len(data) < 10_000 {
			continue
		}
		for _, level := range []int{zlib.NoCompression, zlib.HuffmanOnly, zlib.DefaultCompression} {
			z := deflate(t, data, level)
			for _, limit := range []int{1, 100, 8000, len(data) - 1} {
				out, err := d.inflateZlib(z, len(data), limit)
				require.NoError(t, err, "%s level %d limit %d", name, level, limit)
				assert.LessOrEqual(t, len(out), limit)
				assert.Greater(t, len(out), limit-259)
				require.True(t, bytes.Equal(data[:len(out)], out), "%s level %d limit %d: not a prefix", name, level, limit)
			}
		}
	}
}
