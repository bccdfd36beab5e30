package verifier

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"

	"github.com/keygate/keygate/detector"
)

// Part is one piece of a credential: key, secret, passphrase or token.
type Part string

// Parts of credentials (rules.Verifiers names them).
const (
	PartKey        Part = "key"
	PartSecret     Part = "secret"
	PartPassphrase Part = "passphrase"
	PartToken      Part = "token"
)

// Credential is one whole credential of a provider. Formatting it with any
// verb prints the provider and its first part masked, nothing else.
type Credential struct {
	Provider string
	Parts    map[Part]string
}

// Get returns a part's value ("" when absent).
func (c Credential) Get(p Part) string { return c.Parts[p] }

// String masks: a Credential that reaches a log line leaks nothing.
func (c Credential) String() string {
	id := c.Parts[PartKey]
	if id == "" {
		id = c.Parts[PartToken]
	}
	return c.Provider + " credential " + detector.Mask(id)
}

// GoString masks too (%#v).
func (c Credential) GoString() string { return c.String() }

// Format masks every verb, %+v and %#v included.
func (c Credential) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// digest names the credential in the cache: a hash of the provider and
// every part, never kept beyond the run.
func (c Credential) digest() [32]byte {
	names := make([]string, 0, len(c.Parts))
	for p := range c.Parts {
		names = append(names, string(p))
	}
	sort.Strings(names)
	h := sha256.New()
	h.Write([]byte(c.Provider))
	for _, n := range names {
		fmt.Fprintf(h, "\x00%s\x00%d:%s", n, len(c.Parts[Part(n)]), c.Parts[Part(n)])
	}
	var d [32]byte
	copy(d[:], h.Sum(nil))
	return d
}

// scrub masks the credential's values in text keygate is about to keep:
// the clients' errors never hold them, and this makes sure.
func scrub(text string, c Credential) string {
	for _, v := range c.Parts {
		if len(v) >= 4 {
			text = strings.ReplaceAll(text, v, detector.Mask(v))
		}
	}
	return text
}
