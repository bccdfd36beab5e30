package verifier

import (
	"github.com/keygate/keygate/bitget"
)

// DefaultProviders returns a verifier of every provider keygate knows, each
// at its documented base URL unless its KEYGATE_<NAME>_BASE_URL
// environment variable names another (a testnet, a stand-in in tests).
func DefaultProviders() ([]Provider, error) {
	u, _, err := bitget.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	return []Provider{NewBitget(bitget.New(u))}, nil
}
