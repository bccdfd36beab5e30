package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
)

// contentSecret is the line every content case hides.
const contentSecret = "BOT1_BITGET_API_SECRET=" + fixture.BitgetSecret

// shell runs a pipeline of the real tools in dir.
func shell(t *testing.T, dir, script string) {
	t.Helper()
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "S="+contentSecret)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s: %s", script, out)
}

func contentTools(t *testing.T) {
	for _, tool := range []string{"gzip", "bzip2", "xz", "zstd", "zip", "tar", "iconv"} {
		testmode.Tool(t, tool, "Debian: gzip bzip2 xz-utils zstd zip tar libc-bin")
	}
}

// binaryWithRun is machine data (most bytes not text) with the secret in
// one printable run, as a key inside an image or an executable sits.
func binaryWithRun() []byte {
	var b []byte
	x := uint32(2463534242)
	for range 3000 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b = append(b, byte(x)|0x80) // no printable run but the key's
	}
	b = append(b, 0)
	b = append(b, contentSecret...)
	return append(b, 0, 1, 2, 0xff, 0xfe)
}

// The cases, each built fresh with the real tools, are found in
// tree, staged and history scans, at outer!inner with the inner line.
func TestContentFoundInEveryMode(t *testing.T) {
	t.Parallel()
	contentTools(t)
	g := newGitRepo(t)
	fixture.Write(t, g.dir, "docs/blob.bin", string(binaryWithRun()))
	shell(t, g.dir, `
mkdir -p data/bot1/logs reports docs tmp
printf 'start\n%s\nend\n' "$S" > data/bot1/logs/bot1.log.1 && gzip data/bot1/logs/bot1.log.1
printf 'a\nb\n%s\n' "$S" > tmp/r.txt && (cd tmp && zip -q ../reports/q3.zip r.txt)
printf 'x\n%s\n' "$S" | iconv -f UTF-8 -t UTF-16LE > docs/le.log
printf 'x\n%s\n' "$S" | iconv -f UTF-8 -t UTF-16 > docs/bom.log
printf 'x\n%s\n' "$S" | iconv -f UTF-8 -t UTF-16BE > docs/be.log
printf 'x\0y\n%s\n' "$S" > docs/nul.txt
printf 'a\n%s\n' "$S" > docs/b.txt && bzip2 docs/b.txt
printf 'a\n%s\n' "$S" > docs/x.txt && xz docs/x.txt
printf 'a\n%s\n' "$S" > docs/z.txt && zstd -q --rm docs/z.txt
mkdir tt && printf 'q\n%s\n' "$S" > tt/in.log && tar czf docs/logs.tgz tt && tar cf docs/logs.tar tt && rm -rf tt tmp
printf 'q\n%s\n' "$S" > docs/in.log && tar cJf docs/logs.tar.xz docs/in.log && rm docs/in.log
`)
	want := []string{
		"data/bot1/logs/bot1.log.1.gz:2",
		"docs/b.txt.bz2:2",
		"docs/be.log:2",
		"docs/blob.bin:1",
		"docs/bom.log:2",
		"docs/le.log:2",
		"docs/logs.tar!tt/in.log:2",
		"docs/logs.tar.xz!docs/in.log:2",
		"docs/logs.tgz!tt/in.log:2",
		"docs/nul.txt:2",
		"docs/x.txt.xz:2",
		"docs/z.txt.zst:2",
		"reports/q3.zip!r.txt:3",
	}
	found := func(res cliResult, skipped ...string) []string {
		t.Helper()
		assert.Equal(t, exitFail, res.code, res.combined)
		rep := decodeReport(t, res.stdout, res.combined)
		var got []string
		for _, f := range rep.Findings {
			assert.Equal(t, "bitget-api-secret", f.RuleID, f.Path)
			got = append(got, fmt.Sprintf("%s:%d", f.Path, f.Line))
		}
		var skips []string
		for _, s := range rep.Skipped {
			skips = append(skips, s.Path)
		}
		assert.Equal(t, skipped, skips)
		sort.Strings(got)
		return got
	}
	assert.Equal(t, want, found(runCLI(t, g.dir, nil, "scan", "--include-logs", "--format", "json")), "tree")

	// An allow comment is offered only where it can be written: on the
	// file's own lines (UTF-16 included), never on a decompressed stream,
	// an archive member or a binary's printable runs (a baseline entry
	// instead).
	text := runCLI(t, g.dir, nil, "scan", "--include-logs").stdout
	for _, at := range want {
		path, line, _ := strings.Cut(at, ":")
		inline := `add "keygate:allow" to line ` + line + " of " + path + "\n"
		switch path {
		case "docs/le.log", "docs/bom.log", "docs/be.log", "docs/nul.txt":
			assert.Contains(t, text, inline, path)
		default:
			assert.NotContains(t, text, inline, path)
			assert.Contains(t, text, `"path":"`+path+`"`, "%s: its baseline entry is offered", path)
		}
	}

	// Staged and history: a committed symlink's target text is content
	// (in the working tree a link is the walker's business: followed or
	// not, never read as text).
	shell(t, g.dir, `ln -s "$S" docs/link`)
	withLink := append([]string{"docs/link:1"}, want...)
	sort.Strings(withLink)
	g.git("add", "-A")
	assert.Equal(t, withLink, found(runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")), "staged")
	g.commit("logs, reports and notes")
	assert.Equal(t, withLink, found(runCLI(t, g.dir, nil, "scan", "--history", "--format", "json")), "history")

	// Standard input: the rotated log piped in.
	gz, err := os.ReadFile(filepath.Join(g.dir, "data/bot1/logs/bot1.log.1.gz"))
	require.NoError(t, err)
	assert.Equal(t, []string{"-:2"}, found(runCLI(t, g.dir, bytes.NewReader(gz), "scan", "--stdin", "--format", "json")), "stdin")
	zipped, err := os.ReadFile(filepath.Join(g.dir, "reports/q3.zip"))
	require.NoError(t, err)
	assert.Equal(t, []string{"-!r.txt:3"}, found(runCLI(t, g.dir, bytes.NewReader(zipped), "scan", "--stdin", "--format", "json")), "stdin zip")
}

// A container changed in a later commit is scanned whole, not as a
// version of the blob before it: its key is found at the commit that
// added it, and a staged change to it reports the key.
func TestContainerVersions(t *testing.T) {
	t.Parallel()
	contentTools(t)
	g := newGitRepo(t)
	shell(t, g.dir, `mkdir -p logs && printf 'clean\n' > logs/a.log && gzip logs/a.log`)
	g.commit("a clean rotated log")
	shell(t, g.dir, `rm logs/a.log.gz && printf 'clean\n%s\n' "$S" > logs/a.log && gzip logs/a.log`)
	g.git("add", "-A")
	res := runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []gitFinding{{"logs/a.log.gz", 2, "bitget-api-secret", ""}}, gitFindings(t, res))
	second := g.commit("the key added")
	res = runCLI(t, g.dir, nil, "scan", "--history", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []gitFinding{{"logs/a.log.gz", 2, "bitget-api-secret", second}}, gitFindings(t, res))
}

// runMeasured runs the built keygate in its own process and returns its
// exit code, output and peak RSS in KB (VmHWM, see runWithPeakRSS).
func runMeasured(t *testing.T, dir string, args ...string) (int, string, int64) {
	t.Helper()
	var out bytes.Buffer
	var peak int64
	var err error
	// A scan that ends before its status is first read (a loaded machine
	// may not schedule the sampler in time) is run again: it reads only.
	for try := 0; try < 3 && peak == 0; try++ {
		cmd := exec.Command(binary(t), append([]string{"-C", dir}, args...)...)
		out.Reset()
		cmd.Stdout, cmd.Stderr = &out, &out
		peak, err = runWithPeakRSS(cmd)
	}
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "%v", err)
		code = ee.ExitCode()
	}
	require.Positive(t, peak, "VmHWM was read")
	return code, out.String(), peak
}

const tenGiBGzip = `head -c 67108864 /dev/zero | gzip -c > m.gz && for i in $(seq 160); do cat m.gz; done > zero.log.gz && rm m.gz`

// Decompression bombs exit 2 naming the limit, in bounded memory, in a
// tree scan and in a history scan: nesting past the depth (42.zip's
// shape), a huge-ratio gzip and zstd, and with the ratio allowed, the
// total bytes.
func TestDecompressionBombsFailClosed(t *testing.T) {
	t.Parallel()
	contentTools(t)
	cases := []struct {
		name, script, config, limit string
	}{
		{"42.zip-style nesting", `head -c 8000000 /dev/zero > l0 && zip -q l1.zip l0 && rm l0
for i in 1 2 3 4; do for j in a b c d; do cp l$i.zip $j$i.zip; done; zip -q l$((i+1)).zip a$i.zip b$i.zip c$i.zip d$i.zip; rm a$i.zip b$i.zip c$i.zip d$i.zip l$i.zip; done`,
			"", "containers.max_depth"},
		{"the same nesting, deep enough: the ratio", `head -c 8000000 /dev/zero > l0 && zip -q l1.zip l0 && rm l0
for i in 1 2 3 4; do for j in a b c d; do cp l$i.zip $j$i.zip; done; zip -q l$((i+1)).zip a$i.zip b$i.zip c$i.zip d$i.zip; rm a$i.zip b$i.zip c$i.zip d$i.zip l$i.zip; done`,
			"containers:\n  max_depth: 8\n", "containers.max_ratio"},
		// 160 gzip members of 64 MiB of zeros each: 10 GiB from 10 MB.
		{"a 10 GiB gzip", tenGiBGzip, "", "containers.max_ratio"},
		{"a zstd of 256 MiB of zeros", `head -c 268435456 /dev/zero | zstd -q -c > zero.log.zst`, "", "containers.max_ratio"},
		{"the 10 GiB gzip, the ratio allowed: the total", tenGiBGzip,
			"containers:\n  max_ratio: 100000\n  max_decompressed_mb: 256\n", "containers.max_decompressed_mb"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			g := newGitRepo(t)
			require.NoError(t, os.MkdirAll(filepath.Join(g.dir, "docs"), 0o755))
			shell(t, filepath.Join(g.dir, "docs"), tt.script)
			if tt.config != "" {
				g.write(".keygate.yaml", tt.config)
			}
			g.commit("a bomb")
			for _, mode := range [][]string{{"scan"}, {"scan", "--history"}} {
				code, out, peakKB := runMeasured(t, g.dir, mode...)
				assert.Equal(t, 2, code, "%v: %s", mode, out)
				assert.Contains(t, out, tt.limit, mode)
				assert.Contains(t, out, "docs/", mode)
				assert.NotContains(t, out, "fatal error", mode)
				assert.Less(t, peakKB, int64(200<<10), "%v: peak RSS %d KB", mode, peakKB)
				t.Logf("%v: peak RSS %d MB", mode, peakKB>>10)
			}
		})
	}
}

// A large rotated log streams: a gzip that decompresses to 1 GiB is read
// through the detector's chunks, never held whole (full suite: it reads
// 1 GiB).
func TestLargeCompressedLogStreams(t *testing.T) {
	testmode.RequireFull(t, "decompresses and scans 1 GiB")
	t.Parallel()
	contentTools(t)
	g := newGitRepo(t)
	require.NoError(t, os.MkdirAll(filepath.Join(g.dir, "docs"), 0o755))
	// Log lines compress about 200:1 when they repeat: the ratio is raised
	// as a user with such logs would.
	g.write(".keygate.yaml", "containers:\n  max_ratio: 100000\n")
	shell(t, filepath.Join(g.dir, "docs"), `{ (yes '2026-11-25T10:00:00Z INFO bot=BOT1 order placed symbol=BTCUSDT status=ok' || true) | head -c 1073741000; printf '\n%s\n' "$S"; } | gzip -1 -c > big.log.gz`)
	code, out, peakKB := runMeasured(t, g.dir, "scan", "--format", "json")
	assert.Equal(t, exitFail, code, out)
	assert.Contains(t, out, `"docs/big.log.gz"`)
	assert.Less(t, peakKB, int64(200<<10), "peak RSS %d KB", peakKB)
	t.Logf("peak RSS %d MB", peakKB>>10)
}

// scanOutputNamesMember: a limit inside a member names the member.
func TestLimitNamesTheMember(t *testing.T) {
	t.Parallel()
	contentTools(t)
	g := newGitRepo(t)
	require.NoError(t, os.MkdirAll(filepath.Join(g.dir, "reports"), 0o755))
	shell(t, filepath.Join(g.dir, "reports"), `head -c 50000000 /dev/zero > zeros.bin && zip -q inner.zip zeros.bin && zip -q outer.zip inner.zip && rm zeros.bin inner.zip`)
	res := runCLI(t, g.dir, nil, "scan")
	assert.Equal(t, 2, res.code, res.combined)
	assert.Contains(t, res.combined, "reports/outer.zip: member inner.zip!zeros.bin: decompresses to more than 200 times its size")
	assert.True(t, strings.Contains(res.combined, "containers.max_ratio"), res.combined)
}
