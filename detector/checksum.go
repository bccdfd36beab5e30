package detector

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"strings"

	"github.com/mr-tron/base58"

	"github.com/keygate/keygate/detector/mnemonic"
	"github.com/keygate/keygate/rules"
)

// checksums implements each check a rule may name (rules.Checksums). A
// check sees the whole secret and reports whether its own digits agree:
// a token that fails is a typo, a placeholder or made up, not a credential.
var checksums = map[string]func(secret string) bool{
	rules.ChecksumCRC32Base62: crc32Base62OK,
	rules.ChecksumBIP39:       bip39OK,
	rules.ChecksumBIP39Whole:  bip39WholeOK,
	rules.ChecksumBase58Check: base58CheckOK,
	rules.ChecksumJWT:         jwtOK,
	rules.ChecksumDER:         derKeyOK,
}

// blockChecks implements the checks that read the text around the secret
// (buf[start:end]) rather than the secret alone.
var blockChecks = map[string]func(buf []byte, start, end int) blockVerdict{
	rules.ChecksumPEM: pemBlock,
}

// checksumFor returns the check a rule names, as a check of the secret or
// of its block (at most one is not nil).
func checksumFor(r *rules.Rule) (secret func(string) bool, block func([]byte, int, int) blockVerdict, err error) {
	if r.Checksum == "" {
		return nil, nil, nil
	}
	if f, ok := checksums[r.Checksum]; ok {
		return f, nil, nil
	}
	if f, ok := blockChecks[r.Checksum]; ok {
		return nil, f, nil
	}
	return nil, nil, fmt.Errorf("rule %s: unknown checksum %q", r.ID, r.Checksum)
}

const base62Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// crc32Base62OK checks the format GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and
// npm (npm_) use: prefix_, then the random part, then 6 characters that are
// the random part's CRC32 (IEEE) in base62, left-padded with zeros.
func crc32Base62OK(secret string) bool {
	i := strings.IndexByte(secret, '_')
	if i < 0 || len(secret)-i-1 <= 6 {
		return false
	}
	body, sum := secret[i+1:len(secret)-6], secret[len(secret)-6:]
	return base62Pad6(crc32.ChecksumIEEE([]byte(body))) == sum
}

// base62Pad6 writes v in base62, zero-padded to 6 digits (62^6 > 2^32).
func base62Pad6(v uint32) string {
	var b [6]byte
	for i := 5; i >= 0; i-- {
		b[i] = base62Digits[v%62]
		v /= 62
	}
	return string(b[:])
}

// bip39OK reports whether some run of 12, 15, 18, 21 or 24 consecutive
// words of secret is a valid BIP-39 English mnemonic that is not a
// degenerate or published test phrase (publicMnemonics). A pattern hands
// over the whole run of words on a line, which may start with ordinary
// words ("my seed is ...").
func bip39OK(secret string) bool {
	words := strings.Fields(strings.ToLower(secret))
	for _, n := range []int{24, 21, 18, 15, 12} {
		for off := 0; off+n <= len(words); off++ {
			w := words[off : off+n]
			if distinct(w) < n-n/6 {
				// "abandon ... about", "test ... junk", "legal winner
				// thank year ... legal winner thank yellow": test vectors
				// built from repeated entropy, whose checksum holds but
				// that guard nothing. Random words repeat rarely: more
				// than 2 repeats in 12 words of 2048, or 4 in 24, are
				// odds below 1 in 100,000.
				continue
			}
			if phrase := strings.Join(w, " "); !publicMnemonics()[phrase] && mnemonic.Valid(phrase) {
				return true
			}
		}
	}
	return false
}

// bip39WholeOK reports whether secret, all of it, is one valid BIP-39
// English mnemonic that is not a degenerate test phrase (see bip39OK).
func bip39WholeOK(secret string) bool {
	words := strings.Fields(secret)
	n := len(words)
	if n < 12 || n > 24 || n%3 != 0 || distinct(words) < n-n/6 {
		return false
	}
	phrase := strings.Join(words, " ")
	return !publicMnemonics()[phrase] && mnemonic.Valid(phrase)
}

func distinct(words []string) int {
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		seen[w] = true
	}
	return len(seen)
}

// base58CheckOK reports whether secret decodes from base58 and its last 4
// bytes are the first 4 of the double SHA-256 of the rest.
func base58CheckOK(secret string) bool {
	raw, err := base58.Decode(secret)
	if err != nil || len(raw) < 5 {
		return false
	}
	body, sum := raw[:len(raw)-4], raw[len(raw)-4:]
	h := sha256.Sum256(body)
	h = sha256.Sum256(h[:])
	return bytes.Equal(h[:4], sum)
}

// jwtOK checks a JSON Web Token's first two parts: each base64url of a JSON
// object (a header and claims), and the claims not those of a Supabase
// anon key. Supabase documents the anon key as safe in client code (row
// level security guards the data); its service_role key, the secret one,
// stays a finding.
func jwtOK(secret string) bool {
	parts := strings.SplitN(secret, ".", 3)
	if len(parts) != 3 {
		return false
	}
	var header map[string]any
	if !jwtJSON(parts[0], &header) {
		return false
	}
	var claims struct {
		Iss  any `json:"iss"`
		Role any `json:"role"`
	}
	if !jwtJSON(parts[1], &claims) {
		return false
	}
	return !(claims.Iss == "supabase" && claims.Role == "anon")
}

// jwtJSON decodes part, base64url without padding (RFC 7515), as a JSON
// object into v.
func jwtJSON(part string, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	if raw = bytes.TrimLeft(raw, " \t\r\n"); err != nil || len(raw) == 0 || raw[0] != '{' {
		return false
	}
	return json.Unmarshal(raw, v) == nil
}
