package detector

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
)

func knownDetector(t testing.TB, kv ...KnownValue) *Detector {
	t.Helper()
	p, err := rules.Default()
	require.NoError(t, err)
	d, err := New(p, kv...)
	require.NoError(t, err)
	return d
}

const pass = "Tide5Dgaharbor7"

func TestKnownValueEncodings(t *testing.T) {
	d := knownDetector(t, KnownValue{Name: "BOT1_BITGET_PASSPHRASE", Value: pass})
	tests := []struct {
		name string
		text string
	}{
		{"raw in prose", "the passphrase was " + pass + " all along"},
		{"base64 of key:value, offset 0", "Basic " + base64.StdEncoding.EncodeToString([]byte("bot1:"+pass))},
		{"base64 offset 1", "x " + base64.StdEncoding.EncodeToString([]byte("a:"+pass))},
		{"base64 offset 2", "x " + base64.StdEncoding.EncodeToString([]byte("ab:"+pass))},
		{"base64 url-safe", "x " + base64.URLEncoding.EncodeToString([]byte("\xfb\xff:"+pass))},
		{"query escaped", "GET /x?p=" + url.QueryEscape(pass+" &/") + " HTTP/1.1"},
		{"json string", `{"error": "auth failed for \"` + pass + `\""}`},
		{"hex", "dump " + strings.ToUpper("5469646535446761686172626f7237")},
		{"5000-char line", strings.Repeat("a", 2500) + pass + strings.Repeat("b", 2500)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := d.Scan([]byte("first line\r\n"+tt.text+"\r\n"), "notes.md")
			require.NoError(t, err)
			require.Len(t, fs, 1, "%q", tt.text)
			assert.Equal(t, KnownValueRuleID, fs[0].RuleID)
			assert.Equal(t, SourceKnownValue, fs[0].Source)
			assert.Equal(t, "BOT1_BITGET_PASSPHRASE", fs[0].EnvName)
			assert.Equal(t, 2, fs[0].Line)
			assert.Equal(t, pass, fs[0].Secret, "the finding is about the value, whatever its encoding")
		})
	}
}

func TestKnownValueDecoysAndShortValues(t *testing.T) {
	d := knownDetector(t,
		KnownValue{Name: "BOT1_BITGET_PASSPHRASE", Value: pass},
		KnownValue{Name: "BOT2_PASSWORD", Value: "short"},
		KnownValue{Name: "BOT3_PASSWORD", Value: "changeme"},
		KnownValue{Name: "REDIS_PASSWORD", Value: ""})
	assert.Equal(t, 1, d.KnownValues())
	require.Len(t, d.Warnings(), 1)
	assert.Contains(t, d.Warnings()[0], "BOT2_PASSWORD is shorter than 8 characters")
	assert.NotContains(t, d.Warnings()[0], "short\"")
	for _, decoy := range []string{"key ****bor7", "BOT1_BITGET_PASSPHRASE is required", "TIDE5DGAHARBOR7", "Tide5Dgaharbor", "changeme and short"} {
		fs, err := d.Scan([]byte(decoy), "a")
		require.NoError(t, err)
		assert.Empty(t, fs, decoy)
	}
}

// A pattern rule and a known value on the same span: one finding, the
// pattern's rule id, with env_name filled in.
func TestPatternAndKnownValueMerge(t *testing.T) {
	d := knownDetector(t, KnownValue{Name: "BOT1_BITGET_PASSPHRASE", Value: pass})
	fs, err := d.Scan([]byte("BOT1_BITGET_PASSPHRASE="+pass+"\n"), "a")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, "bitget-passphrase", fs[0].RuleID)
	assert.Equal(t, SourcePattern, fs[0].Source)
	assert.Equal(t, "BOT1_BITGET_PASSPHRASE", fs[0].EnvName)
}

func TestVariantsAreDistinctAndLongEnough(t *testing.T) {
	vs := Variants("p@ss w/rd+é'\"$x")
	seen := map[string]bool{}
	for _, v := range vs {
		assert.False(t, seen[v], "duplicate %q", v)
		seen[v] = true
		assert.GreaterOrEqual(t, len(v), MinKnownValueLen)
	}
	assert.Contains(t, vs, url.QueryEscape("p@ss w/rd+é'\"$x"))
	assert.Contains(t, vs, url.PathEscape("p@ss w/rd+é'\"$x"))
	assert.Contains(t, vs, `p@ss w/rd+\u00e9'\"$x`)
	assert.Contains(t, vs, `p@ss w/rd+é'\''"$x`)
}
