package verifier

import (
	"context"

	"github.com/keygate/keygate/internal/lazyre"
)

// Provider verifies the credentials of one service.
type Provider interface {
	// Name is the verify field's provider ("bitget").
	Name() string
	// Title is the provider as people write it ("Bitget").
	Title() string
	// Parts are the credential's parts, the anchor (key or token) first.
	Parts() []Part
	// Verify asks the provider about a whole credential, once (its client
	// retries once).
	Verify(ctx context.Context, c Credential) Verification
}

// Classifier is a Provider that tells a part from a value's shape, for a
// rule whose verify field names the provider alone.
type Classifier interface {
	Classify(value string) Part
}

// EnvNamer is a Provider whose bots keep credentials in env/.env as
// BOTn_<suffix> (BOT1_BITGET_API_KEY): it names the suffix of each part.
type EnvNamer interface {
	EnvSuffix(p Part) string
}

var botRE = lazyre.New(`^(BOT[0-9A-Z]*)_([A-Z0-9_]+)$`)

// botOf splits an env name into its bot and suffix.
func botOf(name string) (bot, suffix string, ok bool) {
	m := botRE.FindStringSubmatch(name)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
