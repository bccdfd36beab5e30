package content

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const line = "BOT1_BITGET_API_SECRET=5eed5eed0123456789abcdef0123456789abcdef0123456789abcdefdeadbeef\n"

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func gz(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, data := range files {
		f, err := w.Create(name)
		require.NoError(t, err)
		_, err = f.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return b.Bytes()
}

func tarOf(t *testing.T, name string, data []byte) []byte {
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	require.NoError(t, w.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}))
	_, err := w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.WriteHeader(&tar.Header{Name: "link", Typeflag: tar.TypeSymlink, Linkname: strings.TrimSpace(line)}))
	require.NoError(t, w.Close())
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	random := make([]byte, 4000)
	for i := range random {
		random[i] = byte(i*7919 + i*i*31)
	}
	for name, tt := range map[string]struct {
		data []byte
		want Kind
	}{
		"text":                       {[]byte("hello\n" + line), Text},
		"empty":                      {nil, Text},
		"text with one NUL":          {[]byte("x\x00y\n" + strings.Repeat(line, 20)), Text},
		"latin-1 text":               {[]byte("caf\xe9 cr\xe8me " + strings.Repeat("plain words ", 50)), Text},
		"UTF-8 BOM":                  {append([]byte{0xef, 0xbb, 0xbf}, line...), UTF8BOM},
		"UTF-16LE BOM":               {utf16Bytes(line, false, true), UTF16LE},
		"UTF-16LE no BOM":            {utf16Bytes(line, false, false), UTF16LE},
		"UTF-16BE BOM":               {utf16Bytes(line, true, true), UTF16BE},
		"UTF-16BE no BOM":            {utf16Bytes(line, true, false), UTF16BE},
		"machine bytes":              {random, Binary},
		"gzip":                       {gz(t, []byte(line)), Gzip},
		"zip":                        {zipOf(t, map[string][]byte{"a": []byte(line)}), Zip},
		"tar":                        {tarOf(t, "a.log", []byte(line)), Tar},
		"xz":                         {[]byte("\xfd7zXZ\x00\x00\x04"), Xz},
		"zstd":                       {[]byte("\x28\xb5\x2f\xfd\x00"), Zstd},
		"bzip2":                      {[]byte("BZh91AY&SY\x00"), Bzip2},
		"text starting BZh":          {[]byte("BZh9 is not a bzip2 header\n"), Text},
		"text starting with gzip ID": {[]byte("\x1f\x8bX then text " + line), Text},
	} {
		assert.Equal(t, tt.want, Sniff(tt.data), name)
	}
}

// walk collects every leaf's member, kind and text.
func walk(t *testing.T, data []byte, lim Limits) (map[string]string, error) {
	got := map[string]string{}
	err := Walk(bytes.NewReader(data), bytes.NewReader(data), int64(len(data)), lim, func(l Leaf) error {
		b, err := io.ReadAll(l.Text)
		got[l.Member+"|"+l.Kind.String()] = string(b)
		return err
	})
	return got, err
}

func TestWalkOpensEveryContainer(t *testing.T) {
	inner := zipOf(t, map[string][]byte{"logs/bot1.log": []byte("x\n" + line), "le.log": utf16Bytes(line, false, false)})
	tgz := gz(t, tarOf(t, "bot1.log", []byte(line)))
	outer := zipOf(t, map[string][]byte{"reports/q3.zip": inner, "logs.tgz": tgz, "bot.log.gz": gz(t, []byte(line))})
	got, err := walk(t, outer, Limits{})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"reports/q3.zip!logs/bot1.log|text": "x\n" + line,
		"reports/q3.zip!le.log|UTF-16LE":    line,
		"logs.tgz!bot1.log|text":            line,
		"logs.tgz!link|text":                strings.TrimSpace(line),
		"bot.log.gz|text":                   line,
	}, got)

	// Without random access (standard input), a zip is copied aside.
	var n int
	err = Walk(bytes.NewReader(outer), nil, -1, Limits{}, func(l Leaf) error {
		n++
		_, err := io.Copy(io.Discard, l.Text)
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, 5, n)
}

func TestWalkDecodesText(t *testing.T) {
	for name, data := range map[string][]byte{
		"UTF-16LE BOM": utf16Bytes("x\n"+line, false, true), "UTF-16LE": utf16Bytes("x\n"+line, false, false),
		"UTF-16BE BOM": utf16Bytes("x\n"+line, true, true), "UTF-16BE": utf16Bytes("x\n"+line, true, false),
		"UTF-8 BOM": append([]byte{0xef, 0xbb, 0xbf}, "x\n"+line...),
	} {
		var text []byte
		var plain bool
		err := Walk(bytes.NewReader(data), nil, -1, Limits{}, func(l Leaf) error {
			var err error
			text, err = io.ReadAll(l.Text)
			plain = l.Plain
			return err
		})
		require.NoError(t, err, name)
		assert.Equal(t, "x\n"+line, string(text), name)
		assert.Equal(t, name == "UTF-8 BOM", plain, name)
	}
}

func TestRunsAreStringsOutput(t *testing.T) {
	in := "\x00\x01short\x00" + strings.TrimSpace(line) + "\x02\x03exactly8\x00" + "1234567"
	// Read one byte at a time: a run spans reads.
	b, err := io.ReadAll(newRuns(&oneByte{strings.NewReader(in)}))
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(line)+"\nexactly8\n", string(b))
}

// runsPlain is strings -n 8 read a byte at a time.
func runsPlain(in []byte) string {
	var out, run []byte
	for _, c := range append(in, 0) {
		if printable[c] {
			run = append(run, c)
			continue
		}
		if len(run) >= MinRun {
			out = append(append(out, run...), '\n')
		}
		run = run[:0]
	}
	return string(out)
}

// Runs agree with the byte-at-a-time reading on random binaries read in
// random pieces: a run may span reads, start or end one.
func TestRunsAgreeWithPlainReading(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	for round := 0; round < 20000; round++ {
		in := make([]byte, r.IntN(400))
		odds := []int{2, 4, 20}[r.IntN(3)] // one byte in odds is not printable
		for i := range in {
			if r.IntN(odds) == 0 {
				in[i] = byte(r.IntN(32))
			} else {
				in[i] = byte(0x20 + r.IntN(0x5f))
			}
		}
		got, err := io.ReadAll(newRuns(&pieces{r: bytes.NewReader(in), rng: r}))
		require.NoError(t, err)
		require.Equal(t, runsPlain(in), string(got), "%q", in)
	}
}

// pieces reads at most a random 1 to 20 bytes a call.
type pieces struct {
	r   io.Reader
	rng *rand.Rand
}

func (p *pieces) Read(b []byte) (int, error) { return p.r.Read(b[:min(1+p.rng.IntN(20), len(b))]) }

type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) { return o.r.Read(p[:min(1, len(p))]) }

// Every limit fails closed with a *LimitError naming it.
func TestLimitsFailClosed(t *testing.T) {
	zeros := gz(t, make([]byte, 8<<20)) // about 1000:1
	nest := []byte(line)
	for i := range 5 {
		nest = zipOf(t, map[string][]byte{"n" + string(rune('0'+i)) + ".zip": nest})
	}
	many := map[string][]byte{}
	for i := range 20 {
		many[strings.Repeat("f", i+1)] = []byte("x")
	}
	for name, tt := range map[string]struct {
		data  []byte
		lim   Limits
		limit Limit
	}{
		"ratio":            {zeros, Limits{}, LimitRatio},
		"bytes":            {zeros, Limits{MaxBytes: 2 << 20, MaxRatio: 1 << 20}, LimitBytes},
		"depth":            {nest, Limits{}, LimitDepth},
		"entries":          {zipOf(t, many), Limits{MaxEntries: 10}, LimitEntries},
		"entries in a tar": {tarOf(t, "a", []byte("x")), Limits{MaxEntries: 1}, LimitEntries},
	} {
		_, err := walk(t, tt.data, tt.lim)
		var le *LimitError
		require.True(t, errors.As(err, &le), "%s: %v", name, err)
		assert.Equal(t, tt.limit, le.Limit, name)
		assert.Contains(t, err.Error(), string(tt.limit), name)
	}
	got, err := walk(t, nest, Limits{MaxDepth: 6})
	require.NoError(t, err, "deep enough")
	assert.Len(t, got, 1)
}

func TestDamagedContainersAreErrors(t *testing.T) {
	g := gz(t, []byte(strings.Repeat(line, 100)))
	for name, data := range map[string][]byte{
		"truncated gzip": g[:len(g)/2],
		"bad checksum":   append(append([]byte{}, g[:len(g)-8]...), 0, 0, 0, 0, 0, 0, 0, 0),
		"truncated zip":  zipOf(t, map[string][]byte{"a": []byte(line)})[:40],
	} {
		_, err := walk(t, data, Limits{})
		require.Error(t, err, name)
		assert.NotErrorIs(t, err, io.ErrUnexpectedEOF, "%s: a truncated stream must not read as its end", name)
	}
}

func TestZipEntries(t *testing.T) {
	files := map[string][]byte{}
	for i := range 70000 { // past the classic field: zip64
		files[strconv.Itoa(i)] = nil
	}
	for _, n := range []int{0, 3, 70000} {
		m := map[string][]byte{}
		for k, v := range files {
			if len(m) == n {
				break
			}
			m[k] = v
		}
		z := zipOf(t, m)
		got, ok := zipEntries(bytes.NewReader(z), int64(len(z)))
		require.True(t, ok, n)
		assert.Equal(t, uint64(n), got)
	}
}

func TestXzDict(t *testing.T) {
	// The start of `xz -9`'s output: a 64 MiB dictionary (props 0x1c).
	head := []byte("\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46\x02\x00\x21\x01\x1c\x00\x00\x00\x10\xcf\x58\xcc")
	d, ok := xzDict(head)
	require.True(t, ok)
	assert.Equal(t, int64(64<<20), d)
	head[16] = 0x10 // xz -1
	d, _ = xzDict(head)
	assert.Equal(t, int64(1<<20), d)
	head[16] = 40 // the largest a header can claim
	d, _ = xzDict(head)
	assert.Equal(t, int64(1<<32-1), d)
}

// A file's end is read once: after it said io.EOF, Walk does not ask it
// again (on a working tree, a read syscall per file).
func TestWalkReadsTheEndOnce(t *testing.T) {
	for _, text := range []string{"api_key = \"abc\"\n", strings.Repeat("log line of a bot\n", 10000)} {
		r := &eofCounter{r: strings.NewReader(text)}
		var got []byte
		err := Walk(r, nil, -1, Limits{}, func(l Leaf) error {
			var err error
			got, err = io.ReadAll(l.Text)
			return err
		})
		require.NoError(t, err)
		assert.Equal(t, text, string(got))
		assert.Equal(t, 1, r.eofs, "%d bytes", len(text))
	}
}

// eofCounter counts the io.EOFs it returns.
type eofCounter struct {
	r    io.Reader
	eofs int
}

func (c *eofCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		c.eofs++
	}
	return n, err
}
