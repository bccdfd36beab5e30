package detector

import (
	"encoding/base64"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
)

// ghToken builds a classic GitHub-format token with a valid checksum.
func ghToken(prefix, body string) string {
	return prefix + body + base62Pad6(crc32.ChecksumIEEE([]byte(body)))
}

func TestCRC32Base62(t *testing.T) {
	good := ghToken("ghp_", "Rk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0")
	flipped := []byte(good)
	flipped[10] ^= 0x20 // change one letter's case
	tests := []struct {
		name, token string
		want        bool
	}{
		{"valid ghp_", good, true},
		{"valid npm_", ghToken("npm_", "Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Rk2Wq8"), true},
		{"one character changed", string(flipped), false},
		{"checksum of another body", "ghp_" + "Rk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs1" + good[len(good)-6:], false},
		{"placeholder", "ghp_" + strings.Repeat("x", 36), false},
		{"sequential", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", false},
		{"no underscore", "ghpRk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0", false},
		{"too short", "ghp_abc", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, crc32Base62OK(tt.token))
		})
	}
	assert.Equal(t, "000000", base62Pad6(0))
	assert.Equal(t, "4gfFC3", base62Pad6(^uint32(0)))
}

func TestBIP39(t *testing.T) {
	const m12 = "catalog design inner special elephant pig afraid tag happy book rebuild moment"
	tests := []struct {
		name, words string
		want        bool
	}{
		{"valid 12", m12, true},
		{"valid 24", "attract case scissors humor jungle promote decade camp effort crater royal cattle message smile razor general bracket genius surge hold pact asset rabbit jewel", true},
		{"extra spaces and case", "Catalog  design\tinner special elephant pig afraid tag happy book rebuild moment", true},
		{"led by ordinary words", "store this seed " + m12, true},
		{"last word changed", strings.Replace(m12, "moment", "rebuild", 1), false},
		{"word not in the list", strings.Replace(m12, "catalog", "catalogue", 1), false},
		{"11 words", strings.TrimSuffix(m12, " moment"), false},
		{"test vector abandon", strings.Repeat("abandon ", 11) + "about", false},
		{"hardhat test mnemonic", strings.Repeat("test ", 11) + "junk", false},
		{"repeated-entropy vector", "legal winner thank year wave sausage worth useful legal winner thank yellow", false},
		{"ganache default", "myth like bonus scare over problem client lizard pioneer submit female collect", false},
		{"truffle default after words", "mnemonic: candy maple cake sugar pudding cream honey rich smooth crumble sweet treat", false},
		{"reference vector", "scheme spot photo card baby mountain device kick cradle pact join borrow", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, bip39OK(tt.words))
		})
	}
}

func TestBase58Check(t *testing.T) {
	// A WIF key: 0x80, 32 bytes, compression flag, double-SHA256 checksum.
	const wif = "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn"
	assert.True(t, base58CheckOK(wif))
	assert.False(t, base58CheckOK(wif[:len(wif)-1]+"o"))
	assert.False(t, base58CheckOK("K"+strings.Repeat("x", 51)))
	assert.False(t, base58CheckOK("0OIl")) // not base58
	assert.False(t, base58CheckOK("1"))
}

// Every check a rule may name is implemented; a name the detector does not
// know is an error at New, not a silently unchecked rule.
func TestChecksumsImplemented(t *testing.T) {
	for _, name := range rules.Checksums {
		_, secret := checksums[name]
		_, block := blockChecks[name]
		assert.True(t, secret != block, "checksum %s: implemented once", name)
	}
	p := &rules.Pack{Name: "x", Rules: []rules.Rule{{ID: "a", Severity: "low", Keywords: []string{"k"}, Pattern: "(k)", SecretGroup: 1, Checksum: "luhn"}}}
	_, err := New(p)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `rule a: unknown checksum "luhn"`)
}

// Through the whole default pack: a token whose checksum holds is a
// finding of its rule, the same token with a broken checksum is none.
func TestChecksumGatesFindings(t *testing.T) {
	d := defaultDetector(t)
	good := ghToken("ghp_", "Rk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0")
	bad := good[:len(good)-1] + map[bool]string{true: "A", false: "B"}[good[len(good)-1] != 'A']
	npm := ghToken("npm_", "Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Rk2Wq8")
	tests := []struct {
		name, text string
		want       []string
	}{
		{"valid github token", "git clone https://x-access-token:" + good + "@github.com/o/r", []string{"github-pat"}},
		{"broken github token", "see " + bad + " in the log", nil},
		{"github placeholder", "export GH=ghp_" + strings.Repeat("x", 36), nil},
		{"valid npm token", "//registry.npmjs.org/:_authToken=" + npm, []string{"npm-access-token"}},
		{"broken npm token", "see " + npm[:len(npm)-2] + "zz in the log", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := d.Scan([]byte(tt.text), "notes.txt")
			require.NoError(t, err)
			var got []string
			for _, f := range fs {
				got = append(got, f.RuleID)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// A JWT is checked for its structure: header and claims are base64url
// JSON objects; a Supabase anon key, public by design, is no finding, its
// service_role key is.
func TestJWTStructure(t *testing.T) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	header := b64(`{"alg":"HS256","typ":"JWT"}`)
	sig := "SynthSig0Kq2Lm7Xw4Vb8Nc1Zt6Yp3Rf5"
	for _, tt := range []struct {
		name, claims string
		want         bool
	}{
		{"a session token", `{"sub":"bot1","exp":2015576000}`, true},
		{"Supabase service_role", `{"iss":"supabase","ref":"synthref","role":"service_role"}`, true},
		{"Supabase anon", `{"iss":"supabase","ref":"synthref","role":"anon"}`, false},
		{"anon of another issuer", `{"iss":"auth.example.com","role":"anon"}`, true},
		{"claims that are no JSON", `{"sub":"bot1",`, false},
		{"pretty claims", "{\n  \"sub\": \"bot1\"\n}", true},
	} {
		assert.Equal(t, tt.want, jwtOK(header+"."+b64(tt.claims)+"."+sig), tt.name)
	}
	assert.False(t, jwtOK(b64(`{"alg":`)+"."+b64(`{"sub":"x"}`)+"."+sig), "a header that is no JSON")
	assert.False(t, jwtOK(header+"."+b64(`{"sub":"x"}`)), "two parts")
	assert.False(t, jwtOK(header+".eyJ!!!."+sig), "no base64url")
}
