package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/internal/lazyre"
	"github.com/keygate/keygate/keyaudit"
)

// Attempts is how often a verifier's client tries one request: once, and
// one retry on a network error, 429 or 5xx.
const Attempts = 2

// Bitget verifies a Bitget key, secret and passphrase with GET
// /api/v2/spot/account/info, signed as Bitget documents.
type Bitget struct {
	Client *bitget.Client
	once   sync.Once
}

// NewBitget returns the Bitget verifier of the API at base.
func NewBitget(c *bitget.Client) *Bitget {
	c.Attempts = Attempts
	return &Bitget{Client: c}
}

// Name is the verify field's provider.
func (*Bitget) Name() string { return "bitget" }

// Title is the provider's name.
func (*Bitget) Title() string { return "Bitget" }

// Parts of a Bitget credential.
func (*Bitget) Parts() []Part { return []Part{PartKey, PartSecret, PartPassphrase} }

// EnvSuffix names the env variables of a bot's Bitget credential.
func (*Bitget) EnvSuffix(p Part) string {
	return map[Part]string{PartKey: "BITGET_API_KEY", PartSecret: "BITGET_API_SECRET", PartPassphrase: "BITGET_PASSPHRASE"}[p]
}

var (
	bitgetKeyRE    = lazyre.New(`^bg_[0-9a-fA-F]{32}$`)
	bitgetSecretRE = lazyre.New(`^[0-9a-fA-F]{64}$`)
)

// Classify: a bg_ key, a 64-hex secret, else a passphrase.
func (*Bitget) Classify(v string) Part {
	switch {
	case bitgetKeyRE.MatchString(v):
		return PartKey
	case bitgetSecretRE.MatchString(v):
		return PartSecret
	}
	return PartPassphrase
}

// Verify asks Bitget about the credential.
func (b *Bitget) Verify(ctx context.Context, c Credential) Verification {
	// One clock sync per run: a host clock off by more than 30 s would
	// otherwise read as a refusal. Its failure shows in the request.
	b.once.Do(func() { _, _ = b.Client.SyncClock(ctx) })
	creds := bitget.Credentials{Key: c.Get(PartKey), Secret: c.Get(PartSecret), Passphrase: c.Get(PartPassphrase)}
	info, err := b.Client.AccountInfo(ctx, creds)
	if err != nil {
		return bitgetRefusal(err)
	}
	v := Verification{Status: Live, Reason: "Bitget accepted the key (GET " + bitget.PathAccountInfo + ")",
		WithdrawEnabled: boolPtr(slices.Contains(info.Authorities, "wwow")), IPAllowlist: boolPtr(len(info.IPs) > 0)}
	for _, code := range info.Authorities {
		v.Permissions = append(v.Permissions, keyaudit.Describe(code).Words())
	}
	return v
}

// bitgetRefusal turns an error of AccountInfo into a verdict.
func bitgetRefusal(err error) Verification {
	var api *bitget.APIError
	if !errors.As(err, &api) {
		return unreachable(err)
	}
	why := bitget.Describe(api.Code)
	if why == "" {
		why = fmt.Sprintf("code %s (HTTP %d)", api.Code, api.HTTPStatus)
	}
	v := Verification{Status: Unknown, Code: api.Code, Reason: "Bitget refused it: " + why}
	switch api.Code {
	case bitget.CodeInvalidKey, bitget.CodeKeyDoesNotExist:
		v.Status = Revoked
	case bitget.CodeIPNotAllowed:
		// The signature and passphrase passed; only this host is not on
		// the key's allowlist.
		v.Status, v.IPAllowlist = Live, boolPtr(true)
		v.Reason = "Bitget knows the key and its secret and passphrase, but this host's IP is not on its allowlist (code 40018)"
	case bitget.CodeIncorrectPerms:
		v.Status = Live
		v.Reason = "Bitget knows the key; it lacks the spot read permission that listing its permissions needs (code 40014)"
	case bitget.CodeSignError:
		v.Reason = "Bitget knows the key, but the secret found with it does not sign for it (code 40009)"
	case bitget.CodePassphraseError:
		v.Reason = "Bitget knows the key, but the passphrase found with it is wrong (code 40012)"
	}
	return v
}

// unreachable is the verdict of a request that got no usable answer.
func unreachable(err error) Verification {
	reason := err.Error()
	if statusOf(err) == http.StatusTooManyRequests || rateLimited(err) {
		reason = "rate-limited (HTTP 429 on every attempt): " + reason
	}
	return Verification{Status: Unknown, Reason: reason}
}

// statusOf digs the HTTP status out of a client's error chain.
func statusOf(err error) int {
	var bs *bitget.StatusError
	if errors.As(err, &bs) {
		return bs.Status
	}
	return 0
}
