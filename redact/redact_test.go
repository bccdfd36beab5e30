package redact

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/detector"
)

const (
	pass   = "Tide5Dgaharbor7"
	secret = "5eed5eed0123456789abcdef0123456789abcdef0123456789abcdefdeadbeef"
)

func newRedactor(t testing.TB) *Redactor {
	t.Helper()
	r, err := New([]detector.KnownValue{
		{Name: "BOT1_BITGET_PASSPHRASE", Value: pass},
		{Name: "BOT1_BITGET_API_SECRET", Value: secret},
	}, nil)
	require.NoError(t, err)
	return r
}

// forms of every value that must not survive redaction.
func forms() []string {
	var out []string
	for _, v := range []string{pass, secret} {
		out = append(out, detector.Variants(v)...)
	}
	return out
}

func sample() string {
	return strings.Join([]string{
		"2026-11-25 INFO start bot=BOT1",
		"ERROR probe failed: passphrase " + pass + " rejected",
		"DEBUG auth=" + base64.StdEncoding.EncodeToString([]byte("bot1:"+pass)) + "\r",
		"DEBUG GET /v2?passphrase=" + url.QueryEscape(pass) + "&x=1",
		`{"msg": "bad secret \"` + secret + `\""}`,
		"Authorization: Bearer 0123456789abcdefSYNTHETIC",
		"-----BEGIN RSA PRIVATE KEY-----",
		"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDSyntheticSYNTHETIC0",
		"-----END RSA PRIVATE KEY-----",
		"key=****e1f0 status=ok",
		"",
	}, "\n")
}

func TestString(t *testing.T) {
	r := newRedactor(t)
	out := r.String(sample())
	for _, f := range forms() {
		assert.NotContains(t, out, f)
	}
	assert.Contains(t, out, "passphrase ****bor7 rejected")
	assert.Contains(t, out, `bad secret \"****beef\"`)
	assert.Contains(t, out, "Bearer ****ETIC")
	assert.Contains(t, out, "key=****e1f0 status=ok", "already masked text is untouched")
	assert.NotContains(t, out, "SyntheticSYNTHETIC0")
	assert.Equal(t, strings.Count(sample(), "\n"), strings.Count(out, "\n"), "line count kept")
	assert.Contains(t, out, "\r\n", "CRLF kept")
}

// The writer gives the same result however the input is cut into writes.
func TestWriterMatchesString(t *testing.T) {
	r := newRedactor(t)
	in := sample()
	want := r.String(in)
	for _, size := range []int{1, 2, 7, 64, 4096} {
		var out bytes.Buffer
		w := r.Writer(&out)
		for i := 0; i < len(in); i += size {
			_, err := w.Write([]byte(in[i:min(len(in), i+size)]))
			require.NoError(t, err)
		}
		require.NoError(t, w.Close())
		assert.Equal(t, want, out.String(), "write size %d", size)
	}
}

// A line flushes as soon as it is complete: a live log stays live.
func TestWriterFlushesCompleteLines(t *testing.T) {
	r := newRedactor(t)
	var out bytes.Buffer
	w := r.Writer(&out)
	_, err := w.Write([]byte("one " + pass + "\ntwo (partial"))
	require.NoError(t, err)
	assert.Equal(t, "one ****bor7\n", out.String())
	require.NoError(t, w.Close())
	assert.Equal(t, "one ****bor7\ntwo (partial", out.String())
}

// Lines of many MB stream in bounded memory, and a value at any place in
// them (including across the writer's internal cut) is masked.
func TestWriterHugeLine(t *testing.T) {
	r := newRedactor(t)
	var in strings.Builder
	for i := 0; i < 12; i++ {
		in.WriteString(strings.Repeat("x", 700_001))
		in.WriteString(pass)
	}
	in.WriteString("\nend\n")
	var out bytes.Buffer
	w := r.Writer(&out)
	chunk := 32 << 10
	s := in.String()
	for i := 0; i < len(s); i += chunk {
		_, err := w.Write([]byte(s[i:min(len(s), i+chunk)]))
		require.NoError(t, err)
		assert.Less(t, cap(w.buf), 4<<20, "buffer stays bounded")
	}
	require.NoError(t, w.Close())
	assert.NotContains(t, out.String(), pass)
	assert.Equal(t, 12, strings.Count(out.String(), "****bor7"))
	assert.Equal(t, 2, strings.Count(out.String(), "\n"))
}
