package detector

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The precision corpus: real-shaped text that holds no credential (code
// assigned to secret-named variables, placeholders, example passwords in
// docs, placeholder and sequential keys, placeholder URL logins, paths,
// structural names, harmless encoded text). Every file gives no finding.
func TestPrecisionCorpus(t *testing.T) {
	d := defaultDetector(t)
	files, err := filepath.Glob("testdata/precision/*.txt")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 8, "one file per kind of false finding")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			cases := 0
			for _, l := range strings.Split(string(data), "\n") {
				if l != "" && !strings.HasPrefix(l, "# ") {
					cases++
				}
			}
			assert.GreaterOrEqual(t, cases, 10, "many cases of each kind")
			fs, err := d.Scan(data, filepath.Base(f))
			require.NoError(t, err)
			lines := strings.Split(string(data), "\n")
			for _, fd := range fs {
				t.Errorf("line %d: %s finds %s in %q", fd.Line, fd.RuleID, Mask(fd.Secret), lines[fd.Line-1])
			}
			// The version scan agrees, line by line.
			v, err := d.ScanVersion(data, filepath.Base(f), nil)
			require.NoError(t, err)
			assert.Empty(t, v.Findings)
		})
	}
}

// The recall corpus: one file per format (.env, YAML, JSON, TOML, INI,
// HCL, XML attributes, shell, Python, JavaScript, Go, PHP, escaped PEM,
// encoded Bitget keys), cases split by "---8<---" lines. Every case gives
// at least one finding, on one of its own lines.
func TestRecallCorpus(t *testing.T) {
	d := defaultDetector(t)
	files, err := filepath.Glob("testdata/recall/*")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 14)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			for i, c := range strings.Split(string(data), "\n---8<---\n") {
				fs, err := d.Scan([]byte(c), filepath.Base(f))
				require.NoError(t, err)
				n := 0
				for _, fd := range fs {
					if fd.Allowed == "" {
						n++
					}
					assert.LessOrEqual(t, fd.Line, strings.Count(c, "\n")+1)
					if filepath.Base(f) == "encoded.txt" {
						assert.NotEmpty(t, fd.Decoded, "case %d is found only decoded", i)
					}
				}
				assert.Positive(t, n, "case %d of %s: no finding in %q", i, f, c)
			}
		})
	}
}

// Decoded findings name their encodings, sit on the encoded text, and
// keep Secret equal to the bytes at their offsets.
func TestDecodedFindings(t *testing.T) {
	d := defaultDetector(t)
	data, err := os.ReadFile("testdata/recall/encoded.txt")
	require.NoError(t, err)
	want := []string{"base64", "base64", "hex", "hex", "percent", "percent+base64", "escape", "escape", "base64"}
	cases := strings.Split(string(data), "\n---8<---\n")
	require.Len(t, cases, len(want))
	for i, c := range cases {
		fs, err := d.Scan([]byte(c), "x.log")
		require.NoError(t, err)
		require.NotEmpty(t, fs, "case %d", i)
		assert.Equal(t, want[i], fs[0].Decoded, "case %d", i)
		assert.Equal(t, c[fs[0].Start:fs[0].End], fs[0].Secret)
		if !strings.HasPrefix(want[i], "percent") {
			// (percent-encoding leaves the key's own characters as they are)
			assert.NotContains(t, fs[0].Secret, "bg_0f1e", "the finding holds the encoded text")
		}
	}
}

// Decoding reaches any length in bounded windows, and nesting stops at
// three: a key at the end of a base64 run far longer than one window is
// found where it is, and so is base64 three deep, but not four.
func TestDecodingBounds(t *testing.T) {
	d := defaultDetector(t)
	inner := "YmdfMGYxZTJkM2M0YjVhNjk3ODg3OTZhNWI0YzNkMmUxZjA" // base64("bg_…")
	for _, n := range []int{maxSegmentLen/4 + 1, 5 * maxSegmentLen / 4, 64 << 10} {
		long := strings.Repeat("QUEg", n) + inner // base64("AA " × n + "bg_…")
		data := "x " + long + "\n"
		fs, err := d.Scan([]byte(data), "x")
		require.NoError(t, err)
		require.Len(t, fs, 1, "a run of %d bytes", len(long))
		assert.Equal(t, "base64", fs[0].Decoded)
		assert.Equal(t, data[fs[0].Start:fs[0].End], fs[0].Secret)
		assert.GreaterOrEqual(t, fs[0].Start, int64(2+4*n-4))
	}

	two := "WW1kZk1HWXhaVEprTTJNMFlqVmhOamszT0RnM09UWmhOV0kwWXpOa01tVXhaakE="
	three := "V1cxa1prMUhXWGhhVkVwclRUSk5NRmxxVm1oT2Ftc3pUMFJuTTA5VVdtaE9WMGt3V1hwT2EwMXRWWGhhYWtFPQ=="
	fs, err := d.Scan([]byte("a "+inner+"\nb "+two+"\nc "+three+"\n"), "x")
	require.NoError(t, err)
	require.Len(t, fs, 3)
	assert.Equal(t, "base64", fs[0].Decoded)
	assert.Equal(t, "base64+base64", fs[1].Decoded)
	assert.Equal(t, "base64+base64+base64", fs[2].Decoded)
	four := "VjFjeGExcHJNVWhYV0doaFZrVndjbFJVU2s1TlJteHhWbTFvVDJGdGMzcFVNRkp1VFRBNVZWZHRhRTlXTUd0M1YxaHdUMkV3TVhSV1dHaGhZV3RGUFE9PQ=="
	fs, err = d.Scan([]byte("d "+four+"\n"), "x")
	require.NoError(t, err)
	assert.Empty(t, fs, "four encodings deep is past the limit")
}
