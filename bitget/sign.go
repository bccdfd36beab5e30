package bitget

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/keygate/keygate/detector"
)

// Credentials are one Bitget API key: the key, its secret and the
// passphrase chosen when it was created. Formatting them with %v, %s or
// %+v prints the key masked and nothing of the secret or passphrase.
type Credentials struct {
	Key, Secret, Passphrase string
}

// String masks: a Credentials that reaches a log line leaks nothing.
func (c Credentials) String() string { return "bitget key " + detector.Mask(c.Key) }

// GoString masks too (%#v).
func (c Credentials) GoString() string { return c.String() }

// Format masks every verb, %+v and %#v included.
func (c Credentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Sign returns ACCESS-SIGN as Bitget documents it:
// base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath [+ "?" + query] + body)).
func Sign(secret, timestamp, method, requestPath, query, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + method + requestPath))
	if query != "" {
		mac.Write([]byte("?" + query))
	}
	mac.Write([]byte(body))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
