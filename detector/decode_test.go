package detector

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEscapedStrings: a credential written with string escapes or HTML
// character references (whole or in part, in JSON, code and log lines) is
// found at its encoded text, with the escape named, and its secret is the
// text at its offsets.
func TestEscapedStrings(t *testing.T) {
	d := defaultDetector(t)
	percentRun := url.QueryEscape(strings.Repeat("padding text ", 2000) + " BOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0 ")
	require.Greater(t, len(percentRun), 16<<10)
	cases := []struct {
		name, text, rule, enc, secret string
	}{
		{"password with \\u0026 in a JSON log line",
			`2026-11-25T18:00:00Z bot1 {"exchange":"bitget","password":"Tide5\u0026Dgaharbor7"}`,
			"bitget-passphrase", "escape", `Tide5\u0026Dgaharbor7`},
		{"JSON value all \\u escapes",
			`{"BOT1_BITGET_API_KEY": "` + escapeAll("bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0") + `"}`,
			"bitget-api-key", "escape", escapeAll("bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0")},
		{"\\x escapes in a code string",
			`secret = "\x62\x67\x5f0f1e2d3c4b5a69788796a5b4c3d2e1f0"`,
			"bitget-api-key", "escape", `\x62\x67\x5f0f1e2d3c4b5a69788796a5b4c3d2e1f0`},
		{"octal escapes in a C string",
			`const char *k = "\142\147\1370f1e2d3c4b5a69788796a5b4c3d2e1f0";`,
			"bitget-api-key", "escape", `\142\147\1370f1e2d3c4b5a69788796a5b4c3d2e1f0`},
		{"HTML entities in a page",
			`<p>BOT1_BITGET_PASSPHRASE=Tide5&amp;Dgaharbor7 (rotated)</p>`,
			"bitget-passphrase", "html", `Tide5&amp;Dgaharbor7`},
		{"HTML numeric references",
			`<code>&#98;&#x67;&#95;0f1e2d3c4b5a69788796a5b4c3d2e1f0</code>`,
			"bitget-api-key", "html", `&#98;&#x67;&#95;0f1e2d3c4b5a69788796a5b4c3d2e1f0`},
		{"HTML-escaped JSON",
			`<div data-cfg="{&quot;exchange&quot;:&quot;bitget&quot;,&quot;password&quot;:&quot;Tide5Dgaharbor7&quot;}">`,
			"bitget-passphrase", "html", `Tide5Dgaharbor7`},
		{"percent-encoded run over 16 KB", "q=" + percentRun,
			"bitget-api-key", "percent", "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := "first line\n" + c.text + "\n"
			fs, err := d.Scan([]byte(data), "bot.log")
			require.NoError(t, err)
			require.Len(t, fs, 1)
			f := fs[0]
			assert.Equal(t, c.rule, f.RuleID)
			assert.Equal(t, c.enc, f.Decoded)
			assert.Equal(t, c.secret, f.Secret)
			assert.Equal(t, data[f.Start:f.End], f.Secret)
			assert.Equal(t, 2, f.Line)
			assert.Equal(t, int(f.Start)-len("first line\n")+1, f.Column)
			assert.NotContains(t, Mask(f.Secret), "Tide5", "the mask shows at most the end")
		})
	}
}

// TestEscapedPlainTwin: a plain key on a line that also holds escapes is
// reported once, as plain text: the line's decoded copy finds it again at
// the same place, and the plain match wins whatever the order.
func TestEscapedPlainTwin(t *testing.T) {
	d := defaultDetector(t)
	line := `{"note":"caf\u00e9 \u0026 more","key":"bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"}` + "\n"
	for i := 0; i < 20; i++ {
		fs, err := d.Scan([]byte(line), "x.json")
		require.NoError(t, err)
		require.Len(t, fs, 1)
		assert.Equal(t, "", fs[0].Decoded)
	}
}

// Format strings are templates, not credentials, in every language's
// spelling: a printf verb after a short literal prefix is a placeholder,
// and text that percent-decoding turns into control bytes (`%03` in
// `%032x`) holds no credential. A percent-encoded password is still one.
func TestFormatStringsAreQuiet(t *testing.T) {
	d := defaultDetector(t)
	for _, line := range []string{
		`f.write("BOT1_BITGET_API_KEY=bg_%032x\n" % r.getrandbits(128))`,
		`f.write("BOT1_BITGET_API_SECRET=%064x\n" % r.getrandbits(256))`,
		`fmt.Fprintf(w, "BOT1_BITGET_API_KEY=bg_%x\n", k)`,
		`print("BOT2_BITGET_PASSPHRASE=%(pw)s" % d)`,
		`log.Printf("api_key=%08d", n)`,
	} {
		fs, err := d.Scan([]byte(line+"\n"), "gen.py")
		require.NoError(t, err)
		assert.Empty(t, fs, line)
	}
	for _, c := range []struct{ line, rule string }{
		{`REDIS_URL=redis://:Pa%40sword9Zq@cache:6379/0`, "connection-url-password"},
		{`BOT1_BITGET_API_SECRET=Zq8Ws7kQ2xSynth9Vd4Tp1Nh6Rb%40s`, "bot-bitget-credential"},
	} {
		fs, err := d.Scan([]byte(c.line+"\n"), "ops.env")
		require.NoError(t, err)
		require.Len(t, fs, 1, c.line)
		assert.Equal(t, c.rule, fs[0].RuleID)
	}
}
