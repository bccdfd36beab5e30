package envfile

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	src := "# comment\r\n" +
		"\r\n" +
		"export BOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0\r\n" +
		"BOT1_BITGET_PASSPHRASE='Tide5 #not a comment'  # trailing comment\n" +
		`BOT1_BITGET_API_SECRET="a\"b\\c\n$d"` + "\n" +
		"REDIS_PASSWORD=Harbor7Tide5Dga # inline comment\n" +
		"EMPTY=\n" +
		"  INDENTED = spaced value \n" +
		"HASH=abc#def\n" +
		"REDIS_PASSWORD=second\n" +
		"LAST=no-newline"
	f, err := Parse("env/.env", []byte(src))
	require.NoError(t, err)
	want := map[string]string{
		"BOT1_BITGET_API_KEY":    "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		"BOT1_BITGET_PASSPHRASE": "Tide5 #not a comment",
		"BOT1_BITGET_API_SECRET": "a\"b\\c\n$d",
		"REDIS_PASSWORD":         "second",
		"EMPTY":                  "",
		"INDENTED":               "spaced value",
		"HASH":                   "abc#def",
		"LAST":                   "no-newline",
	}
	assert.Len(t, f.Entries, len(want))
	for k, v := range want {
		got, ok := f.Get(k)
		assert.True(t, ok, k)
		assert.Equal(t, v, got, k)
	}
	require.Len(t, f.Warnings, 1)
	assert.Equal(t, "env/.env:10: REDIS_PASSWORD is set again (first at line 6); the last value wins", f.Warnings[0])
	assert.NotContains(t, f.Warnings[0], "Harbor7")
}

// Each malformed input is an error naming file:line, and no error ever
// repeats the line's text (it holds live credentials).
func TestParseErrors(t *testing.T) {
	secret := "Tide5Dgaharbor7"
	tests := []struct {
		name, src, want string
	}{
		{"unterminated double quote", "A=1\nBOT1_PASSWORD=\"" + secret + "\n", "env/.env:2: unterminated double quote in the value of BOT1_PASSWORD"},
		{"unterminated single quote", "BOT1_PASSWORD='" + secret + "\n", "env/.env:1: unterminated single quote"},
		{"missing equals", "A=1\n\n" + secret + "\n", "env/.env:3: expected KEY=VALUE"},
		{"NUL byte", "A=1\nB=" + secret + "\x00\n", "env/.env:2: NUL byte"},
		{"bad name", "1BAD=" + secret + "\n", "env/.env:1: invalid variable name"},
		{"text after quote", "A=\"" + secret + "\"junk\n", "env/.env:1: unexpected text after the quoted value of A"},
		{"10 MB value", "A=1\nBIG=" + strings.Repeat("x", 10<<20) + "\n", "env/.env:2: the value of BIG is longer than 64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("env/.env", []byte(tt.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

// Set changes one value's text and keeps every other byte: comments,
// export prefixes, quoting style of other lines, CRLF, order.
func TestSetKeepsEverythingElse(t *testing.T) {
	src := "# header\r\n" +
		"export BOT1_BITGET_API_KEY=bg_00000000000000000000000000000000 # old key\r\n" +
		"BOT1_BITGET_PASSPHRASE='old pass'\r\n" +
		"  REDIS_PASSWORD = \"x\\\"y\"   # keep me\r\n" +
		"OTHER=1"
	f, err := Parse("e", []byte(src))
	require.NoError(t, err)
	f.Set("BOT1_BITGET_API_KEY", "bg_11111111111111111111111111111111")
	f.Set("BOT1_BITGET_PASSPHRASE", "new #pass")
	f.Set("REDIS_PASSWORD", `a"b$c`)
	f.Set("BOT1_BITGET_API_SECRET", "plain")
	want := "# header\r\n" +
		"export BOT1_BITGET_API_KEY=bg_11111111111111111111111111111111 # old key\r\n" +
		"BOT1_BITGET_PASSPHRASE='new #pass'\r\n" +
		"  REDIS_PASSWORD = \"a\\\"b\\$c\"   # keep me\r\n" +
		"OTHER=1\r\n" +
		"BOT1_BITGET_API_SECRET=plain\r\n"
	assert.Equal(t, want, string(f.Bytes()))
	// The rendered file parses back to the values set.
	g, err := Parse("e", f.Bytes())
	require.NoError(t, err)
	for k, v := range map[string]string{"BOT1_BITGET_PASSPHRASE": "new #pass", "REDIS_PASSWORD": `a"b$c`, "OTHER": "1", "BOT1_BITGET_API_SECRET": "plain"} {
		got, _ := g.Get(k)
		assert.Equal(t, v, got, k)
	}
	for _, v := range []string{"it's", "line\nbreak", "$HOME `x` \\"} {
		h, err := Parse("e", []byte("K="+Quote(v)+"\n"))
		require.NoError(t, err)
		got, _ := h.Get("K")
		assert.Equal(t, v, got)
	}
}

func TestUnchangedFileRendersIdentically(t *testing.T) {
	src := "export A=1\r\n\r\n# c\nB='x y' # z\nC=\"q\\\"\"\nD=tail"
	f, err := Parse("e", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, src, string(f.Bytes()))
}

// A file some Windows editors saved with a UTF-8 byte order mark loads (the
// mark is not part of the first key), and an edit keeps the mark.
func TestByteOrderMark(t *testing.T) {
	src := "\xEF\xBB\xBFBOT1_BITGET_API_KEY=bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0\r\nREDIS_PASSWORD=Harbor7Tide5Dga\r\n"
	f, err := Parse("e", []byte(src))
	require.NoError(t, err)
	v, ok := f.Get("BOT1_BITGET_API_KEY")
	require.True(t, ok)
	assert.Equal(t, "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0", v)
	assert.Equal(t, 1, f.Entries[0].Line)
	assert.Equal(t, src, string(f.Bytes()))
	f.Set("BOT1_BITGET_API_KEY", "bg_00000000000000000000000000000000")
	assert.Equal(t, "\xEF\xBB\xBFBOT1_BITGET_API_KEY=bg_00000000000000000000000000000000\r\nREDIS_PASSWORD=Harbor7Tide5Dga\r\n", string(f.Bytes()))
}
