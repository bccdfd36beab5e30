package odb

import (
	"bytes"
	"compress/zlib"
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

// FuzzInflate: any input, no panic; what the decoder accepts, zlib decodes
// to the same bytes.
func FuzzInflate(f *testing.F) {
	for _, data := range inputs() {
		if len(data) < 5000 {
			f.Add(deflate(f, data, zlib.DefaultCompression), len(data))
			f.Add(deflate(f, data, zlib.HuffmanOnly), len(data))
		}
	}
	f.Add(deflate(f, []byte(strings.Repeat("abc", 500)), zlib.BestSpeed), 1500)
	f.Fuzz(func(t *testing.T, z []byte, size int) {
		if size < 0 || size > 1<<20 {
			return
		}
		var d decoder
		out, err := d.inflateZlib(z, size, 0)
		if err != nil {
			return
		}
		zr, err := zlib.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatalf("zlib rejects a header the decoder accepted: %v", err)
		}
		want, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("zlib rejects a stream the decoder accepted: %v", err)
		}
		if !bytes.Equal(want, out) {
			t.Fatalf("decoded %d bytes, zlib %d", len(out), len(want))
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
