package verifier

import (
	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/okx"
)

// DefaultProviders returns a verifier of every provider keygate knows, each
// at its documented base URL unless its KEYGATE_<NAME>_BASE_URL
// environment variable names another (a testnet, a stand-in in tests).
func DefaultProviders() ([]Provider, error) {
	u, _, err := bitget.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	bn, err := binance.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	ok, err := okx.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	by, err := bybit.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	return []Provider{NewBitget(bitget.New(u)), NewBinance(binance.New(bn)), NewOKX(okx.New(ok)), NewBybit(bybit.New(by))}, nil
}
