package detector

import (
	"encoding/base64"
	"strings"

	"github.com/keygate/keygate/detector/placeholder"
)

// The bare private key check (rules.ChecksumDER). A private key pasted
// without its PEM armour, on one line (an environment variable, a JSON or
// YAML value, a string constant: the way a bot's RSA key for an
// exchange's API is often stored), is the base64 of its DER: a SEQUENCE
// whose header declares the length of the rest, then a version INTEGER
// (0 for PKCS#8 and PKCS#1, 1 for SEC1). The whole value must decode to
// exactly the length it declares, so a key's first PEM line, a hand-typed
// stand-in or a truncated example is no finding, and so is a public key or
// a certificate (their SEQUENCE holds no version first).

// derKeyOK reports whether secret, a base64 run, is a whole DER private
// key of random content that no one publishes.
func derKeyOK(secret string) bool {
	der, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(secret, "="))
	if err != nil {
		return false
	}
	header, size, ok := derSequence(der)
	if !ok || header+size != len(der) {
		return false
	}
	body := der[header:]
	if len(body) < 3 || body[0] != 0x02 || body[1] != 0x01 || body[2] > 1 {
		return false
	}
	return Entropy(secret) >= minKeyEntropy && !placeholder.KeyBlock(secret)
}
