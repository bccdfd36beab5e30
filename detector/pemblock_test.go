package detector

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

// testKeys are keys generated for the test run, one of each encoding a
// private key block holds, written as the tools that make them write them.
func testKeys(t *testing.T) map[string]string {
	t.Helper()
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, edk, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	block := func(typ string, der []byte, err error) string {
		require.NoError(t, err)
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	pkcs8 := func(key any) string {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		return block("PRIVATE KEY", der, err)
	}
	openssh := func(key any, pass string) string {
		b, err := ssh.MarshalPrivateKey(key, "bot@synthetic")
		if pass != "" {
			b, err = ssh.MarshalPrivateKeyWithPassphrase(key, "bot@synthetic", []byte(pass))
		}
		require.NoError(t, err)
		return string(pem.EncodeToMemory(b))
	}
	sec1, err := x509.MarshalECPrivateKey(ek)
	// An encrypted PKCS#8 key is an EncryptedPrivateKeyInfo: an algorithm
	// and the ciphertext (random here: the check reads the structure).
	ct := make([]byte, 1232)
	_, _ = rand.Read(ct)
	epki, err2 := asn1.Marshal(struct {
		Algo pkix.AlgorithmIdentifier
		Data []byte
	}{pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}}, ct})
	// A legacy encrypted key: headers, then ciphertext, no structure.
	legacy := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,0F1E2D3C4B5A69788796A5B4C3D2E1F0"},
		Bytes:   ct[:1200]}))
	return map[string]string{
		"rsa pkcs1":           block("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rk), nil),
		"rsa pkcs8":           pkcs8(rk),
		"ec sec1":             block("EC PRIVATE KEY", sec1, err),
		"ec pkcs8":            pkcs8(ek),
		"ed25519 pkcs8":       pkcs8(edk),
		"encrypted pkcs8":     block("ENCRYPTED PRIVATE KEY", epki, err2),
		"legacy encrypted":    legacy,
		"openssh ed25519":     openssh(edk, ""),
		"openssh ecdsa":       openssh(ek, ""),
		"openssh rsa":         openssh(rk, ""),
		"openssh ed25519 aes": openssh(edk, "synthetic passphrase"),
		"openssh rsa aes":     openssh(rk, "synthetic passphrase"),
	}
}

// wrappings write a PEM text (lines ending in \n) the ways code and
// config files hold one.
var wrappings = map[string]func(string) string{
	"raw":  func(p string) string { return p },
	"crlf": func(p string) string { return strings.ReplaceAll(p, "\n", "\r\n") },
	"yaml block": func(p string) string {
		return "tls:\n  key: |\n    " + strings.ReplaceAll(strings.TrimSuffix(p, "\n"), "\n", "\n    ") + "\n"
	},
	"json escaped": func(p string) string {
		return `{"type": "service_account", "private_key": "` + strings.ReplaceAll(p, "\n", `\n`) + `"}` + "\n"
	},
	"json escaped slash": func(p string) string {
		return `{"private_key":"` + strings.ReplaceAll(strings.ReplaceAll(p, "/", `\/`), "\n", `\n`) + `"}` + "\n"
	},
	"escaped twice": func(p string) string {
		return `"{\"key\": \"` + strings.ReplaceAll(p, "\n", `\\n`) + `\"}"` + "\n"
	},
	"js concatenation": func(p string) string {
		lines := strings.Split(strings.TrimSuffix(p, "\n"), "\n")
		for i, l := range lines {
			lines[i] = "  '" + l + `\n'`
		}
		return "const key =\n" + strings.Join(lines, " +\n") + ";\n"
	},
	"python implicit concatenation": func(p string) string {
		lines := strings.Split(strings.TrimSuffix(p, "\n"), "\n")
		for i, l := range lines {
			lines[i] = `    "` + l + `\n"`
		}
		return "KEY = (\n" + strings.Join(lines, "\n") + "\n)\n"
	},
	"hash comment": func(p string) string {
		return "# " + strings.ReplaceAll(strings.TrimSuffix(p, "\n"), "\n", "\n# ") + "\n"
	},
	"slash comment": func(p string) string {
		return "// " + strings.ReplaceAll(strings.TrimSuffix(p, "\n"), "\n", "\n// ") + "\n"
	},
	"star comment": func(p string) string {
		return "/*\n * " + strings.ReplaceAll(strings.TrimSuffix(p, "\n"), "\n", "\n * ") + "\n */\n"
	},
}

// cut keeps the first n base64 characters of a PEM text's body, wrapped
// at 64, and its BEGIN, header and END lines: a truncated example key.
func cut(p string, n int) string {
	lines := strings.Split(strings.TrimSuffix(p, "\n"), "\n")
	head, body := []string{lines[0]}, ""
	for _, l := range lines[1 : len(lines)-1] {
		if strings.Contains(l, ":") || l == "" {
			head = append(head, l)
			continue
		}
		body += l
	}
	body = body[:n]
	for len(body) > 64 {
		head, body = append(head, body[:64]), body[64:]
	}
	return strings.Join(append(head, body, lines[len(lines)-1]), "\n") + "\n"
}

// privateKeyFindings are text's findings of a key block: Coinbase's rule
// reports an escaped EC key before the general one does.
func privateKeyFindings(t *testing.T, d *Detector, text string) []Finding {
	t.Helper()
	return findingsOf(t, d, text, "private-key", "coinbase-cdp-private-key")
}

// findingsOf are text's findings (in notes.txt) of the rules ids.
func findingsOf(t *testing.T, d *Detector, text string, ids ...string) []Finding {
	t.Helper()
	fs, err := d.Scan([]byte(text), "notes.txt")
	require.NoError(t, err)
	var out []Finding
	for _, f := range fs {
		if slices.Contains(ids, f.RuleID) {
			out = append(out, f)
		}
	}
	return out
}

// A complete key of every encoding, in every wrapping, is found; the same
// block cut short to a few lines (a truncated example key) is not, unless
// its body has no structure to judge (a legacy encrypted body) or its END
// line is missing.
func TestPrivateKeyBlockStructure(t *testing.T) {
	d := defaultDetector(t)
	for kname, key := range testKeys(t) {
		body := len(strings.Join(strings.Split(key, "\n")[1:strings.Count(key, "\n")-1], ""))
		for wname, wrap := range wrappings {
			t.Run(kname+"/"+wname, func(t *testing.T) {
				fs := privateKeyFindings(t, d, wrap(key))
				require.Len(t, fs, 1, "a complete key is found")
				first := strings.NewReplacer(`\/`, "/", `\n`, "", `\`, "").Replace(fs[0].Secret)
				assert.Contains(t, strings.ReplaceAll(key, "\n", ""), first[:20], "at the body")

				short := cut(key, max(48, min(body/2, 240))&^3)
				if kname == "legacy encrypted" {
					assert.Len(t, privateKeyFindings(t, d, wrap(short)), 1, "ciphertext has no structure to judge")
				} else {
					assert.Empty(t, privateKeyFindings(t, d, wrap(short)), "a truncated key is no key")
				}
				noEnd := short[:strings.LastIndex(strings.TrimSuffix(short, "\n"), "\n")+1]
				assert.Len(t, privateKeyFindings(t, d, wrap(noEnd)), 1, "a block without its END line is not judged")
			})
		}
	}
}

// A real key whose structure a change broke is still a key: a line cut out
// of its body (what is left holds the primes, which rebuild it), its first
// line rewritten (its length gone), its body cut in half. A small key
// (EC, Ed25519) cut to under four lines, or a few lines of a large one,
// is what a doc's truncated example is.
func TestPrivateKeyBlockBrokenOnPurpose(t *testing.T) {
	d := defaultDetector(t)
	keys := testKeys(t)
	for _, kname := range []string{"rsa pkcs1", "rsa pkcs8"} {
		lines := strings.Split(strings.TrimSuffix(keys[kname], "\n"), "\n")
		n := len(lines)
		broken := map[string][]string{
			"a line cut out":       append(append([]string(nil), lines[:n/2]...), lines[n/2+1:]...),
			"first line rewritten": append([]string{lines[0], strings.Repeat("A", 64)}, lines[2:]...),
			"second half only":     append([]string{lines[0]}, lines[n/2:]...),
		}
		for bname, bl := range broken {
			for wname, wrap := range wrappings {
				text := wrap(strings.Join(bl, "\n") + "\n")
				assert.Len(t, privateKeyFindings(t, d, text), 1, "%s, %s, %s", kname, bname, wname)
			}
		}
		// A note or a "..." written between the BEGIN line and the body
		// (in a plain block; a string literal's lines are not read so).
		for bname, bl := range map[string][]string{
			"a note after BEGIN":       append([]string{lines[0], "(bot2, rotated 2026-11)"}, lines[1:]...),
			"first line replaced by …": append([]string{lines[0], "..."}, lines[2:]...),
		} {
			assert.Len(t, privateKeyFindings(t, d, strings.Join(bl, "\n")+"\n"), 1, "%s, %s", kname, bname)
		}
		// What a doc shows of a key: its first line and a few more, or a
		// few lines from its middle.
		end := lines[n-1]
		fragments := map[string][]string{
			"first line and four more": {lines[0], lines[1], lines[5], lines[6], lines[7], lines[8], end},
			"six middle lines":         append(append([]string{lines[0]}, lines[10:16]...), end),
		}
		for fname, fl := range fragments {
			assert.Empty(t, privateKeyFindings(t, d, strings.Join(fl, "\n")+"\n"), "%s, %s", kname, fname)
		}
	}
	for _, kname := range []string{"ec sec1", "ed25519 pkcs8"} {
		key := keys[kname]
		body := len(strings.Join(strings.Split(key, "\n")[1:strings.Count(key, "\n")-1], ""))
		assert.Empty(t, privateKeyFindings(t, d, cut(key, max(48, body-64)&^3)), "%s without its last line", kname)
	}
}

// Blocks that are no key by their body, those the check leaves alone, and
// whole keys.
func TestPEMBlock(t *testing.T) {
	const ed = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEID8iSc3eCKv1c4cT0h5R1ZPJWb9td8rm4Gk3kuT5kT8Y\n-----END PRIVATE KEY-----"
	tests := []struct {
		name string
		text string
		want blockVerdict
	}{
		{"dummy declaring 1187 bytes in 47", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Zq8SynthEticShortKeyBodyOnlyOneLineLongZq8Synt=\n-----END RSA PRIVATE KEY-----", blockNoKey},
		{"not DER at all", "-----BEGIN PRIVATE KEY-----\nThisIsNotAKeyButALongEnoughLineOfLettersForThePatternToMatch0000\n-----END PRIVATE KEY-----", blockNoKey},
		{"indefinite length", "-----BEGIN EC PRIVATE KEY-----\nMIAwgAIBAQQgSynthEticSynthEticSynthEticSynthEticSynthEticSynthEtic\n-----END EC PRIVATE KEY-----", blockNoKey},
		{"openssh without its magic", "-----BEGIN OPENSSH PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Zq8SynthEticShortKeyBodyOnlyOneLineLongZq8Synt=\n-----END OPENSSH PRIVATE KEY-----", blockNoKey},
		{"openssh cut after its key count", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwSYNTHETIC\n-----END OPENSSH PRIVATE KEY-----", blockNoKey},
		{"openssh with no key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAA\n-----END OPENSSH PRIVATE KEY-----", blockNoKey},
		{"pgp is not judged", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGSyntheticSYNTHETICsyntheticSYNTHETICsyntheticSYNTHETIC0000\n-----END PGP PRIVATE KEY BLOCK-----", blockUnjudged},
		{"no END line", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Zq8SynthEticShortKeyBodyOnlyOneLineLongZq8Synt=\n", blockUnjudged},
		{"END of a later block", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Zq8SynthEticShortKeyBodyOnlyOneLineLongZq8Synt=\n-----BEGIN EC PRIVATE KEY-----\nx\n-----END EC PRIVATE KEY-----", blockUnjudged},
		{"padded out with x to its length", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----", blockUnjudged},
		{"a whole key", ed, blockKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := strings.Index(tt.text, "-----\n") + len("-----\n")
			for tt.text[i] == '\n' {
				i++
			}
			e := i + strings.IndexByte(tt.text[i:], '\n')
			assert.Equal(t, tt.want, pemBlock([]byte(tt.text), i, e))
		})
	}
}

// A whole key whose first line happens to read like a placeholder (one
// random line in 30,000 holds xXxx) is still found: its structure, not its
// letters, decides.
func TestPrivateKeyReadingLikePlaceholder(t *testing.T) {
	d := defaultDetector(t)
	_, k, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(k)
	require.NoError(t, err)
	// A PKCS#8 Ed25519 key is 16 bytes of header and a 32-byte seed; any
	// seed is a key. Bytes 18-20 are characters 24-27 of the base64.
	xs, err := base64.StdEncoding.DecodeString("xXxx")
	require.NoError(t, err)
	copy(der[18:], xs)
	_, err = x509.ParsePKCS8PrivateKey(der)
	require.NoError(t, err)
	key := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	require.True(t, d.IsPlaceholder(strings.Split(key, "\n")[1]), "the line reads like a placeholder")
	assert.Len(t, privateKeyFindings(t, d, key), 1)
}

// The key Binance's FIX API documentation publishes is no finding, the
// same key with one character changed is; a real key with EXAMPLE written
// over part of its body is still found (an RSA key is whole again from
// its other fields).
func TestExampleKeyBlocksAreQuiet(t *testing.T) {
	d := defaultDetector(t)
	const binance = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----\n"
	assert.Empty(t, privateKeyFindings(t, d, binance))
	assert.Len(t, privateKeyFindings(t, d, strings.Replace(binance, "m89u", "m89v", 1)), 1)

	key := testKeys(t)["rsa pkcs1"]
	lines := strings.Split(key, "\n")
	require.Len(t, privateKeyFindings(t, d, key), 1)
	lines[3] = lines[3][:20] + "EEEEXAMPLE" + lines[3][30:]
	assert.Len(t, privateKeyFindings(t, d, strings.Join(lines, "\n")), 1)
}

func TestDERLength(t *testing.T) {
	tests := []struct {
		name string
		der  []byte
		want int
		ok   bool
	}{
		{"short form", []byte{0x30, 0x2e, 0x02}, 48, true},
		{"one length byte", []byte{0x30, 0x81, 0x87}, 138, true},
		{"two length bytes", []byte{0x30, 0x82, 0x04, 0xa3}, 1191, true},
		{"not a sequence", []byte{0x02, 0x01, 0x00}, 0, false},
		{"indefinite", []byte{0x30, 0x80}, 0, false},
		{"length cut", []byte{0x30, 0x82, 0x04}, 0, false},
		{"empty", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := derLength(tt.der)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, n)
		})
	}
}
