package detector

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/testmode"
)

// edgeForm is one way a key is written on its line: the line, and where
// in it the reported secret (the encoded text, when encoded) starts and
// ends.
type edgeForm struct {
	name       string
	line       string
	start, end int
	decoded    string
}

const edgeSecret = "f00dfacec0ffee00deadbeef0123456789abcdef0123456789abcdef00c0ffee"

func edgeForms() []edgeForm {
	plain := "BOT1_BITGET_API_SECRET=" + edgeSecret
	b64 := base64.StdEncoding.EncodeToString([]byte(plain))
	esc := `{"BOT1_BITGET_API_SECRET":"` + escapeAll(edgeSecret) + `"}`
	return []edgeForm{
		{"plain", plain, len(plain) - len(edgeSecret), len(plain), ""},
		// base64 of the whole assignment: the secret is the encoded
		// bytes holding it.
		{"base64", "cfg " + b64, 0, 0, EncBase64},
		{"escaped", esc, strings.Index(esc, `\u`), strings.LastIndex(esc, `"`), EncEscape},
	}
}

// escapeAll writes every byte of s as a \u escape, as a JSON encoder
// told to escape everything does.
func escapeAll(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, `\u%04x`, c)
	}
	return b.String()
}

// edgeData puts line so that its byte at index `at` lies at stream offset
// chunkSize+delta, after log-like filler, with more filler after it. It
// returns the data and the line's offset.
func edgeData(line string, at, delta int) ([]byte, int) {
	const filler = "2026-11-25T18:00:00Z INFO bot1 order filled qty=0.010 px=64000.5 id=7731\n"
	lineAt := chunkSize + delta - at
	var b bytes.Buffer
	b.Grow(lineAt + len(line) + 40*len(filler))
	for b.Len() < lineAt-1 {
		b.WriteString(filler)
	}
	b.Truncate(lineAt - 1)
	b.WriteByte('\n')
	b.WriteString(line)
	b.WriteByte('\n')
	b.WriteString(strings.Repeat(filler, 40))
	return b.Bytes(), lineAt
}

// edgeDeltas are the offsets around the chunk edge a key's line is
// tried at: every one from -n to n in the full suite; in the quick one
// both ends and each given point (the line's start, its secret's start
// and end at the edge) with its neighbours. near says which are those
// points (the other ways of reading run there only).
func edgeDeltas(n int, points ...int) (out []int, near map[int]bool) {
	near = map[int]bool{}
	for d := -n; d <= n; d++ {
		near[d] = d == -n || d == n
		for _, p := range points {
			near[d] = near[d] || d >= p-1 && d <= p+1
		}
		if testmode.Full() || near[d] {
			out = append(out, d)
		}
	}
	return out, near
}

// TestChunkEdge: a key is found once, at its place, wherever it lies
// around the 4 MiB chunk edge: its line starting before the edge and the
// secret after it (the context is then in the look-behind), straddling it,
// or after it; written plain, base64-encoded or as JSON \u escapes; read
// whole, as a stream of short reads, and as a history version (with and
// without its previous version).
func TestChunkEdge(t *testing.T) {
	d := defaultDetector(t)
	for _, form := range edgeForms() {
		form := form
		t.Run(form.name, func(t *testing.T) {
			// Probe the form on its own for where its secret lies.
			probe, err := d.Scan([]byte(form.line+"\n"), "bot.log")
			require.NoError(t, err)
			require.Len(t, probe, 1, "the form alone is found")
			require.Equal(t, form.decoded, probe[0].Decoded)
			s, e := int(probe[0].Start), int(probe[0].End)
			// Deltas are taken for the line's start, its secret's start
			// and its end, so the edge falls before, inside and after.
			n := len(form.line) + 16
			deltas, near := edgeDeltas(n, 0, -s, -e)
			for _, delta := range deltas {
				data, lineAt := edgeData(form.line, 0, delta)
				want := Finding{Start: int64(lineAt + s), End: int64(lineAt + e),
					Line: bytes.Count(data[:lineAt], []byte{'\n'}) + 1, Column: s + 1}
				check := func(how string, fs []Finding) {
					t.Helper()
					require.Len(t, fs, 1, "%s: line at edge%+d", how, delta)
					f := fs[0]
					assert.Equal(t, []any{want.Start, want.End, want.Line, want.Column, form.decoded},
						[]any{f.Start, f.End, f.Line, f.Column, f.Decoded}, "%s: line at edge%+d", how, delta)
					assert.Equal(t, string(data[f.Start:f.End]), f.Secret)
				}
				fs, err := d.Scan(data, "bot.log")
				require.NoError(t, err)
				check("Scan", fs)
				if near[delta] {
					var got []Finding
					_, err = d.ScanReader(iotest.HalfReader(bytes.NewReader(data)), "bot.log", func(f Finding) { got = append(got, f) })
					require.NoError(t, err)
					check("ScanReader", got)
					prev, err := d.ScanVersion(bytes.Replace(data, []byte(form.line), nil, 1), "bot.log", nil)
					require.NoError(t, err)
					v, err := d.ScanVersion(data, "bot.log", prev)
					require.NoError(t, err)
					check("ScanVersion", v.Findings)
				}
			}
		})
	}
}
