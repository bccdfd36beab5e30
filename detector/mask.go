package detector

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf8"
)

// MaskMinLen is the shortest secret (in characters) whose last four
// characters may be shown; shorter ones are masked completely.
const MaskMinLen = 12

// Mask returns the only form of a secret keygate ever prints: "****" and at
// most the last four characters, none for a value shorter than MaskMinLen.
func Mask(secret string) string {
	n := utf8.RuneCountInString(secret)
	if n < MaskMinLen {
		return "****"
	}
	tail := secret
	for i := 0; i < n-4; i++ {
		_, size := utf8.DecodeRuneInString(tail)
		tail = tail[size:]
	}
	return "****" + tail
}

// fingerprintIterations slows a dictionary attack on a fingerprint of a
// human-chosen passphrase by this factor while keeping a finding cheap.
const fingerprintIterations = 1000

// Fingerprint identifies a finding without its line, so it is stable when
// lines move, and cannot be turned back into the secret: it is a salted,
// iterated hash (PBKDF2-SHA256) of the secret, keyed by rule and path.
func Fingerprint(ruleID, path, secret string) string {
	salt := []byte("keygate-fingerprint-v1\x00" + ruleID + "\x00" + path)
	key, err := pbkdf2.Key(sha256.New, secret, salt, fingerprintIterations, 16)
	if err != nil {
		// Only a FIPS-mode policy refusal reaches here; a plain salted
		// digest keeps the fingerprint one-way, if cheaper to attack.
		sum := sha256.Sum256(append(salt, secret...))
		key = sum[:16]
	}
	return hex.EncodeToString(key)
}
