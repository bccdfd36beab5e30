package detector

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// derFindings are text's findings of the bare-key rule.
func derFindings(t *testing.T, d *Detector, text string) []Finding {
	t.Helper()
	return findingsOf(t, d, text, "private-key-der")
}

// A private key of every DER encoding, written as one line of base64 in
// the places a bot keeps it, is found whole; cut short, changed in its
// length, or a public key or certificate, it is not; in PEM armour it is
// the private-key rule's finding alone.
func TestBareDERPrivateKey(t *testing.T) {
	d := defaultDetector(t)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	sec1, err := x509.MarshalECPrivateKey(p384)
	require.NoError(t, err)
	keys := map[string][]byte{"ec p-384 sec1": sec1}
	for name, p := range testKeys(t) {
		if strings.Contains(name, "encrypted") || strings.Contains(name, "openssh") {
			continue // no DER private key: ciphertext, OpenSSH's own format
		}
		b, _ := pem.Decode([]byte(p))
		require.NotNil(t, b, name)
		keys[name] = b.Bytes
	}
	require.GreaterOrEqual(t, len(keys), 5)
	places := map[string]func(v string) string{
		"env":         func(v string) string { return "BOT1_BITGET_RSA_KEY=" + v + "\n" },
		"json":        func(v string) string { return `{"bot": "BOT1", "signing_key": "` + v + `"}` + "\n" },
		"yaml":        func(v string) string { return "bots:\n  bot1:\n    key: " + v + "\n" },
		"go constant": func(v string) string { return "const k = \"" + v + "\"\n" },
		"prose":       func(v string) string { return "the old key was " + v + " until November\n" },
	}
	for kname, der := range keys {
		v := base64.StdEncoding.EncodeToString(der)
		for pname, place := range places {
			fs := derFindings(t, d, place(v))
			if assert.Len(t, fs, 1, "%s in %s", kname, pname) {
				assert.Equal(t, v, fs[0].Secret, "%s in %s", kname, pname)
			}
		}
		cut := base64.StdEncoding.EncodeToString(der[:len(der)-8])
		assert.Empty(t, derFindings(t, d, places["env"](cut)), "%s cut short", kname)
		longer := base64.StdEncoding.EncodeToString(append(append([]byte(nil), der...), 0, 0, 0))
		assert.Empty(t, derFindings(t, d, places["env"](longer)), "%s with bytes its length does not declare", kname)
		if len(v) > 64 {
			assert.Empty(t, derFindings(t, d, places["env"](v[:64])), "%s: a PEM body's first line", kname)
		}
		armoured := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
		assert.Empty(t, derFindings(t, d, armoured), "%s in PEM armour", kname)
		assert.Len(t, privateKeyFindings(t, d, armoured), 1, "%s in PEM armour", kname)
	}
	pub, err := x509.MarshalPKIXPublicKey(&p384.PublicKey)
	require.NoError(t, err)
	assert.Empty(t, derFindings(t, d, places["env"](base64.StdEncoding.EncodeToString(pub))), "a public key")
}
